/**
 * The 12345 platform simulator's HTTP side, for tests and demos (not product code). It plays
 * the 12345 vendor of README's "12345 integration" contract, written from the contract alone:
 *
 * - receives work orders, transfer results, call-back requests and ticket results under its base
 *   path, checks each signature (HMAC-SHA256 over `<timestamp>.<body>`, key id, ±300 s) and
 *   acknowledges each Idempotency-Key once (a repeat is answered 200 `{"duplicate":true}`);
 * - switches (`setMode`, or `POST /sim/mode`): `ok`, `fail` (503 to everything), `reject` (422),
 *   `delay` (answers after `delayMs`), `lose-ack` (stores the message, then answers 503 as if the
 *   answer were lost: the sender must send it again and it is acknowledged once);
 * - sends signed webhooks to 12348 (`sendWebhook`), with a chosen timestamp, delivery id or key;
 * - answers 12348's signed `GET <base>/tickets/<id>` (ticket source `fetch`) with a ticket put
 *   there by `tickets.set` (404 when unknown; `fail` and `delay` apply to it too).
 *
 * Run alone: `npx tsx tests/sim-12345/http-api.ts` (PORT, KEY_FILE, BASE_PATH from the environment).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SimMode = 'ok' | 'fail' | 'reject' | 'delay' | 'lose-ack';

export interface SimKey {
  id: string;
  secret: string;
}

export interface SimMessage {
  path: string;
  key: string;
  body: Record<string, unknown>;
  at: number;
}

export interface Sim12345 {
  url: string;
  /** The base URL 12348 posts to (H12345_API_URL). */
  apiUrl: string;
  /** Messages acknowledged, once each, in the order they were first accepted. */
  accepted: SimMessage[];
  /** Every request that reached the simulator, with the status it answered. */
  log: { path: string; key: string; status: number; reason: string }[];
  /** Tickets 12348 may fetch, by id (`callbackRequested`: the ticket asks for a call-back). */
  tickets: Map<
    string,
    { id: string; category: string; title: string; content: string; citizenPhone: string | null; callbackRequested?: boolean }
  >;
  setMode(mode: SimMode, delayMs?: number): void;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const sign = (secret: string, ts: number, body: string) =>
  'v1=' + crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

function verify(keys: SimKey[], h: http.IncomingHttpHeaders, body: string, nowMs: number): string | null {
  const keyId = String(h['x-hotline-key-id'] ?? '');
  const ts = Number(h['x-hotline-timestamp']);
  const key = keys.find((k) => k.id === keyId);
  if (!key) return `unknown key ${keyId}`;
  const want = Buffer.from(sign(key.secret, ts, body));
  const got = Buffer.from(String(h['x-hotline-signature'] ?? ''));
  if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return 'bad signature';
  if (!Number.isFinite(ts) || Math.abs(nowMs / 1000 - ts) > 300) return 'stale timestamp';
  return null;
}

export async function startSim12345(o: { keys: SimKey[]; port?: number; basePath?: string; host?: string }): Promise<Sim12345> {
  const base = o.basePath ?? '/api/12348';
  const host = o.host ?? '127.0.0.1';
  let mode: SimMode = 'ok';
  let delayMs = 0;
  const accepted: SimMessage[] = [];
  const seen = new Set<string>();
  const tickets: Sim12345['tickets'] = new Map();
  const log: Sim12345['log'] = [];
  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      if (url === '/sim/mode' && req.method === 'POST') {
        const m = JSON.parse(raw) as { mode: SimMode; delayMs?: number };
        mode = m.mode;
        delayMs = m.delayMs ?? 0;
        return reply(res, 200, { mode });
      }
      if (url === '/sim/received') return reply(res, 200, accepted);
      if (req.method === 'GET' && url.startsWith(`${base}/tickets/`))
        return getTicket(req, res, decodeURIComponent(url.slice(base.length + 9)));
      if (req.method !== 'POST' || !url.startsWith(base + '/')) return reply(res, 404, { error: 'not found' });
      const path = url.slice(base.length);
      const key = String(req.headers['idempotency-key'] ?? '');
      const answer = (status: number, reason: string, body: unknown) => {
        log.push({ path, key, status, reason });
        reply(res, status, body);
      };
      if (mode === 'fail') return answer(503, 'switched to fail', { error: 'temporarily unavailable' });
      const bad = verify(o.keys, req.headers, raw, Date.now());
      if (bad) return answer(401, bad, { error: bad });
      if (!key) return answer(400, 'no idempotency key', { error: 'Idempotency-Key required' });
      if (mode === 'reject') return answer(422, 'switched to reject', { error: 'rejected by the simulator' });
      const go = () => {
        if (seen.has(key)) return answer(200, 'duplicate', { ok: true, duplicate: true });
        seen.add(key);
        accepted.push({ path, key, body: JSON.parse(raw) as Record<string, unknown>, at: Date.now() });
        if (mode === 'lose-ack') return answer(503, 'stored, answer lost', { error: 'answer lost' });
        answer(200, 'accepted', { ok: true });
      };
      if (mode === 'delay') setTimeout(go, delayMs);
      else go();
    });
  };

  /** A signed GET of one ticket: the ticket with `callbackRequested`, or 404. */
  const getTicket = (req: http.IncomingMessage, res: http.ServerResponse, id: string) => {
    const path = `/tickets/${id}`;
    const answer = (status: number, reason: string, body: unknown) => {
      log.push({ path, key: '', status, reason });
      reply(res, status, body);
    };
    if (mode === 'fail') return answer(503, 'switched to fail', { error: 'temporarily unavailable' });
    const bad = verify(o.keys, req.headers, '', Date.now());
    if (bad) return answer(401, bad, { error: bad });
    const t = tickets.get(id);
    const go = () => {
      if (!t) return answer(404, 'unknown ticket', { error: 'no such ticket' });
      const { callbackRequested, ...ticket } = t;
      answer(200, 'ticket', { ticket, callbackRequested: callbackRequested === true });
    };
    if (mode === 'delay') setTimeout(go, delayMs);
    else go();
  };

  let server = http.createServer(handler);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(o.port ?? 0);
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://${host}:${port}`,
    apiUrl: `http://${host}:${port}${base}`,
    accepted,
    log,
    tickets,
    setMode(m, d = 0) {
      mode = m;
      delayMs = d;
    },
    down: close,
    async up() {
      server = http.createServer(handler);
      await listen(port);
    },
    stop: close,
  };
}

/** Sends one signed webhook to 12348 as 12345 would; `tamper` breaks it on purpose. */
export async function sendWebhook(
  url: string,
  body: unknown,
  key: SimKey,
  tamper: { timestampS?: number; badSignature?: boolean } = {},
): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const raw = JSON.stringify(body);
  const ts = tamper.timestampS ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hotline-key-id': key.id,
      'x-hotline-timestamp': String(ts),
      'x-hotline-signature': tamper.badSignature ? sign('not-the-secret', ts, raw) : sign(key.secret, ts, raw),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
}

/** Reads `<id>=<secret>` lines (the same file 12348 uses). */
export function readKeys(file: string): SimKey[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ id: l.slice(0, l.indexOf('=')), secret: l.slice(l.indexOf('=') + 1) }));
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const sim = await startSim12345({
    keys: readKeys(process.env.KEY_FILE ?? 'data/12345-keys'),
    port: Number(process.env.PORT ?? 5071),
    basePath: process.env.BASE_PATH,
  });
  console.log(`12345 simulator listening on ${sim.apiUrl} (POST /sim/mode {"mode":"fail"} to switch)`);
}
