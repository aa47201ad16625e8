import { maskNumber, type OutboundCallView } from '../../contract/index.js';
import { outboundDurations } from '../../domain/stats/outbound.js';
import type { OutboundCallRow } from './visit-dial-repository.js';

/** What a browser may see of an outbound call record: the callee's number masked, as on the 回访 page. */
export function outboundCallView(r: OutboundCallRow): OutboundCallView {
  const d = outboundDurations(r);
  return {
    id: r.id,
    direction: 'outbound',
    purpose: 'visit',
    taskId: r.taskId,
    seatId: r.seatId,
    calleeMasked: maskNumber(r.callee),
    centreId: r.centreId,
    categoryId: r.categoryId,
    startedAt: r.startedAt,
    answeredAt: r.answeredAt,
    endedAt: r.endedAt,
    result: r.result ?? 'in-progress',
    sipCode: r.sipCode,
    ringMs: d.ringMs,
    talkMs: d.talkMs,
    hungUpBy: r.hungUpBy,
  };
}
