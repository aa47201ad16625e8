import { randomUUID } from 'node:crypto';
import type { SupervisorMessage, SupervisorMessageInput, SupervisorSeatStatus } from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import type { AcdCallCommands, AcdQueries, AcdSeatCommands, AcdSupervisorCommands, AcdUnitOfWork } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { Seat } from '../../domain/seat.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
import type { ScopeService, ScopedUser } from '../users/scope-service.js';

export type SupervisorEngine = Pick<AcdQueries, 'config' | 'getSeat' | 'listSeats' | 'getCall'> &
  Pick<AcdSeatCommands, 'setSeatNotReady' | 'setSeatOffline'> &
  AcdSupervisorCommands &
  Pick<AcdCallCommands, 'hangup'> &
  AcdUnitOfWork;

/** Ends a call on both sides through Kamailio's dialog module (强拆); rejects with a DomainError when it cannot. */
export interface CallEnder {
  endCall(callId: string): Promise<void>;
}

export type SupervisorUser = AuditActor & ScopedUser & { id: number };

/**
 * A supervisor's actions (班长干预): on seats and waiting calls of the centres in their scope,
 * each written to the audit log in the same commit as the engine's change, and messages to
 * seats (audited, delivered to the seats' consoles after the commit).
 */
export class SupervisorService {
  constructor(
    private readonly deps: {
      engine: SupervisorEngine;
      scope: Pick<ScopeService, 'seesSeat' | 'seesCall' | 'seesCentre' | 'centresOf'>;
      clock: Clock;
      audit: (entry: AuditInput) => void;
      /** Pushes a message to these seats' consoles. */
      deliver: (seatIds: string[], message: SupervisorMessage) => void;
      /** 强拆 through Kamailio; null without telephony. */
      ender?: CallEnder | null;
    },
  ) {}

  setSeatStatus(user: SupervisorUser, seatId: string, p: SupervisorSeatStatus): Seat {
    const seat = this.seatInScope(user, seatId);
    const before = seat.state.kind;
    // A seat nobody is signed in at stays signed out: 示忙 would sign it in as busy (counted on the
    // wall, with no one there), and a second 签出 (two supervisors at once) changes nothing.
    if (before === 'offline') {
      throw new DomainError(
        'CONFLICT',
        p.status === 'not-ready' ? `坐席 ${seat.profile.name} 已签出(离线),无法置为示忙` : `坐席 ${seat.profile.name} 已签出(离线)`,
        { seatId, state: before },
      );
    }
    refuseForSupervisor(seat, p.status);
    return this.deps.engine.unitOfWork(() => {
      const after =
        p.status === 'not-ready' ? notReadyForSupervisor(this.deps.engine, seat, p.reason) : this.deps.engine.setSeatOffline(seatId);
      this.deps.audit({
        actor: user,
        action: p.status === 'not-ready' ? 'supervisor.seat-not-ready' : 'supervisor.seat-sign-out',
        target: `seat:${seatId}`,
        before: { state: before },
        after: p.status === 'not-ready' ? { state: 'not-ready', reason: p.reason } : { state: 'offline' },
        reason: p.note,
      });
      return after;
    });
  }

  reprioritize(user: SupervisorUser, callId: string, priority: number, note: string): Call {
    const call = this.callInScope(user, callId);
    const before = call.priority;
    return this.deps.engine.unitOfWork(() => {
      const after = this.deps.engine.reprioritize(callId, priority);
      this.deps.audit({
        actor: user,
        action: 'supervisor.call-priority',
        target: `call:${callId}`,
        before: { priority: before },
        after: { priority },
        reason: note,
      });
      return after;
    });
  }

  assign(user: SupervisorUser, callId: string, seatId: string, note: string): Call {
    this.callInScope(user, callId);
    this.seatInScope(user, seatId);
    return this.deps.engine.unitOfWork(() => {
      const after = this.deps.engine.assignCall(callId, seatId);
      this.deps.audit({ actor: user, action: 'supervisor.call-assign', target: `call:${callId}`, after: { seatId }, reason: note });
      return after;
    });
  }

  recategorize(user: SupervisorUser, callId: string, categoryId: string, note: string): Call {
    const call = this.callInScope(user, callId);
    if (!this.deps.engine.config.categories.some((c) => c.id === categoryId)) {
      throw new DomainError('VALIDATION', `没有专业类别 ${categoryId}`, { categoryId });
    }
    const before = call.categoryId;
    return this.deps.engine.unitOfWork(() => {
      const after = this.deps.engine.recategorize(callId, categoryId);
      this.deps.audit({
        actor: user,
        action: 'supervisor.call-category',
        target: `call:${callId}`,
        before: { categoryId: before },
        after: { categoryId },
        reason: note,
      });
      return after;
    });
  }

