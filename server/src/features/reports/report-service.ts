import { VISIT_SOURCE_LABELS, type LiveFiguresView, type ReportQuery, type ReportView, type VisitSource } from '../../contract/index.js';
import type { AcdQueries } from '../../domain/engine.js';
import { isTerminal, type Call, type CallEvent } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { callFact, type CallFact } from '../../domain/stats/call-fact.js';
import { callbackCompletion } from '../../domain/stats/callback-completion.js';
import { liveFigures } from '../../domain/stats/figures.js';
import { qcReport, type QcFact } from '../../domain/stats/qc-figures.js';
import {
  buildReport,
  factFilter,
  occupancyOver,
  WAIT_BUCKETS_S,
  type ReportFilter,
  type ReportOptions,
} from '../../domain/stats/report.js';
import { seatTimeFrom } from '../../domain/stats/seat-time.js';
import { patienceOf, plannedBySlot, signedInBySlot, staffingPlan, type StaffingSlot } from '../../domain/stats/staffing.js';
import { dayBounds, localDay } from '../shared/local-day.js';
import type { ScopedUser, ScopeService } from '../users/scope-service.js';
import type { ReportRepository } from './report-repository.js';
import { labels, reportView } from './report-views.js';
import { SatisfactionAccumulator, visitFigures, type SatisfactionTotals } from '../../domain/stats/satisfaction.js';
import type { OutboundCallRow, SatisfactionReportInputs } from '../satisfaction/satisfaction-service.js';
import { outboundReport } from '../../domain/stats/outbound.js';
import type { OutboundReportView } from '../../contract/index.js';

/** How many calls one catch-up pass looks at. */
const CATCH_UP_BATCH = 5000;
/** A call still "in progress" this long after it arrived is given up on (lost by telephony). */
const STALE_MS = 86_400_000;

export interface ReportServiceDeps {
  repo: ReportRepository;
  engine: Pick<AcdQueries, 'config' | 'listSeats' | 'activeCalls'>;
  /** A call with its event log, from the store. */
  loadCall: (id: string) => Call | null;
  scope: Pick<ScopeService, 'centreList' | 'seatCentre'>;
  clock: Clock;
  /** The QC worklist's items of the calls enqueued in [from, to) (features/qc); none when absent. */
  qcFacts?: (from: number, to: number) => Iterable<QcFact>;
  /** Brings other features' report inputs up to date with the calls (the QC worklist); router only. */
  catchUpAlso?: () => void;
  /**
   * Set in the report worker (report-worker.ts), which reads a read-only connection: the router
   * caught the facts up before handing the job over, and the calls in progress come with the job.
   */
  readOnly?: { activeFacts: readonly CallFact[] };
  /** Ratings and 回访 tasks (features/satisfaction); without it the satisfaction figures are empty. */
  satisfaction?: SatisfactionReportInputs | null;
}

/** A report's range in ms and its filter, after the scope rules. */
export interface ResolvedQuery {
  from: number;
  to: number;
  filter: ReportFilter;
  centres: string[] | null;
}

/**
 * The duty manager's reports and the supervisor's live figures, over the facts of the calls in
 * the user's scope. Finished calls' facts are kept in call_facts, caught up from the calls table
 * before each read; calls in progress come from the engine. Both go through domain/stats.
 */
