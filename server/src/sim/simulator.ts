import { performance } from 'node:perf_hooks';
import { isTerminal, type Call } from '../domain/call.js';
import { VirtualClock } from '../domain/clock.js';
import { AcdEngine, type Acd, type EngineStore, type TelephonyPort } from '../domain/engine.js';
import { erlangPrediction, trafficErlangs, type ErlangPrediction } from '../domain/stats/erlang.js';
import { KpiAccumulator, SeatTimeTracker, type KpiSummary } from '../domain/stats/kpi.js';
import type { Category, SeatProfile } from '../domain/model.js';
import { DEFAULT_ROUTING_CONFIG, RoutingConfigSchema, type RoutingConfig } from '../domain/policy.js';
import { Random } from './random.js';

/**
 * Queue simulator: drives the real AcdEngine on a VirtualClock with Poisson
 * arrivals and exponential talk times, and reads the result through the same
 * KpiAccumulator as the live server. Seats answer every offer at once (the
 * telephony port calls engine.answered from inside ring(), which the engine allows:
 * ring() is called after its command has finished), so with one skill, FIFO and no
 * abandonment the engine is an M/M/N queue and must agree with Erlang C.
 *
 * No warm-up period is discarded: the run starts with an empty queue and idle seats,
 * and for runs of 10^5 calls the start-up transient moves the figures by far less
 * than their sampling noise. All C calls are served to the end (arrivals stop after
 * the C-th), so every call counts.
 */

export interface SimOptions {
  seats: number;
  arrivalsPerHour: number;
  /** Mean talk time (exponential), seconds. */
  ahtS: number;
  /** Service-level threshold T, seconds. */
  thresholdS: number;
  calls: number;
  seed: number;
  /** Fixed wrap-up after each call, seconds (default 0). */
  wrapS?: number;
  /** Categories the calls spread over uniformly (default 1); every seat has them all. */
  categories?: number;
  /** Mean caller patience (exponential), seconds; null/undefined: nobody abandons. */
  patienceS?: number | null;
  /** Called with every finished call (e.g. to check each wait); the engine drops it afterwards. */
  onCall?: (call: Call) => void;
}

export interface SimResult {
  params: Required<Omit<SimOptions, 'patienceS' | 'onCall'>> & { patienceS: number | null };
  /** Answered within T ÷ answered (the Erlang C definition). */
  serviceLevel: number | null;
  /** Answered within T ÷ (answered + abandoned after T): the service level of docs/definitions.md. */
  serviceLevelDomain: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  overflowed: number;
  occupancy: number | null;
  /** Erlang C prediction with AHT = talk + wrap-up (exact only when wrap-up is 0). */
  erlang: ErlangPrediction;
  /** What the random draws actually gave (the sampled load differs from the nominal one by noise). */
  observed: { arrivalsPerHour: number; talkSeconds: number | null; pWait: number | null };
  simulatedHours: number;
  elapsedMs: number;
  kpi: KpiSummary;
}

export class SimOptionError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimOptionError';
  }
}

const MAX_SEATS = 10_000;

