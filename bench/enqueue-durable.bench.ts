/**
 * Enqueue to decision, including the durable write: the time from a call's
 * arrival (engine.offerCall) to the routing decision being committed to SQLite
 * (WAL, synchronous=FULL, on this machine's disk) and handed to telephony.
 *
 *   npx tsx bench/enqueue-durable.bench.ts [--calls 5000] [--json] [--smoke]
 *
 * Durability is checked on every run, untimed: when telephony is told to ring (and when a
 * queued call's offerCall returns) a second SQLite connection must already see the call
 * committed in that state, and at the end a fresh connection must find every call, ended,
 * with one `offered` event per ring. A failed check exits with status 1. `--smoke` (npm test)
 * runs 200 calls.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SystemClock } from '../server/src/domain/clock.js';
import { AcdEngine, type TelephonyPort } from '../server/src/domain/engine.js';
import { DEFAULT_ROUTING_CONFIG } from '../server/src/domain/policy.js';
import { DEMO_SEATS } from '../server/src/seed/demo.js';
import { openDatabase } from '../server/src/store/db.js';
import { SqliteEngineStore } from '../server/src/store/engine-store.js';
import { SeatRepository as SeatRepo } from '../server/src/features/seats/seat-repository.js';
import { Checks, SMOKE, writeResult } from './report.js';

const args = process.argv.slice(2);
const calls = (args.includes('--calls') ? Number(args[args.indexOf('--calls') + 1]) : 0) || (SMOKE ? 200 : 5000);
const json = args.includes('--json');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
const dbPath = path.join(dir, 'bench.db');
const db = openDatabase(dbPath);
const seatsRepo = new SeatRepo(db);
for (const s of DEMO_SEATS) seatsRepo.upsert(s);
/** A second connection: sees only what the engine has committed. */
const reader = new Database(dbPath, { readonly: true });
const committedState = reader.prepare<[string], { state_kind: string }>('SELECT state_kind FROM calls WHERE id = ?');
const stateOnDisk = (id: string) => committedState.get(id)?.state_kind ?? 'missing';

/** When telephony heard the decision (set by the port below; reset before each call). */
let decidedAt: number;
/** Rings whose call was not yet committed as ringing when telephony heard of it. */
const ringsBeforeCommit: string[] = [];
const telephony: TelephonyPort = {
  ring: (call) => {
    decidedAt = performance.now();
    const st = stateOnDisk(call.id); // untimed: after the decision time is taken
    if (st !== 'ringing') ringsBeforeCommit.push(`${call.id}: ${st}`);
  },
  overflow: () => (decidedAt = performance.now()),
  cancelRing: () => {},
};
const alwaysOpen = {
  ...DEFAULT_ROUTING_CONFIG,
  homeCentre: { ...DEFAULT_ROUTING_CONFIG.homeCentre, byTrunk: { dongcheng: 'dongcheng', xishan: 'xishan' } },
  serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: 20 }], holidays: [] },
};
const engine = new AcdEngine({
  clock: SystemClock,
  store: new SqliteEngineStore(db),
  telephony,
  config: alwaysOpen,
  seats: seatsRepo.list(),
});

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

