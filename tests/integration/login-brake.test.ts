/**
 * Issue 11 item 3: the sign-in brake holds under parallel guesses, counts per account and
 * address, cannot be used to lock the real user out, survives a restart, and administrators see
 * and clear its locks. Addresses come from X-Forwarded-For with TRUST_PROXY=loopback (the
 * tests' proxy is loopback itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

const started: TestServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});
const start = async (opts: Parameters<typeof startTestServer>[0] = {}) => {
  const s = await startTestServer({ ...opts, env: { TRUST_PROXY: 'loopback', ...opts.env } });
  started.push(s);
  return s;
};

const attempt = (s: TestServer, username: string, password: string, from: string) =>
  fetch(`${s.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username, password }),
  });

const ATTACKER = '203.0.113.66';
const OFFICE = '198.51.100.7';

describe('the sign-in brake', () => {
  it('when 30 wrong guesses arrive in parallel, only the first 5 should be checked and the other 25 refused', async () => {
    const s = await start();
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(s, 'seat01', `guess-${i}`, ATTACKER).then((r) => r.status)),
    );
    expect(statuses.filter((x) => x === 401)).toHaveLength(5);
    expect(statuses.filter((x) => x === 429)).toHaveLength(25);
    // the right password from that address waits too
    expect((await attempt(s, 'seat01', 'demo12348', ATTACKER)).status).toBe(429);
  });

  it('when an attacker has locked an account from its address, the real user should still sign in from theirs', async () => {
    const s = await start();
    for (let i = 0; i < 8; i++) await attempt(s, 'seat02', `guess-${i}`, ATTACKER);
    expect((await attempt(s, 'seat02', 'demo12348', ATTACKER)).status).toBe(429);
    expect((await attempt(s, 'seat02', 'demo12348', OFFICE)).status).toBe(200);
    // and the real user's success did not clear the attacker's lock
    expect((await attempt(s, 'seat02', 'demo12348', ATTACKER)).status).toBe(429);
  });

  it('when the user signs in after some failures, only their own pair should start over', async () => {
    const s = await start();
    for (let i = 0; i < 4; i++) await attempt(s, 'seat03', 'typo', OFFICE);
    for (let i = 0; i < 4; i++) await attempt(s, 'seat03', 'guess', ATTACKER);
    expect((await attempt(s, 'seat03', 'demo12348', OFFICE)).status).toBe(200);
    // the office's count is back to zero: four more typos are still answered 401
    for (let i = 0; i < 4; i++) expect((await attempt(s, 'seat03', 'typo', OFFICE)).status).toBe(401);
    // the attacker's four still count: one more and it waits
    expect((await attempt(s, 'seat03', 'guess', ATTACKER)).status).toBe(401);
    expect((await attempt(s, 'seat03', 'guess', ATTACKER)).status).toBe(429);
  });

  it('when the wait is over and the guess is wrong again, the next wait should be longer', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 11, 7, 2));
    const s = await start({ clock });
    for (let i = 0; i < 5; i++) await attempt(s, 'seat04', 'guess', ATTACKER);
    const first = await attempt(s, 'seat04', 'guess', ATTACKER);
    expect(first.status).toBe(429);
    expect((await first.json()).error.message).toBe('登录失败次数过多,请 1 分钟后再试');
    clock.advance(61_000);
    expect((await attempt(s, 'seat04', 'guess', ATTACKER)).status).toBe(401);
    const second = await attempt(s, 'seat04', 'guess', ATTACKER);
    expect((await second.json()).error.message).toBe('登录失败次数过多,请 2 分钟后再试');
    clock.advance(121_000);
    expect((await attempt(s, 'seat04', 'demo12348', ATTACKER)).status).toBe(200);
  });

  it('when one address tries many accounts, the looser per-address limit should stop it, not other addresses', async () => {
    const s = await start();
    const users = ['seat05', 'seat06', 'seat07', 'seat08', 'seat09', 'seat10', 'seat11', 'seat12', 'seat13', 'seat14', 'seat15'];
    let refused = 0;
    for (let i = 0; i < 50; i++) if ((await attempt(s, users[i % users.length]!, `guess-${i}`, ATTACKER)).status === 429) refused++;
    expect(refused).toBe(0); // 4-5 per account: no account-and-address pair reached its wait
    const res = await attempt(s, 'seat16', 'demo12348', ATTACKER);
    expect(res.status).toBe(429);
    expect((await attempt(s, 'seat16', 'demo12348', OFFICE)).status).toBe(200);
  });

  it('when the router restarts, the counters should still hold', async () => {
    const s = await start();
    for (let i = 0; i < 5; i++) await attempt(s, 'seat06', 'guess', ATTACKER);
    await s.stop({ keepDb: true });
    started.splice(started.indexOf(s), 1);
    const again = await start({ dbPath: s.dbPath });
    expect((await attempt(again, 'seat06', 'demo12348', ATTACKER)).status).toBe(429);
  });

  it('when no proxy is trusted (the default), X-Forwarded-For should not change the address counted', async () => {
    const s = await startTestServer();
    started.push(s);
    for (let i = 0; i < 5; i++) await attempt(s, 'seat07', 'guess', `192.0.2.${i}`);
    expect((await attempt(s, 'seat07', 'demo12348', '192.0.2.99')).status).toBe(429);
  });
});

describe('administrators and the brake', () => {
  it('an administrator should see the locks and clear one; other roles should be refused', async () => {
    const s = await start();
    for (let i = 0; i < 5; i++) await attempt(s, 'seat08', 'guess', ATTACKER);
    const admin = await login(s.url, 'admin');
    const list = await (await fetch(`${s.url}/api/admin/login-locks`, { headers: { cookie: admin } })).json();
    const lock = list.data.find((l: { kind: string; username: string }) => l.kind === 'account' && l.username === 'seat08');
    expect(lock).toMatchObject({ address: ATTACKER, failures: 5 });
    expect(lock.lockedUntil).toBeGreaterThan(Date.now());

    const supervisor = await login(s.url, 'supervisor');
    const refused = await fetch(`${s.url}/api/admin/login-locks`, { headers: { cookie: supervisor } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe('只有系统管理员可以查看或解除登录限制');

    const cleared = await fetch(`${s.url}/api/admin/login-locks/${lock.id}`, { method: 'DELETE', headers: { cookie: admin } });
    expect((await cleared.json()).data).toEqual({ cleared: 1 });
    expect((await attempt(s, 'seat08', 'demo12348', ATTACKER)).status).toBe(200);
    const gone = await fetch(`${s.url}/api/admin/login-locks/${lock.id}`, { method: 'DELETE', headers: { cookie: admin } });
    expect(gone.status).toBe(404);
  });

  it('an administrator should unlock an account from every address at once', async () => {
    const s = await start();
    for (const from of [ATTACKER, OFFICE]) for (let i = 0; i < 5; i++) await attempt(s, 'seat09', 'guess', from);
    const admin = await login(s.url, 'admin');
    const res = await fetch(`${s.url}/api/admin/login-locks?username=SEAT09`, { method: 'DELETE', headers: { cookie: admin } });
    expect((await res.json()).data).toEqual({ cleared: 2 });
    expect((await attempt(s, 'seat09', 'demo12348', OFFICE)).status).toBe(200);
  });
});
