import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, CallSummaryView, PhoneClaimResult, PhoneOwnerView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, login, next, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';
import { SUMMARY } from './support-summaries.js';

const SECRET = 'integration-test-secret';
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const CONSOLE_A = 'console-aaaaaaaa';
const CONSOLE_B = 'console-bbbbbbbb';

let srv: TestServer | null = null;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv?.stop();
  srv = null;
});

async function start(clock?: VirtualClock): Promise<TestServer> {
  srv = await startTestServer({ sipSecret: SECRET, clock, env: { SESSION_HOURS: '12' } });
  return srv;
}

async function post<T>(s: TestServer, path: string, cookie: string, body: unknown): Promise<{ status: number; body: Ack<T> }> {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Ack<T> };
}
const claim = (s: TestServer, cookie: string, consoleId: string, take = false) =>
  post<PhoneClaimResult>(s, '/api/phone/claim', cookie, { consoleId, take });
const release = (s: TestServer, cookie: string, consoleId: string) => post<PhoneOwnerView>(s, '/api/phone/release', cookie, { consoleId });
async function credentials(s: TestServer, cookie: string, consoleId?: string) {
  const q = consoleId ? `?console=${consoleId}` : '';
  const res = await fetch(`${s.url}/api/sip/credentials${q}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as Ack<unknown> };
}
const ok = <T>(r: { body: Ack<T> }): T => {
  if (!r.body.ok) throw new Error(`expected ok: ${JSON.stringify(r.body)}`);
  return r.body.data;
};
async function socketOf(s: TestServer, cookie: string): Promise<ClientSocket> {
  const socket = await connect(s.url, cookie);
  sockets.push(socket);
  return socket;
}

describe('one phone per seat: POST /api/phone/claim and the credentials', () => {
  it('when a second computer claims the seat’s phone without taking it, should refuse and say where the phone is', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    const first = ok(await claim(s, a, CONSOLE_A));
    expect(first).toMatchObject({ owned: true, reason: null, owner: { seatId: 's01', consoleId: CONSOLE_A } });

    const second = ok(await claim(s, b, CONSOLE_B));
    expect(second).toMatchObject({
      owned: false,
      owner: { consoleId: CONSOLE_A },
      reason: '此坐席已在另一台电脑登录,电话正在那台电脑使用',
    });
    expect(second.browser).not.toBe(first.browser);
    expect((await credentials(s, b, CONSOLE_B)).status).toBe(409);
    expect((await credentials(s, a, CONSOLE_A)).status).toBe(200);
  });

  it('when a second computer takes the phone, should tell the first console, and refuse the first console’s credentials from then on', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    const socketA = await socketOf(s, a);
    const pushed = next(socketA, 'phone:owner-changed', (o) => o.consoleId === CONSOLE_B);

    expect(ok(await claim(s, b, CONSOLE_B, true))).toMatchObject({ owned: true, owner: { consoleId: CONSOLE_B } });
    expect(await pushed).toMatchObject({ seatId: 's01', consoleId: CONSOLE_B });

    const refused = await credentials(s, a, CONSOLE_A);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ ok: false, error: { code: 'CONFLICT', message: '此坐席的电话已转到另一台电脑,本机不再登记' } });
    expect((await credentials(s, b, CONSOLE_B)).status).toBe(200);
    // A SIP phone that names no console (a desk phone, the test phones) is not arbitrated.
    expect((await credentials(s, a)).status).toBe(200);
  });

  it('when another tab of the same browser claims, should give it the phone without `take` (the tabs settle it with Web Locks)', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    const tab = ok(await claim(s, a, CONSOLE_B));
    expect(tab).toMatchObject({ owned: true, owner: { consoleId: CONSOLE_B } });
    expect(tab.owner.browser).toBe(tab.browser);
  });

  it('when the seat is talking, another computer should not be able to take the phone (it would cut the call)', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    const engine = s.app.engine;
    for (const seat of engine.listSeats()) if (seat.state.kind === 'ready') engine.setSeatNotReady(seat.profile.id, 'rest');
    engine.setSeatReady('s01');
    engine.offerCall({ id: 'call-1', caller: '13800000001', dialed: '12348' });
    engine.answered('call-1', 's01');

    expect(ok(await claim(s, b, CONSOLE_B, true))).toMatchObject({
      owned: false,
      owner: { consoleId: CONSOLE_A },
      reason: '此坐席正在另一台电脑通话,通话结束后才能在此电脑使用电话',
    });
    engine.hangup('call-1', 'caller');
    expect(ok(await claim(s, b, CONSOLE_B, true)).owned).toBe(true);
  });

  it('when the holder signs out, the phone should be free and the other consoles told; signing out elsewhere should change nothing', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    const socketB = await socketOf(s, b);

    // B signs out while A holds the phone: A keeps it, and the seat's state is untouched.
    await fetch(`${s.url}/api/auth/logout`, { method: 'POST', headers: { cookie: b } });
    expect((await credentials(s, a, CONSOLE_A)).status).toBe(200);

    const c = await login(s.url, 'seat01');
    const socketC = await socketOf(s, c);
    const freed = next(socketC, 'phone:owner-changed', (o) => o.consoleId === null);
    await fetch(`${s.url}/api/auth/logout`, { method: 'POST', headers: { cookie: a } });
    expect(await freed).toEqual({ seatId: 's01', consoleId: null, browser: null, since: null });
    expect(ok(await claim(s, c, CONSOLE_B)).owned).toBe(true);
    expect(socketB.connected).toBe(false);
  });

  it('when the holder releases the phone (page closed), should free it; a release by a console that does not hold it changes nothing', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    expect(ok(await release(s, b, CONSOLE_B))).toMatchObject({ consoleId: CONSOLE_A });
    expect(ok(await release(s, a, CONSOLE_A))).toMatchObject({ consoleId: null });
    expect(ok(await claim(s, b, CONSOLE_B)).owned).toBe(true);
  });

  it('when the holder’s session has ended, another computer should get the phone without taking it', async () => {
    const clock = new VirtualClock(T0);
    const s = await start(clock);
    const a = await login(s.url, 'seat01');
    ok(await claim(s, a, CONSOLE_A));
    clock.advance(13 * 3600_000);
    const b = await login(s.url, 'seat01');
    expect(ok(await claim(s, b, CONSOLE_B)).owned).toBe(true);
  });

  it('when the claim is malformed or comes from an account without a seat, should refuse it', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const bad = await claim(s, a, 'x');
    expect(bad.status).toBe(400);
    const sup = await claim(s, await login(s.url, 'supervisor'), CONSOLE_A);
    expect(sup.status).toBe(403);
    const anon = await fetch(`${s.url}/api/phone/claim`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anon.status).toBe(401);
  });
});

describe('summaries in step across the seat’s consoles', () => {
  it('when a summary is filed on one computer, the seat’s other consoles should hear it at once', async () => {
    const s = await start();
    const a = await login(s.url, 'seat01');
    const b = await login(s.url, 'seat01');
    const socketB = await socketOf(s, b);
    const engine = s.app.engine;
    for (const seat of engine.listSeats()) if (seat.state.kind === 'ready') engine.setSeatNotReady(seat.profile.id, 'rest');
    engine.setSeatReady('s01');
    engine.offerCall({ id: 'call-9', caller: '13800000009', dialed: '12348' });
    engine.answered('call-9', 's01');
    engine.hangup('call-9', 'caller');

    const heard = next(socketB, 'summary:filed', (v) => v.callId === 'call-9');
    const res = await post<CallSummaryView>(s, '/api/calls/call-9/summary', a, SUMMARY);
    expect(res.status).toBe(201);
    expect(await heard).toMatchObject({ callId: 'call-9', seatId: 's01', revision: 1, topic: SUMMARY.topic });
  });
});