// Case A: a seat is ready, so the decision is "ring seat S" (offer committed, then telephony told).
// Case B: every seat busy, so the decision is "keep waiting" (queued call committed).
const ringLat: number[] = [];
const queueLat: number[] = [];
const queuedNotCommitted: string[] = [];
const ivrOf = new Map(alwaysOpen.categories.map((c) => [c.id, c.ivrCodes[0]!]));
for (let i = 0; i < calls; i++) {
  const ready = i % 2 === 0;
  const seat = DEMO_SEATS[i % DEMO_SEATS.length]!;
  if (ready) engine.setSeatReady(seat.id);
  else engine.setSeatNotReady(seat.id, 'meeting'); // logged in, busy: the call waits
  const t0 = performance.now();
  decidedAt = 0;
  // the seat's strongest specialty, so that a ready seat is a match
  const top = Object.entries(seat.skills).sort((a, b) => b[1] - a[1])[0]![0];
  const call = engine.offerCall({
    id: `b-${i}`,
    caller: `1390000${String(i).padStart(4, '0')}`,
    dialed: '12348',
    trunk: seat.centreId,
    ivrCode: ivrOf.get(top),
  });
  const t1 = performance.now();
  if (call.state.kind === 'ringing') ringLat.push(decidedAt - t0);
  else if (call.state.kind === 'queued') {
    queueLat.push(t1 - t0);
    const st = stateOnDisk(call.id);
    if (st !== 'queued') queuedNotCommitted.push(`${call.id}: ${st}`);
  } else throw new Error(`unexpected ${call.state.kind} for ${call.id}`);
  // clear the stage for the next round
  if (call.state.kind === 'ringing') engine.declined(call.id, call.state.seatId);
  for (const c of engine.waitingCalls()) if (c.state.kind === 'queued') engine.hangup(c.id, 'caller');
  for (const s of engine.listSeats()) if (s.state.kind === 'ready' || s.state.kind === 'not-ready') engine.setSeatOffline(s.profile.id);
}
const result = {
  calls,
  synchronous: db.pragma('synchronous', { simple: true }) as number, // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
  journal: db.pragma('journal_mode', { simple: true }),
  ringDecision: { n: ringLat.length, p50Ms: pct(ringLat, 50), p99Ms: pct(ringLat, 99), maxMs: Math.max(...ringLat) },
  queueDecision: { n: queueLat.length, p50Ms: pct(queueLat, 50), p99Ms: pct(queueLat, 99), maxMs: Math.max(...queueLat) },
};
reader.close();
db.close();
// Everything the bench was told happened must be on disk: a fresh connection reads it back.
const after = new Database(dbPath, { readonly: true });
const onDisk = after.prepare("SELECT COUNT(*) AS n, COUNT(ended_at) AS ended FROM calls WHERE id LIKE 'b-%'").get() as {
  n: number;
  ended: number;
};
const offeredOnDisk = (
  after.prepare("SELECT COUNT(*) AS n FROM call_events WHERE type = 'offered' AND call_id LIKE 'b-%'").get() as { n: number }
).n;
after.close();
fs.rmSync(dir, { recursive: true, force: true });
const checks = new Checks();
checks.equal('ring decisions (seat ready rounds)', ringLat.length, Math.ceil(calls / 2));
checks.equal('keep-waiting decisions (every seat busy rounds)', queueLat.length, Math.floor(calls / 2));
checks.expect(
  'rings told to telephony before the call was committed',
  ringsBeforeCommit.length === 0,
  `${ringsBeforeCommit.length}${ringsBeforeCommit.length ? ` (first: ${ringsBeforeCommit[0]})` : ''}`,
);
checks.expect(
  'queued calls not committed when offerCall returned',
  queuedNotCommitted.length === 0,
  `${queuedNotCommitted.length}${queuedNotCommitted.length ? ` (first: ${queuedNotCommitted[0]})` : ''}`,
);
checks.equal('calls on disk after the run', onDisk.n, calls);
checks.equal('calls on disk ended', onDisk.ended, calls);
checks.equal('offered events on disk', offeredOnDisk, ringLat.length);
const file = writeResult('enqueue-durable', { ...result, smoke: SMOKE, checks: checks.all });
if (json) console.log(JSON.stringify(result));
else {
  console.log(`enqueue → decision incl. durable write (SQLite WAL, synchronous=${result.synchronous === 2 ? 'FULL' : result.synchronous})`);
  console.log(
    `  ring a seat : n=${result.ringDecision.n} p50=${result.ringDecision.p50Ms.toFixed(3)} ms p99=${result.ringDecision.p99Ms.toFixed(3)} ms max=${result.ringDecision.maxMs.toFixed(3)} ms`,
  );
  console.log(
    `  keep waiting: n=${result.queueDecision.n} p50=${result.queueDecision.p50Ms.toFixed(3)} ms p99=${result.queueDecision.p99Ms.toFixed(3)} ms max=${result.queueDecision.maxMs.toFixed(3)} ms`,
  );
  console.log(`result written to ${file}`);
}
checks.finish('enqueue-durable.bench');
