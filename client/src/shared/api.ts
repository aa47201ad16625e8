import type {
  Ack,
  ApiError,
  CallbackRequestView,
  CallerHistory,
  CallSummaryInput,
  CallSummaryView,
  DraftSaved,
  ErrorCode,
  KnowledgeEntry,
  KnowledgeEntryInput,
  KnowledgeSearchResponse,
  LoginRequest,
  MajorAlert,
  MyCallsResponse,
  PhoneClaimResult,
  PhoneOwnerView,
  ReferenceData,
  SeatTodayView,
  SipCredentials,
  SummaryDraft,
  SummaryState,
  TransferTargets,
  UserView,
  HandoverView,
  Ticket12345View,
  HandoverList,
  HandoverReport,
  ReferralList,
  ReferralReport,
  ReferralUpdate,
  ReferralView,
  VisitDialView,
  OutboundCallView,
  VisitOutcomeInput,
  VisitStatus,
  VisitTaskView,
  SatisfactionFigures,
  FigureGroup,
} from '../contract';
import { fallbackMessage, NETWORK_ERROR, TIMEOUT_ERROR } from './errors';

export interface ApiDeps {
  fetch: typeof fetch;
  /** Told the server's clock from each response's Date header (1 s resolution). */
  onServerDate?: (serverAt: number, localAt: number) => void;
  timeoutMs?: number;
  now?: () => number;
}

export interface Api {
  login: (req: LoginRequest) => Promise<Ack<{ user: UserView }>>;
  logout: () => Promise<Ack<null>>;
  me: () => Promise<Ack<{ user: UserView }>>;
  reference: () => Promise<Ack<ReferenceData>>;
  /** The softphone's time-limited SIP credentials (seat accounts only), for the console holding the phone. */
  sipCredentials: (consoleId?: string) => Promise<Ack<SipCredentials>>;
  /** One phone per seat: may this console's softphone register (`take`: move it here from another computer)? */
  claimPhone: (consoleId: string, take: boolean) => Promise<Ack<PhoneClaimResult>>;
  /** This console stops using the seat's phone (with `keepalive` as the page closes). */
  releasePhone: (consoleId: string, opts?: RequestOptions) => Promise<Ack<PhoneOwnerView>>;
  /** Where this seat may transfer its call now. */
  transferTargets: () => Promise<Ack<TransferTargets>>;
  /** The signed-in seat's queue in its specialties and its own day. */
  seatToday: () => Promise<Ack<SeatTodayView>>;
  searchKnowledge: (query: { q: string; category?: string | null; limit?: number }) => Promise<Ack<KnowledgeSearchResponse>>;
  getKnowledge: (id: number) => Promise<Ack<KnowledgeEntry>>;
  createKnowledge: (input: KnowledgeEntryInput) => Promise<Ack<KnowledgeEntry>>;
  /** 409 CONFLICT when `version` is no longer the entry's current one. */
  updateKnowledge: (id: number, input: KnowledgeEntryInput & { version: number }) => Promise<Ack<KnowledgeEntry>>;
  retireKnowledge: (id: number) => Promise<Ack<unknown>>;
  openAlerts: () => Promise<Ack<MajorAlert[]>>;
  ackAlert: (id: number) => Promise<Ack<MajorAlert>>;
  /** 回电请求 still open, newest first (staff). */
  openCallbacks: () => Promise<Ack<CallbackRequestView[]>>;
  /** The call's filed summary and saved draft (小结). */
  summaryState: (callId: string) => Promise<Ack<SummaryState>>;
  /** Saves the draft; `keepalive` lets the request outlive a closing page. */
  saveSummaryDraft: (callId: string, draft: SummaryDraft, opts?: RequestOptions) => Promise<Ack<DraftSaved>>;
  fileSummary: (callId: string, input: CallSummaryInput) => Promise<Ack<CallSummaryView>>;
  /** 修改: the author amends a filed summary the same day. */
  amendSummary: (callId: string, input: CallSummaryInput) => Promise<Ack<CallSummaryView>>;
  callerHistory: (callId: string, limit?: number) => Promise<Ack<CallerHistory>>;
  /** `day` is YYYY-MM-DD; the server's today when omitted. */
  myCalls: (day?: string) => Promise<Ack<MyCallsResponse>>;
  /** 重大事项上报 of a call: alerts the supervisors at once. */
  reportMajor: (callId: string, note: string) => Promise<Ack<MajorAlert>>;
  /** 12345 hand-overs: one's state, a 12345 call-back request, a ticket's content. */
  handover: (id: string) => Promise<Ack<HandoverView>>;
  handoverCallback: (id: string, note: string) => Promise<Ack<HandoverView>>;
  ticket12345: (ticket: string) => Promise<Ack<Ticket12345View>>;
  /** Supervisors: the day's hand-overs with the stuck messages, and referrals with the overdue ones. */
  handovers: (range?: TimeRange) => Promise<Ack<HandoverList>>;
  referrals: (range?: TimeRange) => Promise<Ack<ReferralList>>;
  /** 转办转介 page: the period's counts (reports), and a referral's due date or closing (staff). */
  handoverReport: (range: TimeRange) => Promise<Ack<HandoverReport>>;
  referralReport: (range: TimeRange) => Promise<Ack<ReferralReport>>;
  updateReferral: (id: string, input: ReferralUpdate) => Promise<Ack<ReferralView>>;
  /** 回访 worklist: a seat's assigned tasks, or every task for staff; overdue first. */
  visits: (status: VisitStatus, page?: { offset: number; limit: number }) => Promise<Ack<VisitTaskView[]>>;
  visitOutcome: (id: number, input: VisitOutcomeInput) => Promise<Ack<{ task: VisitTaskView; followUp: VisitTaskView | null }>>;
  assignVisit: (id: number, seatId: string | null) => Promise<Ack<VisitTaskView>>;
  dialVisit: (id: number) => Promise<Ack<VisitDialView>>;
  myOutboundCalls: (day?: string) => Promise<Ack<{ day: string; records: OutboundCallView[] }>>;
  satisfactionFigures: (from: number, to: number, groupBy: FigureGroup) => Promise<Ack<SatisfactionFigures>>;
}

