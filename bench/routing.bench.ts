import { execSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Call } from '../server/src/domain/call.js';
import { VirtualClock } from '../server/src/domain/clock.js';
import { AcdEngine, type EngineStore, type TelephonyPort } from '../server/src/domain/engine.js';
import type { Category, Centre, SeatProfile } from '../server/src/domain/model.js';
import { DEFAULT_ROUTING_CONFIG, RoutingConfigSchema, policyFor, type RoutingConfig } from '../server/src/domain/policy.js';
import type { Seat } from '../server/src/domain/seat.js';
import { Random } from '../server/src/sim/random.js';
import { Checks, SMOKE, writeResult } from './report.js';

/**
 * Routing decision latency: the engine's indexed router against a naive full scan,
 * measured in the same run on the same states.
 *
 *   npx tsx bench/routing.bench.ts [--seats 5000] [--waiting 10000] [--categories 50]
 *                                  [--samples 5000] [--naive-samples 300] [--seed 1] [--smoke]
 *
 * `--smoke` (npm test) runs the same scenarios at a size of a second or so. Every run
 * checks that the naive router picked the same call (and seat) as the engine on every
 * naive sample and that no call overflowed; a failed check exits with status 1.
 *
 * Scenario A, "seat becomes ready": every seat is not-ready and `waiting` calls queue.
 * One seat is made ready (engine.setSeatReady, timed) and the engine offers it the
 * best waiting call. Untimed, the call is then answered, hung up and replaced by a
 * new call, and the seat goes back to not-ready, so each sample sees the same load.
 *
 * Scenario B, "call arrives": the same backlog still waits, and the seats of one
 * county (whose callers are not in the backlog) are ready. A call for that county
 * arrives (engine.offerCall, timed) and the engine picks its seat.
 *
 * The naive router is how Asterisk's app_queue rescans members: for each decision,
 * walk every waiting call in priority/FIFO order and, for each, scan every seat for
 * a ready, eligible one (same eligibility and preference rules as the engine). Its
 * choice is compared with the engine's on every naive sample. For a seat that becomes
 * ready it applies the pairing rule (README "How routing works"): over every waiting
 * call the seat may take, highest priority, then calls past the fairness bound (oldest
 * first), then the seat's best match (specialty by proficiency before general), then the
 * oldest. The bench's fairness bound is 60 s so that both sides of it occur (the backlog's
 * oldest calls pass it during scenario A); city calls reach county specialists after
 * countyAfterS (60 s), except county-4's (countySharing), so scenario B keeps its meaning.
 */

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i]!.replace(/^--/, '');
  const v = process.argv[i + 1];
  if (v !== undefined && !v.startsWith('--')) {
    args.set(k, v);
    i++;
  } else args.set(k, '');
}
/** Defaults of a measurement, and of a smoke run (`--smoke`, seconds). */
const dflt = (full: number, smoke: number) => (SMOKE ? smoke : full);
const num = (k: string, d: number) => {
  const v = args.has(k) ? Number(args.get(k)) : d;
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`routing.bench: --${k} must be a whole number ≥ 1.\n`);
    process.exit(2);
  }
  return v;
};
const SEATS = num('seats', dflt(5000, 400));
const WAITING = num('waiting', dflt(10_000, 800));
const CATEGORIES = num('categories', dflt(50, 12));
const SAMPLES = num('samples', dflt(5000, 400));
const NAIVE_SAMPLES = num('naive-samples', dflt(300, 80));
const WARMUP = dflt(300, 30);
const SEED = num('seed', 1);
const S = 1000;
const STEP_MS = 5;

// ------------------------------------------------------------------ config and seats

const rng = new Random(SEED);
const categories: Category[] = [{ id: 'general', name: '综合咨询', ivrCodes: ['0'], general: true }];
for (let i = 1; i < CATEGORIES; i++)
  categories.push({ id: `cat-${String(i).padStart(2, '0')}`, name: `专业${i}`, ivrCodes: [String(i)], general: false });
