import type { SeatStateKind } from '../seat.js';
import type { CallFact } from './call-fact.js';
import { FiguresAccumulator, type FigureOptions, type Figures } from './figures.js';

/**
 * A report over a date range: the figures (figures.ts) in total, by 30-minute interval of the
 * day, by day, ISO week and month, per seat and per category, plus the answer-time
 * distribution. Pure: the caller loads the facts of the range (and seat state time for
 * occupancy) and passes the local time offset. docs/definitions.md states every term.
 */

export interface ReportFilter {
  /** Centres: a call is in when its home centre is, or a seat of one of them answered it; null = all. */
  centres: ReadonlySet<string> | null;
  categories: ReadonlySet<string> | null;
  /** Calls answered by (or offered to and missed by) one of these seats; null = all. */
  seats: ReadonlySet<string> | null;
  /** Local hours of arrival (0–23); null = all. */
  hours: ReadonlySet<number> | null;
  /** ISO weekdays of arrival (1 = Monday … 7 = Sunday); null = all. */
  weekdays: ReadonlySet<number> | null;
}

export const NO_FILTER: ReportFilter = { centres: null, categories: null, seats: null, hours: null, weekdays: null };

export interface ReportOptions extends FigureOptions {
  utcOffsetMinutes: number;
  /** The centre of a seat (for the centre filter and the per-seat table); null when unknown. */
  seatCentre: (seatId: string) => string | null;
}

export interface SeatFigures extends Figures {
  seatId: string;
  /** Offers this seat let ring out or declined. */
  missedBySeat: number;
  /** Transfers this seat made to another seat. */
  transfersOut: number;
  /** Handle ÷ (handle + ready) from seat state time; null without seat time. */
  occupancy: number | null;
}

export interface Row<K extends string | number> {
  key: K;
  figures: Figures;
}

/** Answer-time distribution: answered calls by wait, upper bounds in seconds (the last is open). */
export const WAIT_BUCKETS_S = [5, 10, 15, 20, 30, 60, 120] as const;

export interface Report {
  total: Figures;
  /** "HH:MM" of the interval's start, 48 rows, summed over every day of the range. */
  byInterval: Row<string>[];
  byDay: Row<string>[];
  /** ISO week "YYYY-Www". */
  byWeek: Row<string>[];
  byMonth: Row<string>[];
  byCategory: Row<string>[];
  bySeat: SeatFigures[];
  /** Counts for ≤5, ≤10, ≤15, ≤20, ≤30, ≤60, ≤120 and > 120 s. */
  waitDistribution: number[];
  /** Occupancy over every seat in the report. */
  occupancy: number | null;
}

/** Time a seat spent in each state within the range (features/reports sums seat_events). */
export type SeatTime = Map<string, Partial<Record<SeatStateKind, number>>>;

export function isoWeek(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  const wd = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - wd);
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Whether a fact passes the filter (scope is a centre filter too). */
export function factFilter(filter: ReportFilter, opts: Pick<ReportOptions, 'utcOffsetMinutes' | 'seatCentre'>): (f: CallFact) => boolean {
  const { centres, categories, seats, hours, weekdays } = filter;
  const off = opts.utcOffsetMinutes * 60_000;
  return (f) => {
    if (centres && !centres.has(f.homeCentreId) && !(f.seatId !== null && centres.has(opts.seatCentre(f.seatId) ?? ''))) return false;
    if (categories && !categories.has(f.categoryId)) return false;
    if (seats && !(f.seatId !== null && seats.has(f.seatId)) && !f.missedBy.some((s) => seats.has(s))) return false;
    if (hours || weekdays) {
      const local = f.enqueuedAt + off;
      if (hours && !hours.has(Math.floor((local % 86_400_000) / 3_600_000))) return false;
      if (weekdays) {
        const wd = new Date(local).getUTCDay() || 7;
        if (!weekdays.has(wd)) return false;
      }
    }
    return true;
  };
}

function occupancyOf(t: Partial<Record<SeatStateKind, number>> | undefined): number | null {
  if (!t) return null;
  const handle = (t.talking ?? 0) + (t['wrap-up'] ?? 0);
  const d = handle + (t.ready ?? 0);
  return d > 0 ? handle / d : null;
}

