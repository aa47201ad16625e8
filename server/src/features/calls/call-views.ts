import { maskNumber, type CallRecordView, type CallSummaryView, type CallView, type CallerHistoryEntry } from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import { callRecord } from '../../domain/call-record.js';

/** What a browser may see of a call: never the full caller number. */
export function callView(call: Call): CallView {
  const st = call.state;
  return {
    id: call.id,
    callerMasked: maskNumber(call.caller),
    categoryId: call.categoryId,
    homeCentreId: call.homeCentreId,
    flags: call.flags,
    priority: call.priority,
    ticket12345: call.ticket12345,
    language: call.language ?? null,
    enqueuedAt: call.enqueuedAt,
    offers: call.offers,
    answeredAt: call.events.find((e) => e.type === 'answered')?.at ?? null,
    transferredFrom: call.transferredFrom ?? null,
    hungUpBy: call.events.find((e) => e.type === 'hung-up')?.by ?? null,
    state: { kind: st.kind, since: st.since, ...('seatId' in st ? { seatId: st.seatId } : {}) },
  };
}

/** A call's record (话单) for supervisors: never the full caller number. */
export function callRecordView(call: Call, now: number): CallRecordView {
  return { ...callRecord(call, now), callerMasked: maskNumber(call.caller) };
}

/** GET /api/calls/:id: the call (caller masked) with its record. */
export function callDetailView(call: Call, now: number) {
  return { ...call, caller: maskNumber(call.caller), record: callRecordView(call, now) };
}

/** Calls with their filed summaries as `viewer` sees them (caller history, my calls). */
export function historyEntries(calls: Call[], summaries: Map<string, CallSummaryView>, now: number): CallerHistoryEntry[] {
  return calls.map((c) => ({ record: callRecordView(c, now), summary: summaries.get(c.id) ?? null }));
}

/** What stands for a confidential (保密) caller's number in lists and exports. */
export const CONFIDENTIAL_CALLER = '保密';

/**
 * A summary as someone other than its author sees it in a list: never the 重大事项 note
 * (riskNote), and of a confidential (保密) call only that it is one.
 */
export function redactedSummary(s: CallSummaryView, viewerSeatId: string | null): CallSummaryView {
  if (viewerSeatId !== null && s.seatId === viewerSeatId) return s;
  if (!s.confidential) return { ...s, riskNote: '' };
  return { ...s, topic: '(来电人要求保密)', question: '', answer: '', referral: '', riskNote: '', knowledgeIds: [], amendable: false };
}

/** History or my-calls entries with others' summaries redacted and confidential callers' numbers withheld. */
export function redactedEntries(entries: CallerHistoryEntry[], viewerSeatId: string | null): CallerHistoryEntry[] {
  return entries.map((e) => {
    const summary = e.summary ? redactedSummary(e.summary, viewerSeatId) : null;
    const record = e.summary?.confidential ? { ...e.record, callerMasked: CONFIDENTIAL_CALLER } : e.record;
    return { record, summary };
  });
}
