import type { RatingSource } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

/** What a rating is stored against: the call's seat, category (the summary's when filed) and centre. */
export interface CallFacts {
  callId: string;
  caller: string;
  seatId: string | null;
  categoryId: string;
  centreId: string;
  answeredAt: number | null;
}

export interface NewRating {
  callId: string;
  source: RatingSource;
  score: number | null;
  satisfied: boolean | null;
  comment: string | null;
  externalId: string | null;
  ratedAt: number;
}

/** One call as the figures count it: its first phone/SMS rating, if any. */
export interface RatedCallRow {
  call_id: string;
  seat_id: string | null;
  category_id: string;
  centre_id: string;
  answered_at: number;
  /** Arrival: the period a call belongs to (docs/definitions.md, as in the reports). */
  enqueued_at: number;
  satisfied: number | null;
}

/** satisfaction_ratings and survey_webhook_receipts. */
export class RatingRepository {
  private readonly factsStmt;
  private readonly insertStmt;
  private readonly upsertVisitStmt;
  private readonly byCallSourceStmt;
  private readonly receiptStmt;
  private readonly insertReceiptStmt;
  private readonly ratedCallsStmt;
  private readonly byArrivalStmt;

  constructor(db: Db) {
    this.factsStmt = db.prepare(`
      SELECT c.id AS callId, c.caller, c.seat_id AS seatId,
             COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS categoryId,
             c.home_centre_id AS centreId, c.answered_at AS answeredAt
      FROM calls c LEFT JOIN call_summaries s ON s.call_id = c.id WHERE c.id = ?`);
    const cols = `(call_id, source, score, satisfied, comment, seat_id, category_id, centre_id, external_id, rated_at)
      VALUES (@callId, @source, @score, @satisfied, @comment, @seatId, @categoryId, @centreId, @externalId, @ratedAt)`;
    // The first rating of a call from a source is kept, but "not rated" is no rating: a survey asked
    // again (the router stopped during it, storing not rated, and the restarted one asked again)
    // stores the key the caller then pressed.
    this.insertStmt = db.prepare(`INSERT INTO satisfaction_ratings ${cols} ON CONFLICT(call_id, source) DO UPDATE
      SET score = excluded.score, satisfied = excluded.satisfied, comment = excluded.comment, rated_at = excluded.rated_at
      WHERE satisfaction_ratings.score IS NULL AND excluded.score IS NOT NULL`);
    this.upsertVisitStmt = db.prepare(`INSERT INTO satisfaction_ratings ${cols}
      ON CONFLICT(call_id, source) DO UPDATE SET score = excluded.score, satisfied = excluded.satisfied, comment = excluded.comment, rated_at = excluded.rated_at`);
    this.byCallSourceStmt = db.prepare('SELECT id FROM satisfaction_ratings WHERE call_id = ? AND source = ?');
    this.receiptStmt = db.prepare('SELECT body_sha256 AS bodySha256, rating_id AS ratingId FROM survey_webhook_receipts WHERE id = ?');
    this.insertReceiptStmt = db.prepare(
      'INSERT INTO survey_webhook_receipts (id, body_sha256, rating_id, received_at) VALUES (?, ?, ?, ?)',
    );
    this.ratedCallsStmt = db.prepare(`
      WITH r AS (
        SELECT call_id, satisfied, ROW_NUMBER() OVER (PARTITION BY call_id ORDER BY rated_at, id) AS rn
        FROM satisfaction_ratings WHERE source IN ('phone', 'sms') AND score IS NOT NULL)
      SELECT c.id AS call_id, c.seat_id, COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS category_id,
             c.home_centre_id AS centre_id, c.answered_at, c.enqueued_at, r.satisfied
      FROM calls c LEFT JOIN call_summaries s ON s.call_id = c.id LEFT JOIN r ON r.call_id = c.id AND r.rn = 1
      WHERE c.enqueued_at >= @from AND c.enqueued_at < @to AND c.answered_at IS NOT NULL
        AND (@centres IS NULL OR c.home_centre_id IN (SELECT value FROM json_each(@centres)))`);
    this.byArrivalStmt = db.prepare(`
      WITH r AS (
        SELECT call_id, satisfied, ROW_NUMBER() OVER (PARTITION BY call_id ORDER BY rated_at, id) AS rn
        FROM satisfaction_ratings WHERE source IN ('phone', 'sms') AND score IS NOT NULL)
      SELECT c.id AS callId, r.satisfied FROM calls c JOIN r ON r.call_id = c.id AND r.rn = 1
      WHERE c.enqueued_at >= ? AND c.enqueued_at < ?`);
  }

  /** The rating (satisfied or not) of each rated call that arrived in [from, to): the reports' view. */
  ratingsByArrival(from: number, to: number): Map<string, boolean> {
    const m = new Map<string, boolean>();
    for (const r of this.byArrivalStmt.all(from, to) as { callId: string; satisfied: number }[]) m.set(r.callId, r.satisfied === 1);
    return m;
  }

  callFacts(callId: string): CallFacts | null {
    return (this.factsStmt.get(callId) as CallFacts | undefined) ?? null;
  }

  /**
   * Stores a call's rating from one source (the first one with a score kept, replacing a "not
   * rated"; a visit's rating is replaced by a later visit's). Returns its id; created: stored now.
   */
  insert(r: NewRating, facts: CallFacts): { id: number; created: boolean } {
    const row = {
      ...r,
      satisfied: r.satisfied === null ? null : r.satisfied ? 1 : 0,
      seatId: facts.seatId,
      categoryId: facts.categoryId,
      centreId: facts.centreId,
    };
    const info = (r.source === 'visit' ? this.upsertVisitStmt : this.insertStmt).run(row);
    const { id } = this.byCallSourceStmt.get(r.callId, r.source) as { id: number };
    return { id, created: info.changes > 0 };
  }

  receipt(id: string): { bodySha256: string; ratingId: number | null } | null {
    return (this.receiptStmt.get(id) as { bodySha256: string; ratingId: number | null } | undefined) ?? null;
  }

  insertReceipt(id: string, bodySha256: string, ratingId: number, at: number): void {
    this.insertReceiptStmt.run(id, bodySha256, ratingId, at);
  }

  /** Answered calls that arrived in [from, to) (the reports' period), with their first phone/SMS rating. */
  /** centres: only the calls of those home centres (null = every centre). */
  ratedCalls(from: number, to: number, centres: readonly string[] | null = null): RatedCallRow[] {
    return this.ratedCallsStmt.all({ from, to, centres: centres ? JSON.stringify(centres) : null }) as RatedCallRow[];
  }
}
