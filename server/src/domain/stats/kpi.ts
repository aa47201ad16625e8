import type { Call, CallEvent } from '../call.js';
import type { OverflowTarget, OverflowTrigger, RoutingConfig } from '../policy.js';
import type { SeatStateKind } from '../seat.js';
import { callFact } from './call-fact.js';
import { FiguresAccumulator } from './figures.js';

/**
 * The queue simulator's KPIs, from finished calls' event logs (Call.events) and seat
 * state time. The call figures themselves are computed by figures.ts (the reports and
 * the supervisor's live figures use it too); this summary keeps the simulator's shape.
 * No I/O; times are ms numbers taken from the events.
 *
 * Definitions (docs/definitions.md states them for users; T = kpi.serviceLevelThresholdS,
 * S = kpi.shortAbandonS; "within X s" means a wait ≤ X s):
 *
 * - wait            time from the call's first `enqueued` event to its `answered`
 *                   or `abandoned` event (re-offers do not reset it).
 * - entered         calls whose `enqueued` event put them in the queue. A call
 *                   overflowed by the `after-hours` trigger never entered the queue
 *                   (the engine overflows it before queueing): it is counted in
 *                   `afterHours` only, never in offered.
 * - shortAbandoned  entered calls the caller hung up (`abandoned`, in the queue or
 *                   while ringing) with a wait ≤ S. Counted and reported
 *                   separately and left out of offered, abandoned and every rate.
 * - offered (呼入)  entered − shortAbandoned. Calls overflowed by max-wait,
 *                   no-seat or offers-exhausted and calls timed out by telephony
 *                   did enter the queue, so they are offered.
 * - answered        offered calls with an `answered` event.
 * - abandoned       offered calls with an `abandoned` event and wait > S.
 * - answerRate (接通率) = answered ÷ offered.
 * - abandonRate     = abandoned ÷ offered.
 * - serviceLevel    = answered with wait ≤ T ÷ (answered + abandoned with wait > T).
 *                   Overflowed and timed-out calls are in neither term; short
 *                   abandons are never in the denominator (even when S > T).
 * - serviceLevelAnswered = answered with wait ≤ T ÷ answered (the Erlang C
 *                   service level, and what the simulator prints as serviceLevel).
 * - asaSeconds (ASA) = mean wait of answered calls.
 * - ahtSeconds (AHT) = mean of talk + hold + wrap-up over answered calls that
 *                   finished wrap-up: talk = hung-up − answered − hold; hold = sum
 *                   of held→resumed (a hold still open at hang-up ends there);
 *                   wrap-up = wrap-up-ended − hung-up.
 * - occupancy       = handle time ÷ (handle time + ready time), from seat state
 *                   time: handle = talking + wrap-up (a talking seat on hold is
 *                   still talking); ready = 就绪. Ringing, not-ready and offline
 *                   time are in neither term (ringing is reported separately).
 * - overflowed      offered calls that left by overflow, by target (12345 |
 *                   callback) and by trigger. Sharing a county call with the city
 *                   is not an overflow: the call keeps waiting.
 *
 * A rate whose denominator is 0 is null.
 */

export interface KpiOptions {
  serviceLevelThresholdS: number;
  shortAbandonS: number;
}

export function kpiOptionsFrom(cfg: RoutingConfig): KpiOptions {
  return { serviceLevelThresholdS: cfg.kpi.serviceLevelThresholdS, shortAbandonS: cfg.kpi.shortAbandonS };
}

type OverflowTo = Exclude<OverflowTarget, 'city'>;

export interface KpiSummary {
  thresholdS: number;
  shortAbandonS: number;
  entered: number;
  offered: number;
  answered: number;
  answeredWithinT: number;
  abandoned: number;
  abandonedAfterT: number;
  shortAbandoned: number;
  timedOut: number;
  overflowed: { total: number; byTarget: Record<OverflowTo, number>; byTrigger: Record<OverflowTrigger, number> };
  afterHours: { total: number; byTarget: Record<OverflowTo, number> };
  answerRate: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  serviceLevelAnswered: number | null;
  asaSeconds: number | null;
  maxAnsweredWaitSeconds: number | null;
  ahtSeconds: number | null;
  talkSeconds: number | null;
  holdSeconds: number | null;
  wrapUpSeconds: number | null;
  occupancy: number | null;
  seatTimeMs: Record<SeatStateKind, number>;
}

const TERMINAL_EVENTS: ReadonlySet<CallEvent['type']> = new Set(['wrap-up-ended', 'abandoned', 'overflowed', 'timed-out']);

/**
 * Streams finished calls and seat time into running totals; keeps no call. The call figures
 * are figures.ts's (one definition for the simulator, the reports and the live figures); this
 * class adds the finished-calls-only check and seat time.
 */