const centres: Centre[] = [
  { id: 'city', name: '市中心', level: 'city' },
  ...[1, 2, 3, 4].map((i) => ({ id: `county-${i}`, name: `县${i}`, level: 'county' as const })),
];
/** Seats per centre (shares of SEATS); county-4 is the quiet county used by scenario B. */
const centreShare: [string, number][] = [
  ['city', 0.4],
  ['county-1', 0.15],
  ['county-2', 0.15],
  ['county-3', 0.15],
  ['county-4', 0.15],
];
const config: RoutingConfig = RoutingConfigSchema.parse({
  ...DEFAULT_ROUTING_CONFIG,
  categories,
  centres,
  homeCentre: { byTrunk: Object.fromEntries(centres.map((c) => [`trunk-${c.id}`, c.id])), byDialedPrefix: {}, defaultCentreId: 'city' },
  defaultPolicy: { ...DEFAULT_ROUTING_CONFIG.defaultPolicy, maxWaitS: 24 * 3600 },
  // county-4's seats are the ready seats of scenario B: they must not take the backlog's city calls.
  countySharing: { 'county-4': { sendsToCity: true, takesCityCalls: false } },
  pairing: { fairnessBoundS: 60 },
  serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: SEATS }], holidays: [] },
});

const profiles: SeatProfile[] = [];
{
  let made = 0;
  centreShare.forEach(([centreId, share], ci) => {
    const count = ci === centreShare.length - 1 ? SEATS - made : Math.round(SEATS * share);
    for (let i = 0; i < count; i++) {
      const n = 2 + rng.int(4); // 2..5 skills
      const skills: Record<string, number> = {};
      while (Object.keys(skills).length < n) skills[categories[rng.int(CATEGORIES)]!.id] = 1 + rng.int(5);
      const id = `s${++made}`;
      profiles.push({ id, name: `座席${made}`, staffNo: String(made), centreId, skills, languages: ['zh'] });
    }
  });
}

/** Call categories follow a Zipf-like law: a few specialties take most calls. */
const catWeights = categories.map((_, i) => 1 / (i + 1) ** 0.8);
const catTotal = catWeights.reduce((a, b) => a + b, 0);
function pickCategory(): string {
  let u = rng.next() * catTotal;
  for (let i = 0; i < catWeights.length; i++) {
    u -= catWeights[i]!;
    if (u <= 0) return categories[i]!.id;
  }
  return categories[0]!.id;
}
const FLAGS = ['elderly', 'disabled', 'minor', 'migrant-worker', 'women'] as const;

// ------------------------------------------------------------------ engine with a no-op store

const clock = new VirtualClock(Date.UTC(2026, 0, 5, 2, 0));
const noopStore: EngineStore = {
  transaction: (fn) => fn(),
  saveCall: () => {},
  saveSeatState: () => {},
  lastAnsweringSeat: () => null,
};
/** The ring telephony was asked for (set by the port below; reset before each decision). */
let lastRing: { callId: string; seatId: string } | null;
let overflowed = 0;
const telephony: TelephonyPort = {
  ring: (call, seatId) => {
    lastRing = { callId: call.id, seatId };
  },
  overflow: (call) => {
    overflowed++;
    naiveQueue.remove(call);
  },
  cancelRing: () => {},
};
const engine = new AcdEngine({ clock, store: noopStore, telephony, config, seats: profiles });
const seatObjs: Seat[] = engine.listSeats();

// ------------------------------------------------------------------ the naive router

/** Waiting calls kept in priority (high first) / enqueue order, as a scanning router would hold them. */
class NaiveQueue {
  readonly calls: Call[] = [];
  private readonly before = (a: Call, b: Call) => a.priority > b.priority || (a.priority === b.priority && a.enqueuedAt < b.enqueuedAt);

