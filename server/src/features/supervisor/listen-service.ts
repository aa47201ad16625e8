import type { ListenChange, ListenEndReason, ListenView } from '../../contract/index.js';
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
 * it ends (stopped, the call ended, the page holding the phone gone). One leg per supervisor:
 * listening to another call ends the first. Every page of the supervisor is told of each start
 * and end (`notify`), so a reloaded page or another tab shows the leg with 停止监听.
 */
export class ListenService {
  /** lid => who listens and the seat talking when the leg started (for the view). */
  private readonly legs = new Map<string, { user: SupervisorUser; seatId: string | null }>();

  constructor(
    private readonly deps: {
      engine: Pick<AcdQueries, 'getCall'>;
      scope: Pick<ScopeService, 'seesCall'>;
      audit: (entry: AuditInput) => void;
      /** Null without telephony. */
      port: ListenPort | null;
      /** Tells every page of user `userId` (the socket layer; absent in tests that do not look). */
      notify?: (userId: number, change: ListenChange) => void;
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
    this.legs.set(leg.lid, { user, seatId });
    this.deps.audit({
      actor: user,
      action: 'supervisor.call-listen',
      target: `call:${callId}`,
      after: { seatId, leg: leg.lid },
      reason: note,
    });
    const view: ListenView = { lid: leg.lid, callId, seatId };
    this.deps.notify?.(user.id, { leg: view, ended: null });
    return view;
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
    return this.mineByAor(listenAor(user.id));
  }

  /**
   * A leg ended without the supervisor's 停止监听 (the call ended, the phone hung up, the page
   * holding the phone was reloaded or closed): audited, and the supervisor's pages told.
   */
  ended(leg: ListenLegInfo, why: ListenEndReason): void {
    const known = this.legs.get(leg.lid);
    if (!known) return; // ended by stopLeg, which said so
    this.legs.delete(leg.lid);
    this.finish(known.user, leg, why);
  }

  private stopLeg(user: SupervisorUser, leg: ListenLegInfo, why: 'stopped' | 'another-call'): void {
    this.legs.delete(leg.lid); // before the port's stop: its end report finds nothing more to do
    this.deps.port?.stop(leg.lid);
    this.finish(user, leg, why);
  }

  private finish(user: SupervisorUser, leg: ListenLegInfo, why: ListenEndReason): void {
    this.deps.audit({ actor: user, action: 'supervisor.call-listen-stop', target: `call:${leg.callId}`, after: { leg: leg.lid, why } });
    this.deps.notify?.(user.id, { leg: this.mineByAor(leg.aor), ended: { lid: leg.lid, callId: leg.callId, why } });
  }

  private mineByAor(aor: string): ListenView | null {
    const leg = this.deps.port?.active().find((l) => l.aor === aor && this.legs.has(l.lid)) ?? null;
    return leg ? { lid: leg.lid, callId: leg.callId, seatId: this.legs.get(leg.lid)?.seatId ?? null } : null;
  }
}