export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  options(): ReportOptions {
    const cfg = this.deps.engine.config;
    return {
      serviceLevelThresholdS: cfg.kpi.serviceLevelThresholdS,
      shortAbandonS: cfg.kpi.shortAbandonS,
      utcOffsetMinutes: cfg.utcOffsetMinutes,
      seatCentre: (id) => this.deps.scope.seatCentre(id),
    };
  }

  /**
   * The engine listener that writes a call's fact in the commit that ends the call (hang-up after
   * wrap-up, abandon, overflow, time-out): the 话单 row is on disk with the decision. Register it
   * with the engine's `subscribe` (composition/summaries-reports.ts); the catch-up below covers what it did not write (calls
   * of an older version, calls given up on).
   */
  factWriter(): { callStored: (call: Call, newEvents: readonly CallEvent[]) => void } {
    return {
      callStored: (call, newEvents) => {
        if (newEvents.length === 0 || !isTerminal(call.state.kind)) return;
        const { repo, clock } = this.deps;
        repo.saveFact(callFact(call, clock.now(), repo.summaryOf(call.id)));
      },
    };
  }

  /**
   * Writes the facts of the calls that finished since the last pass, then copies summaries filed
   * or amended since into them; returns how many facts were written.
   */
  catchUp(): number {
    if (this.deps.readOnly) return 0;
    const written = this.catchUpCalls();
    this.deps.catchUpAlso?.();
    const now = this.deps.clock.now();
    while (this.deps.repo.transaction(() => this.deps.repo.syncSummaries(now, CATCH_UP_BATCH)) === CATCH_UP_BATCH);
    return written;
  }

  private catchUpCalls(): number {
    const { repo, loadCall, clock } = this.deps;
    const now = clock.now();
    let written = 0;
    for (;;) {
      const mark = repo.watermark();
      const pending = repo.pendingCalls(mark, CATCH_UP_BATCH);
      if (pending.length === 0) return written;
      let next = mark;
      let blocked = false;
      repo.transaction(() => {
        for (const p of pending) {
          if (p.active && now - p.enqueuedAt < STALE_MS) {
            blocked = true; // this call's fact is not final yet: later calls are written, the mark waits
            continue;
          }
          if (!p.active && !p.hasFact) {
            const call = loadCall(p.id);
            if (call) {
              repo.saveFact(callFact(call, now, repo.summaryOf(call.id)));
              written++;
            }
          }
          if (!blocked) next = p.rowid;
        }
        repo.setWatermark(next, now);
      });
      if (blocked || pending.length < CATCH_UP_BATCH) return written;
    }
  }

  /** The range and filter of a query within the user's scope; refuses a centre outside it. */
  resolve(
    user: ScopedUser,
    q: Pick<ReportQuery, 'from' | 'to' | 'centres' | 'categories' | 'seats' | 'hours' | 'weekdays'>,
  ): ResolvedQuery {
    const cfg = this.deps.engine.config;
    const first = dayBounds(q.from, cfg.utcOffsetMinutes);
    const last = dayBounds(q.to, cfg.utcOffsetMinutes);
    if (!first) throw new DomainError('VALIDATION', `起始日期不存在:${q.from}`);
    if (!last) throw new DomainError('VALIDATION', `结束日期不存在:${q.to}`);
    if ((last.to - first.from) / 86_400_000 > 400) throw new DomainError('VALIDATION', '统计范围最长 400 天');
    const known = new Set(cfg.centres.map((c) => c.id));
    for (const c of q.centres ?? []) if (!known.has(c)) throw new DomainError('VALIDATION', `没有这个中心:${c}`);
    const scope = this.deps.scope.centreList(user);
    let centres = q.centres ?? scope;
    if (q.centres && scope) {
      const outside = q.centres.filter((c) => !scope.includes(c));
      if (outside.length > 0) {
        const names = outside.map((c) => cfg.centres.find((x) => x.id === c)?.name ?? c).join('、');
        throw new DomainError('FORBIDDEN', `无权查看${names}的统计:不在您的中心范围内`);
      }
    }
    if (centres) centres = [...centres].sort();
    const set = <T>(v: T[] | null | undefined) => (v ? new Set(v) : null);
    return {
      from: first.from,
      to: last.to,
      centres,
      filter: {
        centres: set(centres),
        categories: set(q.categories),
        seats: set(q.seats),
        hours: set(q.hours?.map(Number)),
        weekdays: set(q.weekdays?.map(Number)),
      },
    };
  }

  /** The facts of [from, to): finished calls from the store, calls in progress from the engine. */
  facts(from: number, to: number): Iterable<CallFact> {
    const active = this.activeFacts().filter((f) => f.enqueuedAt >= from && f.enqueuedAt < to);
    const stored = this.deps.repo.facts(from, to);
    return (function* () {
      yield* stored;
      yield* active;
    })();
  }

  /** The facts of the calls in progress now (the engine's, or those handed to the worker). */
  activeFacts(): CallFact[] {
    if (this.deps.readOnly) return [...this.deps.readOnly.activeFacts];
    const now = this.deps.clock.now();
    return this.deps.engine.activeCalls().map((c) => callFact(c, now));
  }

  report(user: ScopedUser, q: ReportQuery): ReportView {
    this.catchUp();
    const r = this.resolve(user, q);
    const opts = this.options();
    const seatTime = seatTimeFrom(this.deps.repo.seatEvents(r.from, r.to), r.from, Math.min(r.to, this.deps.clock.now()));
    const sat = this.satisfactionOf(r, opts);
    const report = buildReport(sat.tap(this.facts(r.from, r.to)), opts, r.filter, seatTime);
    const view = reportView(
      report,
      { from: q.from, to: q.to, centres: r.centres, opts, config: this.deps.engine.config, seats: this.deps.engine.listSeats() },
      WAIT_BUCKETS_S,
    );
    const visits =
      this.deps.satisfaction?.visitFigures(r.from, r.to, { centres: r.centres, categories: r.filter.categories, seats: r.filter.seats }) ??
      visitFigures([], this.deps.clock.now());
    const out = this.outbound(r);
    const { placed, answered, talkSeconds } = out.total;
    const visitFilter = { centres: r.centres, categories: r.filter.categories, seats: r.filter.seats };
    const cb = this.deps.satisfaction?.callbackCompletion(r.from, r.to, visitFilter) ?? callbackCompletion([], this.deps.clock.now());
    const callbacks = {
      total: cb.total,
      bySource: cb.bySource.map((x) => ({ ...x, label: VISIT_SOURCE_LABELS[x.key as VisitSource] ?? x.key })),
    };
    const withSatisfaction = {
      ...view,
      scopeCentres: this.deps.scope.centreList(user),
      satisfaction: { ...sat.result(), visits, outbound: { placed, answered, talkSeconds } },
      outbound: out,
      callbacks,
    };
    return this.deps.qcFacts ? { ...withSatisfaction, qc: this.qc(r, this.deps.qcFacts) } : withSatisfaction;
  }

  /**
   * The outbound calls started in the range that pass the report's filter (centre: the task's, or
   * the seat's; category: the task's; hour and weekday: of the start), oldest first.
   */
  outboundCalls(r: ResolvedQuery): OutboundCallRow[] {
    const keep = factFilter(r.filter, this.options());
    return (this.deps.satisfaction?.outboundFacts(r.from, r.to, null) ?? []).filter((o) =>
      keep({
        homeCentreId: o.centreId,
        seatId: o.seatId,
        categoryId: o.categoryId,
        enqueuedAt: o.startedAt,
        missedBy: [] as string[],
      } as CallFact),
    );
  }

  /** 外呼 figures of the range, in total and by seat (domain/stats/outbound.ts). */
  private outbound(r: ResolvedQuery): OutboundReportView {
    const o = outboundReport(this.outboundCalls(r));
    const seat = labels(this.deps.engine.config, this.deps.engine.listSeats()).seat;
    return { total: o.total, bySeat: o.bySeat.map((s) => ({ key: s.seatId, label: seat(s.seatId), figures: s.figures })) };
  }

  /** 质检 figures of the range, through the same filter (scope included) as every other figure. */
  private qc(r: ResolvedQuery, load: (from: number, to: number) => Iterable<QcFact>): ReportView['qc'] {
    const opts = this.options();
    const keep = factFilter(r.filter, opts);
    const facts = [...load(r.from, r.to)].filter((f) => keep({ ...f, missedBy: [] } as unknown as CallFact));
    const qc = qcReport(facts, opts);
    const seat = labels(this.deps.engine.config, this.deps.engine.listSeats()).seat;
    const rows = (xs: typeof qc.bySeat, label: (k: string) => string = (k) => k) => xs.map((x) => ({ ...x, label: label(x.key) }));
    return { total: qc.total, bySeat: rows(qc.bySeat, seat), byWeek: rows(qc.byWeek), byMonth: rows(qc.byMonth) };
  }

  /**
   * 满意率 over the answered calls a report counts (its facts, its filter): `tap` passes the facts
   * on unchanged and adds each answered one with its rating (domain/stats/satisfaction.ts).
   */
  private satisfactionOf(
    r: ResolvedQuery,
    opts: ReportOptions,
  ): { tap: (f: Iterable<CallFact>) => Iterable<CallFact>; result: () => SatisfactionTotals } {
    const ratings = this.deps.satisfaction?.ratingsByArrival(r.from, r.to) ?? new Map<string, boolean>();
    const keep = factFilter(r.filter, opts);
    const acc = new SatisfactionAccumulator();
    return {
      tap: function* (facts) {
        for (const f of facts) {
          if (f.answeredAt !== null && keep(f)) acc.add({ satisfied: ratings.get(f.callId) ?? null });
          yield f;
        }
      },
      result: () => acc.result(),
    };
  }

  /** The supervisor's live figures in the user's scope (since local midnight, last 15 and 30 minutes). */
  live(user: ScopedUser): LiveFiguresView {
    this.catchUp();
    const now = this.deps.clock.now();
    const cfg = this.deps.engine.config;
    const dayStart = dayBounds(localDay(now, cfg.utcOffsetMinutes), cfg.utcOffsetMinutes)!.from;
    const r = this.resolve(user, {
      from: localDay(now, cfg.utcOffsetMinutes),
      to: localDay(now, cfg.utcOffsetMinutes),
      centres: null,
      categories: null,
      seats: null,
      hours: null,
      weekdays: null,
    });
    const opts = this.options();
    const keep = factFilter(r.filter, opts);
    const sat = this.satisfactionOf({ ...r, from: dayStart, to: now + 1 }, opts);
    const facts = [...sat.tap(this.facts(dayStart, now + 1))].filter(keep);
    const live = liveFigures(facts, now, dayStart, opts);
    // Occupancy by the reports' rule: the seats with a call (taken or missed) in the window.
    const seatRows = this.deps.repo.seatEvents(dayStart, now + 1);
    const occupancy = (from: number) => {
      const seats = new Set<string>();
      for (const f of facts) {
        if (f.enqueuedAt < from || f.enqueuedAt > now) continue;
        if (f.seatId !== null) seats.add(f.seatId);
        for (const s of f.missedBy) seats.add(s);
      }
      return occupancyOver(seatTimeFrom(seatRows, from, now), seats);
    };
    return {
      ...live,
      sinceMidnight: { ...live.sinceMidnight, occupancy: occupancy(dayStart) },
      last30: { ...live.last30, occupancy: occupancy(now - 30 * 60_000) },
      last15: { ...live.last15, occupancy: occupancy(now - 15 * 60_000) },
      centres: r.centres,
      thresholdS: opts.serviceLevelThresholdS,
      satisfaction: sat.result(),
    };
  }

  /**
   * The staffing plan over the last `weeks` whole weeks (Monday to Sunday before this week), in
   * the user's scope: Erlang C and Erlang A seats per half hour beside planned and signed-in
   * seats; `categories` plans one specialty (its categories' calls) apart.
   */
  staffing(user: ScopedUser, q: { weeks: number; targetSL: number; centres: string[] | null; categories?: string[] | null }): StaffingView {
    this.catchUp();
    const cfg = this.deps.engine.config;
    const now = this.deps.clock.now();
    const today = localDay(now, cfg.utcOffsetMinutes);
    const todayStart = dayBounds(today, cfg.utcOffsetMinutes)!.from;
    const weekday = (new Date(todayStart + cfg.utcOffsetMinutes * 60_000).getUTCDay() + 6) % 7;
    const to = todayStart - weekday * 86_400_000;
    const from = to - q.weeks * 7 * 86_400_000;
    const r = this.resolve(user, {
      from: localDay(from, cfg.utcOffsetMinutes),
      to: localDay(to - 1, cfg.utcOffsetMinutes),
      centres: q.centres,
      categories: q.categories ?? null,
      seats: null,
      hours: null,
      weekdays: null,
    });
    const known = new Set(cfg.categories.map((c) => c.id));
    for (const c of q.categories ?? []) if (!known.has(c)) throw new DomainError('VALIDATION', `没有这个咨询类别:${c}`);
    const keep = factFilter(r.filter, this.options());
    const facts = [...this.deps.repo.facts(from, to)].filter(keep);
    const planned = plannedBySlot(cfg.serviceCalendar, cfg.utcOffsetMinutes);
    const signedIn = signedInBySlot(this.deps.repo.seatEvents(from, to), from, to, {
      utcOffsetMinutes: cfg.utcOffsetMinutes,
      weeks: q.weeks,
    });
    const opts = {
      utcOffsetMinutes: cfg.utcOffsetMinutes,
      thresholdS: cfg.kpi.serviceLevelThresholdS,
      targetSL: q.targetSL,
      weeks: q.weeks,
      patienceS: patienceOf(facts),
    };
    // A half hour the calendar keeps open keeps at least one seat (a plan of 0 would close it).
    const slots = staffingPlan(facts, planned, signedIn, opts).map((s) =>
      s.planned > 0 ? { ...s, required: Math.max(1, s.required), requiredA: s.requiredA === null ? null : Math.max(1, s.requiredA) } : s,
    );
    return {
      from: localDay(from, cfg.utcOffsetMinutes),
      to: localDay(to - 1, cfg.utcOffsetMinutes),
      weeks: q.weeks,
      targetSL: q.targetSL,
      thresholdS: opts.thresholdS,
      centres: r.centres,
      categories: q.categories ?? null,
      calls: facts.length,
      patienceSeconds: opts.patienceS,
      slots,
    };
  }
}

export interface StaffingView {
  from: string;
  to: string;
  weeks: number;
  targetSL: number;
  thresholdS: number;
  centres: string[] | null;
  categories: string[] | null;
  calls: number;
  patienceSeconds: number | null;
  slots: StaffingSlot[];
}
