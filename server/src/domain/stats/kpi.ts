import type { Call, CallEvent } from '../call.js';
import type { OverflowTarget, OverflowTrigger, RoutingConfig } from '../policy.js';
import type { SeatStateKind } from '../seat.js';

/**
 * KPIs, computed from call event logs (Call.events) and seat state time. This is
 * the single source of every KPI figure: the dashboard, the exports and the queue
 * simulator all read `KpiAccumulator.summary()`. No I/O; times are ms numbers
 * taken from the events, so the live engine and the simulator give the same answer.
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

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const meanSeconds = (sumMs: number, n: number): number | null => (n > 0 ? sumMs / n / 1000 : null);

const TERMINAL_EVENTS: ReadonlySet<CallEvent['type']> = new Set(['wrap-up-ended', 'abandoned', 'overflowed', 'timed-out']);

/** Streams finished calls and seat time into running totals; keeps no call. */
export class KpiAccumulator {
  private readonly thresholdMs: number;
  private readonly shortMs: number;

  private entered = 0;
  private answered = 0;
  private answeredWithinT = 0;
  private abandoned = 0;
  private abandonedAfterT = 0;
  private shortAbandoned = 0;
  private timedOut = 0;
  private overflowByTarget: Record<OverflowTo, number> = { '12345': 0, callback: 0 };
  private overflowByTrigger: Record<OverflowTrigger, number> = { 'max-wait': 0, 'no-seat': 0, 'after-hours': 0, 'offers-exhausted': 0 };
  private afterHoursByTarget: Record<OverflowTo, number> = { '12345': 0, callback: 0 };

  private waitSumMs = 0;
  private maxWaitMs = 0;
  private handled = 0;
  private talkSumMs = 0;
  private holdSumMs = 0;
  private wrapSumMs = 0;

  private readonly seatMs: Record<SeatStateKind, number> = { offline: 0, ready: 0, ringing: 0, talking: 0, 'wrap-up': 0, 'not-ready': 0 };

  constructor(private readonly opts: KpiOptions) {
    if (!(opts.serviceLevelThresholdS >= 0) || !(opts.shortAbandonS >= 0)) {
      throw new RangeError('KPI thresholds must be ≥ 0 seconds.');
    }
    this.thresholdMs = opts.serviceLevelThresholdS * 1000;
    this.shortMs = opts.shortAbandonS * 1000;
  }

  /** Adds one finished call (its log ends in wrap-up-ended, abandoned, overflowed or timed-out). */
  addCall(call: Pick<Call, 'id' | 'events'>): void {
    const ev = call.events;
    const last = ev[ev.length - 1];
    if (!last || !TERMINAL_EVENTS.has(last.type)) {
      throw new RangeError(`Call ${call.id} is not finished (last event: ${last?.type ?? 'none'}); KPIs count finished calls only.`);
    }
    let enqueuedAt: number | null = null;
    let answeredAt: number | null = null;
    let hungUpAt: number | null = null;
    let heldAt: number | null = null;
    let holdMs = 0;
    for (const e of ev) {
      switch (e.type) {
        case 'enqueued':
          if (enqueuedAt === null) enqueuedAt = e.at;
          break;
        case 'answered':
          answeredAt = e.at;
          break;
        case 'held':
          if (heldAt === null) heldAt = e.at;
          break;
        case 'resumed':
          if (heldAt !== null) holdMs += e.at - heldAt;
          heldAt = null;
          break;
        case 'hung-up':
          if (heldAt !== null) holdMs += e.at - heldAt;
          heldAt = null;
          hungUpAt = e.at;
          break;
        default:
          break;
      }
    }
    if (enqueuedAt === null) throw new RangeError(`Call ${call.id} has no enqueued event.`);

    switch (last.type) {
      case 'overflowed':
        if (last.trigger === 'after-hours') {
          this.afterHoursByTarget[last.target]++;
          return;
        }
        this.entered++;
        this.overflowByTarget[last.target]++;
        this.overflowByTrigger[last.trigger]++;
        return;
      case 'abandoned': {
        this.entered++;
        const wait = last.at - enqueuedAt;
        if (wait <= this.shortMs) this.shortAbandoned++;
        else {
          this.abandoned++;
          if (wait > this.thresholdMs) this.abandonedAfterT++;
        }
        return;
      }
      case 'timed-out':
        this.entered++;
        this.timedOut++;
        return;
      case 'wrap-up-ended': {
        this.entered++;
        if (answeredAt === null) throw new RangeError(`Call ${call.id} ended its wrap-up but was never answered.`);
        const wait = answeredAt - enqueuedAt;
        this.answered++;
        this.waitSumMs += wait;
        if (wait > this.maxWaitMs) this.maxWaitMs = wait;
        if (wait <= this.thresholdMs) this.answeredWithinT++;
        const hungUp = hungUpAt ?? last.at;
        this.handled++;
        this.talkSumMs += hungUp - answeredAt - holdMs;
        this.holdSumMs += holdMs;
        this.wrapSumMs += last.at - hungUp;
        return;
      }
      default:
        return;
    }
  }

  /** Adds `ms` of time some seat spent in `kind`. */
  addSeatInterval(kind: SeatStateKind, ms: number): void {
    if (ms > 0) this.seatMs[kind] += ms;
  }

  summary(): KpiSummary {
    const offered = this.entered - this.shortAbandoned;
    const handleMs = this.seatMs.talking + this.seatMs['wrap-up'];
    const overflowTotal = this.overflowByTarget['12345'] + this.overflowByTarget.callback;
    return {
      thresholdS: this.opts.serviceLevelThresholdS,
      shortAbandonS: this.opts.shortAbandonS,
      entered: this.entered,
      offered,
      answered: this.answered,
      answeredWithinT: this.answeredWithinT,
      abandoned: this.abandoned,
      abandonedAfterT: this.abandonedAfterT,
      shortAbandoned: this.shortAbandoned,
      timedOut: this.timedOut,
      overflowed: { total: overflowTotal, byTarget: { ...this.overflowByTarget }, byTrigger: { ...this.overflowByTrigger } },
      afterHours: {
        total: this.afterHoursByTarget['12345'] + this.afterHoursByTarget.callback,
        byTarget: { ...this.afterHoursByTarget },
      },
      answerRate: ratio(this.answered, offered),
      abandonRate: ratio(this.abandoned, offered),
      serviceLevel: ratio(this.answeredWithinT, this.answered + this.abandonedAfterT),
      serviceLevelAnswered: ratio(this.answeredWithinT, this.answered),
      asaSeconds: meanSeconds(this.waitSumMs, this.answered),
      maxAnsweredWaitSeconds: this.answered > 0 ? this.maxWaitMs / 1000 : null,
      ahtSeconds: meanSeconds(this.talkSumMs + this.holdSumMs + this.wrapSumMs, this.handled),
      talkSeconds: meanSeconds(this.talkSumMs, this.handled),
      holdSeconds: meanSeconds(this.holdSumMs, this.handled),
      wrapUpSeconds: meanSeconds(this.wrapSumMs, this.handled),
      occupancy: ratio(handleMs, handleMs + this.seatMs.ready),
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
