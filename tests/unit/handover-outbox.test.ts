import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { OutboxRepository } from '../../server/src/features/handover/outbox-repository.js';
import { backoffMs, OutboxWorker, outcomeOf, type OutboxTransport } from '../../server/src/features/handover/outbox-worker.js';
import { parseKeyRing, signature, signedHeaders, verifySignature } from '../../server/src/features/handover/signing.js';
import { openDatabase } from '../../server/src/store/db.js';

const T0 = Date.UTC(2026, 11, 6, 2, 0);
const KEY = { id: 'k1', secret: 'a-shared-secret-of-some-length' };

/** A fake 12345 API: answers each POST with the next scripted status (then 200), records what came. */
function fakeApi(script: (number | 'down')[] = []) {
  const received: { url: string; key: string; body: unknown; headers: Record<string, string>; status: number }[] = [];
  const transport: OutboxTransport = (url, headers, body) => {
    const next = script.shift() ?? 200;
    if (next === 'down') return Promise.reject(new Error('connect ECONNREFUSED'));
    received.push({ url, key: headers['idempotency-key']!, body: JSON.parse(body), headers, status: next });
    return Promise.resolve({ status: next, text: next === 200 ? '{"ok":true}' : 'busy' });
  };
  return { received, transport };
}

function setup(script: (number | 'down')[] = []) {
  const db = openDatabase(':memory:');
  const clock = new VirtualClock(T0);
  const repo = new OutboxRepository(db);
  const api = fakeApi(script);
  const worker = new OutboxWorker({
    repo,
    clock,
    logger: pino({ level: 'silent' }),
    endpoint: (stream) => (stream === '12345' ? { baseUrl: 'http://12345.test/api/', key: KEY } : null),
    transport: api.transport,
  });
  const put = (n: number) =>
    repo.enqueue({ stream: '12345', kind: 'work-order', path: '/work-orders', idempotencyKey: `wo-${n}`, body: { n } }, clock.now());
  return { db, clock, repo, api, worker, put };
}