  add(call: Call): void {
    let lo = 0;
    let hi = this.calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(this.calls[mid]!, call)) lo = mid + 1;
      else hi = mid;
    }
    this.calls.splice(lo, 0, call);
  }

  remove(call: Call): void {
    const i = this.calls.indexOf(call);
    if (i >= 0) this.calls.splice(i, 1);
  }
}
const naiveQueue = new NaiveQueue();

const cityId = 'city';
const centreLevel = new Map(centres.map((c) => [c.id, c.level]));
const generalIds = new Set(categories.filter((c) => c.general).map((c) => c.id));

/** What a call needs of a seat right now: computed once per call per decision. */
interface CallNeeds {
  call: Call;
  minProf: number;
  general: boolean;
  cityOk: boolean;
  /** A city call that county specialists (of the counties that take city calls) may take now. */
  countyOk: boolean;
  overdue: boolean;
}

const countiesTakingCityCalls = new Set(
  centres.filter((c) => c.level === 'county' && config.countySharing[c.id]?.takesCityCalls !== false).map((c) => c.id),
);

/** Per decision: whether a city seat with the category (at the policy's lowest accepted proficiency) is signed in, by a full seat scan. */
function citySpecialistCache(): (categoryId: string) => boolean {
  const cache = new Map<string, boolean>();
  return (categoryId) => {
    let v = cache.get(categoryId);
    if (v === undefined) {
      const p = policyFor(config, categoryId);
      const floor = Math.min(p.initialMinProficiency, p.lowerProficiencyAfterS === null ? 5 : p.expandedMinProficiency);
      v = seatObjs.some((s) => s.state.kind !== 'offline' && s.profile.centreId === cityId && (s.profile.skills[categoryId] ?? 0) >= floor);
      cache.set(categoryId, v);
    }
    return v;
  };
}

function needsOf(call: Call, now: number, citySpecialist: (categoryId: string) => boolean): CallNeeds {
  const p = policyFor(config, call.categoryId);
  const waited = now - call.enqueuedAt;
  const reached = (s: number | null) => s !== null && waited >= s * S;
  const lowered = reached(p.lowerProficiencyAfterS);
  const city = centreLevel.get(call.homeCentreId) === 'county' && reached(p.cityAfterS);
  const county =
    call.homeCentreId === cityId && (reached(p.countyAfterS) || (p.countyWithoutCitySpecialist && !citySpecialist(call.categoryId)));
  return {
    call,
    minProf: lowered ? Math.min(p.expandedMinProficiency, p.initialMinProficiency) : p.initialMinProficiency,
    general: reached(p.generalAfterS),
    cityOk: call.homeCentreId !== cityId && (city || call.sharedToCity),
    countyOk: county,
    overdue: waited >= config.pairing.fairnessBoundS * S,
  };
}

const generalProf = new Map<Seat, number>(
  seatObjs.map((s) => [
    s,
    Math.max(
      0,
      ...Object.entries(s.profile.skills)
        .filter(([c]) => generalIds.has(c))
        .map(([, v]) => v),
    ),
  ]),
);

/**
 * Rank of `seat` for a call (lower is better), or -1 when it may not take it. Mirrors the
 * engine's rules: home centre, then the city for a county call, then county specialists
 * for a city call; within each, specialty by proficiency, then general.
 */
function naiveRank(n: CallNeeds, seat: Seat): number {
  const call = n.call;
  const centre = seat.profile.centreId;
  const home = centre === call.homeCentreId;
  const atCity = centre === cityId && n.cityOk;
  const atCounty = !home && call.homeCentreId === cityId && countiesTakingCityCalls.has(centre) && n.countyOk;
  if (!home && !atCity && !atCounty) return -1;
  if (call.excludedSeats.includes(seat.profile.id)) return -1;
  const prof = seat.profile.skills[call.categoryId];
  let tier = -1;
  if (prof !== undefined && prof >= n.minProf)
    tier = 5 - prof; // 0..4: best proficiency first
  else if (n.general && !atCounty) {
    const g = generalProf.get(seat)!;
    if (g > 0) tier = 5 + (5 - g); // general seats after the specialists
  }
  if (tier < 0) return -1;
  return (home ? 0 : atCity ? 10 : 20) + tier;
}

