import type { Api } from '../../shared/api';
import type { Ack, ApiError, CallSummaryView, KnowledgeEntry, SummaryDraft } from '../../contract';
import { errorMessage, NETWORK_ERROR, TIMEOUT_ERROR } from '../../shared/errors';
import type { AppStore } from '../../app/store';
import { callIdOf } from '../workbench/slice';
import { idleReport, newSummaryWork, type SummaryWork } from './slice';
import { mergeDrafts } from './merge';
import type { DraftStore, LocalDraftRecord } from './storage';
import { checkSummary, insertKnowledge, summaryToDraft, type FieldErrors } from './validate';

export type SummaryApi = Pick<
  Api,
  'summaryState' | 'saveSummaryDraft' | 'fileSummary' | 'amendSummary' | 'callerHistory' | 'myCalls' | 'reportMajor'
>;

export interface SummaryControllerDeps {
  api: SummaryApi;
  store: AppStore;
  drafts: DraftStore;
  /** The browser's clock; the server's is this plus the store's measured offset. */
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Quiet time after the last keystroke before the draft goes to the server. */
  debounceMs?: number;
  /** Wait before trying again after the server could not be reached. */
  retryMs?: number;
}

export type SaveResult = { ok: true; summary: CallSummaryView } | { ok: false; fields: FieldErrors; message: string | null };

export interface SummaryController {
  /** Starts (or resumes) the summary of `callId`: this browser's copy at once, the server's merged in. */
  open: (callId: string) => Promise<void>;
  /** The seat typed: stored on this machine now, sent to the server after a pause. */
  edit: (patch: Partial<SummaryDraft>) => void;
  /** 插入: a knowledge entry's answer and legal basis appended to 解答内容. */
  insertKnowledge: (entry: KnowledgeEntry) => void;
  /** Sends what the server lacks now (blur, hidden page, closing page with `keepalive`). */
  flushAll: (opts?: { keepalive?: boolean }) => Promise<void>;
  /** 提交小结: validates with the contract's rules, then files. True when filed. */
  submit: () => Promise<boolean>;
  /** 重大事项上报 now, not at filing. `auto` (leaving the note field) sends only a first report. */
  reportMajor: (opts?: { auto?: boolean }) => Promise<void>;
  loadHistory: (callId: string, opts?: { force?: boolean }) => Promise<void>;
  /** `day` YYYY-MM-DD, or null for the server's today. */
  loadMyCalls: (day: string | null) => Promise<void>;
  /** 修改 a filed summary (author, same day). */
  amend: (callId: string, draft: SummaryDraft) => Promise<SaveResult>;
  /** 补写: files the summary of an earlier call of this seat that has none. */
  fileLate: (callId: string, draft: SummaryDraft) => Promise<SaveResult>;
  /** This browser's copy of a call's draft (补写 starts from it). */
  localDraft: (callId: string) => SummaryDraft | null;
  /** Before signing out: drops local copies the server already holds (privacy on shared PCs). */
  releaseSynced: () => void;
  /**
   * A push: a summary of this seat was filed or amended (in this tab, another tab or on another
   * computer). The form shows it filed, this browser's copy of the draft goes, 我的来电 updates.
   */
  filedElsewhere: (summary: CallSummaryView) => void;
  /** Follows the seat's calls in the store: history on ringing, the summary on answer. */
  attach: () => () => void;
}

const OFFLINE_MESSAGES = new Set([NETWORK_ERROR.message, TIMEOUT_ERROR.message]);
/** Errors worth retrying by themselves: the network, a timeout, a server restarting, a full disk. */
const retryable = (e: ApiError) =>
  e.code === 'INTERNAL' || e.code === 'UNAVAILABLE' || e.code === 'RATE_LIMITED' || e.code === 'STORAGE_FULL';
const isOffline = (e: ApiError) => OFFLINE_MESSAGES.has(e.message) || e.message.startsWith('与服务器的连接已断开');

interface Syncer {
  timer: unknown;
  inFlight: Promise<void> | null;
  /** Numbers the saves sent, so only the newest one clears `inFlight`. */
  seq: number;
  again: boolean;
}

