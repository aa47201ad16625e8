import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatTodayView, TransferTargets } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

/** Monday 2026-11-23 10:00 in China: inside the demo service calendar. */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const S = 1000;

let srv: TestServer;
let clock: VirtualClock;
const cookies: Record<string, string> = {};

/*
 * 张伟 (s03, city, contract 5) talks with a city caller (c1). 李秀英 (s02, city, labor 5) has a day: an offer that rang out (d1), one she declined (d2), one
 * answered with 30 s of talk (d3, 10 s of it on hold). Then, while she wraps up, a labour caller
 * (d4) and a contract caller (d5) wait; 徐丽 (s11, 东城, contract 4 and general 3) and 王建国 (s01, city) are ready.
 */
beforeAll(async () => {
  clock = new VirtualClock(T0);
  srv = await startTestServer({ clock });
  for (const u of ['seat02', 'seat03', 'supervisor']) cookies[u] = await login(srv.url, u);
  const e = srv.app.engine;
  e.setSeatReady('s03');
  e.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
  e.answered('c1', 's03');
  e.setSeatReady('s02');
  e.offerCall({ id: 'd1', caller: '13800000001', dialed: '123482', ivrCode: '2' });
  clock.advance(25 * S); // rings out at s02
  e.hangup('d1', 'caller');
  e.setSeatReady('s02');
  e.offerCall({ id: 'd2', caller: '13800000002', dialed: '123482', ivrCode: '2' });
  e.declined('d2', 's02');
  e.hangup('d2', 'caller');
  e.offerCall({ id: 'd3', caller: '13800000003', dialed: '123482', ivrCode: '2' });
  e.answered('d3', 's02');
  clock.advance(10 * S);
  e.hold('d3');
  clock.advance(10 * S);
  e.resume('d3');
  clock.advance(20 * S);
  e.hangup('d3', 'seat');
  e.offerCall({ id: 'd4', caller: '13800000004', dialed: '123482', ivrCode: '2' });
  clock.advance(5 * S);
  e.offerCall({ id: 'd5', caller: '13800000005', dialed: '123483', ivrCode: '3' });
  e.setSeatReady('s11');
  e.setSeatReady('s01');
});
afterAll(async () => {
  await srv?.stop();
});

const get = (path: string, user?: string) => fetch(`${srv.url}${path}`, { headers: user ? { cookie: cookies[user]! } : {} });

describe('GET /api/seats/me/today: the seat sees its queue and its own day', () => {
  it('when a seat asks, should count its answered calls, missed and declined offers, talk time, and the callers waiting in its specialties', async () => {
    const res = await get('/api/seats/me/today', 'seat02');
    expect(res.status).toBe(200);
    const day = (await res.json()).data as SeatTodayView;
    expect(day).toMatchObject({ day: '2026-11-23', answered: 1, missed: 1, declined: 1, talkMs: 30 * S });
    // d4 only: d5 waits too, but in a specialty she does not have (her general skill is a fallback, not a specialty).
    expect(srv.app.engine.getCall('d5')?.state.kind).toBe('queued');
    expect(day.queue).toEqual({ waiting: 1, oldestEnqueuedAt: srv.app.engine.getCall('d4')!.enqueuedAt });
  });

  it('when nobody is signed in or the account has no seat, should refuse', async () => {
    expect((await get('/api/seats/me/today')).status).toBe(401);
    expect((await get('/api/seats/me/today', 'supervisor')).status).toBe(403);
  });
});

describe('GET /api/transfer-targets: counts only the seats that could take this call', () => {
  it('when a city call is transferred, should not count a seat of a county that takes no city calls, and count a county specialist', async () => {
    const e = srv.app.engine;
    e.updateConfig({ ...e.config, countySharing: { xishan: { sendsToCity: true, takesCityCalls: false } } });
    e.setSeatReady('s16'); // 郭芳, 西山县, contract 3 and general 4: her county takes no city calls

    const res = await get('/api/transfer-targets', 'seat03');
    expect(res.status).toBe(200);
    const { categories } = (await res.json()).data as TransferTargets;
    const cat = (id: string) => categories.find((c) => c.id === id)!;
    expect(cat('contract-debt')).toMatchObject({ readySeats: 1, loggedInSeats: 1 }); // 徐丽 (东城) only
    expect(cat('general')).toMatchObject({ readySeats: 2 }); // 王建国 and 徐丽 (a city 综合咨询 call may go to a county's general seats), not 郭芳
    expect(cat('labor')).toMatchObject({ readySeats: 0, loggedInSeats: 1 }); // 李秀英, in wrap-up
  });
});