/**
 * One naive decision for a call: the first waiting call (priority, then FIFO) that some
 * ready seat may take, and its best seat (home centre, proficiency, then longest idle).
 */
function naiveDecide(waiting: readonly Call[], seats: readonly Seat[], now: number): { callId: string; seatId: string } | null {
  const citySpecialist = citySpecialistCache();
  for (const call of waiting) {
    if (call.state.kind !== 'queued') continue;
    const needs = needsOf(call, now, citySpecialist);
    let best: Seat | null = null;
    let bestRank = Infinity;
    let bestIdle = Infinity;
    for (const seat of seats) {
      const st = seat.state;
      if (st.kind !== 'ready') continue;
      const rank = naiveRank(needs, seat);
      if (rank < 0) continue;
      if (rank < bestRank || (rank === bestRank && st.since < bestIdle)) {
        best = seat;
        bestRank = rank;
        bestIdle = st.since;
      }
    }
    if (best) return { callId: call.id, seatId: best.profile.id };
  }
  return null;
}

/**
 * One naive decision for a seat that becomes ready: every waiting call it may take, in the
 * pairing order (priority; past the fairness bound, oldest first; the seat's best match,
 * specialty by proficiency before general; oldest).
 */
function naivePair(waiting: readonly Call[], seat: Seat, now: number): { callId: string; seatId: string } | null {
  const citySpecialist = citySpecialistCache();
  let best: { n: CallNeeds; match: number } | null = null;
  for (const call of waiting) {
    if (call.state.kind !== 'queued') continue;
    const n = needsOf(call, now, citySpecialist);
    if (naiveRank(n, seat) < 0) continue;
    const prof = seat.profile.skills[call.categoryId];
    const match = prof !== undefined && prof >= n.minProf ? 5 - prof : 5;
    const b = best;
    const before =
      !b ||
      (call.priority !== b.n.call.priority
        ? call.priority > b.n.call.priority
        : n.overdue !== b.n.overdue
          ? n.overdue
          : !n.overdue && match !== b.match
            ? match < b.match
            : call.enqueuedAt < b.n.call.enqueuedAt);
    if (before) best = { n, match };
  }
  return best ? { callId: best.n.call.id, seatId: seat.profile.id } : null;
}

// ------------------------------------------------------------------ helpers

