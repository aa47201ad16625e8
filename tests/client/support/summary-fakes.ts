import { vi } from 'vitest';
import type {
  Ack,
  ApiError,
  CallerHistory,
  DraftSaved,
  CallSummaryInput,
  CallSummaryView,
  MajorAlert,
  MyCallsResponse,
  SummaryDraft,
  SummaryDraftView,
} from '../../../client/src/contract';
import { NETWORK_ERROR } from '../../../client/src/shared/errors';
import { createAppStore, type AppStore } from '../../../client/src/app/store';
import { createSummaryController, type SummaryApi } from '../../../client/src/features/summary/controller';
import { createDraftStore, type KeyValueStorage } from '../../../client/src/features/summary/storage';
import { T0, requestUrl, user } from './fixtures';

/** A Map-backed Web Storage; `full` makes writes throw like a full quota. */
export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  full = false;
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

/** Manual timers: nothing runs until `advance`. */
export class ManualTimers {
  now = T0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.queue.push({ at: this.now + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== h);
  };
  pending() {
    return this.queue.length;
  }
  async advance(ms: number) {
    const end = this.now + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.now = next.at;
      next.fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

export const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

export function filedView(callId: string, input: CallSummaryInput, at: number, revision = 1): CallSummaryView {
  return { ...input, callId, seatId: 's01', seatName: '张律师', filedAt: at, updatedAt: at, revision, amendable: true };
}

/**
 * The summary endpoints in memory, as console.ts describes them. `offline` makes every
 * request fail as a lost network does; `hold` keeps draft saves unanswered until released.
 */
export class FakeSummaryServer {
  drafts = new Map<string, SummaryDraftView>();
  summaries = new Map<string, CallSummaryView>();
  offline = false;
  history: CallerHistory | null = null;
  myCallsResponse: MyCallsResponse = { day: '2025-01-06', entries: [] };
  reports: { callId: string; note: string }[] = [];
  saves: { callId: string; draft: SummaryDraft; keepalive: boolean }[] = [];
  refuseFile: ApiError | null = null;
  private held: (() => void)[] = [];
  hold = false;

  constructor(private clock: () => number) {}

  release() {
    const h = this.held;
    this.held = [];
    for (const fn of h) fn();
  }

  private fail(): { ok: false; error: ApiError } {
    return { ok: false, error: NETWORK_ERROR };
  }

  readonly api: SummaryApi = {
    summaryState: vi.fn(async (callId: string) => {
      if (this.offline) return this.fail();
      return { ok: true as const, data: { summary: this.summaries.get(callId) ?? null, draft: this.drafts.get(callId) ?? null } };
    }),
    saveSummaryDraft: vi.fn(async (callId: string, draft: SummaryDraft, opts?: { keepalive?: boolean }) => {
      if (this.offline) return this.fail();
      this.saves.push({ callId, draft, keepalive: opts?.keepalive === true });
      const answer = (): Ack<DraftSaved> => {
        if (this.summaries.has(callId)) return { ok: false, error: { code: 'CONFLICT', message: '小结已提交,草稿不再保存' } };
        const savedAt = this.clock();
        this.drafts.set(callId, { callId, draft, savedAt });
        return { ok: true as const, data: { savedAt } };
      };
      if (!this.hold) return answer();
      // Saved at arrival, answered later (a slow network).
      const result = answer();
      return new Promise<Ack<DraftSaved>>((resolve) => this.held.push(() => resolve(result)));
    }),
    fileSummary: vi.fn(async (callId: string, input: CallSummaryInput) => {
      if (this.offline) return this.fail();
      if (this.refuseFile) return { ok: false as const, error: this.refuseFile };
      const view = filedView(callId, input, this.clock());
      this.summaries.set(callId, view);
      this.drafts.delete(callId);
      return { ok: true as const, data: view };
    }),
    amendSummary: vi.fn(async (callId: string, input: CallSummaryInput) => {
      if (this.offline) return this.fail();
      const prev = this.summaries.get(callId);
      if (!prev) return { ok: false as const, error: { code: 'NOT_FOUND' as const, message: '未找到该通话的小结' } };
      const view = { ...filedView(callId, input, prev.filedAt, prev.revision + 1), updatedAt: this.clock() };
      this.summaries.set(callId, view);
      return { ok: true as const, data: view };
    }),
    callerHistory: vi.fn(async (callId: string) => {
      if (this.offline) return this.fail();
      return { ok: true as const, data: this.history ?? { callId, entries: [], total: 0 } };
    }),
    myCalls: vi.fn(async (day?: string) => {
      if (this.offline) return this.fail();
      return { ok: true as const, data: { ...this.myCallsResponse, day: day ?? this.myCallsResponse.day } };
    }),
    reportMajor: vi.fn(async (callId: string, note: string) => {
      if (this.offline) return this.fail();
      this.reports.push({ callId, note });
      const alert: MajorAlert = {
        id: this.reports.length,
        callId,
        seatId: 's01',
        seatName: '张律师',
        categoryId: 'labor',
        callerMasked: '138****1234',
        note,
        raisedAt: this.clock(),
        acknowledgedAt: null,
        acknowledgedBy: null,
      };
      return { ok: true as const, data: alert };
    }),
  };
}

/** A signed-in seat's store, a fake server and a controller on manual timers. */
export function summaryRig(opts: { storage?: MemoryStorage; server?: FakeSummaryServer; timers?: ManualTimers; store?: AppStore } = {}) {
  const timers = opts.timers ?? new ManualTimers();
  const storage = opts.storage ?? new MemoryStorage();
  const server = opts.server ?? new FakeSummaryServer(() => timers.now);
  const store = opts.store ?? createAppStore();
  if (!store.getState().user) store.getState().signedIn(user('seat'));
  const drafts = createDraftStore(storage);
  const controller = createSummaryController({
    api: server.api,
    store,
    drafts,
    now: () => timers.now,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
  });
  return { timers, storage, server, store, drafts, controller, work: () => store.getState().summaryWork };
}

export interface FetchLogEntry {
  method: string;
  path: string;
  body: unknown;
  keepalive: boolean;
}

/** A `fetch` that answers the summary endpoints from `server` (404 for anything else). */
export function fetchFor(server: FakeSummaryServer, log: FetchLogEntry[] = []): typeof fetch {
  return async (input, init) => {
    const url = new URL(requestUrl(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    log.push({ method, path: url.pathname + url.search, body, keepalive: init?.keepalive === true });
    const api = server.api;
    const m = /^\/api\/calls\/([^/]+)\/(summary\/draft|summary|history|major-report)$/.exec(url.pathname);
    let ack: Ack<unknown> = { ok: false, error: { code: 'NOT_FOUND', message: '未找到' } };
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const what = m[2];
      if (what === 'summary/draft' && method === 'PUT')
        ack = await api.saveSummaryDraft(id, body as SummaryDraft, { keepalive: init?.keepalive === true });
      else if (what === 'summary' && method === 'GET') ack = await api.summaryState(id);
      else if (what === 'summary' && method === 'POST') ack = await api.fileSummary(id, body as CallSummaryInput);
      else if (what === 'summary' && method === 'PUT') ack = await api.amendSummary(id, body as CallSummaryInput);
      else if (what === 'history') ack = await api.callerHistory(id, Number(url.searchParams.get('limit') ?? 10));
      else if (what === 'major-report') ack = await api.reportMajor(id, (body as { note: string }).note);
    } else if (url.pathname === '/api/my/calls') {
      ack = await api.myCalls(url.searchParams.get('day') ?? undefined);
    }
    return new Response(JSON.stringify(ack), { status: ack.ok ? 200 : 400, headers: { 'Content-Type': 'application/json' } });
  };
}