/** Checks every option and names the CLI flag of the first bad one. */
export function validateSimOptions(o: SimOptions): void {
  const need = (ok: boolean, flag: string, what: string, got: unknown) => {
    if (!ok) throw new SimOptionError(flag, `--${flag} must be ${what} (got ${String(got)}).`);
  };
  const int = (v: number) => Number.isInteger(v);
  need(int(o.seats) && o.seats >= 1 && o.seats <= MAX_SEATS, 'seats', `a whole number from 1 to ${MAX_SEATS}`, o.seats);
  need(Number.isFinite(o.arrivalsPerHour) && o.arrivalsPerHour > 0, 'arrivals-per-hour', 'a number > 0', o.arrivalsPerHour);
  need(Number.isFinite(o.ahtS) && o.ahtS > 0, 'aht-s', 'a number of seconds > 0', o.ahtS);
  need(
    Number.isFinite(o.thresholdS) && o.thresholdS >= 0 && o.thresholdS <= 7 * 24 * 3600,
    'threshold-s',
    'a number of seconds from 0 to 604800',
    o.thresholdS,
  );
  need(int(o.calls) && o.calls >= 1, 'calls', 'a whole number ≥ 1', o.calls);
  need(int(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff, 'seed', 'a whole number from 0 to 4294967295', o.seed);
  const wrap = o.wrapS ?? 0;
  need(Number.isFinite(wrap) && wrap >= 0 && wrap <= 7 * 24 * 3600, 'wrap-s', 'a number of seconds from 0 to 604800', wrap);
  const k = o.categories ?? 1;
  need(int(k) && k >= 1 && k <= 200, 'categories', 'a whole number from 1 to 200', k);
  const p = o.patienceS ?? null;
  need(p === null || (Number.isFinite(p) && p > 0), 'patience-s', 'a number of seconds > 0', p);
  const a = trafficErlangs(o.arrivalsPerHour, o.ahtS + wrap);
  if (p === null && a >= o.seats) {
    throw new SimOptionError(
      'seats',
      `--seats ${o.seats} cannot carry ${a.toFixed(2)} Erlangs (--arrivals-per-hour × (--aht-s + --wrap-s) ÷ 3600): ` +
        'the queue would grow without bound. Add seats, lower the load, or give --patience-s.',
    );
  }
}

/** The routing config the simulator runs: one centre, open 7×24, no expansion, nothing overflows. */
export function simConfig(o: Pick<SimOptions, 'seats' | 'thresholdS' | 'wrapS' | 'categories'>): RoutingConfig {
  const k = o.categories ?? 1;
  const categories: Category[] = [{ id: 'general', name: '综合咨询', ivrCodes: [], general: true }];
  for (let i = 2; i <= k; i++) categories.push({ id: `skill-${i}`, name: `专业${i}`, ivrCodes: [], general: false });
  const d = DEFAULT_ROUTING_CONFIG;
  return RoutingConfigSchema.parse({
    ...d,
    categories,
    centres: [{ id: 'city', name: '模拟中心', level: 'city' }],
    homeCentre: { byTrunk: {}, byDialedPrefix: {}, defaultCentreId: 'city' },
    defaultPolicy: {
      ...d.defaultPolicy,
      lowerProficiencyAfterS: null,
      generalAfterS: null,
      cityAfterS: null,
      maxWaitS: 7 * 24 * 3600,
      stickyWindowS: 0,
    },
    categoryPolicies: {},
    wrapUp: { ...d.wrapUp, seconds: o.wrapS ?? 0, requireSummary: false },
    serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: o.seats }], holidays: [] },
    kpi: { ...d.kpi, serviceLevelThresholdS: o.thresholdS },
  });
}

const START = Date.UTC(2026, 0, 5, 0, 0, 0); // any instant works: the calendar is open 7×24

