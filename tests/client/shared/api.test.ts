import { describe, expect, it } from 'vitest';
import { createApi } from '../../../client/src/shared/api';
import { requestUrl } from '../support/fixtures';

function respond(status: number, body: string, headers: Record<string, string> = {}): typeof fetch {
  return async () => new Response(body, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('api: fetch wrapper', () => {
  it("when login fails with 401, should return the server's Ack unchanged", async () => {
    const body = { ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } };
    const api = createApi({ fetch: respond(401, JSON.stringify(body)) });
    expect(await api.login({ username: 'seat01', password: 'x' })).toEqual(body);
  });

  it('when login succeeds, should return the user', async () => {
    const user = { id: 1, username: 'seat01', displayName: '张律师', role: 'seat', seatId: 's01' };
    const api = createApi({ fetch: respond(200, JSON.stringify({ ok: true, data: { user } })) });
    const ack = await api.login({ username: 'seat01', password: 'pw' });
    expect(ack.ok && ack.data.user.role).toBe('seat');
  });

  it('when a proxy answers 502 with HTML, should return an INTERNAL error in zh-CN', async () => {
    const api = createApi({ fetch: respond(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' }) });
    expect(await api.me()).toEqual({ ok: false, error: { code: 'INTERNAL', message: '服务器暂时不可用,请稍后再试' } });
  });

  it('when rate limited without a JSON body, should map 429 to RATE_LIMITED', async () => {
    const api = createApi({ fetch: respond(429, 'Too Many Requests', { 'Content-Type': 'text/plain' }) });
    const ack = await api.login({ username: 'a', password: 'b' });
    expect(!ack.ok && ack.error.code).toBe('RATE_LIMITED');
  });

  it('when the network fails, should say the server cannot be reached', async () => {
    const api = createApi({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const ack = await api.reference();
    expect(!ack.ok && ack.error.message).toBe('无法连接服务器,请检查网络后重试');
  });

  it('when posting, should send JSON with the session cookie', async () => {
    let seen: RequestInit | undefined;
    let url = '';
    const api = createApi({
      fetch: async (input, init) => {
        url = requestUrl(input);
        seen = init;
        return new Response(JSON.stringify({ ok: true, data: null }));
      },
    });
    await api.login({ username: 'seat01', password: 'pw' });
    expect(url).toBe('/api/auth/login');
    expect(seen?.method).toBe('POST');
    expect(seen?.credentials).toBe('same-origin');
    const body = seen?.body;
    expect(typeof body).toBe('string');
    expect(JSON.parse(body as string)).toEqual({ username: 'seat01', password: 'pw' });
  });

  it('when the response has a Date header, should report the server time', async () => {
    const seen: number[] = [];
    const api = createApi({
      fetch: respond(200, JSON.stringify({ ok: true, data: null }), { Date: 'Mon, 06 Jan 2025 01:00:00 GMT' }),
      onServerDate: (serverAt, localAt) => seen.push(serverAt, localAt),
      now: () => 42,
    });
    await api.logout();
    expect(seen).toEqual([Date.UTC(2025, 0, 6, 1, 0, 0), 42]);
  });
});
