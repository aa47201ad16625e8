import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import type { Acd } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { SessionUser } from '../auth/auth-service.js';
import { dayBounds, localDay } from '../shared/local-day.js';
import { can } from '../../contract/permissions.js';
import { ValidationError } from '../shared/validation.js';
import type { ScopeService } from '../users/scope-service.js';
import type { CallRepository } from './call-repository.js';

/** The seat that answered the call, if one did. */
export const answeringSeat = (call: Call): string | null => {
  for (const e of call.events) if (e.type === 'answered') return e.seatId;
  return null;
};

/** The seat the call rings at, talks with or wraps up at now, if any. */
export const currentSeat = (call: Call): string | null => {
  const st = call.state;
  return st.kind === 'ringing' || st.kind === 'talking' || st.kind === 'wrap-up' ? st.seatId : null;
};

/**
 * Calls and who sees them: staff (calls:read-all) every call; a seat the calls it answered and
 * the call ringing at, talking with or wrapping up at it. Anyone else gets the same 404 whether
 * the call exists or not. A call in progress comes from the engine, an ended one from the store.
 */
export class CallService {
  constructor(
    private readonly engine: Acd,
    private readonly calls: CallRepository,
    private readonly clock: Clock,
    /** Supervisors and managers see the calls of their centres only. */
    private readonly scope?: ScopeService,
  ) {}

  /** Whether staff may see this call under their scope (home centre or a seat of theirs took it). */
  inScope(user: SessionUser, call: Call): boolean {
    return !this.scope || this.scope.seesCall(user, { homeCentreId: call.homeCentreId, seatIds: [answeringSeat(call), currentSeat(call)] });
  }

  /** A filter of calls by the user's scope. */
  scopeFilter(user: SessionUser): (call: Call) => boolean {
    if (!this.scope) return () => true;
    const sees = this.scope.callFilter(user);
    return (call) => sees({ homeCentreId: call.homeCentreId, seatIds: [answeringSeat(call), currentSeat(call)] });
  }

  /** Call records (话单) the user's scope covers, of the calls enqueued in [from, to), newest first. */
  listFor(user: SessionUser, from: number, to: number, limit: number): Call[] {
    const centres = this.scope?.centreList(user) ?? null;
    if (centres === null) return this.calls.listEnqueued(from, to, limit);
    const seatIds = this.engine
      .listSeats()
      .filter((s) => centres.includes(s.profile.centreId))
      .map((s) => s.profile.id);
    return this.calls.listEnqueuedIn(from, to, limit, centres, seatIds);
  }

  /** 小结未填: answered calls that ended without a summary, of one seat or (null) of every seat, newest first. */
  unfiled(seatId: string | null, limit: number): Call[] {
    return this.loadAll(this.calls.unfiled(seatId, limit));
  }

  /** Offset of the local day (the routing configuration's fixed UTC offset). */
  get utcOffsetMinutes(): number {
    return this.engine.config.utcOffsetMinutes;
  }

  today(): string {
    return localDay(this.clock.now(), this.utcOffsetMinutes);
  }

  find(id: string): Call | null {
    return this.engine.getCall(id) ?? this.calls.load(id);
  }

  /** Any call, for staff (in their scope when one is given). */
  get(id: string, viewer?: SessionUser): Call {
    const call = this.find(id);
    if (!call || (viewer && !this.inScope(viewer, call))) throw new DomainError('NOT_FOUND', `没有编号为 ${id} 的来电`);
    return call;
  }

  /** Call records (话单) of the calls enqueued in [from, to), newest first. */
  list(from: number, to: number, limit: number): Call[] {
    return this.calls.listEnqueued(from, to, limit);
  }

  /** The call if this user may see it; otherwise the same 404 whether it exists or not. */
  visibleCall(user: SessionUser, callId: string): Call {
    const call = this.find(callId);
    const seatId = user.seatId;
    const visible =
      call !== null &&
      ((can(user.role, 'calls:read-all') && this.inScope(user, call)) ||
        (seatId !== null && (answeringSeat(call) === seatId || currentSeat(call) === seatId)));
    if (!visible) throw new DomainError('NOT_FOUND', `没有找到编号为 ${callId} 的来电,或您无权查看`);
    return call;
  }

  /** The user's seat when it answered the call; `action` completes the refusal sentence. */
  answeringUserSeat(user: SessionUser, call: Call, action: string): string {
    const seatId = user.seatId;
    if (seatId === null || answeringSeat(call) !== seatId) {
      throw new DomainError('FORBIDDEN', `只有接听本通电话的坐席可以${action}`);
    }
    return seatId;
  }

  /** Whether the user's seat is ringing, talking or wrapping up with the call now. */
  handlingNow(user: SessionUser, call: Call): boolean {
    return user.seatId !== null && currentSeat(call) === user.seatId;
  }

  /** The caller's calls before this one, newest first (at most `limit`), and how many there are. */
  earlierCalls(call: Call, limit: number): { calls: Call[]; total: number } {
    const earlier = this.calls.earlierCalls(call.caller, call.enqueuedAt, call.id, limit);
    return { calls: this.loadAll(earlier.ids), total: earlier.total };
  }

  /** The calls the seat answered on a local day, newest first. */
  answeredOn(seatId: string, day: string): Call[] {
    const bounds = dayBounds(day, this.utcOffsetMinutes);
    if (!bounds) throw new ValidationError({ day: [`没有 ${day} 这一天`] });
    return this.loadAll(this.calls.answeredBy(seatId, bounds.from, bounds.to));
  }

  private loadAll(ids: string[]): Call[] {
    return ids.map((id) => this.find(id)).filter((c): c is Call => c !== null);
  }
}
