import type {
  Ack,
  AlertThresholds,
  LiveAlert,
  QueueCallView,
  SeatView,
  SupervisorMessage,
  SupervisorMessageRequest,
  SupervisorSeatStatusRequest,
} from '../../contract';
import { errorForStatus } from '../../shared/api';
import { NETWORK_ERROR, TIMEOUT_ERROR } from '../../shared/errors';

/** Why the engine offered a call to a seat (the `why` of an `offered` event). */
export interface RoutingWhy {
  rule: string;
  step: number;
  proficiency: number | null;
  considered: number;
  alternatives: string[];
  reoffer?: true;
}

/** One event of a call's history as GET /api/calls/:id returns it (the engine's call events). */
export type CallHistoryEvent = { type: string; at: number; seatId?: string; attempt?: number; step?: number; why?: RoutingWhy } & Record<
  string,
  unknown
>;

/** GET /api/calls/:id as the monitor reads it: the call (caller masked) and its events. */
export interface CallDetail {
  id: string;
  caller: string;
  categoryId: string;
  homeCentreId: string;
  priority: number;
  flags: string[];
  enqueuedAt: number;
  state: { kind: string; since: number; seatId?: string };
  events: CallHistoryEvent[];
}

/** The supervisor's actions and a call's history: the only code on the monitor that calls these routes. */
export interface SupervisionApi {
  callDetail(callId: string): Promise<Ack<CallDetail>>;
  seatStatus(seatId: string, req: SupervisorSeatStatusRequest): Promise<Ack<SeatView>>;
  priority(callId: string, priority: number, note: string): Promise<Ack<QueueCallView>>;
  assign(callId: string, seatId: string, note: string): Promise<Ack<QueueCallView>>;
  category(callId: string, categoryId: string, note: string): Promise<Ack<QueueCallView>>;
  message(req: SupervisorMessageRequest): Promise<Ack<SupervisorMessage>>;
  liveAlerts(): Promise<Ack<LiveAlert[]>>;
  ackLiveAlert(key: string): Promise<Ack<LiveAlert>>;
  thresholds(): Promise<Ack<AlertThresholds>>;
  saveThresholds(t: AlertThresholds): Promise<Ack<AlertThresholds>>;
}

const isAck = (v: unknown): v is Ack<unknown> => typeof v === 'object' && v !== null && 'ok' in v;

export function createSupervisionApi(deps: { fetch: typeof fetch; timeoutMs?: number }): SupervisionApi {
  async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Ack<T>> {
    let res: Response;
    try {
      res = await deps.fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      });
    } catch (err) {
      return { ok: false, error: err instanceof DOMException && err.name === 'TimeoutError' ? TIMEOUT_ERROR : NETWORK_ERROR };
    }
    let parsed: unknown = null;
    try {
      parsed = await res.json();
    } catch {
      // not JSON: the status says what happened
    }
    return isAck(parsed) ? (parsed as Ack<T>) : { ok: false, error: errorForStatus(res.ok ? 500 : res.status) };
  }
  const call = (id: string) => `/api/calls/${encodeURIComponent(id)}`;
  const act = (id: string, what: string) => `/api/supervisor/calls/${encodeURIComponent(id)}/${what}`;
  return {
    callDetail: (id) => request('GET', call(id)),
    seatStatus: (seatId, req) => request('POST', `/api/supervisor/seats/${encodeURIComponent(seatId)}/status`, req),
    priority: (id, priority, note) => request('POST', act(id, 'priority'), { priority, note }),
    assign: (id, seatId, note) => request('POST', act(id, 'assign'), { seatId, note }),
    category: (id, categoryId, note) => request('POST', act(id, 'category'), { categoryId, note }),
    message: (req) => request('POST', '/api/supervisor/messages', req),
    liveAlerts: () => request('GET', '/api/live-alerts'),
    ackLiveAlert: (key) => request('POST', `/api/live-alerts/${encodeURIComponent(key)}/ack`),
    thresholds: () => request('GET', '/api/alert-thresholds'),
    saveThresholds: (t) => request('PUT', '/api/alert-thresholds', t),
  };
}

/** The monitor's one instance (pages import it; tests make their own with a fake fetch). */
export const supervision: SupervisionApi = createSupervisionApi({ fetch: (input, init) => fetch(input, init) });
