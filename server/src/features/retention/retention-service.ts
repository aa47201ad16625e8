import type { Clock } from '../../domain/clock.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import { SYSTEM_ACTOR, type AuditActor, type AuditService } from '../audit/audit-service.js';
import type { RetentionCounts, RetentionCutoffs, RetentionRepository } from './retention-repository.js';

export interface RetentionPolicy {
  /** Caller numbers are anonymised this many months after the call ended (summaries and figures kept). */
  callerMonths: number;
  /** Sessions are deleted this many days after they ended. */
  sessionDays: number;
  /** Sign-in failures and 12345 webhook receipts are deleted after this many days. */
  recordDays: number;
}

export interface RetentionRun {
  dryRun: boolean;
  at: number;
  cutoffs: RetentionCutoffs;
  counts: RetentionCounts;
}

const DAY_MS = 86_400_000;

/** `months` calendar months before `at` (the same day of the month, clamped to its end). */
export function monthsBefore(at: number, months: number): number {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/**
 * The retention policy (PIPL Art. 19: keep personal information no longer than needed): caller
 * numbers anonymised after the period while the calls, their summaries and every figure stay;
 * ended sessions, old sign-in failures and spent webhook receipts deleted. A dry run counts what
 * a run would change; a run changes it in one transaction with its audit entry.
 */
export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly repo: RetentionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: RetentionPolicy,
  ) {}

  cutoffs(at = this.clock.now()): RetentionCutoffs {
    return {
      callerBefore: monthsBefore(at, this.policy.callerMonths),
      sessionsBefore: at - this.policy.sessionDays * DAY_MS,
      recordsBefore: at - this.policy.recordDays * DAY_MS,
    };
  }

  run(opts: { dryRun: boolean; actor?: AuditActor }): RetentionRun {
    const at = this.clock.now();
    const cutoffs = this.cutoffs(at);
    if (opts.dryRun) return { dryRun: true, at, cutoffs, counts: this.repo.plan(cutoffs) };
    const counts = immediateTransaction(this.db, () => {
      const c = this.repo.apply(cutoffs);
      this.audit.record({
        actor: opts.actor ?? SYSTEM_ACTOR,
        action: 'retention.run',
        target: 'database',
        after: { policy: this.policy, cutoffs, counts: c },
        reason: '保存期限到期的个人信息处理',
      });
      return c;
    });
    return { dryRun: false, at, cutoffs, counts };
  }
}