/** A period in epoch milliseconds, [from, to). */
export interface TimeRange {
  from: number;
  to: number;
}

const rangeQuery = (r?: TimeRange) => (r ? `?from=${r.from}&to=${r.to}` : '');

export interface RequestOptions {
  /** The request may outlive the page (pagehide); the body must stay under 64 KB. */
  keepalive?: boolean;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'INVALID_TRANSITION',
  429: 'RATE_LIMITED',
};

const callPath = (callId: string) => `/api/calls/${encodeURIComponent(callId)}`;

/** Error for a response whose body is not an Ack (a proxy page, an empty 502 …). */
export function errorForStatus(status: number): ApiError {
  const code = STATUS_CODES[status] ?? 'INTERNAL';
  return { code, message: fallbackMessage(code) };
}

function isAck(body: unknown): body is Ack<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'data' in body;
  if (body.ok !== false || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** One JSON request to the API; always resolves to an Ack. */
export type JsonRequest = <T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  opts?: RequestOptions,
) => Promise<Ack<T>>;

/**
 * A fetch wrapper that always resolves to an Ack: the server's own Ack when it sent one,
 * otherwise an error built from the status, the timeout or the network failure.
 * The session cookie travels with every request (same origin).
 */
export function createApi(deps: ApiDeps): Api {
  const request = createRequest(deps);
  return apiMethods(request);
}

/** The request function alone, for features that name their own endpoints (用户管理, 审计日志). */
export function createRequest(deps: ApiDeps): JsonRequest {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 15_000;

  return async function request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<Ack<T>> {
    let res: Response;
    try {
      res = await deps.fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        ...(opts.keepalive ? { keepalive: true } : {}),
      });
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
      return { ok: false, error: timedOut ? TIMEOUT_ERROR : NETWORK_ERROR };
    }
    const date = res.headers.get('date');
    if (date && deps.onServerDate) {
      const serverAt = Date.parse(date);
      if (!Number.isNaN(serverAt)) deps.onServerDate(serverAt, now());
    }
    let parsed: unknown = null;
    try {
      parsed = await res.json();
    } catch {
      // Not JSON: fall through to the status.
    }
    if (isAck(parsed)) return parsed as Ack<T>;
    return { ok: false, error: errorForStatus(res.ok ? 500 : res.status) };
  };
}