export class KpiAccumulator {
  private readonly figures: FiguresAccumulator;
  private readonly seatMs: Record<SeatStateKind, number> = { offline: 0, ready: 0, ringing: 0, talking: 0, 'wrap-up': 0, 'not-ready': 0 };

  constructor(private readonly opts: KpiOptions) {
    if (!(opts.serviceLevelThresholdS >= 0) || !(opts.shortAbandonS >= 0)) {
      throw new RangeError('KPI thresholds must be ≥ 0 seconds.');
    }
    this.figures = new FiguresAccumulator(opts);
  }

  /** Adds one finished call (its log ends in wrap-up-ended, abandoned, overflowed or timed-out). */
  addCall(call: Pick<Call, 'id' | 'events'>): void {
    const ev = call.events;
    const last = ev[ev.length - 1];
    if (!last || !TERMINAL_EVENTS.has(last.type)) {
      throw new RangeError(`Call ${call.id} is not finished (last event: ${last?.type ?? 'none'}); KPIs count finished calls only.`);
    }
    const enq = ev.find((e) => e.type === 'enqueued');
    if (!enq || enq.type !== 'enqueued') throw new RangeError(`Call ${call.id} has no enqueued event.`);
    if (last.type === 'wrap-up-ended' && !ev.some((e) => e.type === 'answered')) {
      throw new RangeError(`Call ${call.id} ended its wrap-up but was never answered.`);
    }
    const whole = { ...call, categoryId: enq.categoryId, homeCentreId: enq.centreId, enqueuedAt: enq.at } as Call;
    this.figures.add(callFact(whole, last.at));
  }

  /** Adds `ms` of time some seat spent in `kind`. */
  addSeatInterval(kind: SeatStateKind, ms: number): void {
    if (ms > 0) this.seatMs[kind] += ms;
  }

  summary(): KpiSummary {
    const f = this.figures.result();
    const handleMs = this.seatMs.talking + this.seatMs['wrap-up'];
    return {
      thresholdS: this.opts.serviceLevelThresholdS,
      shortAbandonS: this.opts.shortAbandonS,
      entered: f.entered,
      offered: f.offered,
      answered: f.answered,
      answeredWithinT: f.answeredWithinT,
      abandoned: f.abandoned,
      abandonedAfterT: f.abandonedAfterT,
      shortAbandoned: f.shortAbandoned,
      timedOut: f.timedOut,
      overflowed: {
        total: f.overflowed,
        byTarget: { '12345': f.overflowedTo12345, callback: f.overflowedToCallback },
        byTrigger: f.overflowByTrigger,
      },
      afterHours: { total: f.afterHours, byTarget: { '12345': f.afterHoursTo12345, callback: f.afterHoursToCallback } },
      answerRate: f.answerRate,
      abandonRate: f.abandonRate,
      serviceLevel: f.serviceLevel,
      serviceLevelAnswered: f.serviceLevelAnswered,
      asaSeconds: f.asaSeconds,
      maxAnsweredWaitSeconds: f.longestWaitSeconds,
      ahtSeconds: f.ahtSeconds,
      talkSeconds: f.talkSeconds,
      holdSeconds: f.holdSeconds,
      wrapUpSeconds: f.wrapUpSeconds,
      occupancy: handleMs + this.seatMs.ready > 0 ? handleMs / (handleMs + this.seatMs.ready) : null,
      seatTimeMs: { ...this.seatMs },
    };
  }
}

/**
 * Turns observed seat states into intervals for a KpiAccumulator. Call `observe`
 * whenever a seat's state may have changed (e.g. from EngineStore.saveSeatState or an
 * engine listener) with the current time; repeated observations of the same kind are
 * ignored. Time is taken from the observation, not from `state.since`, because the
 * engine back-dates `since` when a seat returns to ready after a caller left a ring.
 */
export class SeatTimeTracker {
  private readonly current = new Map<string, { kind: SeatStateKind; at: number }>();

  constructor(private readonly acc: KpiAccumulator) {}

  observe(seatId: string, kind: SeatStateKind, at: number): void {
    const cur = this.current.get(seatId);
    if (!cur) {
      this.current.set(seatId, { kind, at });
      return;
    }
    if (cur.kind === kind) return;
    this.acc.addSeatInterval(cur.kind, at - cur.at);
    cur.kind = kind;
    cur.at = at;
  }

  /** Closes every open interval at `at` (end of the reporting period); tracking continues from `at`. */
  closeAll(at: number): void {
    for (const cur of this.current.values()) {
      this.acc.addSeatInterval(cur.kind, at - cur.at);
      cur.at = at;
    }
  }
}
