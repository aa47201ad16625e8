import crypto from 'node:crypto';
import {
  isSatisfied,
  type FigureGroup,
  type RatingSource,
  type SatisfactionFigures,
  type SurveyWebhookBody,
  type SurveyWebhookResult,
} from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import { SatisfactionAccumulator, visitFigures, type VisitFigures } from '../../domain/stats/satisfaction.js';
import { callbackCompletion, type CallbackCompletionReport } from '../../domain/stats/callback-completion.js';
import { localDay } from '../shared/local-day.js';
import { RatingRepository } from './rating-repository.js';
import { VisitRepository } from './visit-repository.js';
import { VisitDialRepository, type OutboundCallRow } from './visit-dial-repository.js';
import type { VisitService } from './visit-service.js';

export type { OutboundCallRow };

/**
 * Satisfaction ratings (满意度评价): stored against the call, its seat, category and centre, from the
 * phone survey, the external survey provider (signed webhook) or a 回访. A dissatisfied phone or SMS
 * rating creates its 回访 task in the same transaction. The figures follow docs/definitions.md 满意率.
 */
export class SatisfactionService {
  constructor(
    private readonly o: {
      db: Db;
      ratings: RatingRepository;
      visits: VisitService;
      visitRepo: VisitRepository;
      /** Click-to-call dials (回访外呼 in the reports); none: counted as zero. */
      dials?: VisitDialRepository;
      clock: Clock;
      utcOffsetMinutes: () => number;
      /** A seat's centre: a call is a centre's when its home centre is, or its seat's (the reports' rule). */
      seatCentre?: (seatId: string) => string | null;
    },
  ) {}

  /** Stores a phone or SMS rating (score null: not rated); the first rating of a call from a source is kept (a key replaces a not rated). */
  rate(
    callId: string,
    source: Exclude<RatingSource, 'visit'>,
    score: number | null,
    comment: string | null,
    ratedAt: number,
    externalId: string | null = null,
  ) {
    return immediateTransaction(this.o.db, () => {
      const facts = this.o.ratings.callFacts(callId);
      if (!facts) throw new DomainError('NOT_FOUND', `没有找到编号为 ${callId} 的来电`);
      if (facts.answeredAt === null) throw new DomainError('CONFLICT', `来电 ${callId} 未被接听,不能评价`);
      const satisfied = score === null ? null : isSatisfied(score);
      const { id, created } = this.o.ratings.insert({ callId, source, score, satisfied, comment, externalId, ratedAt }, facts);
      let visitTaskId: number | null = null;
      // Every dissatisfied caller is called back, also one whose 不满意 came by a later SMS, after
      // the rating that counts for the call: one task per call, the existing one if there is one.
      // A phone outcome again is the same survey asked again (a restart): the first key stands.
      if (satisfied === false && (created || source === 'sms')) {
        visitTaskId = this.o.visits.createForDissatisfied({
          sourceRef: `${source}:${callId}`,
          callId,
          caller: facts.caller,
          categoryId: facts.categoryId,
          centreId: facts.centreId,
          seatId: facts.seatId,
          createdAt: this.o.clock.now(),
          note: comment,
        }).id;
      }
      return { ratingId: id, created, visitTaskId };
    });
  }

  /** One verified webhook delivery: a replay of an id answers the first result; the same id with another body is refused. */
  receiveWebhook(body: SurveyWebhookBody, rawBody: string): SurveyWebhookResult {
    const sha = crypto.createHash('sha256').update(rawBody).digest('hex');
    return immediateTransaction(this.o.db, () => {
      const seen = this.o.ratings.receipt(body.id);
      if (seen) {
        if (seen.bodySha256 !== sha) throw new DomainError('CONFLICT', `结果编号 ${body.id} 已收到过且内容不同,拒绝重复使用编号`);
        // The first result again: the task the first delivery made, when it was 不满意.
        const task = isSatisfied(body.score) ? null : this.o.visits.dissatisfiedTaskOf(body.callId);
        return { ratingId: seen.ratingId ?? 0, duplicate: true, visitTaskId: task?.id ?? null };
      }
      const r = this.rate(body.callId, 'sms', body.score, body.comment ?? null, body.ratedAt, body.id);
      this.o.ratings.insertReceipt(body.id, sha, r.ratingId, this.o.clock.now());
      return { ratingId: r.ratingId, duplicate: !r.created, visitTaskId: r.visitTaskId };
    });
  }

