import { callRecord, type CallRecord } from '../call-record.js';
import type { Call } from '../call.js';
import type { OverflowTarget } from '../policy.js';

/**
 * One call as the figures see it (a "fact"): its call record (call-record.ts: wait, talk, hold,
 * result, overflow trigger) plus what the figures need beyond it. Derived only from the call's
 * durable event log, so a fact reads the same live, after a restart and from the store
 * (features/reports keeps finished calls' facts in `call_facts`). No I/O.
 *
 * - wrapUpMs           hung up → `wrap-up-ended`; null until the wrap-up has ended (AHT
 *                      counts only calls whose wrap-up ended).
 * - overflowTarget     the `overflowed` event's target (12345 | callback), else null.
 * - missedBy           seats that let an offer of this call ring out or declined it, one
 *                      entry per missed offer (a seat missing twice is named twice).
 * - transferredFrom    the seat that transferred the caller to this call (the new call of a
 *                      transfer carries a `transferred-in` event), else null.
 * - disposition, major the filed summary's disposition and 重大事项 flag; the figures module
 *                      does not read summaries: the caller of `callFact` fills them in.
 */
export interface CallFact extends CallRecord {
  wrapUpMs: number | null;
  overflowTarget: Exclude<OverflowTarget, 'city'> | null;
  missedBy: string[];
  transferredFrom: string | null;
  disposition: string | null;
  major: boolean;
}

export function callFact(call: Call, now: number, summary?: { disposition: string | null; major: boolean }): CallFact {
  const rec = callRecord(call, now);
  let hungUpAt: number | null = null;
  let wrapEndedAt: number | null = null;
  let overflowTarget: CallFact['overflowTarget'] = null;
  let transferredFrom: string | null = null;
  const missedBy: string[] = [];
  for (const e of call.events) {
    switch (e.type) {
      case 'hung-up':
        if (hungUpAt === null) hungUpAt = e.at;
        break;
      case 'wrap-up-ended':
        if (wrapEndedAt === null) wrapEndedAt = e.at;
        break;
      case 'ring-timeout':
      case 'declined':
        missedBy.push(e.seatId);
        break;
      case 'overflowed':
        overflowTarget = e.target;
        break;
      case 'transferred-in':
        if (transferredFrom === null) transferredFrom = e.fromSeatId;
        break;
      default:
        break;
    }
  }
  const wrapUpMs = rec.answeredAt !== null && wrapEndedAt !== null ? Math.max(0, wrapEndedAt - (hungUpAt ?? wrapEndedAt)) : null;
  return {
    ...rec,
    wrapUpMs,
    overflowTarget,
    missedBy,
    transferredFrom,
    disposition: summary?.disposition ?? null,
    major: summary?.major ?? false,
  };
}