describe('outbox back-off', () => {
  it('doubles the delay after each failure from 1 s and caps it at 5 min', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffMs(20)).toBe(300_000);
    expect(backoffMs(1, { baseMs: 200, maxMs: 500 })).toBe(200);
    expect(backoffMs(3, { baseMs: 200, maxMs: 500 })).toBe(500);
  });

  it('reads 2xx as delivered, 408/429/5xx as try again, other 4xx as refused for good', () => {
    expect([200, 201, 204].map(outcomeOf)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([408, 425, 429, 500, 503].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([400, 401, 404, 409, 422].map(outcomeOf)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    // A redirect is not followed (a POST would turn into a GET): the address is to be corrected, the message kept.
    expect([301, 302, 307, 308].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry']);
  });
});

describe('outbox delivery', () => {
  it('delivers a message once, signed, with its idempotency key, to the stream endpoint plus its path', async () => {
    const { api, worker, put, repo } = setup();
    const id = put(1);
    await worker.runOnce();
    expect(api.received).toHaveLength(1);
    const [r] = api.received;
    expect(r!.url).toBe('http://12345.test/api/work-orders');
    expect(r!.key).toBe('wo-1');
    expect(verifySignature([KEY], r!.headers, JSON.stringify({ n: 1 }), T0, 300)).toEqual({ ok: true, keyId: 'k1' });
    expect(repo.byId(id)).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200 });
    await worker.runOnce();
    expect(api.received).toHaveLength(1);
  });

  it('when the API is down, retries after 1 s, 2 s, 4 s and then delivers every message once, in order', async () => {
    const { api, worker, put, clock, repo } = setup(['down', 503, 'down']);
    put(1);
    put(2);
    put(3);
    await worker.runOnce(); // fails: next try in 1 s; messages 2 and 3 wait behind it
    expect(repo.heads()[0]).toMatchObject({ attempts: 1, nextAt: T0 + 1000 });
    expect(repo.heads()[0]!.lastError).toContain('ECONNREFUSED');
    clock.advance(999);
    await worker.runOnce();
    expect(repo.heads()[0]!.attempts).toBe(1); // not due yet
    clock.advance(1);
    await worker.runOnce(); // 503
    expect(repo.heads()[0]).toMatchObject({ attempts: 2, lastStatus: 503, nextAt: T0 + 1000 + 2000 });
    clock.advance(2000);
    await worker.runOnce(); // down again
    expect(repo.heads()[0]).toMatchObject({ attempts: 3, nextAt: T0 + 3000 + 4000 });
    clock.advance(4000);
    await worker.runOnce(); // back
    expect(api.received.map((r) => `${r.key} ${r.status}`)).toEqual(['wo-1 503', 'wo-1 200', 'wo-2 200', 'wo-3 200']);
    expect(repo.heads()).toEqual([]);
  });

  it('when the receiver refuses a message for good (422), records why and goes on with the next one', async () => {
    const { api, worker, put, repo } = setup([422]);
    const bad = put(1);
    put(2);
    await worker.runOnce();
    expect(repo.byId(bad)).toMatchObject({ state: 'rejected', lastStatus: 422 });
    expect(repo.byId(bad)!.lastError).toContain('对方拒收(422)');
    expect(api.received.map((r) => r.key)).toEqual(['wo-1', 'wo-2']);
    expect(repo.stuck(5, 0).map((m) => m.id)).toEqual([bad]);
  });

  it('runs itself on the injected clock after kick(), and again when a back-off ends', async () => {
    const { api, worker, put, clock } = setup(['down']);
    put(1);
    worker.kick();
    clock.advance(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(api.received).toHaveLength(0);
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 0));
    expect(api.received.map((r) => r.key)).toEqual(['wo-1']);
    worker.stop();
  });

  it('a message enqueued in a transaction that rolls back is never sent', async () => {
    const { db, api, worker, put } = setup();
    expect(() =>
      db.transaction(() => {
        put(1);
        throw new Error('the decision failed');
      })(),
    ).toThrow('the decision failed');
    await worker.runOnce();
    expect(api.received).toHaveLength(0);
  });
});

describe('signing', () => {
  const body = '{"a":1}';
  it('signs timestamp.body with HMAC-SHA256 and names the key', () => {
    const h = signedHeaders(KEY, T0, body);
    expect(h).toEqual({
      'x-hotline-key-id': 'k1',
      'x-hotline-timestamp': String(T0 / 1000),
      'x-hotline-signature': signature(KEY.secret, T0 / 1000, body),
    });
    expect(h['x-hotline-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('refuses a changed body, an unknown key, missing headers and a timestamp older than the skew', () => {
    const h = signedHeaders(KEY, T0, body);
    expect(verifySignature([KEY], h, '{"a":2}', T0, 300)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifySignature([{ id: 'k2', secret: KEY.secret }], h, body, T0, 300)).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(verifySignature([KEY], {}, body, T0, 300)).toMatchObject({ ok: false, reason: 'missing-headers' });
    expect(verifySignature([KEY], h, body, T0 + 301_000, 300)).toMatchObject({ ok: false, reason: 'stale-timestamp' });
    expect(verifySignature([KEY], h, body, T0 + 300_000, 300)).toMatchObject({ ok: true });
  });

  it('rotates: a request signed with the old key is accepted while both are in the ring; the first key signs', () => {
    const ring = parseKeyRing('# new key first\nk2=the-new-secret-value-1234\nk1=a-shared-secret-of-some-length\n');
    expect(ring.signing.id).toBe('k2');
    expect(verifySignature(ring.all, signedHeaders(KEY, T0, body), body, T0, 300)).toEqual({ ok: true, keyId: 'k1' });
    expect(() => parseKeyRing('k1=short')).toThrow('16 or more');
  });
});