export function simulate(opts: SimOptions): SimResult {
  validateSimOptions(opts);
  const t0 = performance.now();
  const wrapS = opts.wrapS ?? 0;
  const k = opts.categories ?? 1;
  const patienceMs = opts.patienceS != null ? opts.patienceS * 1000 : null;
  const config = simConfig(opts);
  const categoryIds = config.categories.map((c) => c.id);

  // Independent streams, so e.g. adding patience does not change the arrival times.
  const arrivalRng = new Random(opts.seed);
  const talkRng = new Random(opts.seed ^ 0x5bd1e995);
  const patienceRng = new Random(opts.seed ^ 0x27d4eb2f);
  const meanGapMs = 3_600_000 / opts.arrivalsPerHour;
  const meanTalkMs = opts.ahtS * 1000;

  const clock = new VirtualClock(START);
  const acc = new KpiAccumulator({ serviceLevelThresholdS: opts.thresholdS, shortAbandonS: config.kpi.shortAbandonS });
  const seatTime = new SeatTimeTracker(acc);
  let finished = 0;
  let overflowed = 0;
  let waited = 0;
  let lastArrivalAt = START;

  // Keeps nothing: finished calls go straight into the KPI accumulator.
  const store: EngineStore = {
    transaction: (fn) => fn(),
    saveCall(call) {
      if (!isTerminal(call.state.kind)) return;
      acc.addCall(call);
      const answered = call.state.kind === 'ended' ? call.events.find((e) => e.type === 'answered') : undefined;
      if (answered && answered.at > call.enqueuedAt) waited++;
      opts.onCall?.(call);
      finished++;
    },
    saveSeatState(seat) {
      seatTime.observe(seat.profile.id, seat.state.kind, clock.now());
    },
    lastAnsweringSeat: () => null,
  };

  const telephony: TelephonyPort = {
    ring(call, seatId) {
      engine.answered(call.id, seatId);
      const id = call.id;
      clock.setTimeout(() => engine.hangup(id, 'caller'), talkRng.exponential(meanTalkMs));
    },
    overflow() {
      overflowed++;
    },
    cancelRing() {},
  };

  const skills: Record<string, number> = Object.fromEntries(categoryIds.map((c) => [c, 3]));
  const seats: SeatProfile[] = Array.from({ length: opts.seats }, (_, i) => ({
    id: `s${i + 1}`,
    name: `座席${i + 1}`,
    staffNo: String(i + 1),
    centreId: 'city',
    skills,
    languages: ['zh'],
  }));
  const engine: Acd = new AcdEngine({ clock, store, telephony, config, seats });
  for (const s of seats) engine.setSeatReady(s.id);

  let arrived = 0;
  const arrive = (): void => {
    const id = `c${++arrived}`;
    lastArrivalAt = clock.now();
    const categoryId = k === 1 ? categoryIds[0]! : categoryIds[arrivalRng.int(k)]!;
    engine.offerCall({ id, caller: id, dialed: '12348', categoryId });
    if (patienceMs !== null) {
      clock.setTimeout(() => {
        if (engine.getCall(id)?.state.kind === 'queued') engine.hangup(id, 'caller');
      }, patienceRng.exponential(patienceMs));
    }
    if (arrived < opts.calls) clock.setTimeout(arrive, arrivalRng.exponential(meanGapMs));
  };
  clock.setTimeout(arrive, arrivalRng.exponential(meanGapMs));

  while (finished < opts.calls && clock.step()) {
    // every event runs inside step()
  }
  if (finished < opts.calls) throw new Error(`Simulation stalled: ${finished} of ${opts.calls} calls finished.`);
  seatTime.closeAll(clock.now());

  const kpi = acc.summary();
  return {
    params: {
      seats: opts.seats,
      arrivalsPerHour: opts.arrivalsPerHour,
      ahtS: opts.ahtS,
      thresholdS: opts.thresholdS,
      calls: opts.calls,
      seed: opts.seed,
      wrapS,
      categories: k,
      patienceS: opts.patienceS ?? null,
    },
    serviceLevel: kpi.serviceLevelAnswered,
    serviceLevelDomain: kpi.serviceLevel,
    asaSeconds: kpi.asaSeconds,
    ahtSeconds: kpi.ahtSeconds,
    offered: kpi.offered,
    answered: kpi.answered,
    abandoned: kpi.abandoned,
    shortAbandoned: kpi.shortAbandoned,
    overflowed,
    occupancy: kpi.occupancy,
    erlang: erlangPrediction(opts.seats, opts.arrivalsPerHour, opts.ahtS + wrapS, opts.thresholdS),
    observed: {
      arrivalsPerHour: lastArrivalAt > START ? (opts.calls * 3_600_000) / (lastArrivalAt - START) : 0,
      talkSeconds: kpi.talkSeconds,
      pWait: kpi.answered > 0 ? waited / kpi.answered : null,
    },
    simulatedHours: (clock.now() - START) / 3_600_000,
    elapsedMs: Math.round(performance.now() - t0),
    kpi,
  };
}
