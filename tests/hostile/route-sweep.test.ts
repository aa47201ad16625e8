/**
 * Every registered HTTP route and every client socket event, tried by every kind of user (signed
 * out, seat, supervisor of the city and of one centre, manager, administrator) with hostile path
 * parameters, query strings and bodies (issue 11, issue 17 item 3). What must hold for each:
 * - no 500 and no stack: every refusal is `{ ok: false, error: { code, message } }` with a zh-CN
 *   sentence and a 4xx status (503 only for a telephony-less server's "unavailable");
 * - signed out, nothing but the public routes answers anything but 401;
 * - nothing pollutes Object.prototype and the router still answers afterwards.
 * The routes are read from the Express app itself, so a route added later is swept too.
 */
import http from 'node:http';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_EVENTS } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, login, startTestServer, type TestServer } from '../support/server.js';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const USERS = ['admin', 'supervisor', 'supervisor-dc', 'manager', 'seat01'] as const;
/** Routes anyone may call; the webhooks answer 401 on their own (no signature). */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/deployment']);
/** Routes that end the caller's own sessions or lock accounts: swept with a signed-out request only. */
const SELF_ENDING =
  /^(POST \/api\/auth\/logout|POST \/api\/my\/password|PUT \/api\/users\/:id|POST \/api\/users\/:id\/(disabled|password-reset))$/;
const PARAMS = ['fz-1', '1', '__proto__', 'constructor', '-1', 'NaN', '..%2F..%2Fdata%2Fhotline.db', `${'9'.repeat(30)}`, '%E2%80%AE'];
const QUERY = '?limit=-1&limit=x&from=NaN&to=1e999&day=2026-02-30&reason[]=a&__proto__[polluted]=1&constructor[prototype][polluted]=1';
const BODY = JSON.stringify({ __proto__: { polluted: 1 }, constructor: { prototype: { polluted: 1 } }, note: '\u202e', id: -1 }).replace(
  '{',
  '{"__proto__":{"polluted":1},',
);

let srv: TestServer;
let expressApp: Express | null = null;
const cookies: Record<string, string | null> = { anonymous: null };

beforeAll(async () => {
  // The Express app is the HTTP server's request handler (Socket.IO wraps it afterwards).
  const createServer = http.createServer;
  (http as { createServer: unknown }).createServer = (app: Express) => {
    expressApp = app;
    return createServer(app);
  };
  try {
    srv = await startTestServer({ clock: new VirtualClock(T0), env: { SESSION_HOURS: '72' } });
  } finally {
    (http as { createServer: unknown }).createServer = createServer;
  }
  for (const u of USERS) cookies[u] = await login(srv.url, u);
  const engine = srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady('s01');
  engine.offerCall({ id: 'fz-1', caller: '13900000001', dialed: '12348' });
  engine.answered('fz-1', 's01');
}, 60_000);

afterAll(async () => {
  await srv?.stop();
});

interface Layer {
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every method and path the app registers (the knowledge router is mounted at /api/knowledge). */
function registeredRoutes(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        // the client's pages (a pattern, served to anyone when the client is built) are not the API
        if (typeof layer.route.path !== 'string') continue;
        for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: `${prefix}${layer.route.path}` });
      } else if (layer.handle?.stack) {
        const sub = layer.handle.stack;
        const knowledge = sub.some((l) => l.route?.path === '/') && sub.some((l) => l.route?.path === '/:id');
        walk(sub, knowledge ? '/api/knowledge' : '/api');
      }
    }
  };
  walk((expressApp as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.map((r) => ({ ...r, path: r.path.replace(/^\/api\/api\//, '/api/').replace(/\/$/, '') }));
}

const CJK = /[\u4e00-\u9fff]/;
/** zod's own English sentences (a schema without a message of its own). */
const ENGLISH = /Invalid input|Unrecognized key|Too (big|small)|expected (string|number|object|array|boolean)|Invalid (option|string|URL)/;

describe('every route, every user, hostile parameters', () => {
  it('never a 500, refusals in zh-CN, signed out always 401 but for the public routes', async () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const who = SELF_ENDING.test(key) ? ['anonymous'] : Object.keys(cookies);
      const params = r.path.includes(':') ? PARAMS : [''];
      for (const p of params) {
        const url = `${srv.url}${r.path.replace(/:[A-Za-z]+/g, p)}${QUERY}`;
        const replies = await Promise.all(
          who.map(async (u) => {
            const res = await fetch(url, {
              method: r.method,
              headers: { 'content-type': 'application/json', origin: srv.url, ...(cookies[u] ? { cookie: cookies[u] } : {}) },
              body: r.method === 'GET' || r.method === 'HEAD' ? undefined : BODY,
            });
            return { u, status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
          }),
        );
        for (const { u, status, type, text } of replies) {
          const at = `${key} [${p}] as ${u}: ${status} ${text.slice(0, 120)}`;
          if (status >= 500 && !(status === 503 && text.includes('"UNAVAILABLE"'))) problems.push(`server error: ${at}`);
          if (u === 'anonymous' && !PUBLIC.has(key) && status !== 401) problems.push(`signed out not 401: ${at}`);
          if (status >= 400 && status !== 416) {
            if (!type.includes('application/json')) {
              problems.push(`refusal not JSON: ${at}`);
              continue;
            }
            const body = JSON.parse(text) as { ok?: boolean; error?: { code?: string; message?: string } };
            if (body.ok !== false || !body.error?.code || !CJK.test(body.error.message ?? ''))
              problems.push(`refusal without a zh-CN sentence: ${at}`);
            if (ENGLISH.test(body.error?.message ?? '')) problems.push(`refusal in English: ${at}`);
            if (/at .+\.(ts|js):\d+/.test(text)) problems.push(`stack in the reply: ${at}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  }, 300_000);
});

describe('every socket event, every user', () => {
  it('a signed-out handshake is refused; each event answers an ack with a code and a zh-CN sentence, never INTERNAL', async () => {
    await expect(connect(srv.url, null)).rejects.toThrow(/UNAUTHENTICATED/);
    const problems: string[] = [];
    for (const u of USERS) {
      const socket = await connect(srv.url, cookies[u]!);
      try {
        for (const event of COMMAND_EVENTS) {
          for (const payload of [{}, { __proto__: { polluted: 1 } }, 'x', null, [1, 2, 3]]) {
            const ack = await new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) =>
              (socket.emit as (...a: unknown[]) => void)(event, payload, resolve),
            );
            if (ack.ok) continue;
            const at = `${event} as ${u} with ${JSON.stringify(payload)}: ${JSON.stringify(ack.error)}`;
            if (!ack.error?.code || ack.error.code === 'INTERNAL' || !CJK.test(ack.error.message) || ENGLISH.test(ack.error.message))
              problems.push(at);
          }
        }
        expect(socket.connected, u).toBe(true);
      } finally {
        socket.disconnect();
      }
    }
    expect(problems).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
