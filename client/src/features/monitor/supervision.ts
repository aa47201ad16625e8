import type {
  Ack,
  AlertThresholds,
  ListenPhoneCredentials,
  ListenView,
  LiveAlert,
  QueueCallView,
  SeatView,
  SupervisorMessage,
  SupervisorMessageRequest,
  SupervisorSeatStatusRequest,
} from '../../contract';
import { createJsonRequest } from '../../shared/json-request';

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
  /** 强拆: end a talking call (both sides get a BYE); the reason is audited. */
  forceRelease(callId: string, note: string): Promise<Ack<{ callId: string; state: string }>>;
  /** 监听: the listening phone's SIP credentials; start (reason audited), the leg now, stop. */
  listenPhone(): Promise<Ack<ListenPhoneCredentials>>;
  listen(callId: string, note: string): Promise<Ack<ListenView>>;
  myListen(): Promise<Ack<ListenView | null>>;
  stopListen(lid: string): Promise<Ack<{ stopped: boolean }>>;
  liveAlerts(): Promise<Ack<LiveAlert[]>>;
  ackLiveAlert(key: string): Promise<Ack<LiveAlert>>;
  thresholds(): Promise<Ack<AlertThresholds>>;
  saveThresholds(t: AlertThresholds): Promise<Ack<AlertThresholds>>;
}

export function createSupervisionApi(deps: { fetch: typeof fetch; timeoutMs?: number }): SupervisionApi {
  const request = createJsonRequest(deps);
  const call = (id: string) => `/api/calls/${encodeURIComponent(id)}`;
  const act = (id: string, what: string) => `/api/supervisor/calls/${encodeURIComponent(id)}/${what}`;
  return {
    callDetail: (id) => request('GET', call(id)),
    seatStatus: (seatId, req) => request('POST', `/api/supervisor/seats/${encodeURIComponent(seatId)}/status`, req),
    priority: (id, priority, note) => request('POST', act(id, 'priority'), { priority, note }),
    assign: (id, seatId, note) => request('POST', act(id, 'assign'), { seatId, note }),
    category: (id, categoryId, note) => request('POST', act(id, 'category'), { categoryId, note }),
    message: (req) => request('POST', '/api/supervisor/messages', req),
    forceRelease: (id, note) => request('POST', act(id, 'force-release'), { note }),
    listenPhone: () => request('GET', '/api/supervisor/listen/phone'),
    listen: (id, note) => request('POST', act(id, 'listen'), { note }),
    myListen: () => request('GET', '/api/supervisor/listen'),
    stopListen: (lid) => request('POST', `/api/supervisor/listen/${encodeURIComponent(lid)}/stop`),
    liveAlerts: () => request('GET', '/api/live-alerts'),
    ackLiveAlert: (key) => request('POST', `/api/live-alerts/${encodeURIComponent(key)}/ack`),
    thresholds: () => request('GET', '/api/alert-thresholds'),
    saveThresholds: (t) => request('PUT', '/api/alert-thresholds', t),
  };
}

/** The monitor's one instance (pages import it; tests make their own with a fake fetch). */
export const supervision: SupervisionApi = createSupervisionApi({ fetch: (input, init) => fetch(input, init) });
