/**
 * Quality-inspection figures (质检) for the reports: per seat, per week and month and over the
 * range, from the QC worklist's items of the calls that arrived in it (definitions in
 * docs/definitions.md, 质检). Pure; the report's filter (scope included) is applied by the caller
 * with `factFilter`, the same rule as every other figure.
 */
import { isoWeek } from './report.js';

/** One call in the QC worklist, as the figures count it. */
export interface QcFact {
  callId: string;
  seatId: string | null;
  homeCentreId: string;
  categoryId: string;
  enqueuedAt: number;
  /** Drawn by the random sample (it may have other reasons too). */
  sampled: boolean;
  /** Scored (by the inspection; the current total after any review). */
  total: number | null;
  reviewRequested: boolean;
  /** A review changed the score (改分). */
  reviewChanged: boolean;
}

export interface QcFigures {
  /** Calls in the worklist (any reason). */
  selected: number;
  /** Of which drawn by the random sample. */
  sampled: number;
  /** Calls scored. */
  inspected: number;
  /** Mean of the current totals of the scored calls, one decimal; null when none. */
  averageScore: number | null;
  lowestScore: number | null;
  reviewsRequested: number;
  reviewsChanged: number;
}

export interface QcRow {
  key: string;
  figures: QcFigures;
}

export interface QcReport {
  total: QcFigures;
  bySeat: QcRow[];
  byWeek: QcRow[];
  byMonth: QcRow[];
}

class Acc {
  selected = 0;
  sampled = 0;
  inspected = 0;
  sum = 0;
  lowest: number | null = null;
  reviewsRequested = 0;
  reviewsChanged = 0;

  add(f: QcFact): void {
    this.selected++;
    if (f.sampled) this.sampled++;
    if (f.total !== null) {
      this.inspected++;
      this.sum += f.total;
      this.lowest = this.lowest === null ? f.total : Math.min(this.lowest, f.total);
    }
    if (f.reviewRequested) this.reviewsRequested++;
    if (f.reviewChanged) this.reviewsChanged++;
  }

  figures(): QcFigures {
    return {
      selected: this.selected,
      sampled: this.sampled,
      inspected: this.inspected,
      averageScore: this.inspected > 0 ? Math.round((this.sum / this.inspected) * 10) / 10 : null,
      lowestScore: this.lowest,
      reviewsRequested: this.reviewsRequested,
      reviewsChanged: this.reviewsChanged,
    };
  }
}

const rows = (m: Map<string, Acc>): QcRow[] =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, acc]) => ({ key, figures: acc.figures() }));

/** The figures of the facts given (already filtered), by the local day of the call's arrival. */
export function qcReport(facts: Iterable<QcFact>, opts: { utcOffsetMinutes: number }): QcReport {
  const total = new Acc();
  const seat = new Map<string, Acc>();
  const week = new Map<string, Acc>();
  const month = new Map<string, Acc>();
  const get = (m: Map<string, Acc>, k: string) => {
    let a = m.get(k);
    if (!a) m.set(k, (a = new Acc()));
    return a;
  };
  for (const f of facts) {
    total.add(f);
    if (f.seatId !== null) get(seat, f.seatId).add(f);
    const date = new Date(f.enqueuedAt + opts.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    get(week, isoWeek(date)).add(f);
    get(month, date.slice(0, 7)).add(f);
  }
  return { total: total.figures(), bySeat: rows(seat), byWeek: rows(week), byMonth: rows(month) };
}