export function createSummaryController(deps: SummaryControllerDeps): SummaryController {
  const { api, store, drafts } = deps;
  const localNow = deps.now ?? Date.now;
  const later = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const cancel = deps.clearTimeout ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const debounceMs = deps.debounceMs ?? 600;
  const retryMs = deps.retryMs ?? 5_000;

  const st = () => store.getState();
  const serverNow = () => localNow() + st().clockOffsetMs;
  const owner = () => st().user?.username ?? null;
  const work = (callId: string): SummaryWork | null => {
    const w = st().summaryWork;
    return w && w.callId === callId ? w : null;
  };
  const setWork = (callId: string, change: Partial<SummaryWork> | ((w: SummaryWork) => Partial<SummaryWork>)) =>
    st().summaryChanged(callId, change);

  /** Local records by call: the source of what to send, mirrored to localStorage on every change. */
  const records = new Map<string, LocalDraftRecord>();
  const syncers = new Map<string, Syncer>();
  let loadTimer: unknown = null;

  function record(callId: string): LocalDraftRecord | null {
    const known = records.get(callId);
    if (known) return known;
    const who = owner();
    const stored = who ? drafts.read(who, callId) : null;
    if (stored) records.set(callId, stored);
    return stored;
  }

  /** Keeps the record in memory and on this machine; false when the browser refused it. */
  function saveRecord(r: LocalDraftRecord): boolean {
    records.set(r.callId, r);
    const who = owner();
    return who ? drafts.write(who, r) : false;
  }

  function forget(callId: string): void {
    records.delete(callId);
    const sy = syncers.get(callId);
    if (sy) cancel(sy.timer);
    syncers.delete(callId);
    const who = owner();
    if (who) drafts.remove(who, callId);
  }

  function syncer(callId: string): Syncer {
    let sy = syncers.get(callId);
    if (!sy) syncers.set(callId, (sy = { timer: null, inFlight: null, seq: 0, again: false }));
    return sy;
  }

  function schedule(callId: string, ms: number): void {
    const sy = syncer(callId);
    cancel(sy.timer);
    sy.timer = later(() => {
      sy.timer = null;
      void push(callId);
    }, ms);
  }

  /** Sends the local copy of `callId` when the server lacks it; one save in flight per call. */
  async function push(callId: string, opts: { keepalive?: boolean } = {}): Promise<void> {
    const sy = syncer(callId);
    cancel(sy.timer);
    sy.timer = null;
    const rec = records.get(callId);
    if (!rec || !rec.dirty || work(callId)?.filed || work(callId)?.submitting) return;
    // A closing page sends regardless: the save in flight dies with the page.
    if (sy.inFlight && !opts.keepalive) {
      sy.again = true;
      return sy.inFlight;
    }
    const sentEditedAt = rec.editedAt;
    saveRecord({ ...rec, sentEditedAt });
    setWork(callId, { sync: 'saving' });
    const seq = ++sy.seq;
    const run: Promise<void> = (async () => {
      const ack = await api.saveSummaryDraft(callId, rec.draft, opts.keepalive ? { keepalive: true } : undefined);
      if (sy.seq === seq) sy.inFlight = null;
      const cur = records.get(callId);
      if (!cur) return; // filed (and forgotten) meanwhile
      if (ack.ok) {
        const dirty = cur.editedAt > sentEditedAt;
        saveRecord({
          ...cur,
          dirty,
          serverSavedAt: Math.max(cur.serverSavedAt ?? 0, ack.data.savedAt),
          sentEditedAt: dirty ? cur.sentEditedAt : null,
        });
        setWork(callId, { sync: dirty ? 'pending' : 'saved', savedAt: ack.data.savedAt, syncError: null });
        if (dirty || sy.again) {
          sy.again = false;
          schedule(callId, dirty ? debounceMs : 0);
        }
        return;
      }
      sy.again = false;
      const error = ack.error;
      if (error.code === 'UNAUTHENTICATED') {
        setWork(callId, { sync: 'failed', syncError: errorMessage(error) });
      } else if (error.code === 'CONFLICT') {
        // Most likely filed meanwhile (another tab): the server's state decides.
        setWork(callId, { sync: 'failed', syncError: errorMessage(error) });
        if (work(callId)) void load(callId);
      } else if (retryable(error)) {
        setWork(callId, { sync: 'offline', syncError: isOffline(error) ? null : errorMessage(error) });
        schedule(callId, retryMs);
      } else {
        setWork(callId, { sync: 'failed', syncError: errorMessage(error) });
      }
    })();
    sy.inFlight = run;
    return run;
  }

  /** Reads the server's state of the current call and merges it with this browser's copy. */
  async function load(callId: string): Promise<void> {
    cancel(loadTimer);
    loadTimer = null;
    const ack = await api.summaryState(callId);
    const w = work(callId);
    if (!w) return;
    if (!ack.ok) {
      if (ack.error.code === 'UNAUTHENTICATED') return st().signedOut(errorMessage(ack.error));
      setWork(callId, { loading: false, loadError: errorMessage(ack.error) });
      if (retryable(ack.error)) loadTimer = later(() => void (work(callId) && load(callId)), retryMs);
      return;
    }
    const { summary, draft } = ack.data;
    if (summary) {
      forget(callId);
      setWork(callId, { loading: false, loadError: null, filed: summary, draft: summaryToDraft(summary), sync: 'idle', syncError: null });
      return;
    }
    const local = record(callId);
    const merged = mergeDrafts(local, draft);
    if (merged.source === 'server' && draft) {
      saveRecord({
        v: 1,
        callId,
        draft: draft.draft,
        editedAt: draft.savedAt,
        dirty: false,
        serverSavedAt: draft.savedAt,
        sentEditedAt: null,
        reported: local?.reported ?? null,
      });
    }
    const shown = withPreset(callId, merged.draft);
    setWork(callId, (cur) => ({
      loading: false,
      loadError: null,
      draft: shown,
      savedAt: draft?.savedAt ?? cur.savedAt,
      sync: merged.needsPush && local?.dirty ? 'pending' : draft ? 'saved' : cur.sync === 'pending' ? 'pending' : 'idle',
      fieldErrors: cur.attempted ? errorsOf(shown) : cur.fieldErrors,
    }));
    if (merged.needsPush && local?.dirty) void push(callId);
  }

  /** The call's IVR category as the default 咨询类别, when the draft names none. */
  function withPreset(callId: string, draft: SummaryDraft): SummaryDraft {
    if (draft.categoryId) return draft;
    const call = st().call;
    return call && call.id === callId ? { ...draft, categoryId: call.categoryId } : draft;
  }

  function errorsOf(draft: SummaryDraft): FieldErrors {
    const check = checkSummary(draft, serverNow());
    return check.ok ? {} : check.fields;
  }

  function fieldErrorsAfterEdit(w: SummaryWork, draft: SummaryDraft, patch: Partial<SummaryDraft>): FieldErrors {
    if (w.attempted) return errorsOf(draft);
    // Before a first submit, only the server's errors of untouched fields stay.
    const next = { ...w.fieldErrors };
    for (const k of Object.keys(patch)) delete next[k];
    return next;
  }

  function edit(patch: Partial<SummaryDraft>): void {
    const w = st().summaryWork;
    if (!w || w.filed || w.submitting) return;
    const callId = w.callId;
    const draft: SummaryDraft = { ...w.draft, ...patch };
    const prev = record(callId);
    const editedAt = Math.max(serverNow(), (prev?.editedAt ?? 0) + 1);
    const stored = saveRecord({
      v: 1,
      callId,
      draft,
      editedAt,
      dirty: true,
      serverSavedAt: prev?.serverSavedAt ?? null,
      sentEditedAt: prev?.sentEditedAt ?? null,
      reported: prev?.reported ?? null,
    });
    const fieldErrors = fieldErrorsAfterEdit(w, draft, patch);
    setWork(callId, {
      draft,
      localFailed: !stored,
      fieldErrors,
      error: Object.keys(fieldErrors).length === 0 ? null : w.error,
      sync: syncer(callId).inFlight ? 'saving' : 'pending',
    });
    schedule(callId, debounceMs);
  }

  async function open(callId: string): Promise<void> {
    const current = st().summaryWork;
    if (current?.callId === callId) return;
    if (current) void push(current.callId);
    const local = record(callId);
    const w = newSummaryWork(callId, withPreset(callId, local?.draft ?? {}));
    if (local?.reported) w.report = { ...idleReport, status: 'sent', note: local.reported.note, at: local.reported.at };
    if (local?.dirty) w.sync = 'pending';
    st().summaryOpened(w);
    await load(callId);
  }

  async function submit(): Promise<boolean> {
    const w = st().summaryWork;
    if (!w || w.filed || w.submitting) return false;
    const callId = w.callId;
    const check = checkSummary(w.draft, serverNow());
    if (!check.ok) {
      setWork(callId, { attempted: true, fieldErrors: check.fields, error: '小结还不完整,请按标红的提示补全后再提交' });
      return false;
    }
    cancel(syncer(callId).timer);
    setWork(callId, { submitting: true, attempted: true, fieldErrors: {}, error: null });
    const ack = await api.fileSummary(callId, check.input);
    if (!work(callId)) return ack.ok;
    if (ack.ok) {
      forget(callId);
      setWork(callId, { submitting: false, filed: ack.data, draft: summaryToDraft(ack.data), sync: 'idle', syncError: null, error: null });
      st().summarySaved(ack.data);
      return true;
    }
    const error = ack.error;
    setWork(callId, { submitting: false });
    if (error.code === 'UNAUTHENTICATED') {
      st().signedOut(errorMessage(error));
      return false;
    }
    if (error.code === 'VALIDATION') {
      const fields = error.fields ?? {};
      const hasFields = Object.values(fields).some((l) => l.length > 0);
      setWork(callId, { fieldErrors: fields, error: hasFields ? '服务器未接受这份小结,请按标红的提示修改' : errorMessage(error) });
    } else {
      setWork(callId, { error: `提交失败:${errorMessage(error)}。小结已保存在本机,可稍后重试` });
      // Filed meanwhile elsewhere? The server's state decides what the form shows.
      if (error.code === 'CONFLICT') void load(callId);
    }
    if (records.get(callId)?.dirty) schedule(callId, debounceMs);
    return false;
  }

  async function reportMajor(opts: { auto?: boolean } = {}): Promise<void> {
    const w = st().summaryWork;
    if (!w || w.filed) return;
    const callId = w.callId;
    const note = (w.draft.riskNote ?? '').trim();
    if (w.report.status === 'sending') return;
    if (opts.auto && (w.report.status === 'sent' || !note)) return;
    if (!note) {
      setWork(callId, (cur) => ({ fieldErrors: { ...cur.fieldErrors, riskNote: ['请填写上报说明'] } }));
      return;
    }
    if (w.report.status === 'sent' && w.report.note === note) return;
    setWork(callId, (cur) => ({ report: { ...cur.report, status: 'sending', error: null } }));
    const ack = await api.reportMajor(callId, note);
    if (ack.ok) {
      const reported = { note, at: ack.data.raisedAt };
      const r = record(callId);
      if (r) saveRecord({ ...r, reported });
      setWork(callId, { report: { status: 'sent', note, at: reported.at, error: null } });
    } else {
      if (ack.error.code === 'UNAUTHENTICATED') return st().signedOut(errorMessage(ack.error));
      setWork(callId, (cur) => ({
        report: { ...cur.report, status: cur.report.note ? 'sent' : 'failed', error: errorMessage(ack.error) },
      }));
    }
  }

  async function loadHistory(callId: string, opts: { force?: boolean } = {}): Promise<void> {
    const h = st().callerHistory;
    if (!opts.force && h?.callId === callId && h.status !== 'failed') return;
    st().historyChanged({ callId, status: 'loading', data: h?.callId === callId ? h.data : null, error: null });
    const ack = await api.callerHistory(callId, 10);
    if (st().callerHistory?.callId !== callId) return;
    st().historyChanged(
      ack.ok
        ? { callId, status: 'loaded', data: ack.data, error: null }
        : { callId, status: 'failed', data: null, error: errorMessage(ack.error) },
    );
  }

  async function loadMyCalls(day: string | null): Promise<void> {
    const prev = st().myCalls;
    st().myCallsChanged({ day, status: 'loading', data: prev.day === day ? prev.data : null, error: null });
    const ack = await api.myCalls(day ?? undefined);
    if (st().myCalls.day !== day) return;
    if (!ack.ok && ack.error.code === 'UNAUTHENTICATED') return st().signedOut(errorMessage(ack.error));
    st().myCallsChanged(
      ack.ok
        ? { day, status: 'loaded', data: ack.data, error: null }
        : { day, status: 'failed', data: prev.day === day ? prev.data : null, error: errorMessage(ack.error) },
    );
  }

  async function save(
    callId: string,
    draft: SummaryDraft,
    send: (input: Parameters<SummaryApi['fileSummary']>[1]) => Promise<Ack<CallSummaryView>>,
  ): Promise<SaveResult> {
    const check = checkSummary(draft, serverNow());
    if (!check.ok) return { ok: false, fields: check.fields, message: '请按标红的提示修改后再保存' };
    const ack = await send(check.input);
    if (ack.ok) {
      st().summarySaved(ack.data);
      return { ok: true, summary: ack.data };
    }
    if (ack.error.code === 'UNAUTHENTICATED') st().signedOut(errorMessage(ack.error));
    const fields = ack.error.code === 'VALIDATION' ? (ack.error.fields ?? {}) : {};
    return { ok: false, fields, message: errorMessage(ack.error) };
  }

  function flushAll(opts: { keepalive?: boolean } = {}): Promise<void> {
    const dirty = [...records.values()].filter((r) => r.dirty).map((r) => push(r.callId, opts));
    return Promise.all(dirty).then(() => undefined);
  }

  function reset(): void {
    for (const sy of syncers.values()) cancel(sy.timer);
    syncers.clear();
    records.clear();
    cancel(loadTimer);
    loadTimer = null;
  }

  return {
    open,
    edit,
    insertKnowledge: (entry) => {
      const w = st().summaryWork;
      if (w && !w.filed) edit(insertKnowledge(w.draft, entry));
    },
    flushAll,
    submit,
    reportMajor,
    loadHistory,
    loadMyCalls,
    amend: (callId, draft) => save(callId, draft, (input) => api.amendSummary(callId, input)),
    fileLate: async (callId, draft) => {
      const result = await save(callId, draft, (input) => api.fileSummary(callId, input));
      if (result.ok) forget(callId);
      return result;
    },
    localDraft: (callId) => record(callId)?.draft ?? null,
    filedElsewhere: (summary) => {
      const callId = summary.callId;
      forget(callId);
      const w = work(callId);
      if (w)
        setWork(callId, { filed: summary, draft: summaryToDraft(summary), sync: 'idle', syncError: null, error: null, fieldErrors: {} });
      st().summarySaved(summary);
    },
    releaseSynced: () => {
      const who = owner();
      if (!who) return;
      for (const r of drafts.list(who)) if (!r.dirty) drafts.remove(who, r.callId);
    },
    attach: () =>
      store.subscribe((s, prev) => {
        if (!s.user) {
          if (prev.user) reset();
          return;
        }
        const seatState = s.seat?.state;
        const callId = seatState ? callIdOf(seatState) : null;
        if (seatState && callId) {
          if (s.callerHistory?.callId !== callId) void loadHistory(callId);
          if ((seatState.kind === 'talking' || seatState.kind === 'wrap-up') && s.summaryWork?.callId !== callId) void open(callId);
        }
        const w = s.summaryWork;
        if (w && !w.filed && !w.draft.categoryId && s.call?.id === w.callId) {
          s.summaryChanged(w.callId, { draft: { ...w.draft, categoryId: s.call.categoryId } });
        }
        if (s.connection === 'online' && prev.connection !== 'online') {
          void flushAll();
          if (w && w.loadError) void load(w.callId);
        }
      }),
  };
}
