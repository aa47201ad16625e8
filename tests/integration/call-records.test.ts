import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallListResponse, CallRecordView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

/** Monday 2026-11-23 10:00 in China: inside the demo service calendar. */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const S = 1000;
const HOUR = 3600 * S;

let srv: TestServer;
let clock: VirtualClock;
const cookies: Record<string, string> = {};

/**
 * Four calls, one engine, a virtual clock (the HTTP server is real):
 *   r1  T0        answered by s02 after 5 s, 30 s talk, hung up by the seat
 *   r2  T0+40 s   the caller gives up after 10 s in the queue (s02 is in wrap-up)
 *   r3  T0+60 s   still waiting when the records are read (T0+80 s)
 *   r4  T0+2 h    outside the first window
 */
beforeAll(async () => {
  clock = new VirtualClock(T0);
  srv = await startTestServer({ clock });
  for (const u of ['supervisor', 'manager', 'admin', 'seat05']) cookies[u] = await login(srv.url, u);
  const engine = srv.app.engine;
  engine.setSeatReady('s02'); // 李秀英, labor 5
  engine.offerCall({ id: 'r1', caller: '13812345678', dialed: '12348', ivrCode: '2' });
  clock.advance(5 * S);
  engine.answered('r1', 's02');
  clock.advance(30 * S);
  engine.hangup('r1', 'seat');
  clock.advance(5 * S);
  engine.offerCall({ id: 'r2', caller: '13900001111', dialed: '12348', ivrCode: '2' });
  clock.advance(10 * S);
  engine.hangup('r2', 'caller');
  clock.advance(10 * S);
  engine.offerCall({ id: 'r3', caller: '13700002222', dialed: '12348', ivrCode: '2' });
  clock.advance(20 * S);
});
afterAll(async () => {
  await srv?.stop();
});

const get = (path: string, user?: string) => fetch(`${srv.url}${path}`, { headers: user ? { cookie: cookies[user]! } : {} });

async function list(query: string, user = 'supervisor'): Promise<CallListResponse> {
  const res = await get(`/api/calls?${query}`, user);
  expect(res.status).toBe(200);
  return (await res.json()).data as CallListResponse;
}

