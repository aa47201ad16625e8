import type { Call } from '../call.js';
import { DomainError } from '../errors.js';
import type { NotReadyReason, SeatProfile } from '../model.js';
import { SEAT_STATE_LABELS, type Seat } from '../seat.js';
import { refuseWhileRinging, type EngineCore } from './core.js';
import { CONSULT_HOLD_MS, S } from './ports.js';

/**
 * The engine's seat commands (what consoles, phones and the system ask), each run
 * inside one unit of work by the AcdEngine facade.
 */

export function setSeatReady(core: EngineCore, seatId: string): Seat {
  const seat = core.getSeat(seatId);
  if (seat.state.kind === 'ready') return seat;
  if (seat.state.kind === 'wrap-up') {
    core.assertSummaryFiled(seat.state.callId, seatId);
    return core.finishWrapUp(seat);
  }
  refuseWhileRinging(seat);
  core.moveSeat(seat, { kind: 'ready', since: core.clock.now() });
  core.routeSeat(seat);
  return seat;
}

export function setSeatNotReady(core: EngineCore, seatId: string, reason: NotReadyReason): Seat {
  const seat = core.getSeat(seatId);
  const now = core.clock.now();
  if (seat.state.kind === 'wrap-up') {
    core.assertSummaryFiled(seat.state.callId, seatId);
    core.endCallWrapUp(seat, seat.state.callId, now);
  }
  refuseWhileRinging(seat);
  core.moveSeat(seat, { kind: 'not-ready', since: now, reason, autoReadyAt: null });
  return seat;
}

/**
 * Signs the seat off. `bySeat` is the seat's own request, which waits for an unfiled
 * summary like any other way out of wrap-up; the system (a console gone for good) does not.
 */
export function setSeatOffline(core: EngineCore, seatId: string, opts: { bySeat?: boolean }): Seat {
  const seat = core.getSeat(seatId);
  if (seat.state.kind === 'offline') return seat;
  const now = core.clock.now();
  refuseWhileRinging(seat);
  if (seat.state.kind === 'wrap-up') {
    if (opts.bySeat) core.assertSummaryFiled(seat.state.callId, seatId);
    core.endCallWrapUp(seat, seat.state.callId, now);
  }
  core.moveSeat(seat, { kind: 'offline', since: now });
  core.overflowOrphanedCalls({ centreId: seat.profile.centreId, categories: Object.keys(seat.profile.skills) });
  return seat;
}

export function extendWrapUp(core: EngineCore, seatId: string): Seat {
  const seat = core.getSeat(seatId);
  const st = seat.state;
  const wrapUp = core.ix.cfg.wrapUp;
  if (st.kind !== 'wrap-up') {
    throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 不在话后整理中(当前:${SEAT_STATE_LABELS[st.kind]}),无法延长。`, { seatId });
  }
  if (st.extensions >= wrapUp.maxExtensions) {
    throw new DomainError('CONFLICT', `话后整理最多延长 ${wrapUp.maxExtensions} 次,请完成小结或切换为示忙。`, { seatId });
  }
  const until = Math.max(st.until, core.clock.now()) + wrapUp.extendS * S;
  core.moveSeat(seat, { ...st, until, extensions: st.extensions + 1 });
  core.armSeatTimer(seat);
  return seat;
}

/** The seat finished its wrap-up early: it becomes ready. */
export function endWrapUp(core: EngineCore, seatId: string): Seat {
  const seat = core.getSeat(seatId);
  if (seat.state.kind !== 'wrap-up') {
    throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 不在话后整理中(当前:${SEAT_STATE_LABELS[seat.state.kind]})。`, { seatId });
  }
  core.assertSummaryFiled(seat.state.callId, seatId);
  return core.finishWrapUp(seat);
}

/**
 * The seat filed the call's summary. A wrap-up whose time already ran out ends now; one
 * with time left runs on (the seat may still end it early). A summary of a call the engine
 * no longer holds (amended later, filed after a forced sign-off) changes nothing here.
 */
export function summaryFiled(core: EngineCore, callId: string, seatId: string): Call | undefined {
  const call = core.ix.calls.get(callId);
  if (!call) return undefined;
  if (!call.events.some((e) => e.type === 'summary-filed')) {
    call.events.push({ type: 'summary-filed', at: core.clock.now(), seatId });
    core.markCall(call);
  }
  const seat = core.ix.seats.get(seatId);
  if (seat && seat.state.kind === 'wrap-up' && seat.state.callId === callId && seat.state.until <= core.clock.now()) {
    core.finishWrapUp(seat);
  }
  return call;
}

/**
 * Holds a ready seat for a consultation (咨询转接): it gets no queue calls, only the
 * transferred call that names it. It is ready again on release, or by itself after
 * CONSULT_HOLD_MS if the consulting seat never completes nor cancels.
 */
export function reserveForConsult(core: EngineCore, seatId: string): Seat {
  const seat = core.getSeat(seatId);
  const st = seat.state;
  if (st.kind === 'not-ready' && st.reason === 'consult') return seat;
  if (st.kind !== 'ready' || !core.ix.seatUsable(seat)) {
    throw new DomainError('CONFLICT', `坐席 ${seat.profile.name} 当前${SEAT_STATE_LABELS[st.kind]},不能接受咨询转接,请选择就绪的坐席。`, {
      seatId,
      state: st.kind,
    });
  }
  const now = core.clock.now();
  core.moveSeat(seat, { kind: 'not-ready', since: now, reason: 'consult', autoReadyAt: now + CONSULT_HOLD_MS });
  return seat;
}

/** Ends a consultation hold: the seat is ready again (nothing happens if it moved on). */
export function releaseConsult(core: EngineCore, seatId: string): Seat {
  const seat = core.getSeat(seatId);
  const st = seat.state;
  if (st.kind !== 'not-ready' || st.reason !== 'consult') return seat;
  core.moveSeat(seat, { kind: 'ready', since: core.clock.now() });
  core.routeSeat(seat);
  return seat;
}

export function setRegistered(core: EngineCore, seatId: string, registered: boolean): Seat {
  const seat = core.getSeat(seatId);
  if (seat.registered === registered) return seat;
  core.ix.unindexSeat(seat);
  seat.registered = registered;
  core.ix.indexSeat(seat);
  core.uow.markSeat(seat);
  // Unregistering only stops offers: the console is still signed in, and the phone
  // usually comes back (max wait still bounds how long a caller waits).
  if (registered && seat.state.kind === 'ready') core.routeSeat(seat);
  return seat;
}

/** Adds a seat or changes its profile (skills, centre). */
export function upsertSeat(core: EngineCore, profile: SeatProfile): Seat {
  const existing = core.ix.seats.get(profile.id);
  if (!existing) {
    const seat: Seat = { profile, state: { kind: 'offline', since: core.clock.now() }, registered: false, missedAt: [] };
    core.ix.seats.set(profile.id, seat);
    core.uow.markSeat(seat);
    return seat;
  }
  const before = { centreId: existing.profile.centreId, categories: Object.keys(existing.profile.skills) };
  core.ix.unindexSeat(existing);
  existing.profile = profile;
  core.ix.indexSeat(existing);
  core.uow.markSeat(existing);
  if (existing.state.kind === 'ready') core.routeSeat(existing);
  core.overflowOrphanedCalls(before); // a skill taken away may leave calls nobody can take (or no city specialist)
  return existing;
}
