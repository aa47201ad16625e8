import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, emit, login, startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('health and login', () => {
  it('when the server is up, GET /api/health should answer {"ok": true}', async () => {
    const res = await fetch(`${srv.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('when the password is right, login should set an HttpOnly SameSite session cookie and return the user', async () => {
    const res = await post('/api/auth/login', { username: 'seat01', password: 'demo12348' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hotline_sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, data: { user: { username: 'seat01', role: 'seat', seatId: 's01', displayName: '王建国' } } });
  });

  it('when the password is wrong or the user unknown, login should answer the same 401 sentence', async () => {
    const wrong = await post('/api/auth/login', { username: 'seat02', password: 'nope' });
    const unknown = await post('/api/auth/login', { username: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await wrong.json();
    const b = await unknown.json();
    expect(a).toEqual(b);
    expect(a.error).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
  });

  it('when fields are missing, login should answer 400 with the messages per field', async () => {
    const res = await post('/api/auth/login', { username: '' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.fields.username).toEqual(['请输入用户名']);
    expect(body.error.fields.password).toEqual(['请输入密码']);
  });

  it('when the body is not JSON, login should answer 400 with a clear sentence', async () => {
    const res = await post('/api/auth/login', '{not json');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'VALIDATION', message: '请求体不是有效的 JSON' });
  });

  it('when one account fails five times, the sixth try should be refused with 429 even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await post('/api/auth/login', { username: 'seat03', password: 'bad' })).status).toBe(401);
    const res = await post('/api/auth/login', { username: 'seat03', password: 'demo12348' });
    expect(res.status).toBe(429);
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
  });

  it("after logout, the session's open sockets should be disconnected", async () => {
    const cookie = await login(srv.url, 'seat08');
    const socket = await connect(srv.url, cookie);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await post('/api/auth/logout', {}, { cookie });
    expect(await closed).toBe('io server disconnect');
  });

  it('after logout, the old cookie should no longer authenticate', async () => {
    const cookie = await login(srv.url, 'seat04');
    expect((await fetch(`${srv.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    await post('/api/auth/logout', {}, { cookie });
    expect((await fetch(`${srv.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('roles', () => {
  it('when not logged in, the queue should answer 401', async () => {
    const res = await fetch(`${srv.url}/api/queue`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it("when a seat asks for the supervisors' queue view, it should be refused with 403", async () => {
    const cookie = await login(srv.url, 'seat05');
    expect((await fetch(`${srv.url}/api/queue`, { headers: { cookie } })).status).toBe(403);
  });

  it('when a supervisor asks for the queue, it should get every seat', async () => {
    const cookie = await login(srv.url, 'supervisor');
    const res = await fetch(`${srv.url}/api/queue`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data.seats.length).toBeGreaterThanOrEqual(15);
  });

  it('when a supervisor tries to change the routing config, it should be refused with 403', async () => {
    const cookie = await login(srv.url, 'supervisor');
    const res = await fetch(`${srv.url}/api/config/routing`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('when a socket connects without a session, it should be refused', async () => {
    await expect(connect(srv.url, null)).rejects.toThrow(/UNAUTHENTICATED/);
  });
});

describe('demo data', () => {
  it('should have at least 15 seats over a city and two county centres, covering every category', async () => {
    const cookie = await login(srv.url, 'admin');
    const seats = (await (await fetch(`${srv.url}/api/seats`, { headers: { cookie } })).json()).data as {
      centreId: string;
      skills: Record<string, number>;
    }[];
    const ref = (await (await fetch(`${srv.url}/api/reference`, { headers: { cookie } })).json()).data as {
      categories: { id: string }[];
      centres: { id: string; level: string }[];
    };
    expect(seats.length).toBeGreaterThanOrEqual(15);
    expect(ref.centres.filter((c) => c.level === 'county').length).toBeGreaterThanOrEqual(2);
    for (const centre of ref.centres) expect(seats.some((s) => s.centreId === centre.id)).toBe(true);
    for (const cat of ref.categories) expect(seats.some((s) => (s.skills[cat.id] ?? 0) >= 3)).toBe(true);
  });
});

describe('sessions on sockets', () => {
  it('when the session has expired, a socket command should be refused as UNAUTHENTICATED and the socket closed', async () => {
    const cookie = await login(srv.url, 'seat09');
    const socket = await connect(srv.url, cookie);
    srv.db.prepare('UPDATE sessions SET expires_at = 0').run();
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const ack = await emit(socket, 'seat:get', {});
    expect(ack).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已失效,请重新登录' } });
    await closed;
    expect(srv.app.engine.getSeat('s09').state.kind).toBe('offline');
  });
});
