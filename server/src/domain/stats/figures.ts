import type { OverflowTrigger } from '../policy.js';
import type { CallFact } from './call-fact.js';

/**
 * The figures (统计口径) of a set of calls, defined once (docs/definitions.md) and computed here
 * only: the duty manager's reports, the exports, the supervisor's live figures and the queue
 * simulator's KPIs (kpi.ts) all add call facts (call-fact.ts) to a `FiguresAccumulator`.
 * Pure: no I/O, no clock (a caller passes `now` where a window needs it).
 *
 * T = serviceLevelThresholdS, S = shortAbandonS; "within X s" means a wait ≤ X s. A call is in a
 * period by its arrival (first `enqueued`).
 *
 * - afterHours     calls overflowed by the `after-hours` trigger: they never entered the queue
 *                  and are counted here only.
 * - entered        every other call, including calls still in progress.
 * - shortAbandoned entered calls the caller hung up (in the queue or while ringing) with a wait
 *                  ≤ S; apart, and left out of offered, abandoned and every rate.
 * - offered (呼入) entered − shortAbandoned.
 * - answered       offered calls with an `answered` event (talking or in wrap-up included).
 * - abandoned      abandons with a wait > S, split in queue / while ringing.
 * - overflowed     calls that left by overflow (other than after-hours), by target and trigger.
 * - timedOut       calls telephony's own queue backstop ended.
 * - waiting        calls still queued or ringing (in progress, not answered).
 * - answerRate 接通率 = answered ÷ offered; abandonRate = abandoned ÷ offered.
 * - serviceLevel   = answered within T ÷ (answered + abandoned with wait > T).
 * - serviceLevelAnswered = answered within T ÷ answered (the Erlang C service level).
 * - asaSeconds     mean wait of answered calls; longestWaitSeconds the longest such wait.
 * - ahtSeconds     mean talk + hold + wrap-up of answered calls whose wrap-up ended
 *                  (handled); talk/hold/wrapUpSeconds its three parts.
 * - transfers      calls that reached a seat by a transfer from another seat.
 * - missedOffers   offers a seat let ring out or declined.
 * - dispositions   filed summaries by disposition; unfiled = answered calls without one.
 * - major          calls whose summary reported a 重大事项.
 *
 * A rate or mean whose denominator is 0 is null.
 */

export interface FigureOptions {
  serviceLevelThresholdS: number;
  shortAbandonS: number;
}

export const OVERFLOW_TRIGGERS: readonly OverflowTrigger[] = ['max-wait', 'no-seat', 'after-hours', 'offers-exhausted'];

export interface Figures {
  entered: number;
  offered: number;
  answered: number;
  answeredWithinT: number;
  abandoned: number;
  abandonedInQueue: number;
  abandonedWhileRinging: number;
  abandonedAfterT: number;
  shortAbandoned: number;
  shortAbandonedInQueue: number;
  shortAbandonedWhileRinging: number;
  overflowed: number;
  overflowedTo12345: number;
  overflowedToCallback: number;
  overflowByTrigger: Record<OverflowTrigger, number>;
  afterHours: number;
  afterHoursTo12345: number;
  afterHoursToCallback: number;
  timedOut: number;
  waiting: number;
  handled: number;
  transfers: number;
  missedOffers: number;
  dispositions: Record<string, number>;
  unfiled: number;
  major: number;
  answerRate: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  serviceLevelAnswered: number | null;
  asaSeconds: number | null;
  longestWaitSeconds: number | null;
  ahtSeconds: number | null;
  talkSeconds: number | null;
  holdSeconds: number | null;
  wrapUpSeconds: number | null;
  /** Totals in seconds (per-seat tables and occupancy use them). */
  talkTotalSeconds: number;
  holdTotalSeconds: number;
  wrapUpTotalSeconds: number;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const meanS = (sumMs: number, n: number): number | null => (n > 0 ? sumMs / n / 1000 : null);

/** Running totals over call facts; keeps no call. */
export class FiguresAccumulator {
  private readonly tMs: number;
  private readonly sMs: number;
  private entered = 0;
  private answered = 0;
  private answeredWithinT = 0;
  private abandonedQ = 0;
  private abandonedR = 0;
  private abandonedAfterT = 0;
  private shortQ = 0;
  private shortR = 0;
  private to12345 = 0;
  private toCallback = 0;
  private readonly byTrigger: Record<OverflowTrigger, number> = { 'max-wait': 0, 'no-seat': 0, 'after-hours': 0, 'offers-exhausted': 0 };
  private afterHours12345 = 0;
  private afterHoursCallback = 0;
  private timedOut = 0;
  private waiting = 0;
  private waitSumMs = 0;
  private maxWaitMs = 0;
  private handled = 0;
  private talkMs = 0;
  private holdMs = 0;
  private wrapMs = 0;
  private talkAllMs = 0;
  private holdAllMs = 0;
  private wrapAllMs = 0;
  private transfers = 0;
  private missedOffers = 0;
  private readonly dispositions: Record<string, number> = {};
  private unfiled = 0;
  private major = 0;

  constructor(readonly opts: FigureOptions) {
    if (!(opts.serviceLevelThresholdS >= 0) || !(opts.shortAbandonS >= 0)) throw new RangeError('Figure thresholds must be ≥ 0 seconds.');
    this.tMs = opts.serviceLevelThresholdS * 1000;
    this.sMs = opts.shortAbandonS * 1000;
  }

