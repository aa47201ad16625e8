/**
 * Hostile input on the API and the socket (issue 17 item 3), property-based with fast-check,
 * seeded and bounded: bodies shaped from the contract's zod schemas (their keys) filled with wrong
 * types, huge and deeply nested values, __proto__ / constructor keys and unicode edge cases, and
 * raw bodies no JSON encoder would write. Every answer is a 4xx with a message or a success, never
 * a 500; a refusal changes nothing in the database; nothing pollutes Object.prototype; the server
 * answers its health check afterwards. Log injection through user names, caller names and
 * summaries leaves the log one JSON entry per line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import pino from 'pino';
import {
  AlertThresholdsSchema,
  CallAssignSchema,
  CallPrioritySchema,
  KnowledgeEntryInputSchema,
  LoginRequestSchema,
  MajorReportSchema,
  PasswordChangeSchema,
  SummaryDraftSchema,
  SupervisorMessageSchema,
  TransferRequestSchema,
  UserCreateSchema,
  UserUpdateSchema,
  VisitOutcomeSchema,
  callSummaryInputSchema,
} from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, emit, login, startTestServer, type TestServer } from '../support/server.js';

const SEED = 12348;
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const logLines: string[] = [];
let srv: TestServer;
let clock: VirtualClock;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  clock = new VirtualClock(T0);
  const logger = pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) });
  srv = await startTestServer({ clock, logger, env: { SESSION_HOURS: '72' } });
  for (const u of ['admin', 'supervisor', 'seat01']) cookies[u] = await login(srv.url, u);
  // seat01 on a call: its summary routes reach the summary parser.
  const engine = srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady('s01');
  engine.offerCall({ id: 'fz-1', caller: '13900000001', dialed: '12348' });
  engine.answered('fz-1', 's01');
}, 60_000);

afterAll(async () => {
  await srv?.stop();
});

/** The top-level keys of a contract schema (objects, also behind .strict() / refinements). */
function keysOf(schema: z.ZodType): string[] {
  const s = schema as unknown as { shape?: Record<string, unknown>; def?: { in?: z.ZodType; options?: z.ZodType[] } };
  if (s.shape) return Object.keys(s.shape);
  if (s.def?.in) return keysOf(s.def.in);
  if (s.def?.options) return [...new Set(s.def.options.flatMap(keysOf))];
  return [];
}

const DEEP = 5000;
/** Unicode edge cases: lone surrogates, NUL and ESC, bidi overrides, BOM, combining marks, astral planes. */
const weirdText = fc.oneof(
  fc.constantFrom(
    '\ud800',
    '\udfff',
    'a\u0000b',
    '\u001b[31mred',
    '\u202Eevil',
    '\uFEFF',
    'e\u0301\u0301\u0301',
    '𠀀😀',
    '\u2028\u2029',
    '\r\n{"level":60}',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
/** Values below the socket's message size limit. */
const smallValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: false }),
  weirdText,
  fc.constantFrom(null, true, 0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', [], {}),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  smallValue,
  fc.constant('x'.repeat(200_000)),
  fc.constant(Array.from({ length: 20_000 }, (_, i) => i)),
);

/** A body as raw JSON text: schema keys with hostile values, or text no JSON encoder would write. */
function bodies(schema: z.ZodType): fc.Arbitrary<string> {
  const keys = keysOf(schema);
  const shaped = fc
    .dictionary(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue, { maxKeys: Math.max(1, keys.length) })
    .map((o) => JSON.stringify(o));
  const raw = fc.constantFrom(
    '{"__proto__":{"role":"admin","polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`,
    `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`,
    '{"a":1,"a":2}',
    '{bad json',
    '"just a string"',
    'null',
    '\uFEFF{}',
    '{"x":"\\ud800"}',
  );
  return fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: raw, weight: 1 });
}

