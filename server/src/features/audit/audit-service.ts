import type { Clock } from '../../domain/clock.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import { verifyChain, type AuditEntryRecord, type ChainVerdict } from './audit-chain.js';
import type { AuditFilter, AuditRepository } from './audit-repository.js';
import { currentAddress } from './request-context.js';

/** Who did it: a signed-in user, someone who tried to sign in, or the system itself. */
export interface AuditActor {
  id: number | null;
  username: string;
  role: string;
}

/** The actions the log knows (each feature names its own; the list is for the page's filter). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login-failed',
  'auth.locked',
  'auth.login-refused',
  'auth.logout',
  'auth.session-end',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.password-reset',
  'user.password-change',
  'user.password-change-failed',
  'user.unlock',
  'routing-config.update',
  'routing-config.categories',
  'routing-config.rules',
  'routing-config.calendar',
  'seat.profile',
  'knowledge.create',
  'knowledge.update',
  'knowledge.retire',
  'alert.acknowledge',
  'alert.thresholds',
  'alert.threshold-acknowledge',
  'supervisor.seat-not-ready',
  'supervisor.seat-sign-out',
  'supervisor.call-priority',
  'supervisor.call-assign',
  'supervisor.call-category',
  'supervisor.call-force-release',
  'supervisor.message',
  'system.call-seat-lost',
  'summary.confidential-read',
  'referral.confidential-form',
  'report.export',
  'report.export-unmasked',
  'report.risk-words',
  'qc.open',
  'qc.score',
  'qc.review-request',
  'qc.review-decide',
  'qc.config',
  'recording.play',
  'recording.download',
  'recording.delete',
  'visit.dial',
  'visit.dial-refused',
  'visit.dial-result',
] as const;

export interface AuditInput {
  actor: AuditActor;
  action: string;
  /** What was acted on, e.g. `user:12`, `call:abc`, `routing-config`. */
  target: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** The request's address when not the current request's (sign-in records pass it). */
  address?: string;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, username: 'system', role: 'system' };

/**
 * The audit log (审计日志): append-only, each entry chained to the previous one by a SHA-256 hash.
 * `record` joins the caller's transaction when one is open, so an entry is committed with the
 * change it describes or not at all; every feature records its own actions through it.
 */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(input: AuditInput): AuditEntryRecord {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    return immediateTransaction(this.db, () =>
      this.repo.append({
        at: this.clock.now(),
        userId: input.actor.id,
        username: input.actor.username,
        role: input.actor.role,
        address: input.address ?? currentAddress(),
        action: input.action,
        target: input.target,
        beforeJson: json(input.before),
        afterJson: json(input.after),
        reason: input.reason ?? '',
      }),
    );
  }

  list(filter: AuditFilter): AuditEntryRecord[] {
    return this.repo.list(filter);
  }

  verify(): ChainVerdict {
    return verifyChain(this.repo.all());
  }
}
