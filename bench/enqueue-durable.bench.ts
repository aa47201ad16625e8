/**
 * Enqueue to decision, including the durable write: the time from a call's
 * arrival (engine.offerCall) to the routing decision being committed to SQLite
 * (WAL, synchronous=FULL, on this machine's disk) and handed to telephony.
 *
 *   npx tsx bench/enqueue-durable.bench.ts [--calls 5000] [--json]
 */
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

const args = process.argv.slice(2);
const calls = Number(args[args.indexOf('--calls') + 1] ?? 0) || 5000;
const json = args.includes('--json');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
const db = openDatabase(path.join(dir, 'bench.db'));
const seatsRepo = new SeatRepo(db);
for (const s of DEMO_SEATS) seatsRepo.upsert(s);

let decidedAt = 0;
const telephony: TelephonyPort = {
  ring: () => (decidedAt = performance.now()),
  overflow: () => (decidedAt = performance.now()),
  cancelRing: () => {},
};
const alwaysOpen = {
  ...DEFAULT_ROUTING_CONFIG,
  homeCentre: { ...DEFAULT_ROUTING_CONFIG.homeCentre, byTrunk: { dongcheng: 'dongcheng', xishan: 'xishan' } },
  serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: 20 }], holidays: [] } };
const engine = new AcdEngine({ clock: SystemClock, store: new SqliteEngineStore(db), telephony, config: alwaysOpen, seats: seatsRepo.list() });

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

// Case A: a seat is ready, so the decision is "ring seat S" (offer committed, then telephony told).
// Case B: every seat busy, so the decision is "keep waiting" (queued call committed).
const ringLat: number[] = [];
const queueLat: number[] = [];
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
  const call = engine.offerCall({ id: `b-${i}`, caller: `1390000${String(i).padStart(4, '0')}`, dialed: '12348', trunk: seat.centreId, ivrCode: ivrOf.get(top) });
  const t1 = performance.now();
  if (call.state.kind === 'ringing') ringLat.push(decidedAt - t0);
  else if (call.state.kind === 'queued') queueLat.push(t1 - t0);
  else throw new Error(`unexpected ${call.state.kind} for ${call.id}`);
  // clear the stage for the next round
  if (call.state.kind === 'ringing') engine.declined(call.id, call.state.seatId);
  for (const c of engine.waitingCalls()) if (c.state.kind === 'queued') engine.hangup(c.id, 'caller');
  for (const s of engine.listSeats()) if (s.state.kind === 'ready' || s.state.kind === 'not-ready') engine.setSeatOffline(s.profile.id);
}
const result = {
  calls,
  synchronous: db.pragma('synchronous', { simple: true }),
  journal: db.pragma('journal_mode', { simple: true }),
  ringDecision: { n: ringLat.length, p50Ms: pct(ringLat, 50), p99Ms: pct(ringLat, 99), maxMs: Math.max(...ringLat) },
  queueDecision: { n: queueLat.length, p50Ms: pct(queueLat, 50), p99Ms: pct(queueLat, 99), maxMs: Math.max(...queueLat) },
};
db.close();
fs.rmSync(dir, { recursive: true, force: true });
if (json) console.log(JSON.stringify(result));
else {
  console.log(`enqueue → decision incl. durable write (SQLite WAL, synchronous=${result.synchronous === 2 ? 'FULL' : result.synchronous})`);
  console.log(`  ring a seat : n=${result.ringDecision.n} p50=${result.ringDecision.p50Ms.toFixed(3)} ms p99=${result.ringDecision.p99Ms.toFixed(3)} ms max=${result.ringDecision.maxMs.toFixed(3)} ms`);
  console.log(`  keep waiting: n=${result.queueDecision.n} p50=${result.queueDecision.p50Ms.toFixed(3)} ms p99=${result.queueDecision.p99Ms.toFixed(3)} ms max=${result.queueDecision.maxMs.toFixed(3)} ms`);
}
