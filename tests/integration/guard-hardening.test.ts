/**
 * Issue 11 items 1 and 7: one malformed request never stops the router; security headers, the
 * Origin check, JSON-only bodies and the socket limits.
 */
import { io as ioClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, emit, login, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

const BAD_COOKIE = 'hotline_sid=%E0%A4%A';

let srv: TestServer;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  srv = await startTestServer();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await srv.stop();
});

const health = async (url = srv.url) => (await fetch(`${url}/api/health`)).status;

describe('one malformed request never stops the router', () => {
  it('when the session cookie is not valid percent-encoding, HTTP should treat it as no cookie (401, not 500)', async () => {
    const res = await fetch(`${srv.url}/api/auth/me`, { headers: { cookie: BAD_COOKIE } });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect(await health()).toBe(200);
  });

  it('when a Socket.IO handshake carries that cookie, it should be refused as unauthenticated and the router keep serving', async () => {
    await expect(connect(srv.url, BAD_COOKIE)).rejects.toThrow(/UNAUTHENTICATED/);
    // with a real cookie next to it, the bad one does not matter either
    const good = await login(srv.url, 'seat01');
    await expect(connect(srv.url, `other=%E0%A4%A; ${good}`)).resolves.toBeTruthy();
    expect(await health()).toBe(200);
  });

  it('when a path is not valid percent-encoding, should answer 400 without a stack', async () => {
    const cookie = await login(srv.url, 'supervisor');
    for (const path of ['/api/calls/%E0%A4%A/summary', '/api/calls/%E0%A4%A/history', '/api/knowledge/%E0%A4%A']) {
      const res = await fetch(`${srv.url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('VALIDATION');
      expect(text).not.toMatch(/URIError|at .*\.(js|ts)/);
    }
    const page = await fetch(`${srv.url}/%E0%A4%A`);
    expect(page.status).toBeLessThan(500);
    expect(await page.text()).not.toMatch(/URIError|at .*\.(js|ts)/);
    expect(await health()).toBe(200);
  });
});

describe('security headers', () => {
  it('every answer should carry a strict CSP, nosniff, no referrer and no framing; the API is no-store; no HSTS over http', async () => {
    for (const path of ['/', '/api/health']) {
      const res = await fetch(`${srv.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    const cookie = await login(srv.url, 'seat02');
    expect((await fetch(`${srv.url}/api/auth/me`, { headers: { cookie } })).headers.get('cache-control')).toBe('no-store');
  });

  it("when cookies are secure (https), should send HSTS; the softphone's WebSocket is allowed in connect-src", async () => {
    const s = await startTestServer({ env: { COOKIE_SECURE: 'true', SIP_WS_ADDR: '10.0.0.5:8443' }, sipSecret: 'x' });
    try {
      const res = await fetch(`${s.url}/api/health`);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toMatch(/connect-src 'self' wss:\/\/10\.0\.0\.5:8443/);
    } finally {
      await s.stop();
    }
  });
});

describe('Origin check', () => {
  const post = (path: string, headers: Record<string, string>, body: unknown = {}) =>
    fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it("when a page of another origin posts with the victim's cookie, should refuse it with 403 before anything changes", async () => {
    const cookie = await login(srv.url, 'supervisor');
    const res = await post('/api/auth/logout', { cookie, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toEqual({ code: 'FORBIDDEN', message: '请求来源不被允许:请从本系统的页面操作' });
    // the session is still there: the logout never ran
    expect((await fetch(`${srv.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    const viaFetchMetadata = await post('/api/auth/logout', { cookie, 'sec-fetch-site': 'cross-site' });
    expect(viaFetchMetadata.status).toBe(403);
    const nullOrigin = await post('/api/auth/logout', { cookie, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
  });

  it('when the Origin is the router itself, should pass', async () => {
    const res = await post('/api/auth/login', { origin: srv.url }, { username: 'seat03', password: 'demo12348' });
    expect(res.status).toBe(200);
  });

  it('when a Socket.IO handshake comes from another origin, should refuse it; PUBLIC_ORIGINS lets a named one in', async () => {
    const cookie = await login(srv.url, 'seat04');
    const evil = ioClient(srv.url, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin: 'http://evil.example' },
      reconnection: false,
      forceNew: true,
    });
    await expect(
      new Promise((resolve, reject) => {
        evil.once('connect', () => resolve('connected'));
        evil.once('connect_error', (err) => reject(err));
      }),
    ).rejects.toThrow();
    evil.close();
    const s = await startTestServer({ env: { PUBLIC_ORIGINS: 'https://12348.example.gov.cn' } });
    try {
      const c = await login(s.url, 'seat04');
      const ok = await connect(s.url, c, undefined);
      ok.disconnect();
      const named = ioClient(s.url, {
        transports: ['websocket'],
        extraHeaders: { cookie: c, origin: 'https://12348.example.gov.cn' },
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        named.once('connect', () => resolve());
        named.once('connect_error', (err) => reject(err));
      });
      named.disconnect();
    } finally {
      await s.stop();
    }
  });
});

describe('bodies and sockets', () => {
  it('when a body is not JSON (a form post, plain text), should answer 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${srv.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'username=seat01&password=demo12348',
      });
      expect(res.status, type).toBe(415);
      expect((await res.json()).error.code).toBe('VALIDATION');
    }
  });

  it('when a user opens more sockets than SOCKETS_PER_USER, the next one should be refused', async () => {
    const s = await startTestServer({ env: { SOCKETS_PER_USER: '2' } });
    try {
      const cookie = await login(s.url, 'supervisor');
      const a = await connect(s.url, cookie);
      const b = await connect(s.url, cookie);
      await expect(connect(s.url, cookie)).rejects.toThrow(/TOO_MANY_CONNECTIONS/);
      // another user is not affected, and a closed socket frees its place
      (await connect(s.url, await login(s.url, 'manager'))).disconnect();
      a.disconnect();
      await new Promise((r) => setTimeout(r, 100));
      const c = await connect(s.url, cookie);
      for (const x of [b, c]) x.disconnect();
    } finally {
      await s.stop();
    }
  });

  it('when a socket message is larger than SOCKET_MAX_MESSAGE_BYTES, the socket should be closed and the router go on', async () => {
    const s = await startTestServer({ env: { SOCKET_MAX_MESSAGE_BYTES: '4096' } });
    try {
      const cookie = await login(s.url, 'seat05');
      const socket = await connect(s.url, cookie);
      expect((await emit(socket, 'seat:get', {})).ok).toBe(true);
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      socket.emit('seat:get', { padding: 'x'.repeat(10_000) } as never, () => undefined);
      expect(await closed).toMatch(/transport (close|error)/);
      expect(await health(s.url)).toBe(200);
    } finally {
      await s.stop();
    }
  });
});

describe('text hygiene over HTTP', () => {
  it('when a knowledge entry carries a bidi override, the API should refuse it with the field named', async () => {
    const cookie = await login(srv.url, 'supervisor');
    const res = await fetch(`${srv.url}/api/knowledge`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        categoryId: 'labor',
        question: '拖欠\u202e工资怎么办',
        answer: '可以向劳动监察部门投诉或者申请劳动仲裁',
        keywords: [],
      }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.fields.question).toEqual(['标准问题含有不允许的控制字符或文字方向控制符(U+202E),请删除后重试']);
  });
});
