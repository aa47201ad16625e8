import type { CallResult } from '../vocabulary/call-results.js';
import type { Call, HangupSide } from './call.js';
import type { OverflowTrigger } from './policy.js';

/**
 * The call record (话单) of one call, derived only from its durable event log
 * (Call.events) and its snapshot, so it reads the same live, after a restart and
 * from the store. No I/O. The time terms are those of kpi.ts, applied to one call:
 *
 * - enqueuedAt    the call's first `enqueued` event (its place in line; re-offers
 *                 do not reset it).
 * - answeredAt    the `answered` event, or null; seatId is the seat that answered
 *                 (null when no seat did: a seat that only rang is not the seat).
 * - endedAt       when the caller left the hotline: `hung-up` (either side) of an
 *                 answered call, or `abandoned`, `overflowed`, `timed-out`. Null
 *                 while the call is in progress. Wrap-up is seat work after the
 *                 call and does not move endedAt.
 * - waitMs        kpi.ts "wait": enqueuedAt → answeredAt for an answered call;
 *                 enqueuedAt → endedAt for a call that left unanswered; for a call
 *                 still waiting (queued or ringing), enqueuedAt → `now`.
 * - holdMs        sum of `held` → `resumed` intervals; a hold still open at
 *                 hang-up ends there, one still open on a talking call ends at
 *                 `now`. A second `held` while on hold is ignored (as in kpi.ts).
 *                 holds = the number of such intervals.
 * - talkMs        kpi.ts "talk": answeredAt → hang-up − holdMs; for a call still
 *                 talking, answeredAt → `now` − holdMs. 0 when never answered.
 *                 AHT's talk + hold of this call = talkMs + holdMs.
 * - hungUpBy      who ended the call: the `hung-up` event's side for an answered
 *                 call; 'caller' for an abandoned call (an abandon is the caller
 *                 hanging up, in the queue or while ringing); 'system' for a call
 *                 timed out by telephony; null for an overflowed call (it was
 *                 transferred, not hung up) and while the call is in progress.
 * - result        what became of the call, from the last state-ending event:
 *                   answered                 answered and hung up (in wrap-up or ended)
 *                   abandoned-in-queue       `abandoned` where=queue
 *                   abandoned-while-ringing  `abandoned` where=ringing
 *                   overflowed-12345         `overflowed` to 12345
 *                   callback                 `overflowed` to a callback request
 *                   timed-out                `timed-out`
 *                   in-progress              none yet (queued, ringing, talking):
 *                                            result is in-progress exactly when
 *                                            endedAt is null.
 *                 Short abandons (kpi.ts: wait ≤ shortAbandonS) are still
 *                 abandoned here; the KPI summary is what leaves them out.
 *                 An after-hours overflow has result overflowed-12345 or callback
 *                 and overflowTrigger 'after-hours' (kpi.ts counts it apart).
 * - offers        offers made (`offered` events, re-offers included).
 * - overflowTrigger the `overflowed` event's trigger, else null (sharing a county
 *                 call with the city is not an overflow).
 */

export { CALL_RESULTS, type CallResult } from '../vocabulary/call-results.js';

export interface CallRecord {
  callId: string;
  categoryId: string;
  homeCentreId: string;
  /** The seat that answered, or null. */
  seatId: string | null;
  enqueuedAt: number;
  answeredAt: number | null;
  /** Hang-up, abandon, overflow or time-out time; null while in progress. */
  endedAt: number | null;
  waitMs: number;
  talkMs: number;
  holdMs: number;
  holds: number;
  hungUpBy: HangupSide | null;
  result: CallResult;
  offers: number;
  overflowTrigger: OverflowTrigger | null;
}

/** The record of one call; `now` closes the open intervals of a call still in progress. */
export function callRecord(call: Call, now: number): CallRecord {
  let enqueuedAt: number | null = null;
  let answeredAt: number | null = null;
  let seatId: string | null = null;
  let hungUpAt: number | null = null;
  let hungUpBy: HangupSide | null = null;
  let heldAt: number | null = null;
  let holdMs = 0;
  let holds = 0;
  let offers = 0;
  let ended: { at: number; result: Exclude<CallResult, 'in-progress' | 'answered'> } | null = null;
  let overflowTrigger: OverflowTrigger | null = null;

  for (const e of call.events) {
    switch (e.type) {
      case 'enqueued':
        if (enqueuedAt === null) enqueuedAt = e.at;
        break;
      case 'offered':
        offers++;
        break;
      case 'answered':
        if (answeredAt === null) {
          answeredAt = e.at;
          seatId = e.seatId;
        }
        break;
      case 'held':
        if (heldAt === null && answeredAt !== null && hungUpAt === null) {
          heldAt = e.at;
          holds++;
        }
        break;
      case 'resumed':
        if (heldAt !== null) holdMs += e.at - heldAt;
        heldAt = null;
        break;
      case 'hung-up':
        if (hungUpAt !== null) break;
        if (heldAt !== null) holdMs += e.at - heldAt;
        heldAt = null;
        hungUpAt = e.at;
        hungUpBy = e.by;
        break;
      case 'abandoned':
        ended = { at: e.at, result: e.where === 'queue' ? 'abandoned-in-queue' : 'abandoned-while-ringing' };
        hungUpBy = 'caller';
        break;
      case 'overflowed':
        ended = { at: e.at, result: e.target === '12345' ? 'overflowed-12345' : 'callback' };
        overflowTrigger = e.trigger;
        break;
      case 'timed-out':
        ended = { at: e.at, result: 'timed-out' };
        hungUpBy = 'system';
        break;
      default:
        break;
    }
  }

  const start = enqueuedAt ?? call.enqueuedAt;
  const talking = answeredAt !== null && hungUpAt === null;
  if (talking && heldAt !== null) holdMs += Math.max(0, now - heldAt);

  let endedAt: number | null;
  let result: CallResult;
  if (answeredAt !== null) {
    endedAt = hungUpAt;
    result = hungUpAt === null ? 'in-progress' : 'answered';
  } else if (ended) {
    endedAt = ended.at;
    result = ended.result;
  } else {
    endedAt = null;
    result = 'in-progress';
  }

  const waitEnd = answeredAt ?? endedAt ?? now;
  const talkEnd = answeredAt === null ? null : (hungUpAt ?? now);
  return {
    callId: call.id,
    categoryId: call.categoryId,
    homeCentreId: call.homeCentreId,
    seatId,
    enqueuedAt: start,
    answeredAt,
    endedAt,
    waitMs: Math.max(0, waitEnd - start),
    talkMs: answeredAt === null || talkEnd === null ? 0 : Math.max(0, talkEnd - answeredAt - holdMs),
    holdMs,
    holds,
    hungUpBy,
    result,
    offers,
    overflowTrigger,
  };
}
