import type { CallerHistory, CallSummaryView, MyCallsResponse, SummaryDraft } from '../../contract';
import type { AppState, SliceCreator } from '../../app/store-types';

/**
 * Where the current call's draft stands against the server:
 * pending (typed, save not sent yet), saving, saved, offline (kept on this machine, retrying),
 * failed (the server refused the draft; kept on this machine).
 */
export type DraftSync = 'idle' | 'pending' | 'saving' | 'saved' | 'offline' | 'failed';

export interface MajorReportState {
  status: 'idle' | 'sending' | 'sent' | 'failed';
  /** The note last sent to the supervisors, and when. */
  note: string | null;
  at: number | null;
  error: string | null;
}

/** The summary (小结) of the call at this seat, while it is written. */
export interface SummaryWork {
  callId: string;
  /** The server's copy is being read; the form already shows this browser's copy. */
  loading: boolean;
  /** The server's copy could not be read: whether it was filed elsewhere is unknown. */
  loadError: string | null;
  draft: SummaryDraft;
  sync: DraftSync;
  /** `savedAt` of the server's last acknowledged save. */
  savedAt: number | null;
  syncError: string | null;
  /** This browser refused to store the draft (storage full or disabled). */
  localFailed: boolean;
  filed: CallSummaryView | null;
  submitting: boolean;
  /** Set after the first 提交小结: from then on errors follow the typing. */
  attempted: boolean;
  fieldErrors: Record<string, string[]>;
  /** The headline error of the last submit. */
  error: string | null;
  report: MajorReportState;
}

export interface LoadState<T> {
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  data: T | null;
  error: string | null;
}

export interface SummarySlice {
  summaryWork: SummaryWork | null;
  /** The screen pop's caller history, for one call. */
  callerHistory: (LoadState<CallerHistory> & { callId: string }) | null;
  /** 我的来电: the requested day (null: today as the server counts it). */
  myCalls: LoadState<MyCallsResponse> & { day: string | null };

  /** Replaces the work with a fresh one for `callId`. */
  summaryOpened: (work: SummaryWork) => void;
  /** Changes the current work when it is still about `callId` (late answers are dropped). */
  summaryChanged: (callId: string, change: Partial<SummaryWork> | ((w: SummaryWork) => Partial<SummaryWork>)) => void;
  summaryReset: () => void;
  historyChanged: (state: SummarySlice['callerHistory']) => void;
  myCallsChanged: (state: SummarySlice['myCalls']) => void;
  /** A summary filed or amended: every list showing its call shows the new version. */
  summarySaved: (summary: CallSummaryView) => void;
}

export const idleReport: MajorReportState = { status: 'idle', note: null, at: null, error: null };

export function newSummaryWork(callId: string, draft: SummaryDraft): SummaryWork {
  return {
    callId,
    loading: true,
    loadError: null,
    draft,
    sync: 'idle',
    savedAt: null,
    syncError: null,
    localFailed: false,
    filed: null,
    submitting: false,
    attempted: false,
    fieldErrors: {},
    error: null,
    report: idleReport,
  };
}

export const initialSummaryState = {
  summaryWork: null as SummaryWork | null,
  callerHistory: null as SummarySlice['callerHistory'],
  myCalls: { status: 'idle', data: null, error: null, day: null } as SummarySlice['myCalls'],
} satisfies Partial<SummarySlice>;

/** Summaries name callers' matters: the sign-out reset (resetAll) clears them. */
export const createSummarySlice: SliceCreator<SummarySlice> = (set) => {
  return {
    ...initialSummaryState,

    summaryOpened: (work) => set({ summaryWork: work }),

    summaryChanged: (callId, change) =>
      set((s) => {
        const w = s.summaryWork;
        if (!w || w.callId !== callId) return {};
        return { summaryWork: { ...w, ...(typeof change === 'function' ? change(w) : change) } };
      }),

    summaryReset: () => set({ summaryWork: null }),

    historyChanged: (callerHistory) => set({ callerHistory }),

    myCallsChanged: (myCalls) => set({ myCalls }),

    summarySaved: (summary) =>
      set((s) => {
        const patch: Partial<SummarySlice> = {};
        const w = s.summaryWork;
        if (w && w.callId === summary.callId) patch.summaryWork = { ...w, filed: summary };
        const data = s.myCalls.data;
        if (data && data.entries.some((e) => e.record.callId === summary.callId)) {
          patch.myCalls = {
            ...s.myCalls,
            data: { ...data, entries: data.entries.map((e) => (e.record.callId === summary.callId ? { ...e, summary } : e)) },
          };
        }
        return patch;
      }),
  };
};

/** Whether the summary of the call in this wrap-up is filed (the wrap-up gate is open). */
export function summaryFiledFor(work: SummaryWork | null, callId: string | null): boolean {
  return callId !== null && work !== null && work.callId === callId && work.filed !== null;
}

/** The seat's wrap-up gate from the whole state: filed, or not in wrap-up at all. */
export function selectSummaryFiled(s: Pick<AppState, 'seat' | 'summaryWork'>): boolean {
  const st = s.seat?.state;
  if (!st || st.kind !== 'wrap-up') return true;
  return summaryFiledFor(s.summaryWork, st.callId);
}
