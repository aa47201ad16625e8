import crypto from 'node:crypto';
import {
  isSatisfied,
  type FigureGroup,
  type RatingSource,
  type SatisfactionFigures,
  type SatisfactionRow,
  type SurveyWebhookBody,
  type SurveyWebhookResult,
} from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import { localDay } from '../shared/local-day.js';
import type { RatingRepository } from './rating-repository.js';
import type { VisitRepository } from './visit-repository.js';
import type { VisitService } from './visit-service.js';

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
      clock: Clock;
      utcOffsetMinutes: () => number;
    },
  ) {}

  /** Stores a phone or SMS rating (score null: not rated); the first rating of a call from a source is kept. */
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
      if (created && satisfied === false) {
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
        return { ratingId: seen.ratingId ?? 0, duplicate: true, visitTaskId: null };
      }
      const r = this.rate(body.callId, 'sms', body.score, body.comment ?? null, body.ratedAt, body.id);
      this.o.ratings.insertReceipt(body.id, sha, r.ratingId, this.o.clock.now());
      return { ratingId: r.ratingId, duplicate: !r.created, visitTaskId: r.visitTaskId };
    });
  }

  /** 满意率 and rated share over calls answered in [from, to), grouped; dissatisfied called back; overdue visits. */
  /** centres: the reader's centres in scope (null = every centre). */
  figures(from: number, to: number, groupBy: FigureGroup, centres: readonly string[] | null = null): SatisfactionFigures {
    if (to <= from) throw new DomainError('VALIDATION', 'to 须晚于 from');
    const offset = this.o.utcOffsetMinutes();
    const keyOf: Record<FigureGroup, (r: ReturnType<RatingRepository['ratedCalls']>[number]) => string> = {
      seat: (r) => r.seat_id ?? '-',
      category: (r) => r.category_id,
      centre: (r) => r.centre_id,
      day: (r) => localDay(r.answered_at, offset),
      month: (r) => localDay(r.answered_at, offset).slice(0, 7),
    };
    const groups = new Map<string, SatisfactionRow>();
    const total = emptyRow('total');
    for (const r of this.o.ratings.ratedCalls(from, to, centres)) {
      const key = keyOf[groupBy](r);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = emptyRow(key)));
      for (const row of [g, total]) {
        row.answered++;
        if (r.satisfied !== null) {
          row.rated++;
          if (r.satisfied) row.satisfied++;
          else row.dissatisfied++;
        }
      }
    }
    const rows = [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)).map(finish);
    const now = this.o.clock.now();
    const cb = this.o.visitRepo.dissatisfiedCalledBack(from, to, now, centres);
    return {
      rows,
      total: finish(total),
      dissatisfiedCalledBack: { due: cb.due, withinDeadline: cb.within, rate: cb.due ? cb.within / cb.due : null },
      overdueVisits: this.o.visitRepo.overdue(now, centres),
    };
  }
}

const emptyRow = (key: string): SatisfactionRow => ({
  key,
  answered: 0,
  rated: 0,
  satisfied: 0,
  dissatisfied: 0,
  satisfactionRate: null,
  ratedShare: null,
});
const finish = (r: SatisfactionRow): SatisfactionRow => ({
  ...r,
  satisfactionRate: r.rated ? r.satisfied / r.rated : null,
  ratedShare: r.answered ? r.rated / r.answered : null,
});
