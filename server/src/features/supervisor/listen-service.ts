import type { ListenView } from '../../contract/index.js';
import type { AcdQueries } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditInput } from '../audit/audit-service.js';
import { listenAor } from '../auth/sip-credentials-service.js';
import type { ScopeService } from '../users/scope-service.js';
import { liveCallInScope, type SupervisorUser } from './supervisor-service.js';

/** One listening leg as the telephony side reports it. */
export interface ListenLegInfo {
  lid: string;
  callId: string;
  /** The listening phone's AOR (listenAor of its user). */
  aor: string;
}

/** The telephony side of 监听 (server/src/telephony/listen-line.ts). */
export interface ListenPort {
  /** Resolves once the phone `aor` hears the call; rejects with a DomainError. */
  start(callId: string, aor: string): Promise<ListenLegInfo>;
  /** Ends a leg (the subscription; the page hangs up); false when it had ended already. */
  stop(lid: string): boolean;
  /** The legs up now. */
  active(): ListenLegInfo[];
}

/**
 * 监听 (silent monitoring): a supervisor listens to a talking call of their scope on the monitor
 * page's listening phone, without being heard. Audited with the reason when it starts, and when
 * the supervisor stops it. One leg per supervisor: listening to another call ends the first.
 */
export class ListenService {
  /** lid => the seat talking when the leg started (for the view). */
  private readonly seats = new Map<string, string | null>();

  constructor(
    private readonly deps: {
      engine: Pick<AcdQueries, 'getCall'>;
      scope: Pick<ScopeService, 'seesCall'>;
      audit: (entry: AuditInput) => void;
      /** Null without telephony. */
      port: ListenPort | null;
    },
  ) {}

  async start(user: SupervisorUser, callId: string, note: string): Promise<ListenView> {
    const call = liveCallInScope(this.deps, user, callId);
    if (call.state.kind !== 'talking') throw new DomainError('CONFLICT', '这通电话不在通话中,无法监听', { callId, state: call.state.kind });
    const seatId = call.state.seatId;
    const port = this.deps.port;
    if (!port) throw new DomainError('UNAVAILABLE', '未连接 SIP 服务器,无法监听');
    const aor = listenAor(user.id);
    for (const leg of port.active()) if (leg.aor === aor) this.stopLeg(user, leg, 'another-call');
    const leg = await port.start(callId, aor);
    this.seats.set(leg.lid, seatId);
    this.deps.audit({
      actor: user,
      action: 'supervisor.call-listen',
      target: `call:${callId}`,
      after: { seatId, leg: leg.lid },
      reason: note,
    });
    return { lid: leg.lid, callId, seatId };
  }

  /** 停止监听: the supervisor's own leg only. */
  stop(user: SupervisorUser, lid: string): { stopped: boolean } {
    const leg = this.deps.port?.active().find((l) => l.lid === lid) ?? null;
    if (!leg) return { stopped: false }; // ended already (the call ended, the page hung up)
    if (leg.aor !== listenAor(user.id)) throw new DomainError('FORBIDDEN', '只能停止自己的监听', { lid });
    this.stopLeg(user, leg, 'stopped');
    return { stopped: true };
  }

  /** The supervisor's leg now, if any (the page asks after a reload). */
  mine(user: SupervisorUser): ListenView | null {
    const leg = this.deps.port?.active().find((l) => l.aor === listenAor(user.id)) ?? null;
    return leg ? { lid: leg.lid, callId: leg.callId, seatId: this.seats.get(leg.lid) ?? null } : null;
  }

  /** A leg ended without the supervisor's 停止监听 (the call ended, the phone hung up). */
  ended(lid: string): void {
    this.seats.delete(lid);
  }

  private stopLeg(user: SupervisorUser, leg: ListenLegInfo, why: 'stopped' | 'another-call'): void {
    this.deps.port?.stop(leg.lid);
    this.seats.delete(leg.lid);
    this.deps.audit({ actor: user, action: 'supervisor.call-listen-stop', target: `call:${leg.callId}`, after: { leg: leg.lid, why } });
  }
}