describe('GET /api/calls: who may read call records', () => {
  const q = `from=${T0}&to=${T0 + HOUR}`;

  it('when not logged in, should answer 401', async () => {
    const res = await get(`/api/calls?${q}`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('when a seat asks, should refuse with 403', async () => {
    const res = await get(`/api/calls?${q}`, 'seat05');
    expect(res.status).toBe(403);
    expect((await res.json()).error).toEqual({ code: 'FORBIDDEN', message: '当前账号无权执行此操作' });
  });

  it('when a supervisor, a manager or an admin asks, should answer with the records', async () => {
    for (const user of ['supervisor', 'manager', 'admin']) {
      expect((await list(q, user)).records.map((r) => r.callId)).toEqual(['r3', 'r2', 'r1']);
    }
  });
});

describe('GET /api/calls: the records', () => {
  it('should list the calls enqueued in the window newest first, each with its result and times', async () => {
    const data = await list(`from=${T0}&to=${T0 + HOUR}`);
    const byId = Object.fromEntries(data.records.map((r) => [r.callId, r])) as Record<string, CallRecordView>;

    expect(data).toMatchObject({ from: T0, to: T0 + HOUR, limit: 200 });
    expect(data.records.map((r) => r.enqueuedAt)).toEqual([T0 + 60 * S, T0 + 40 * S, T0]);
    expect(byId.r1).toEqual({
      callId: 'r1',
      callerMasked: '138****5678',
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId: 's02',
      enqueuedAt: T0,
      answeredAt: T0 + 5 * S,
      endedAt: T0 + 35 * S,
      waitMs: 5 * S,
      talkMs: 30 * S,
      holdMs: 0,
      holds: 0,
      hungUpBy: 'seat',
      result: 'answered',
      offers: 1,
      overflowTrigger: null,
    } satisfies CallRecordView);
    expect(byId.r2).toMatchObject({ result: 'abandoned-in-queue', hungUpBy: 'caller', waitMs: 10 * S, endedAt: T0 + 50 * S, seatId: null });
    expect(byId.r3).toMatchObject({ result: 'in-progress', endedAt: null, waitMs: 20 * S, hungUpBy: null });
  });

  it('should never show a full caller number', async () => {
    const text = await (await get(`/api/calls?from=${T0}&to=${T0 + HOUR}`, 'supervisor')).text();
    for (const n of ['13812345678', '13900001111', '13700002222']) expect(text).not.toContain(n);
  });

  it('when the window starts after a call or ends at one, should leave it out (from inclusive, to exclusive)', async () => {
    expect((await list(`from=${T0 + 1}&to=${T0 + HOUR}`)).records.map((r) => r.callId)).toEqual(['r3', 'r2']);
    expect((await list(`from=${T0}&to=${T0 + 60 * S}`)).records.map((r) => r.callId)).toEqual(['r2', 'r1']);
    expect((await list(`from=${T0 + 40 * S}&to=${T0 + 40 * S + 1}`)).records.map((r) => r.callId)).toEqual(['r2']);
    expect((await list(`from=${T0 - HOUR}&to=${T0}`)).records).toEqual([]);
  });

  it('when a limit is given, should return that many of the newest', async () => {
    const data = await list(`from=${T0}&to=${T0 + HOUR}&limit=2`);
    expect(data.limit).toBe(2);
    expect(data.records.map((r) => r.callId)).toEqual(['r3', 'r2']);
  });

  it('when a later call falls outside the window, should not list it, and a window around it should', async () => {
    clock.advance(2 * HOUR);
    srv.app.engine.offerCall({ id: 'r4', caller: '13600003333', dialed: '12348', ivrCode: '2' });
    expect((await list(`from=${T0}&to=${T0 + HOUR}`)).records.map((r) => r.callId)).toEqual(['r3', 'r2', 'r1']);
    expect((await list(`from=${T0 + HOUR}&to=${T0 + 3 * HOUR}`)).records.map((r) => r.callId)).toEqual(['r4']);
  });

  it('GET /api/calls/:id should carry the same record next to the event log', async () => {
    const res = await get('/api/calls/r1', 'supervisor');
    const data = (await res.json()).data;
    expect(data.record).toMatchObject({ callId: 'r1', result: 'answered', seatId: 's02', talkMs: 30 * S, callerMasked: '138****5678' });
    expect(data.events.map((e: { type: string }) => e.type)).toContain('hung-up');
  });
});

describe('GET /api/calls: validation', () => {
  const fieldsOf = async (query: string) => {
    const res = await get(`/api/calls?${query}`, 'supervisor');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION');
    return body.error.fields as Record<string, string[]>;
  };

  it('when from and to are missing, should name both', async () => {
    expect(await fieldsOf('')).toEqual({ from: ['请提供起始时间(毫秒时间戳)'], to: ['请提供结束时间(毫秒时间戳)'] });
  });

  it('when a value is not a whole number, should say so for that field', async () => {
    expect(await fieldsOf(`from=abc&to=${T0}`)).toEqual({ from: ['起始时间(毫秒时间戳)必须是整数'] });
    expect(await fieldsOf(`from=${T0}&to=${T0 + 1}.5`)).toEqual({ to: ['结束时间(毫秒时间戳)必须是整数'] });
    expect(await fieldsOf(`from=${T0}&from=${T0}&to=${T0 + 1}`)).toEqual({ from: ['起始时间(毫秒时间戳)必须是整数'] });
  });

  it('when to is not after from, should refuse it', async () => {
    expect(await fieldsOf(`from=${T0}&to=${T0}`)).toEqual({ to: ['结束时间必须晚于起始时间'] });
  });

  it('when the limit is out of 1..1000, should refuse it', async () => {
    expect(await fieldsOf(`from=0&to=${T0}&limit=0`)).toEqual({ limit: ['条数至少为 1'] });
    expect(await fieldsOf(`from=0&to=${T0}&limit=1001`)).toEqual({ limit: ['条数最多为 1000'] });
    expect((await list(`from=0&to=${T0 + HOUR}&limit=1000`)).limit).toBe(1000);
    expect((await list(`from=0&to=${T0 + HOUR}&limit=`)).limit).toBe(200);
  });
});
