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