  /** 满意率 and rated share over the answered calls that arrived in [from, to) (as the reports count them), grouped; dissatisfied called back; overdue visits. */
  /** centres: the reader's centres in scope (null = every centre). Arithmetic: domain/stats/satisfaction.ts. */
  figures(from: number, to: number, groupBy: FigureGroup, centres: readonly string[] | null = null): SatisfactionFigures {
    if (to <= from) throw new DomainError('VALIDATION', '结束时间须晚于起始时间');
    const offset = this.o.utcOffsetMinutes();
    const keyOf: Record<FigureGroup, (r: ReturnType<RatingRepository['ratedCalls']>[number]) => string> = {
      seat: (r) => r.seat_id ?? '-',
      category: (r) => r.category_id,
      centre: (r) => r.centre_id,
      day: (r) => localDay(r.enqueued_at, offset),
      month: (r) => localDay(r.enqueued_at, offset).slice(0, 7),
    };
    const groups = new Map<string, SatisfactionAccumulator>();
    const total = new SatisfactionAccumulator();
    const { seatCentre } = this.o;
    // The reports' centre rule (domain/stats/report.ts factFilter): home centre, or the answering seat's.
    const inScope =
      centres && seatCentre
        ? (r: { centre_id: string; seat_id: string | null }) =>
            centres.includes(r.centre_id) || (r.seat_id !== null && centres.includes(seatCentre(r.seat_id) ?? ''))
        : () => true;
    for (const r of this.o.ratings.ratedCalls(from, to, seatCentre ? null : centres)) {
      if (!inScope(r)) continue;
      const key = keyOf[groupBy](r);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = new SatisfactionAccumulator()));
      const answer = { satisfied: r.satisfied === null ? null : r.satisfied === 1 };
      g.add(answer);
      total.add(answer);
    }
    const rows = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ key, ...g.result() }));
    const now = this.o.clock.now();
    const v = visitFigures(this.o.visitRepo.facts(from, to, centres), now);
    return {
      rows,
      total: { key: 'total', ...total.result() },
      dissatisfiedCalledBack: { due: v.dissatisfiedDue, withinDeadline: v.dissatisfiedWithinDeadline, rate: v.dissatisfiedCalledBackRate },
      // The open tasks due before now: overdue by the same rule as the reports' callback completion.
      overdueVisits: callbackCompletion(this.o.visitRepo.dueFacts(0, now, centres, true), now).total.overdue,
    };
  }

  /** The reports' inputs (see satisfactionReportInputs). */
  reportInputs(): SatisfactionReportInputs {
    return (this.inputs ??= reportInputsOf(this.o.ratings, this.o.visitRepo, this.o.dials ?? null, () => this.o.clock.now()));
  }
  private inputs: SatisfactionReportInputs | null = null;
}

/** What the reports read of satisfaction (features/reports ReportServiceDeps.satisfaction). */
export interface SatisfactionReportInputs {
  /** Each rated call that arrived in [from, to) and whether it was satisfied (its first phone/SMS rating). */
  ratingsByArrival(from: number, to: number): Map<string, boolean>;
  /** The 回访 figures over the tasks created in [from, to) that pass the filter. */
  visitFigures(
    from: number,
    to: number,
    filter: { centres: readonly string[] | null; categories: ReadonlySet<string> | null; seats: ReadonlySet<string> | null },
  ): VisitFigures;
  /** The outbound calls (click-to-call) started in [from, to) for tasks of these centres (domain/stats/outbound.ts). */
  outboundFacts(from: number, to: number, centres: readonly string[] | null): OutboundCallRow[];
  /** 回访/回电 completion of the tasks due in [from, to) that pass the filter. */
  callbackCompletion(from: number, to: number, filter: VisitFilter): CallbackCompletionReport;
}

type VisitFilter = { centres: readonly string[] | null; categories: ReadonlySet<string> | null; seats: ReadonlySet<string> | null };
const passes =
  (filter: VisitFilter) =>
  (t: { categoryId: string; seatId: string | null }): boolean =>
    (!filter.categories || filter.categories.has(t.categoryId)) && (!filter.seats || (t.seatId !== null && filter.seats.has(t.seatId)));

/**
 * The reports' satisfaction inputs over any connection to the store, read-only included: the
 * router gives SatisfactionService's; a report worker builds its own with `satisfactionReportInputs(db)`.
 */
export function satisfactionReportInputs(db: Db, now: () => number = Date.now): SatisfactionReportInputs {
  return reportInputsOf(new RatingRepository(db), new VisitRepository(db), new VisitDialRepository(db), now);
}

function reportInputsOf(
  ratings: RatingRepository,
  visitRepo: VisitRepository,
  dials: VisitDialRepository | null,
  now: () => number,
): SatisfactionReportInputs {
  return {
    ratingsByArrival: (from, to) => ratings.ratingsByArrival(from, to),
    outboundFacts: (from, to, centres) => dials?.facts(from, to, centres) ?? [],
    visitFigures: (from, to, filter) => visitFigures(visitRepo.facts(from, to, filter.centres).filter(passes(filter)), now()),
    callbackCompletion: (from, to, filter) =>
      callbackCompletion(visitRepo.dueFacts(from, to, filter.centres).filter(passes(filter)), now()),
  };
}
