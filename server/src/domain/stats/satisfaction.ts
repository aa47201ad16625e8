/**
 * 满意率 and the 回访 figures, defined once (docs/definitions.md, *Satisfaction and 回访*) and
 * computed only here: the 回访 page's figures (features/satisfaction), the duty manager's reports
 * and exports, and the supervisor's live figures (features/reports) all use these. No I/O.
 */

import { outboundReport, type OutboundFact } from './outbound.js';
import { isOverdue } from './callback-completion.js';

/** One answered call and its rating: true satisfied (1–3), false 不满意 (4), null not rated. */
export interface RatedAnswer {
  satisfied: boolean | null;
}

export interface SatisfactionTotals {
  answered: number;
  rated: number;
  satisfied: number;
  dissatisfied: number;
  /** 满意率 = satisfied ÷ rated; null when nothing is rated. */
  satisfactionRate: number | null;
  /** 参评率 = rated ÷ answered; null when nothing was answered. */
  ratedShare: number | null;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** Running totals over answered calls. */
export class SatisfactionAccumulator {
  private answered = 0;
  private rated = 0;
  private satisfied = 0;

  add(r: RatedAnswer): void {
    this.answered++;
    if (r.satisfied === null) return;
    this.rated++;
    if (r.satisfied) this.satisfied++;
  }

  result(): SatisfactionTotals {
    return {
      answered: this.answered,
      rated: this.rated,
      satisfied: this.satisfied,
      dissatisfied: this.rated - this.satisfied,
      satisfactionRate: ratio(this.satisfied, this.rated),
      ratedShare: ratio(this.rated, this.answered),
    };
  }
}

/** A 回访 task as the figures see it. */
export interface VisitFact {
  /** The task's source ('dissatisfied' counts for 不满意回访及时率). */
  source: string;
  createdAt: number;
  dueAt: number;
  status: 'open' | 'closed';
  /** When the caller was reached (an attempt with outcome 已接通), else null. */
  reachedAt: number | null;
}

export interface VisitFigures {
  /** Tasks created in the period. */
  created: number;
  /** …of which closed (with an outcome). */
  closed: number;
  /** 回访完成率 = closed ÷ tasks created in the period that are due by now or closed; null when none. */
  completionRate: number | null;
  /** 逾期回访: tasks created in the period still open past their due time, now. */
  overdue: number;
  /** 不满意 tasks created in the period that are due by now or closed. */
  dissatisfiedDue: number;
  /** …whose caller was reached by the task's due time. */
  dissatisfiedWithinDeadline: number;
  /** 不满意回访及时率 = dissatisfiedWithinDeadline ÷ dissatisfiedDue; null when none is due. */
  dissatisfiedCalledBackRate: number | null;
}

/** The 回访 figures over the tasks created in a period (the caller selects them), at `now`. */
export function visitFigures(tasks: Iterable<VisitFact>, now: number): VisitFigures {
  let created = 0;
  let closed = 0;
  let due = 0;
  let overdue = 0;
  let dDue = 0;
  let dWithin = 0;
  for (const t of tasks) {
    created++;
    const isDue = t.status === 'closed' || t.dueAt <= now;
    if (t.status === 'closed') closed++;
    else if (isOverdue(t, now)) overdue++;
    if (isDue) due++;
    if (t.source === 'dissatisfied' && isDue) {
      dDue++;
      if (t.reachedAt !== null && t.reachedAt <= t.dueAt) dWithin++;
    }
  }
  return {
    created,
    closed,
    completionRate: ratio(closed, due),
    overdue,
    dissatisfiedDue: dDue,
    dissatisfiedWithinDeadline: dWithin,
    dissatisfiedCalledBackRate: ratio(dWithin, dDue),
  };
}

/** One click-to-call as the figures see it: an outbound call (outbound.ts). */
export type DialFact = OutboundFact;

export interface DialFigures {
  /** Outbound 回访 calls placed in the period (ended or not). */
  placed: number;
  /** …answered by the citizen. */
  answered: number;
  /** Talk time of the answered ones, seconds. */
  talkSeconds: number;
}

/** 回访外呼: the click-to-call dials of a period, by the outbound figures' definitions (outbound.ts). */
export function dialFigures(dials: Iterable<DialFact>): DialFigures {
  const { placed, answered, talkSeconds } = outboundReport(dials).total;
  return { placed, answered, talkSeconds };
}