/** What a refusal must leave alone: every write to the database shows in total_changes(). */
const changes = () => (srv.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

interface Target {
  method: 'POST' | 'PUT';
  path: string;
  user: string;
  schema: z.ZodType;
}
const TARGETS: Target[] = [
  { method: 'POST', path: '/api/calls/fz-1/summary', user: 'seat01', schema: callSummaryInputSchema(T0) },
  { method: 'PUT', path: '/api/calls/fz-1/summary/draft', user: 'seat01', schema: SummaryDraftSchema },
  { method: 'POST', path: '/api/calls/fz-1/major-report', user: 'seat01', schema: MajorReportSchema },
  { method: 'POST', path: '/api/users', user: 'admin', schema: UserCreateSchema },
  { method: 'PUT', path: '/api/users/1', user: 'admin', schema: UserUpdateSchema },
  { method: 'POST', path: '/api/my/password', user: 'supervisor', schema: PasswordChangeSchema },
  { method: 'PUT', path: '/api/alert-thresholds', user: 'supervisor', schema: AlertThresholdsSchema },
  { method: 'POST', path: '/api/supervisor/messages', user: 'supervisor', schema: SupervisorMessageSchema },
  { method: 'POST', path: '/api/supervisor/calls/fz-1/priority', user: 'supervisor', schema: CallPrioritySchema },
  { method: 'POST', path: '/api/supervisor/calls/fz-1/assign', user: 'supervisor', schema: CallAssignSchema },
  { method: 'POST', path: '/api/knowledge', user: 'admin', schema: KnowledgeEntryInputSchema },
  { method: 'POST', path: '/api/visits/1/outcome', user: 'supervisor', schema: VisitOutcomeSchema },
];

describe('API fuzzing from the contract schemas', () => {
  for (const t of TARGETS) {
    it(`${t.method} ${t.path}: 4xx with a message or success, never 500; a refusal changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(bodies(t.schema), async (body) => {
          const before = changes();
          const res = await fetch(`${srv.url}${t.path}`, {
            method: t.method,
            headers: { cookie: cookies[t.user]!, 'content-type': 'application/json' },
            body,
          });
          const text = await res.text();
          expect(res.status, text.slice(0, 300)).toBeLessThan(500);
          if (res.status >= 400) {
            const reply = JSON.parse(text) as { ok: boolean; error: { code: string; message: string } };
            expect(reply.ok).toBe(false);
            expect(reply.error.message.length).toBeGreaterThan(0);
            expect(changes(), `${res.status} ${text.slice(0, 200)}`).toBe(before);
          }
        }),
        { seed: SEED, numRuns: 40, endOnFailure: true },
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).role).toBeUndefined();
    });
  }

  it('sign-in: hostile user names and passwords are refused with 4xx, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(bodies(LoginRequestSchema), async (body) => {
        const res = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 40, endOnFailure: true },
    );
  });
});

describe('socket fuzzing', () => {
  it('hostile payloads on every client event: an error ack or a success, the socket and the server stay up', async () => {
    const seat = await connect(srv.url, cookies.seat01!);
    const sup = await connect(srv.url, cookies.supervisor!);
    try {
      const events = [
        [seat, 'seat:set-status'],
        [seat, 'seat:get'],
        [seat, 'seat:extend-wrap-up'],
        [seat, 'call:transfer'],
        [seat, 'transfer:report'],
        [sup, 'queue:subscribe'],
      ] as const;
      const payload = fc.oneof(
        smallValue,
        fc.dictionary(fc.constantFrom(...keysOf(TransferRequestSchema), 'status', '__proto__'), smallValue),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...events), payload, async ([socket, event], p) => {
          const before = changes();
          const ack = (await emit(socket as never, event as never, p as never)) as { ok: boolean; error?: { code: string } };
          if (!ack.ok) {
            expect(ack.error?.code).not.toBe('INTERNAL');
            if (event !== 'seat:set-status') expect(changes()).toBe(before);
          }
        }),
        { seed: SEED, numRuns: 150, endOnFailure: true },
      );
      expect(seat.connected && sup.connected).toBe(true);
    } finally {
      seat.disconnect();
      sup.disconnect();
    }
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  });
});

describe('an oversized socket message', () => {
  it('closes that socket only; the server and other sockets stay up', async () => {
    const big = await connect(srv.url, cookies.seat01!);
    const other = await connect(srv.url, cookies.supervisor!);
    try {
      const closed = new Promise<string>((resolve) => big.on('disconnect', resolve));
      big.emit('seat:set-status', { status: 'x'.repeat(200_000) } as never, () => undefined);
      expect(await closed).toBe('transport close');
      expect((await emit(other, 'queue:subscribe', {})).ok).toBe(true);
    } finally {
      big.disconnect();
      other.disconnect();
    }
  });
});

describe('log injection', () => {
  it('new lines and fake JSON in user names, caller names and summaries stay inside one log entry', async () => {
    const evil = 'x"}\n{"level":60,"msg":"forged"}\r\n\u2028';
    await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: evil, password: 'wrong-password-1' }),
    });
    srv.app.engine.offerCall({ id: `fz-log-${evil}`, caller: evil, dialed: '12348' });
    await fetch(`${srv.url}/api/calls/fz-1/summary`, {
      method: 'POST',
      headers: { cookie: cookies.seat01!, 'content-type': 'application/json' },
      body: JSON.stringify({ question: evil, answer: evil }),
    });
    // A malformed body and a path carrying the same text: both are logged as refused.
    await fetch(`${srv.url}/api/calls/${encodeURIComponent(evil)}/summary`, {
      method: 'POST',
      headers: { cookie: cookies.seat01!, 'content-type': 'application/json' },
      body: `{"question":"${evil}`,
    });
    const text = logLines.join('');
    expect(text).toContain('malformed request refused');
    const lines = text.split('\n').filter((l) => l.length > 0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown, l.slice(0, 200)).not.toThrow();
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'forged')).toBe(false);
  });
});