  /**
   * 强拆: ends a talking call of the supervisor's scope on both sides (BYE to the caller and the
   * seat from Kamailio's dialog module); the seat goes to wrap-up; the call record says 班长强拆.
   * Audited with the reason once Kamailio has ended it; refused clearly when it cannot be, and
   * that failed attempt audited with why.
   */
  async forceRelease(user: SupervisorUser, callId: string, note: string): Promise<Call> {
    const call = this.callInScope(user, callId);
    if (call.state.kind !== 'talking') throw new DomainError('CONFLICT', '这通电话不在通话中,无法强拆', { callId, state: call.state.kind });
    const seatId = call.state.seatId;
    const ender = this.deps.ender;
    if (!ender) throw new DomainError('UNAVAILABLE', '未连接 SIP 服务器,无法强拆');
    try {
      await ender.endCall(callId);
    } catch (err) {
      // The attempt is on the record too: Kamailio may still end the call after the router stopped
      // waiting (then the call record says 班长强拆), and the supervisor was told it failed.
      this.deps.audit({
        actor: user,
        action: 'supervisor.call-force-release',
        target: `call:${callId}`,
        before: { state: 'talking', seatId },
        after: { state: 'talking', failed: err instanceof Error ? err.message : String(err) },
        reason: note,
      });
      throw err;
    }
    return this.deps.engine.unitOfWork(() => {
      const now = this.deps.engine.getCall(callId);
      const after = now?.state.kind === 'talking' ? this.deps.engine.hangup(callId, 'supervisor') : (now ?? call);
      this.deps.audit({
        actor: user,
        action: 'supervisor.call-force-release',
        target: `call:${callId}`,
        before: { state: 'talking', seatId },
        after: { state: after.state.kind },
        reason: note,
      });
      return after;
    });
  }

  /** Sends a message to one seat, a centre's seats or every seat in scope (signed-in or not: it reaches open consoles). */
  message(user: SupervisorUser & { displayName?: string }, p: SupervisorMessageInput): SupervisorMessage {
    const { engine, scope } = this.deps;
    let seats: Seat[];
    if (p.to.kind === 'seat') {
      seats = [this.seatInScope(user, p.to.seatId)];
    } else if (p.to.kind === 'centre') {
      const centreId = p.to.centreId;
      if (!engine.config.centres.some((c) => c.id === centreId)) throw new DomainError('NOT_FOUND', `没有中心 ${centreId}`);
      if (!scope.seesCentre(user, centreId)) throw new DomainError('FORBIDDEN', '该中心不在您的管辖范围内');
      seats = engine.listSeats().filter((s) => s.profile.centreId === centreId);
    } else {
      seats = engine.listSeats().filter((s) => scope.seesSeat(user, s.profile.id));
    }
    const message: SupervisorMessage = {
      id: randomUUID(),
      fromName: user.displayName ?? user.username,
      text: p.text,
      at: this.deps.clock.now(),
      recipients: seats.length,
    };
    const target = p.to.kind === 'seat' ? `seat:${p.to.seatId}` : p.to.kind === 'centre' ? `centre:${p.to.centreId}` : 'all';
    this.deps.audit({ actor: user, action: 'supervisor.message', target, after: { text: p.text, recipients: seats.length } });
    this.deps.deliver(
      seats.map((s) => s.profile.id),
      message,
    );
    return message;
  }

  private seatInScope(user: SupervisorUser, seatId: string): Seat {
    const seat = this.deps.engine.listSeats().find((s) => s.profile.id === seatId);
    if (!seat) throw new DomainError('NOT_FOUND', `没有坐席 ${seatId}`, { seatId });
    if (!this.deps.scope.seesSeat(user, seatId)) throw new DomainError('FORBIDDEN', '该坐席不在您的管辖范围内', { seatId });
    return seat;
  }

  private callInScope(user: SupervisorUser, callId: string): Call {
    return liveCallInScope(this.deps, user, callId);
  }
}

/**
 * The engine's refusals speak to the seat (请先接听或拒接, 请先挂断); a supervisor acting on the
 * seat's card is told what stands in the way and what they can do instead.
 */
function refuseForSupervisor(seat: Seat, status: SupervisorSeatStatus['status']): void {
  const name = seat.profile.name;
  const details = { seatId: seat.profile.id, state: seat.state.kind };
  if (seat.state.kind === 'ringing') {
    throw new DomainError('INVALID_TRANSITION', `坐席 ${name} 有来电正在振铃,请等振铃结束后再操作`, details);
  }
  if (seat.state.kind === 'talking') {
    throw new DomainError(
      'INVALID_TRANSITION',
      status === 'not-ready'
        ? `坐席 ${name} 正在通话,不能置为示忙(通话结束后会先进入话后整理)`
        : `坐席 ${name} 正在通话,不能签出;如需结束这通电话,请用强拆`,
      details,
    );
  }
}

function notReadyForSupervisor(
  engine: SupervisorEngine,
  seat: Seat,
  reason: Extract<SupervisorSeatStatus, { status: 'not-ready' }>['reason'],
): Seat {
  try {
    return engine.setSeatNotReady(seat.profile.id, reason);
  } catch (err) {
    if (err instanceof DomainError && err.details?.reason === 'summary-missing') {
      throw new DomainError(
        'CONFLICT',
        `坐席 ${seat.profile.name} 尚未提交上一通电话的小结,不能置为示忙;可发消息提醒,或将其签出`,
        err.details,
      );
    }
    throw err;
  }
}

/** A call the engine holds that the supervisor's scope sees (its home centre or a seat it reached); else a clear refusal. */
export function liveCallInScope(
  deps: { engine: Pick<AcdQueries, 'getCall'>; scope: Pick<ScopeService, 'seesCall'> },
  user: SupervisorUser,
  callId: string,
): Call {
  const call = deps.engine.getCall(callId);
  if (!call) throw new DomainError('NOT_FOUND', '没有这个来电,可能已经结束', { callId });
  const seatIds = call.events.flatMap((e) => ('seatId' in e ? [e.seatId] : []));
  if (!deps.scope.seesCall(user, { homeCentreId: call.homeCentreId, seatIds })) {
    throw new DomainError('FORBIDDEN', '该来电不在您的管辖范围内', { callId });
  }
  return call;
}
