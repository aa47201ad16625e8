import type { QcDecision, QcFormItem, QcReason, QcScoredItem, QcStatus } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

/** A worklist row as stored, with its current score's total. */
export interface QcItemRecord {
  callId: string;
  seatId: string | null;
  seatCentreId: string | null;
  centreId: string;
  categoryId: string;
  enqueuedAt: number;
  answeredAt: number | null;
  reasons: QcReason[];
  status: QcStatus;
  selectedAt: number;
  /** The inspection's score: when, by whom, its total. */
  scoredAt: number | null;
  inspectorId: number | null;
  inspectionTotal: number | null;
  /** The review's new score, when a review changed it. */
  reviewTotal: number | null;
}

export interface QcScoreRecord {
  kind: 'inspection' | 'review';
  formVersion: number;
  items: QcScoredItem[];
  total: number;
  comment: string;
  userId: number | null;
  userName: string;
  at: number;
}

export interface QcReviewRecord {
  reason: string;
  requestedBy: number | null;
  requestedAt: number;
  decision: QcDecision | null;
  decisionComment: string | null;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: number | null;
}

/** What an item needs from its call when it joins the worklist. */
export interface QcCallFacts {
  callId: string;
  seatId: string | null;
  seatCentreId: string | null;
  centreId: string;
  categoryId: string;
  enqueuedAt: number;
  answeredAt: number | null;
}

/** One item of a report's range (calls enqueued in it), for the figures. */
export interface QcFactRow {
  callId: string;
  seatId: string | null;
  centreId: string;
  categoryId: string;
  enqueuedAt: number;
  sample: number;
  status: QcStatus;
  total: number | null;
  reviewRequested: number;
  reviewChanged: number;
}

interface ItemRow extends Omit<QcItemRecord, 'reasons'> {
  sample: number;
  dissatisfied: number;
  complaint: number;
  major: number;
}

const SCOPE = `(@centres IS NULL OR i.centre_id IN (SELECT value FROM json_each(@centres))
  OR i.seat_centre_id IN (SELECT value FROM json_each(@centres)))`;
const SELECT = `SELECT i.call_id AS callId, i.seat_id AS seatId, i.seat_centre_id AS seatCentreId, i.centre_id AS centreId,
  i.category_id AS categoryId, i.enqueued_at AS enqueuedAt, i.answered_at AS answeredAt, i.sample, i.dissatisfied, i.complaint,
  i.major, i.status, i.selected_at AS selectedAt, si.at AS scoredAt, si.user_id AS inspectorId, si.total AS inspectionTotal,
  sr.total AS reviewTotal
  FROM qc_items i
  LEFT JOIN qc_scores si ON si.call_id = i.call_id AND si.kind = 'inspection'
  LEFT JOIN qc_scores sr ON sr.call_id = i.call_id AND sr.kind = 'review'`;

const toItem = ({ sample, dissatisfied, complaint, major, ...r }: ItemRow): QcItemRecord => ({
  ...r,
  reasons: [
    ...(sample ? (['sample'] as const) : []),
    ...(dissatisfied ? (['dissatisfied'] as const) : []),
    ...(complaint ? (['complaint'] as const) : []),
    ...(major ? (['major'] as const) : []),
  ],
});

const centresParam = (centres: readonly string[] | null) => (centres ? JSON.stringify(centres) : null);