class Groups<K extends string> {
  readonly map = new Map<K, FiguresAccumulator>();
  constructor(private readonly opts: FigureOptions) {}
  get(k: K): FiguresAccumulator {
    let a = this.map.get(k);
    if (!a) this.map.set(k, (a = new FiguresAccumulator(this.opts)));
    return a;
  }
  rows(): Row<K>[] {
    return [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, acc]) => ({ key, figures: acc.result() }));
  }
}

/** Builds the report of the facts that pass `filter`. */
export function buildReport(facts: Iterable<CallFact>, opts: ReportOptions, filter: ReportFilter = NO_FILTER, seatTime?: SeatTime): Report {
  const keep = factFilter(filter, opts);
  const total = new FiguresAccumulator(opts);
  const interval = new Groups<string>(opts);
  const day = new Groups<string>(opts);
  const month = new Groups<string>(opts);
  const category = new Groups<string>(opts);
  const seat = new Groups<string>(opts);
  const missed = new Map<string, number>();
  const transfersOut = new Map<string, number>();
  const waits = new Array<number>(WAIT_BUCKETS_S.length + 1).fill(0);
  const off = opts.utcOffsetMinutes * 60_000;
  const week = new Groups<string>(opts);
  const dayCache = new Map<number, { date: string; week: string }>();
  for (const f of facts) {
    if (!keep(f)) continue;
    total.add(f);
    const local = f.enqueuedAt + off;
    const dayNo = Math.floor(local / 86_400_000);
    let cached = dayCache.get(dayNo);
    if (cached === undefined) {
      const date = new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
      cached = { date, week: isoWeek(date) };
      dayCache.set(dayNo, cached);
    }
    const { date } = cached;
    const minuteOfDay = Math.floor((local - dayNo * 86_400_000) / 60_000);
    const slot = minuteOfDay - (minuteOfDay % 30);
    interval.get(`${String(Math.floor(slot / 60)).padStart(2, '0')}:${String(slot % 60).padStart(2, '0')}`).add(f);
    day.get(date).add(f);
    week.get(cached.week).add(f);
    month.get(date.slice(0, 7)).add(f);
    category.get(f.categoryId).add(f);
    if (f.seatId !== null && (!filter.seats || filter.seats.has(f.seatId))) seat.get(f.seatId).add(f);
    for (const s of f.missedBy) {
      if (filter.seats && !filter.seats.has(s)) continue;
      missed.set(s, (missed.get(s) ?? 0) + 1);
      seat.get(s);
    }
    if (f.transferredFrom !== null) transfersOut.set(f.transferredFrom, (transfersOut.get(f.transferredFrom) ?? 0) + 1);
    if (f.answeredAt !== null) {
      const w = f.waitMs / 1000;
      let i = WAIT_BUCKETS_S.findIndex((b) => w <= b);
      if (i < 0) i = WAIT_BUCKETS_S.length;
      waits[i]!++;
    }
  }

  const bySeat: SeatFigures[] = seat.rows().map(({ key, figures }) => {
    const t = seatTime?.get(key);
    return {
      ...figures,
      seatId: key,
      missedBySeat: missed.get(key) ?? 0,
      transfersOut: transfersOut.get(key) ?? 0,
      occupancy: occupancyOf(t),
    };
  });
  return {
    total: total.result(),
    byInterval: interval.rows(),
    byDay: day.rows(),
    byWeek: week.rows(),
    byMonth: month.rows(),
    byCategory: category.rows(),
    bySeat,
    waitDistribution: waits,
    occupancy: occupancyOver(
      seatTime,
      bySeat.map((s) => s.seatId),
    ),
  };
}

/**
 * Occupancy of a set of seats (a report's seats; the live figures' seats of a window): their
 * handle time ÷ (handle + ready time), summed over the seats (docs/definitions.md).
 */
export function occupancyOver(seatTime: SeatTime | undefined, seatIds: Iterable<string>): number | null {
  let handle = 0;
  let ready = 0;
  for (const id of seatIds) {
    const t = seatTime?.get(id);
    if (!t) continue;
    handle += (t.talking ?? 0) + (t['wrap-up'] ?? 0);
    ready += t.ready ?? 0;
  }
  return handle + ready > 0 ? handle / (handle + ready) : null;
}
