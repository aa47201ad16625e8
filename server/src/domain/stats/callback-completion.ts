/**
 * 回访/回电 completion (docs/definitions.md, *Callback completion*), defined once and computed
 * only here: the reports, their exports and the monthly workbook (features/reports) and the 回访
 * page's overdue count and flags (features/satisfaction) use these. No I/O.
 *
 * A task is counted in the period its due time falls in (not the period it was created in, which
 * is what 回访完成率 of satisfaction.ts looks at): of the tasks due in [from, to),
 * - doneOnTime  closed (with an outcome) at or before its due time;
 * - doneLate    closed after its due time;
 * - overdue     still open with its due time passed, at `now` (isOverdue);
 * - pending     still open and not due yet (a period that reaches past `now`).
 * onTimeRate = doneOnTime ÷ (doneOnTime + doneLate + overdue): of the tasks whose time has come,
 * the share done in time; null when none has.
 */

/** A 回访 task as the completion figures see it. */
export interface CallbackTaskFact {
  source: string;
  dueAt: number;
  status: 'open' | 'closed';
  closedAt: number | null;
}

export interface CallbackCompletion {
  due: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  pending: number;
  onTimeRate: number | null;
}

export interface CallbackCompletionReport {
  total: CallbackCompletion;
  /** One row per task source present (dissatisfied, callback-request, summary-callback …), by key. */
  bySource: { key: string; figures: CallbackCompletion }[];
}

/** An open task past its due time (the 回访 page's 已逾期 flag and 逾期回访 count). */
export function isOverdue(t: Pick<CallbackTaskFact, 'status' | 'dueAt'>, now: number): boolean {
  return t.status === 'open' && t.dueAt < now;
}

class Tally {
  due = 0;
  doneOnTime = 0;
  doneLate = 0;
  overdue = 0;
  pending = 0;

  add(t: CallbackTaskFact, now: number): void {
    this.due++;
    if (t.status === 'closed') {
      if (t.closedAt !== null && t.closedAt > t.dueAt) this.doneLate++;
      else this.doneOnTime++;
    } else if (isOverdue(t, now)) this.overdue++;
    else this.pending++;
  }

  result(): CallbackCompletion {
    const come = this.doneOnTime + this.doneLate + this.overdue;
    return {
      due: this.due,
      doneOnTime: this.doneOnTime,
      doneLate: this.doneLate,
      overdue: this.overdue,
      pending: this.pending,
      onTimeRate: come > 0 ? this.doneOnTime / come : null,
    };
  }
}

/** The completion of the tasks given (the caller selects those due in the period, in scope), at `now`. */
export function callbackCompletion(tasks: Iterable<CallbackTaskFact>, now: number): CallbackCompletionReport {
  const total = new Tally();
  const bySource = new Map<string, Tally>();
  for (const t of tasks) {
    total.add(t, now);
    let s = bySource.get(t.source);
    if (!s) bySource.set(t.source, (s = new Tally()));
    s.add(t, now);
  }
  return {
    total: total.result(),
    bySource: [...bySource.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, tally]) => ({ key, figures: tally.result() })),
  };
}