function apiMethods(request: JsonRequest): Api {
  return {
    login: (req) => request('POST', '/api/auth/login', req),
    logout: () => request('POST', '/api/auth/logout'),
    me: () => request('GET', '/api/auth/me'),
    reference: () => request('GET', '/api/reference'),
    sipCredentials: (consoleId) =>
      request('GET', consoleId ? `/api/sip/credentials?console=${encodeURIComponent(consoleId)}` : '/api/sip/credentials'),
    claimPhone: (consoleId, take) => request('POST', '/api/phone/claim', { consoleId, take }),
    releasePhone: (consoleId, opts) => request('POST', '/api/phone/release', { consoleId }, opts),
    transferTargets: () => request('GET', '/api/transfer-targets'),
    seatToday: () => request('GET', '/api/seats/me/today'),
    searchKnowledge: ({ q, category, limit }) => {
      const params = new URLSearchParams({ q });
      if (category) params.set('category', category);
      if (limit !== undefined) params.set('limit', String(limit));
      return request('GET', `/api/knowledge?${params}`);
    },
    getKnowledge: (id) => request('GET', `/api/knowledge/${id}`),
    createKnowledge: (input) => request('POST', '/api/knowledge', input),
    updateKnowledge: (id, input) => request('PUT', `/api/knowledge/${id}`, input),
    retireKnowledge: (id) => request('DELETE', `/api/knowledge/${id}`),
    openAlerts: () => request('GET', '/api/alerts?open=1'),
    ackAlert: (id) => request('POST', `/api/alerts/${id}/ack`),
    openCallbacks: () => request('GET', '/api/callbacks?status=open'),
    summaryState: (callId) => request('GET', `${callPath(callId)}/summary`),
    saveSummaryDraft: (callId, draft, opts) => request('PUT', `${callPath(callId)}/summary/draft`, draft, opts),
    fileSummary: (callId, input) => request('POST', `${callPath(callId)}/summary`, input),
    amendSummary: (callId, input) => request('PUT', `${callPath(callId)}/summary`, input),
    callerHistory: (callId, limit = 10) => request('GET', `${callPath(callId)}/history?limit=${limit}`),
    myCalls: (day) => request('GET', day ? `/api/my/calls?day=${encodeURIComponent(day)}` : '/api/my/calls'),
    reportMajor: (callId, note) => request('POST', `${callPath(callId)}/major-report`, { note }),
    handover: (id) => request('GET', `/api/handovers/${encodeURIComponent(id)}`),
    handoverCallback: (id, note) => request('POST', `/api/handovers/${encodeURIComponent(id)}/callback`, { note }),
    ticket12345: (ticket) => request('GET', `/api/handover/tickets/${encodeURIComponent(ticket)}`),
    handovers: (range) => request('GET', `/api/handovers${rangeQuery(range)}`),
    referrals: (range) => request('GET', `/api/referrals${rangeQuery(range)}`),
    handoverReport: (range) => request('GET', `/api/handover/report${rangeQuery(range)}`),
    referralReport: (range) => request('GET', `/api/referrals/report${rangeQuery(range)}`),
    updateReferral: (id, input) => request('PUT', `/api/referrals/${encodeURIComponent(id)}`, input),
    visits: (status, page) => request('GET', `/api/visits?status=${status}${page ? `&offset=${page.offset}&limit=${page.limit}` : ''}`),
    visitOutcome: (id, input) => request('POST', `/api/visits/${id}/outcome`, input),
    assignVisit: (id, seatId) => request('PUT', `/api/visits/${id}/assignee`, { seatId }),
    dialVisit: (id) => request('POST', `/api/visits/${id}/dial`),
    myOutboundCalls: (day) => request('GET', day ? `/api/my/outbound-calls?day=${encodeURIComponent(day)}` : '/api/my/outbound-calls'),
    satisfactionFigures: (from, to, groupBy) => request('GET', `/api/satisfaction/figures?from=${from}&to=${to}&groupBy=${groupBy}`),
  };
}