let callSeq = 0;
const BACKLOG_CENTRES = ['city', 'county-1', 'county-2', 'county-3'];
function newIncoming(centreId: string) {
  const id = `call-${++callSeq}`;
  const flags = rng.next() < 0.1 ? [FLAGS[rng.int(FLAGS.length)]!] : [];
  return {
    id,
    caller: `139${String(callSeq).padStart(8, '0')}`,
    dialed: '12348',
    trunk: `trunk-${centreId}`,
    categoryId: pickCategory(),
    flags: [...flags],
  };
}
function addBacklogCall(): void {
  const centre = BACKLOG_CENTRES[rng.int(BACKLOG_CENTRES.length)]!;
  const call = engine.offerCall(newIncoming(centre));
  if (call.state.kind === 'queued') naiveQueue.add(call);
}
/** Ends an offered call (answer, hang up, close wrap-up) outside the timed section. */
function finishOffer(ring: { callId: string; seatId: string }, seatNext: 'not-ready' | 'ready'): void {
  const call = engine.getCall(ring.callId)!;
  naiveQueue.remove(call);
  engine.answered(ring.callId, ring.seatId);
  engine.hangup(ring.callId, 'caller');
  // The seat files the call's summary, as the console does (POST /api/calls/:id/summary);
  // without it the summary gate keeps the seat in wrap-up (wrapUp.requireSummary).
  engine.summaryFiled(ring.callId, ring.seatId);
  if (seatNext === 'not-ready') engine.setSeatNotReady(ring.seatId, 'rest');
  else engine.endWrapUp(ring.seatId);
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return {
    n: s.length,
    p50: r(q(0.5)),
    p90: r(q(0.9)),
    p99: r(q(0.99)),
    max: r(s[s.length - 1]!),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

// ------------------------------------------------------------------ scenario A: a seat becomes ready

const t0 = performance.now();
for (const s of seatObjs) engine.setSeatNotReady(s.profile.id, 'rest');
while (naiveQueue.calls.length < WAITING) {
  addBacklogCall();
  clock.advance(STEP_MS);
}
const backlogSetupMs = performance.now() - t0;

const poolA = seatObjs.filter((s) => s.profile.centreId !== 'county-4');
const engineA: number[] = [];
const naiveA: number[] = [];
let agreeA = 0;
let nullA = 0;
const naiveEveryA = Math.max(1, Math.floor(SAMPLES / NAIVE_SAMPLES));

for (let i = 0; i < WARMUP + SAMPLES; i++) {
  const seat = poolA[rng.int(poolA.length)]!;
  const measured = i >= WARMUP;
  const runNaive = measured && (i - WARMUP) % naiveEveryA === 0;
  let naive: { callId: string; seatId: string } | null = null;
  if (runNaive) {
    const n0 = performance.now();
    naive = naivePair(naiveQueue.calls, seat, clock.now());
    naiveA.push(performance.now() - n0);
  }
  lastRing = null;
  const e0 = performance.now();
  engine.setSeatReady(seat.profile.id);
  const e1 = performance.now();
  if (measured) engineA.push(e1 - e0);
  const ring = lastRing as { callId: string; seatId: string } | null;
  if (runNaive && (naive?.callId ?? null) === (ring?.callId ?? null)) agreeA++;
  if (ring) {
    finishOffer(ring, 'not-ready');
    addBacklogCall();
  } else {
    nullA++;
    engine.setSeatNotReady(seat.profile.id, 'rest');
  }
  clock.advance(STEP_MS);
}

// ------------------------------------------------------------------ scenario B: a call arrives, some seats ready

const quiet = seatObjs.filter((s) => s.profile.centreId === 'county-4');
for (const s of quiet) {
  engine.setSeatReady(s.profile.id);
  clock.advance(1); // distinct idle-since times, so "longest idle" has no ties
}
const engineB: number[] = [];
const naiveB: number[] = [];
let agreeB = 0;
let queuedB = 0;
const naiveSamplesB = Math.max(1, Math.min(NAIVE_SAMPLES, 100));
const naiveEveryB = Math.max(1, Math.floor(SAMPLES / naiveSamplesB));

for (let i = 0; i < WARMUP + SAMPLES; i++) {
  const measured = i >= WARMUP;
  const runNaive = measured && (i - WARMUP) % naiveEveryB === 0;
  const incoming = newIncoming('county-4');
  let naive: { callId: string; seatId: string } | null = null;
  if (runNaive) {
    // The arriving call joins the scan at its place in line.
    const probe = {
      id: incoming.id,
      categoryId: incoming.categoryId,
      homeCentreId: 'county-4',
      priority: engine.priorityOf(incoming.flags),
      enqueuedAt: clock.now(),
      excludedSeats: [],
      sharedToCity: false,
      state: { kind: 'queued', since: clock.now() },
    } as unknown as Call;
    const n0 = performance.now();
    const waiting = [...naiveQueue.calls];
    const at = waiting.findIndex((c) => c.priority < probe.priority);
    waiting.splice(at < 0 ? waiting.length : at, 0, probe);
    naive = naiveDecide(waiting, seatObjs, clock.now());
    naiveB.push(performance.now() - n0);
  }
  lastRing = null;
  const e0 = performance.now();
  const call = engine.offerCall(incoming);
  const e1 = performance.now();
  if (measured) engineB.push(e1 - e0);
  const ring = lastRing as { callId: string; seatId: string } | null;
  if (runNaive && naive?.callId === ring?.callId && naive?.seatId === ring?.seatId) agreeB++;
  if (ring) finishOffer(ring, 'ready');
  else {
    queuedB++;
    if (call.state.kind === 'queued') engine.hangup(call.id, 'caller');
  }
  clock.advance(STEP_MS);
}

// ------------------------------------------------------------------ report

const a = { engine: stats(engineA), naive: stats(naiveA) };
const b = { engine: stats(engineB), naive: stats(naiveB) };
const ratio = (n: number, e: number) => Math.round((n / e) * 10) / 10;
let cpu = os.cpus()[0]?.model ?? 'unknown';
let nproc = os.availableParallelism?.() ?? os.cpus().length;
try {
  nproc = Number(execSync('nproc').toString().trim()) || nproc;
} catch {
  /* keep os value */
}
cpu = cpu.trim();
const result = {
  date: new Date().toISOString(),
  machine: { nproc, cpu, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  setup: {
    seats: SEATS,
    waiting: naiveQueue.calls.length,
    categories: CATEGORIES,
    centres: centres.length,
    skillsPerSeat: '2-5, proficiency 1-5',
    seed: SEED,
    backlogSetupMs: Math.round(backlogSetupMs),
    overflowed,
  },
  unit: 'ms per decision',
  seatReady: {
    engine: a.engine,
    naive: a.naive,
    ratioP50: ratio(a.naive.p50, a.engine.p50),
    ratioP99: ratio(a.naive.p99, a.engine.p99),
    naiveAgreement: `${agreeA}/${naiveA.length}`,
    seatsLeftWithoutCall: nullA,
  },
  callArrives: {
    readySeats: quiet.length,
    engine: b.engine,
    naive: b.naive,
    ratioP50: ratio(b.naive.p50, b.engine.p50),
    ratioP99: ratio(b.naive.p99, b.engine.p99),
    naiveAgreement: `${agreeB}/${naiveB.length}`,
    callsLeftQueued: queuedB,
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n\n`);
const line = (name: string, r: { engine: ReturnType<typeof stats>; naive: ReturnType<typeof stats> }, x50: number, x99: number) =>
  `${name.padEnd(22)} engine p50 ${r.engine.p50.toFixed(3)} ms  p99 ${r.engine.p99.toFixed(3)} ms (n=${r.engine.n}) | ` +
  `naive p50 ${r.naive.p50.toFixed(3)} ms  p99 ${r.naive.p99.toFixed(3)} ms (n=${r.naive.n}) | naive/engine ×${x50} (p50) ×${x99} (p99)`;
process.stdout.write(
  [
    `Routing decision, ${SEATS} seats, ${result.setup.waiting} waiting calls, ${CATEGORIES} categories, ${centres.length} centres (node ${process.version}, ${nproc} CPU)`,
    line('seat becomes ready', a, result.seatReady.ratioP50, result.seatReady.ratioP99),
    line('call arrives', b, result.callArrives.ratioP50, result.callArrives.ratioP99),
    `naive picked the same call/seat as the engine: ${result.seatReady.naiveAgreement} and ${result.callArrives.naiveAgreement}`,
  ].join('\n') + '\n',
);

// The engine's choices against the reference (the naive scan), and the run's own bookkeeping.
const checks = new Checks();
checks.equal('seat becomes ready: naive scan chose the same call', agreeA, naiveA.length);
checks.equal('call arrives: naive scan chose the same call and seat', agreeB, naiveB.length);
checks.expect('naive samples taken', naiveA.length > 0 && naiveB.length > 0, `${naiveA.length} and ${naiveB.length}`);
checks.equal('backlog kept at its size', naiveQueue.calls.length, WAITING);
checks.equal('calls overflowed (max wait is a day)', overflowed, 0);
checks.equal('engine samples', engineA.length + engineB.length, 2 * SAMPLES);
process.stdout.write(`result written to ${writeResult('routing', { ...result, smoke: SMOKE, checks: checks.all })}\n`);
checks.finish('routing.bench');
