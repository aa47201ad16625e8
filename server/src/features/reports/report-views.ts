import type { ReportRowView, ReportView, SeatRowView } from '../../contract/index.js';
import type { RoutingConfig } from '../../domain/policy.js';
import type { Seat } from '../../domain/seat.js';
import type { Report, ReportOptions, Row } from '../../domain/stats/report.js';

export interface ReportViewContext {
  from: string;
  to: string;
  centres: string[] | null;
  opts: ReportOptions;
  config: RoutingConfig;
  seats: readonly Seat[];
}

/** Names for the keys of a report's rows: categories, seats, centres. */
export function labels(config: RoutingConfig, seats: readonly Seat[]) {
  const categories = new Map(config.categories.map((c) => [c.id, c.name]));
  const seatNames = new Map(seats.map((s) => [s.profile.id, `${s.profile.name}(${s.profile.staffNo})`]));
  const centres = new Map(config.centres.map((c) => [c.id, c.name]));
  return {
    category: (id: string) => categories.get(id) ?? id,
    seat: (id: string) => seatNames.get(id) ?? id,
    centre: (id: string) => centres.get(id) ?? id,
  };
}

/** GET /api/reports/figures: the report with names for its keys (the service adds the satisfaction and outbound figures and the scope). */
export function reportView(
  r: Report,
  ctx: ReportViewContext,
  waitBucketsS: readonly number[],
): Omit<ReportView, 'satisfaction' | 'outbound' | 'scopeCentres'> {
  const l = labels(ctx.config, ctx.seats);
  const rows = (xs: Row<string>[], label: (k: string) => string = (k) => k): ReportRowView[] =>
    xs.map((x) => ({ key: x.key, label: label(x.key), figures: x.figures }));
  const bySeat: SeatRowView[] = r.bySeat.map(({ seatId, missedBySeat, transfersOut, occupancy, ...figures }) => ({
    key: seatId,
    label: l.seat(seatId),
    figures,
    missedBySeat,
    transfersOut,
    occupancy,
  }));
  return {
    from: ctx.from,
    to: ctx.to,
    centres: ctx.centres,
    thresholdS: ctx.opts.serviceLevelThresholdS,
    shortAbandonS: ctx.opts.shortAbandonS,
    total: r.total,
    byInterval: rows(r.byInterval),
    byDay: rows(r.byDay),
    byWeek: rows(r.byWeek),
    byMonth: rows(r.byMonth),
    byCategory: rows(r.byCategory, l.category),
    bySeat,
    waitBucketsS: [...waitBucketsS],
    waitDistribution: r.waitDistribution,
    occupancy: r.occupancy,
  };
}
