import { maskNumber, type CallSummaryView, type MajorAlert, type SummaryState } from '../../contract/index.js';
import type { AlertRecord } from './alert-repository.js';
import type { StoredDraft } from './summary-repository.js';
import type { FiledSummary } from './summary-service.js';

export const summaryView = ({ summary: s, amendable }: FiledSummary): CallSummaryView => ({
  ...s.input,
  callId: s.callId,
  seatId: s.seatId,
  seatName: s.seatName,
  filedAt: s.filedAt,
  updatedAt: s.updatedAt,
  revision: s.revision,
  amendable,
});

export const summaryStateView = (state: { summary: FiledSummary | null; draft: StoredDraft | null }): SummaryState => ({
  summary: state.summary ? summaryView(state.summary) : null,
  draft: state.draft ? { callId: state.draft.callId, draft: state.draft.draft, savedAt: state.draft.savedAt } : null,
});

/** Summary views per call id. */
export const summaryViews = (filed: Map<string, FiledSummary>): Map<string, CallSummaryView> =>
  new Map([...filed].map(([id, f]) => [id, summaryView(f)]));

export function majorAlertView(a: AlertRecord): MajorAlert {
  return {
    id: a.id,
    callId: a.callId,
    seatId: a.seatId,
    seatName: a.seatName,
    categoryId: a.categoryId,
    callerMasked: maskNumber(a.caller),
    note: a.note,
    raisedAt: a.raisedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
  };
}
