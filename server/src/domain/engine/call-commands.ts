import { periodAt } from '../calendar.js';
import type { Call, HangupSide } from '../call.js';
import type { CallerFlag } from '../model.js';
import { DomainError, assertNever } from '../errors.js';
import { DEFAULT_LANGUAGE, normalizeLanguage } from '../../vocabulary/languages.js';
import type { EngineCore } from './core.js';
import { S, type IncomingCall } from './ports.js';
import { canEverBeServed } from './routing.js';

/**
 * The engine's call commands (what telephony reports), each run inside one unit
 * of work by the AcdEngine facade.
 */

export function resolveCategory(core: EngineCore, ivrCode: string | null | undefined): string {
  return (ivrCode && core.ix.categoryByIvr.get(ivrCode)) || core.ix.generalCategoryId();
}

export function resolveHomeCentre(core: EngineCore, trunk: string | null | undefined, dialed: string): string {
  const hc = core.ix.cfg.homeCentre;
  if (trunk && hc.byTrunk[trunk]) return hc.byTrunk[trunk];
  let best: string | null = null;
  for (const prefix of Object.keys(hc.byDialedPrefix)) {
    if (dialed.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  return best !== null ? hc.byDialedPrefix[best]! : hc.defaultCentreId;
}

/**
 * The caller's category and language from the IVR code: a category's own code selects it (in the
 * default language); a code beginning with a language prefix (callerLanguages.byIvrPrefix, longest
 * first) selects that language and the rest of the code the category.
 */
export function resolveIvr(core: EngineCore, ivrCode: string | null | undefined): { categoryId: string; language: string | null } {
  const code = ivrCode ?? '';
  if (code && core.ix.categoryByIvr.has(code)) return { categoryId: core.ix.categoryByIvr.get(code)!, language: null };
  let best: string | null = null;
  for (const prefix of Object.keys(core.ix.cfg.callerLanguages.byIvrPrefix)) {
    if (code.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  if (best === null) return { categoryId: resolveCategory(core, code), language: null };
  return { categoryId: resolveCategory(core, code.slice(best.length)), language: core.ix.cfg.callerLanguages.byIvrPrefix[best]! };
}

export function priorityOf(core: EngineCore, flags: readonly CallerFlag[]): number {
  let p = 0;
  for (const f of flags) p = Math.max(p, core.ix.cfg.flagPriorities[f] ?? 0);
  return p;
}

/** A call arrives for 12348. Returns the call as it stands after routing. */
export function offerCall(core: EngineCore, input: IncomingCall): Call {
  const { ix } = core;
  const cfg = ix.cfg;
  const now = core.clock.now();
  const ivr = resolveIvr(core, input.ivrCode);
  const categoryId = input.categoryId && ix.categoryIds.has(input.categoryId) ? input.categoryId : ivr.categoryId;
  const spoken = normalizeLanguage(input.language) ?? ivr.language;
  const language = spoken && spoken !== DEFAULT_LANGUAGE ? spoken : null;
  const flags = [...new Set(input.flags ?? [])];
  const priority = input.priority ?? priorityOf(core, flags);
  const homeCentreId = resolveHomeCentre(core, input.trunk, input.dialed);
  const call: Call = {
    id: input.id,
    caller: input.caller,
    dialed: input.dialed,
    trunk: input.trunk ?? null,
    categoryId,
    homeCentreId,
    flags,
    priority,
    ticket12345: input.ticket12345 ?? null,
    language,
    enqueuedAt: now,
    offers: 0,
    maxOffers: Math.min(cfg.maxOfferAttempts, input.offerBudget ?? Infinity),
    sharedToCity: false,
    excludedSeats: [],
    state: { kind: 'queued', since: now },
    events: [{ type: 'enqueued', at: now, priority, categoryId, centreId: homeCentreId, ...(language ? { language } : {}) }],
  };
  if (input.transfer) {
    const { fromCallId, fromSeatId, targetSeatId } = input.transfer;
    call.transferredFrom = { callId: fromCallId, seatId: fromSeatId, seatName: ix.seats.get(fromSeatId)?.profile.name ?? fromSeatId };
    call.events.push({ type: 'transferred-in', at: now, fromCallId, fromSeatId, targetSeatId });
    const target = targetSeatId ? ix.seats.get(targetSeatId) : undefined;
    if (target && target.state.kind !== 'offline') call.target = { seatId: target.profile.id, until: now + cfg.ringTimeoutS * S };
    else if (targetSeatId) call.events.push({ type: 'transfer-fallback', at: now, seatId: targetSeatId });
  }
  ix.calls.set(call.id, call);
  core.markCall(call);
  // Outside service hours: overflow; when no configured target applies, the call queues as usual.
  if (!periodAt(cfg.serviceCalendar, now, cfg.utcOffsetMinutes) && core.overflowCall(call, 'after-hours')) {
    return call;
  }
  ix.addToQueue(call);
  if (call.maxOffers <= 0 && core.overflowCall(call, 'offers-exhausted')) return call;
  if (!canEverBeServed(ix, call) && core.overflowCall(call, 'no-seat')) return call;
  if (!core.routeCall(call)) core.armCallTimer(call);
  return call;
}

/** The seat answered (telephony saw the 200 OK). */
export function answered(core: EngineCore, callId: string, seatId: string): Call {
  const call = core.activeCall(callId);
  if (call.state.kind !== 'ringing' || call.state.seatId !== seatId) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `Call ${callId} is not ringing at seat ${seatId} (it is ${call.state.kind}); the answer came too late.`,
      { callId, seatId, state: call.state.kind },
    );
  }
  const now = core.clock.now();
  core.timers.clearRing(callId);
  core.timers.clearCall(callId);
  core.ix.removeFromQueue(call);
  core.moveCall(call, { kind: 'talking', since: now, seatId });
  call.events.push({ type: 'answered', at: now, seatId });
  core.moveSeat(core.getSeat(seatId), { kind: 'talking', since: now, callId });
  return call;
}

/** The seat let the offer ring out (telephony's timer) or the engine's own timer fired. */
export function ringTimeout(core: EngineCore, callId: string, seatId: string, attempt?: number): Call | undefined {
  return endRing(core, callId, seatId, attempt, true);
}

/**
 * A ring whose end nobody saw: a restarted router finds the call ringing in its store while
 * Kamailio holds it waiting (the ring command died with the router, or the ring ended while
 * the link was down). Nothing says the lawyer let it ring: the seat is ready again, not
 * counted as missing the offer; the call goes back to the queue as after a ring-out.
 */
export function ringLost(core: EngineCore, callId: string, seatId: string): Call | undefined {
  return endRing(core, callId, seatId, undefined, false);
}

function endRing(core: EngineCore, callId: string, seatId: string, attempt: number | undefined, missed: boolean): Call | undefined {
  const call = core.ix.calls.get(callId);
  if (!call || call.state.kind !== 'ringing' || call.state.seatId !== seatId) return call; // stale
  if (attempt !== undefined && call.state.attempt !== attempt) return call; // stale
  const now = core.clock.now();
  call.events.push({ type: 'ring-timeout', at: now, seatId, attempt: call.state.attempt });
  core.uow.send({ kind: 'cancel-ring', call, seatId });
  const seat = core.getSeat(seatId);
  if (missed) core.missedOffer(seat, now);
  else core.moveSeat(seat, { kind: 'ready', since: now });
  core.requeueAfterFailedOffer(call, seatId);
  if (!missed) core.routeSeat(seat); // the seat is free for other waiting calls
  return call;
}

/** The seat declined the offer: the call goes back to the queue keeping its place. */
export function declined(core: EngineCore, callId: string, seatId: string): Call {
  const call = core.activeCall(callId);
  if (call.state.kind !== 'ringing' || call.state.seatId !== seatId) {
    throw new DomainError('INVALID_TRANSITION', `Call ${callId} is not ringing at seat ${seatId}; nothing to decline.`, {
      callId,
      seatId,
    });
  }
  const now = core.clock.now();
  call.events.push({ type: 'declined', at: now, seatId, attempt: call.state.attempt });
  core.uow.send({ kind: 'cancel-ring', call, seatId });
  const seat = core.getSeat(seatId);
  core.moveSeat(seat, { kind: 'ready', since: now });
  core.requeueAfterFailedOffer(call, seatId);
  core.routeSeat(seat); // the seat is free for other waiting calls
  return call;
}

/** Either side hung up, or the caller gave up waiting. */
export function hangup(core: EngineCore, callId: string, by: HangupSide): Call {
  const call = core.activeCall(callId);
  const now = core.clock.now();
  const st = call.state;
  switch (st.kind) {
    case 'queued':
      core.abandon(call, 'queue', now);
      break;
    case 'ringing': {
      core.abandon(call, 'ringing', now);
      const seat = core.getSeat(st.seatId);
      core.uow.send({ kind: 'cancel-ring', call, seatId: st.seatId });
      // The seat keeps its place among idle seats: the call was not its fault.
      const idleSince = seat.state.kind === 'ringing' ? seat.state.idleSince : now;
      core.moveSeat(seat, { kind: 'ready', since: idleSince });
      core.routeSeat(seat);
      break;
    }
    case 'talking': {
      call.events.push({ type: 'hung-up', at: now, by });
      core.moveCall(call, { kind: 'wrap-up', since: now, seatId: st.seatId, hungUpBy: by });
      core.startWrapUp(core.getSeat(st.seatId), call, now);
      break;
    }
    case 'wrap-up':
    case 'ended':
    case 'abandoned':
    case 'overflowed':
    case 'timed-out':
      throw new DomainError('INVALID_TRANSITION', `Call ${callId} has already been hung up (${st.kind}).`, { callId });
    default:
      assertNever(st, 'call state');
  }
  return call;
}

/** Telephony gave up on a queued call (its own queue timer or branch budget). */
export function timedOut(core: EngineCore, callId: string): Call {
  const call = core.activeCall(callId);
  const now = core.clock.now();
  if (call.state.kind === 'ringing') core.releaseRingingSeat(call, now);
  core.leaveQueue(call, { kind: 'timed-out', since: now });
  call.events.push({ type: 'timed-out', at: now });
  return call;
}

/** The call in progress was put on hold or resumed. */
export function talkingEvent(core: EngineCore, callId: string, type: 'held' | 'resumed'): Call {
  const call = core.activeCall(callId);
  if (call.state.kind !== 'talking') {
    throw new DomainError(
      'INVALID_TRANSITION',
      `Call ${callId} is ${call.state.kind}; only a call in progress can be put on hold or resumed.`,
      { callId },
    );
  }
  call.events.push({ type, at: core.clock.now() });
  core.markCall(call);
  return call;
}