/** qc_items, qc_scores, qc_reviews, qc_forms, qc_sample_decisions and the QC settings and watermarks. */
export class QcRepository {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      setting: db.prepare('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      form: db.prepare('SELECT version, items_json FROM qc_forms ORDER BY version DESC LIMIT 1'),
      insertForm: db.prepare('INSERT INTO qc_forms (version, items_json, created_at, created_by) VALUES (?, ?, ?, ?)'),
      revisions: db.prepare(`SELECT r.rowid AS seq, r.call_id AS callId, r.revision, r.json FROM summary_revisions r
        WHERE r.rowid > ? ORDER BY r.rowid LIMIT 500`),
      ratings: db.prepare('SELECT id AS seq, call_id AS callId, satisfied FROM satisfaction_ratings WHERE id > ? ORDER BY id LIMIT 500'),
      alerts: db.prepare('SELECT id AS seq, call_id AS callId FROM major_alerts WHERE id > ? ORDER BY id LIMIT 500'),
      facts: db.prepare(`SELECT c.id AS callId, COALESCE(s.seat_id, c.seat_id) AS seatId, st.centre_id AS seatCentreId,
          c.home_centre_id AS centreId, COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS categoryId,
          c.enqueued_at AS enqueuedAt, c.answered_at AS answeredAt
        FROM calls c LEFT JOIN call_summaries s ON s.call_id = c.id LEFT JOIN seats st ON st.id = COALESCE(s.seat_id, c.seat_id)
        WHERE c.id = ?`),
      decide: db.prepare(
        'INSERT INTO qc_sample_decisions (call_id, sampled, percent, decided_at) VALUES (?, ?, ?, ?) ON CONFLICT(call_id) DO NOTHING',
      ),
      upsert: db.prepare(`INSERT INTO qc_items (call_id, seat_id, seat_centre_id, centre_id, category_id, enqueued_at, answered_at,
          sample, dissatisfied, complaint, major, selected_at, updated_at)
        VALUES (@callId, @seatId, @seatCentreId, @centreId, @categoryId, @enqueuedAt, @answeredAt,
          @sample, @dissatisfied, @complaint, @major, @at, @at)
        ON CONFLICT(call_id) DO UPDATE SET sample = MAX(sample, excluded.sample), dissatisfied = MAX(dissatisfied, excluded.dissatisfied),
          complaint = MAX(complaint, excluded.complaint), major = MAX(major, excluded.major), updated_at = excluded.updated_at`),
      item: db.prepare(`${SELECT} WHERE i.call_id = ?`),
      list: db.prepare(`${SELECT} WHERE (@status = 'all' OR i.status = @status) AND ${SCOPE}
        ORDER BY CASE i.status WHEN 'review' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
          (i.dissatisfied + i.complaint + i.major) > 0 DESC, i.enqueued_at DESC, i.call_id LIMIT @limit`),
      mine: db.prepare(`${SELECT} WHERE i.seat_id = ? AND i.status != 'pending' ORDER BY si.at DESC LIMIT ?`),
      setStatus: db.prepare('UPDATE qc_items SET status = ?, updated_at = ? WHERE call_id = ?'),
      insertScore: db.prepare(`INSERT INTO qc_scores (call_id, kind, form_version, items_json, total, comment, user_id, user_name, at)
        VALUES (@callId, @kind, @formVersion, @items, @total, @comment, @userId, @userName, @at)`),
      scores: db.prepare(`SELECT kind, form_version AS formVersion, items_json AS items, total, comment, user_id AS userId,
        user_name AS userName, at FROM qc_scores WHERE call_id = ?`),
      review: db.prepare(`SELECT reason, requested_by AS requestedBy, requested_at AS requestedAt, decision,
        decision_comment AS decisionComment, decided_by AS decidedBy, decided_by_name AS decidedByName, decided_at AS decidedAt
        FROM qc_reviews WHERE call_id = ?`),
      insertReview: db.prepare('INSERT INTO qc_reviews (call_id, reason, requested_by, requested_at) VALUES (?, ?, ?, ?)'),
      decideReview: db.prepare(`UPDATE qc_reviews SET decision = ?, decision_comment = ?, decided_by = ?, decided_by_name = ?,
        decided_at = ? WHERE call_id = ?`),
      factsIn: db.prepare(`SELECT i.call_id AS callId, i.seat_id AS seatId, i.centre_id AS centreId, i.category_id AS categoryId,
          i.enqueued_at AS enqueuedAt, i.sample, i.status, COALESCE(sr.total, si.total) AS total,
          (rv.call_id IS NOT NULL) AS reviewRequested, (rv.decision IS 'rescored') AS reviewChanged
        FROM qc_items i
        LEFT JOIN qc_scores si ON si.call_id = i.call_id AND si.kind = 'inspection'
        LEFT JOIN qc_scores sr ON sr.call_id = i.call_id AND sr.kind = 'review'
        LEFT JOIN qc_reviews rv ON rv.call_id = i.call_id
        WHERE i.enqueued_at >= ? AND i.enqueued_at < ? ORDER BY i.enqueued_at, i.call_id`),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  setting(key: string): string | null {
    return (this.s.setting.get(key) as { value: string } | undefined)?.value ?? null;
  }

  setSetting(key: string, value: string, at: number): void {
    this.s.setSetting.run(key, value, at);
  }

  form(): { version: number; items: QcFormItem[] } | null {
    const r = this.s.form.get() as { version: number; items_json: string } | undefined;
    return r ? { version: r.version, items: JSON.parse(r.items_json) as QcFormItem[] } : null;
  }

  insertForm(version: number, items: QcFormItem[], at: number, userId: number | null): void {
    this.s.insertForm.run(version, JSON.stringify(items), at, userId);
  }

  revisionsSince(seq: number): { seq: number; callId: string; revision: number; json: string }[] {
    return this.s.revisions.all(seq) as { seq: number; callId: string; revision: number; json: string }[];
  }

  ratingsSince(seq: number): { seq: number; callId: string; satisfied: number | null }[] {
    return this.s.ratings.all(seq) as { seq: number; callId: string; satisfied: number | null }[];
  }

  alertsSince(seq: number): { seq: number; callId: string }[] {
    return this.s.alerts.all(seq) as { seq: number; callId: string }[];
  }

  callFacts(callId: string): QcCallFacts | null {
    return (this.s.facts.get(callId) as QcCallFacts | undefined) ?? null;
  }

  /** Records the sample draw for a call; false when it was drawn before (the first draw stands). */
  recordDraw(callId: string, sampled: boolean, percent: number, at: number): boolean {
    return this.s.decide.run(callId, sampled ? 1 : 0, percent, at).changes > 0;
  }

  /** Puts the call in the worklist, or adds reasons to its row. */
  addReasons(f: QcCallFacts, reasons: readonly QcReason[], at: number): void {
    const has = (r: QcReason) => (reasons.includes(r) ? 1 : 0);
    this.s.upsert.run({
      ...f,
      sample: has('sample'),
      dissatisfied: has('dissatisfied'),
      complaint: has('complaint'),
      major: has('major'),
      at,
    });
  }

  item(callId: string): QcItemRecord | null {
    const r = this.s.item.get(callId) as ItemRow | undefined;
    return r ? toItem(r) : null;
  }

  list(status: QcStatus | 'all', limit: number, centres: readonly string[] | null): QcItemRecord[] {
    return (this.s.list.all({ status, limit, centres: centresParam(centres) }) as ItemRow[]).map(toItem);
  }

  mine(seatId: string, limit: number): QcItemRecord[] {
    return (this.s.mine.all(seatId, limit) as ItemRow[]).map(toItem);
  }

  setStatus(callId: string, status: QcStatus, at: number): void {
    this.s.setStatus.run(status, at, callId);
  }

  insertScore(callId: string, s: QcScoreRecord): void {
    this.s.insertScore.run({ ...s, callId, items: JSON.stringify(s.items) });
  }

  scores(callId: string): QcScoreRecord[] {
    return (this.s.scores.all(callId) as (Omit<QcScoreRecord, 'items'> & { items: string })[]).map((r) => ({
      ...r,
      items: JSON.parse(r.items) as QcScoredItem[],
    }));
  }

  review(callId: string): QcReviewRecord | null {
    return (this.s.review.get(callId) as QcReviewRecord | undefined) ?? null;
  }

  insertReview(callId: string, reason: string, userId: number, at: number): void {
    this.s.insertReview.run(callId, reason, userId, at);
  }

  decideReview(callId: string, decision: QcDecision, comment: string, userId: number, userName: string, at: number): void {
    this.s.decideReview.run(decision, comment, userId, userName, at, callId);
  }

  /** Items of the calls enqueued in [from, to), with their current totals. */
  factsIn(from: number, to: number): QcFactRow[] {
    return this.s.factsIn.all(from, to) as QcFactRow[];
  }
}
