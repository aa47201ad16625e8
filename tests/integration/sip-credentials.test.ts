import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipCredentials } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

const SECRET = 'integration-test-secret';
let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv = null;
});

const start = async (opts: Parameters<typeof startTestServer>[0] = {}) => (srv = await startTestServer({ sipSecret: SECRET, ...opts }));
const credentials = (s: TestServer, cookie?: string) => fetch(`${s.url}/api/sip/credentials`, { headers: cookie ? { cookie } : {} });

/** The session's stored end (sliding: the request itself may have moved it). */
const sessionEnd = (s: TestServer, username: string): number =>
  (
    s.db.prepare('SELECT MAX(s.expires_at) AS e FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?').get(username) as {
      e: number;
    }
  ).e;

describe('GET /api/sip/credentials', () => {
  it('when not logged in, should answer 401', async () => {
    const s = await start();
    const res = await credentials(s);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('when a supervisor (no seat) asks, should refuse with 403 and a sentence in Chinese', async () => {
    const s = await start();
    for (const user of ['supervisor', 'manager', 'admin']) {
      const res = await credentials(s, await login(s.url, user));
      expect(res.status).toBe(403);
      expect((await res.json()).error).toEqual({ code: 'FORBIDDEN', message: '只有绑定了坐席的坐席账号可以使用软电话' });
    }
  });

  it('when a seat asks, should issue credentials for its own seat that end by the session, and forbid caching', async () => {
    const s = await start();
    const before = Date.now();
    const res = await credentials(s, await login(s.url, 'seat03'));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = (await res.json()).data as SipCredentials;

    expect(c.seatId).toBe('s03');
    expect(c.username).toMatch(/^\d{10}:s03$/);
    expect(c.username.endsWith(':s03')).toBe(true);
    const expiry = Number(c.username.split(':')[0]);
    expect(c.expiresAt).toBe(expiry * 1000);
    expect(c.expiresAt).toBeLessThanOrEqual(sessionEnd(s, 'seat03'));
    expect(c.expiresAt).toBeGreaterThan(before + 11.9 * 3600_000); // default: 12 h, the session's length
    expect(c.password).toBe(crypto.createHmac('sha1', SECRET).update(c.username).digest('base64'));
    expect(c).toMatchObject({
      uri: 'sip:s03@12348.local',
      domain: '12348.local',
      wsUrl: 'ws://127.0.0.1:8088',
    });
  });

  it('when the session ends before SIP_CREDENTIAL_HOURS, the credentials should end no later than the session', async () => {
    const T0 = Date.UTC(2026, 10, 23, 2, 0, 0, 500);
    const clock = new VirtualClock(T0);
    const s = await start({ clock, env: { SESSION_HOURS: '1', SIP_CREDENTIAL_HOURS: '12' } });
    const cookie = await login(s.url, 'seat04'); // the session ends at T0 + 1 h
    clock.advance(30_000); // too little to slide the session's end (it moves by whole minutes)

    const c = (await (await credentials(s, cookie)).json()).data as SipCredentials;

    expect(sessionEnd(s, 'seat04')).toBe(T0 + 3600_000);
    expect(c.expiresAt).toBe(Math.floor((T0 + 3600_000) / 1000) * 1000);
    expect(c.username).toBe(`${Math.floor((T0 + 3600_000) / 1000)}:s04`);
  });

  it('when SIP_CREDENTIAL_HOURS is shorter than the session, should use it', async () => {
    const s = await start({ env: { SIP_CREDENTIAL_HOURS: '0.5', SIP_DOMAIN: 'sip.example.org', SIP_WS_ADDR: '10.1.2.3:8443' } });
    const before = Date.now();
    const c = (await (await credentials(s, await login(s.url, 'seat05'))).json()).data as SipCredentials;
    expect(c.expiresAt).toBeGreaterThan(before + 1800_000 - 2000);
    expect(c.expiresAt).toBeLessThanOrEqual(Date.now() + 1800_000);
    expect(c).toMatchObject({ uri: 'sip:s05@sip.example.org', domain: 'sip.example.org', wsUrl: 'wss://10.1.2.3:8443' });
  });

  it('when no telephony is configured (no secret), should answer 503 with a sentence in Chinese', async () => {
    const s = await start({ sipSecret: null });
    const res = await credentials(s, await login(s.url, 'seat06'));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toEqual({ code: 'UNAVAILABLE', message: '电话系统未接入(TELEPHONY=none),软电话暂不可用' });
  });
});
