/**
 * Shared harness of the summary, caller-history and major-matter alert tests: one real server
 * per describe block on a virtual clock, HTTP helpers, and calls answered or abandoned at will.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Ack, CallSummaryView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, emit, login, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

/** Monday 2026-11-23 10:00 in China (UTC+8): inside the demo service calendar. */
export const T0 = Date.UTC(2026, 10, 23, 2, 0);
export const S = 1000;
export const MIN = 60 * S;
export const HOUR = 60 * MIN;

/** A complete summary of an answered labour call. */
export const SUMMARY = {
  categoryId: 'labor',
  topic: '欠薪',
  question: '工地拖欠三个月工资,老板不接电话',
  answer: '可向劳动保障监察投诉,或申请劳动仲裁;农民工欠薪可申请法律援助',
  disposition: 'answered',
} as const;

export interface Reply<T> {
  status: number;
  body: Ack<T>;
  text: string;
}

/** One server per block, on a virtual clock; the HTTP server and SQLite file are real. */
export function harness() {
  const h = {
    srv: null as unknown as TestServer,
    clock: null as unknown as VirtualClock,
    cookies: {} as Record<string, string>,
    sockets: [] as ClientSocket[],
  };
  beforeAll(async () => {
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({ clock: h.clock, env: { SESSION_HOURS: '72' } });
    for (const u of ['seat01', 'seat02', 'seat03', 'seat04', 'seat05', 'supervisor']) h.cookies[u] = await login(h.srv.url, u);
  });
  afterEach(() => {
    for (const s of h.sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await h.srv?.stop();
  });
  return h;
}
export type Harness = ReturnType<typeof harness>;

export async function api<T>(h: Harness, method: string, path: string, user: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${h.srv.url}${path}`, {
    method,
    headers: { cookie: h.cookies[user]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Ack<T>, text };
}
export const data = <T>(r: Reply<T>): T => {
  if (!r.body.ok) throw new Error(`expected ok, got ${r.status} ${r.text}`);
  return r.body.data;
};
export const error = <T>(r: Reply<T>) => {
  if (r.body.ok) throw new Error(`expected an error, got ${r.status} ${r.text}`);
  return r.body.error;
};

/**
 * A general (综合咨询) call rung at `seatId` alone (every other ready seat steps away first),
 * answered after 5 s, 60 s of talk; hung up unless `keepTalking`.
 */
export function answeredCall(h: Harness, seatId: string, id: string, caller: string, opts: { keepTalking?: boolean } = {}) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready' && s.profile.id !== seatId) engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady(seatId);
  engine.offerCall({ id, caller, dialed: '12348' });
  expect(engine.getCall(id)?.state).toMatchObject({ kind: 'ringing', seatId });
  h.clock.advance(5 * S);
  engine.answered(id, seatId);
  h.clock.advance(60 * S);
  if (!opts.keepTalking) engine.hangup(id, 'caller');
}

/** A call that rang nobody: the caller gave up in the queue after 10 s. */
export function abandonedCall(h: Harness, id: string, caller: string) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.offerCall({ id, caller, dialed: '12348' });
  h.clock.advance(10 * S);
  engine.hangup(id, 'caller');
}

/** Files the summary and lets the seat's wrap-up end, so the seat is free for the next call. */
export async function fileAndFinish(h: Harness, callId: string, user: string, seatId: string, body: object = SUMMARY) {
  const r = await api<CallSummaryView>(h, 'POST', `/api/calls/${callId}/summary`, user, body);
  expect(r.status).toBe(201);
  const seat = h.srv.app.engine.getSeat(seatId);
  if (seat.state.kind === 'wrap-up') h.srv.app.engine.endWrapUp(seatId);
  return data(r);
}

export async function supervisorSocket(h: Harness): Promise<ClientSocket> {
  const s = await connect(h.srv.url, h.cookies.supervisor!);
  h.sockets.push(s);
  expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
  return s;
}