  add(f: CallFact): void {
    if (f.overflowTrigger === 'after-hours') {
      if (f.result === 'callback') this.afterHoursCallback++;
      else this.afterHours12345++;
      return;
    }
    this.entered++;
    this.missedOffers += f.missedBy.length;
    if (f.transferredFrom !== null) this.transfers++;
    if (f.major) this.major++;
    if (f.answeredAt !== null) {
      this.answered++;
      this.waitSumMs += f.waitMs;
      if (f.waitMs > this.maxWaitMs) this.maxWaitMs = f.waitMs;
      if (f.waitMs <= this.tMs) this.answeredWithinT++;
      this.talkAllMs += f.talkMs;
      this.holdAllMs += f.holdMs;
      if (f.wrapUpMs !== null) {
        this.handled++;
        this.talkMs += f.talkMs;
        this.holdMs += f.holdMs;
        this.wrapMs += f.wrapUpMs;
        this.wrapAllMs += f.wrapUpMs;
      }
      if (f.disposition !== null) this.dispositions[f.disposition] = (this.dispositions[f.disposition] ?? 0) + 1;
      else if (f.result === 'answered') this.unfiled++;
      return;
    }
    switch (f.result) {
      case 'abandoned-in-queue':
      case 'abandoned-while-ringing': {
        const inQueue = f.result === 'abandoned-in-queue';
        if (f.waitMs <= this.sMs) {
          if (inQueue) this.shortQ++;
          else this.shortR++;
          return;
        }
        if (inQueue) this.abandonedQ++;
        else this.abandonedR++;
        if (f.waitMs > this.tMs) this.abandonedAfterT++;
        return;
      }
      case 'overflowed-12345':
      case 'callback':
        if (f.result === 'callback') this.toCallback++;
        else this.to12345++;
        if (f.overflowTrigger) this.byTrigger[f.overflowTrigger]++;
        return;
      case 'timed-out':
        this.timedOut++;
        return;
      default:
        this.waiting++;
    }
  }

  result(): Figures {
    const short = this.shortQ + this.shortR;
    const offered = this.entered - short;
    const abandoned = this.abandonedQ + this.abandonedR;
    return {
      entered: this.entered,
      offered,
      answered: this.answered,
      answeredWithinT: this.answeredWithinT,
      abandoned,
      abandonedInQueue: this.abandonedQ,
      abandonedWhileRinging: this.abandonedR,
      abandonedAfterT: this.abandonedAfterT,
      shortAbandoned: short,
      shortAbandonedInQueue: this.shortQ,
      shortAbandonedWhileRinging: this.shortR,
      overflowed: this.to12345 + this.toCallback,
      overflowedTo12345: this.to12345,
      overflowedToCallback: this.toCallback,
      overflowByTrigger: { ...this.byTrigger },
      afterHours: this.afterHours12345 + this.afterHoursCallback,
      afterHoursTo12345: this.afterHours12345,
      afterHoursToCallback: this.afterHoursCallback,
      timedOut: this.timedOut,
      waiting: this.waiting,
      handled: this.handled,
      transfers: this.transfers,
      missedOffers: this.missedOffers,
      dispositions: { ...this.dispositions },
      unfiled: this.unfiled,
      major: this.major,
      answerRate: ratio(this.answered, offered),
      abandonRate: ratio(abandoned, offered),
      serviceLevel: ratio(this.answeredWithinT, this.answered + this.abandonedAfterT),
      serviceLevelAnswered: ratio(this.answeredWithinT, this.answered),
      asaSeconds: meanS(this.waitSumMs, this.answered),
      longestWaitSeconds: this.answered > 0 ? this.maxWaitMs / 1000 : null,
      ahtSeconds: meanS(this.talkMs + this.holdMs + this.wrapMs, this.handled),
      talkSeconds: meanS(this.talkMs, this.handled),
      holdSeconds: meanS(this.holdMs, this.handled),
      wrapUpSeconds: meanS(this.wrapMs, this.handled),
      talkTotalSeconds: this.talkAllMs / 1000,
      holdTotalSeconds: this.holdAllMs / 1000,
      wrapUpTotalSeconds: this.wrapAllMs / 1000,
    };
  }
}

export function figuresOf(facts: Iterable<CallFact>, opts: FigureOptions): Figures {
  const acc = new FiguresAccumulator(opts);
  for (const f of facts) acc.add(f);
  return acc.result();
}

/** The supervisor's live figures: since local midnight and over the last 15 and 30 minutes. */
export interface LiveFigures {
  at: number;
  sinceMidnight: Figures;
  last15: Figures;
  last30: Figures;
}

/**
 * Live figures from the facts of the calls that arrived since `dayStart` (local midnight),
 * finished or in progress (callFact(call, now) for those). A call is in a window when it
 * arrived in [now − window, now].
 */
export function liveFigures(facts: Iterable<CallFact>, now: number, dayStart: number, opts: FigureOptions): LiveFigures {
  const day = new FiguresAccumulator(opts);
  const m15 = new FiguresAccumulator(opts);
  const m30 = new FiguresAccumulator(opts);
  for (const f of facts) {
    if (f.enqueuedAt < dayStart || f.enqueuedAt > now) continue;
    day.add(f);
    if (f.enqueuedAt >= now - 30 * 60_000) m30.add(f);
    if (f.enqueuedAt >= now - 15 * 60_000) m15.add(f);
  }
  return { at: now, sinceMidnight: day.result(), last15: m15.result(), last30: m30.result() };
}
