/**
 * Issue 11 item 4: sessions end at their absolute lifetime or when idle (a seat on a call or in
 * wrap-up is never idle), a sign-in gets a new id, a user has at most a few, and a socket whose
 * session ended is closed within a minute and gets no push after that. Time is a virtual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, emit, login, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

const MIN = 60_000;
const started: TestServer[] = [];
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const s of started.splice(0)) await s.stop();
});
const start = async (env: Record<string, string>) => {
  const clock = new VirtualClock(Date.UTC(2026, 11, 7, 1));
  const s = await startTestServer({ clock, env });
  started.push(s);
  return { s, clock };
};
const me = (s: TestServer, cookie: string) => fetch(`${s.url}/api/auth/me`, { headers: { cookie } }).then((r) => r.status);
const rows = (s: TestServer) => (s.db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('session lifetime', () => {
  it('when the shift is over, the session should end even though it was used all along', async () => {
    const { s, clock } = await start({ SESSION_HOURS: '1', SESSION_IDLE_MINUTES: '30' });
    const cookie = await login(s.url, 'seat01');
    for (let i = 0; i < 5; i++) {
      clock.advance(11 * MIN);
      expect(await me(s, cookie)).toBe(200);
    }
    clock.advance(6 * MIN); // 61 min after sign-in
    expect(await me(s, cookie)).toBe(401);
  });

  it('when nobody uses it for the idle time, the session should end and its row be purged by the sweep', async () => {
    const { s, clock } = await start({ SESSION_IDLE_MINUTES: '30' });
    const cookie = await login(s.url, 'seat02');
    clock.advance(20 * MIN);
    expect(await me(s, cookie)).toBe(200);
    clock.advance(20 * MIN); // 20 min since the last use
    expect(await me(s, cookie)).toBe(200);
    expect(rows(s)).toBe(1);
    clock.advance(31 * MIN);
    expect(rows(s)).toBe(0); // the sweep ended it, no request needed
    expect(await me(s, cookie)).toBe(401);
  });

  it('when a seat is on a call or in wrap-up, it should not be idle', async () => {
    const { s, clock } = await start({ SESSION_IDLE_MINUTES: '30' });
    const cookie = await login(s.url, 'seat03');
    const engine = s.app.engine;
    for (const seat of engine.listSeats()) if (seat.state.kind === 'ready') engine.setSeatNotReady(seat.profile.id, 'rest');
    engine.setSeatReady('s03');
    engine.offerCall({ id: 'long-call', caller: '13800000003', dialed: '12348' });
    engine.answered('long-call', 's03');
    clock.advance(45 * MIN); // a long call, nothing clicked
    expect(engine.getSeat('s03').state.kind).toBe('talking');
    expect(await me(s, cookie)).toBe(200);
    engine.hangup('long-call', 'caller');
    expect(engine.getSeat('s03').state.kind).toBe('wrap-up');
    clock.advance(25 * MIN); // wrap-up overdue (summary required): still not idle
    expect(engine.getSeat('s03').state.kind).toBe('wrap-up');
    expect(await me(s, cookie)).toBe(200);
  });

  it('when a seat is ready and waiting for calls on a quiet night, it should not be idle; once 示忙 it may be', async () => {
    const { s, clock } = await start({ SESSION_IDLE_MINUTES: '30' });
    const cookie = await login(s.url, 'seat06');
    const engine = s.app.engine;
    engine.setSeatReady('s06');
    clock.advance(45 * MIN); // no call came, nothing clicked
    expect(engine.getSeat('s06').state.kind).toBe('ready');
    expect(await me(s, cookie)).toBe(200);
    engine.setSeatNotReady('s06', 'rest');
    clock.advance(31 * MIN);
    expect(await me(s, cookie)).toBe(401);
  });

  it('when the user signs in again, the new session should have a new id and the one the browser carried end', async () => {
    const { s } = await start({});
    const first = await login(s.url, 'seat04');
    const res = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: first },
      body: JSON.stringify({ username: 'seat04', password: 'demo12348' }),
    });
    const second = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(second).not.toBe(first);
    expect(await me(s, first)).toBe(401);
    expect(await me(s, second)).toBe(200);
  });

  it('when a user has more sessions than SESSION_MAX_PER_USER, the oldest should end and its socket close', async () => {
    const { s } = await start({ SESSION_MAX_PER_USER: '2' });
    const a = await login(s.url, 'supervisor');
    const socket = await connect(s.url, a);
    sockets.push(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const b = await login(s.url, 'supervisor');
    const c = await login(s.url, 'supervisor');
    expect(await closed).toBe('io server disconnect');
    expect(await me(s, a)).toBe(401);
    expect(await me(s, b)).toBe(200);
    expect(await me(s, c)).toBe(200);
  });
});

describe('sockets of ended sessions', () => {
  it('when the session goes idle, its socket should be closed within a minute and get no push after that', async () => {
    const { s, clock } = await start({ SESSION_IDLE_MINUTES: '30' });
    const sup = await login(s.url, 'supervisor');
    const socket = await connect(s.url, sup);
    sockets.push(socket);
    expect((await emit(socket, 'queue:subscribe', {})).ok).toBe(true);
    let pushes = 0;
    socket.on('queue:updated', () => pushes++);
    let disconnected: string | null = null;
    socket.on('disconnect', (reason) => (disconnected = reason));
    // a change while the session is live is pushed
    s.app.engine.setSeatReady('s05');
    clock.advance(1000);
    await settle();
    expect(pushes).toBeGreaterThan(0);

    clock.advance(30 * MIN + 30_000); // idle for 30 min, and the sweep has run
    await settle();
    expect(disconnected).toBe('io server disconnect');
    const before = pushes;
    s.app.engine.setSeatNotReady('s05', 'rest');
    clock.advance(1000);
    await settle();
    expect(pushes).toBe(before);
  });
});
