import type { VisitOutcome, VisitSource, VisitStatus } from '../../contract/index.js';
import type { CallbackTaskFact } from '../../domain/stats/callback-completion.js';
import type { VisitFact } from '../../domain/stats/satisfaction.js';
import type { Db } from '../../store/db.js';

/** A 回访 task; `caller` is the full number: mask it before it leaves the server. */
/** A centre filter in SQL: @centres is a JSON list of centre ids, or NULL for every centre. */
export const IN_SCOPE = '(@centres IS NULL OR centre_id IN (SELECT value FROM json_each(@centres)))';
/** A seat's own tasks in SQL: @assignee is a seat id, or NULL for every task. */
const ASSIGNED = '(@assignee IS NULL OR assignee_seat_id = @assignee)';
export const scopeParam = (centres: readonly string[] | null): string | null => (centres ? JSON.stringify(centres) : null);

export interface VisitTask {
  id: number;
  source: VisitSource;
  sourceRef: string;
  callId: string | null;
  caller: string;
  categoryId: string;
  centreId: string;
  seatId: string | null;
  assigneeSeatId: string | null;
  createdAt: number;
  dueAt: number;
  nextAttemptAt: number;
  attempts: number;
  status: VisitStatus;
  outcome: VisitOutcome | null;
  closedAt: number | null;
  reachedAt: number | null;
  note: string | null;
}

export type NewVisitTask = Pick<
  VisitTask,
  'source' | 'sourceRef' | 'callId' | 'caller' | 'categoryId' | 'centreId' | 'seatId' | 'createdAt' | 'dueAt' | 'note'
>;

const SELECT = `SELECT id, source, source_ref AS sourceRef, call_id AS callId, caller, category_id AS categoryId, centre_id AS centreId,
  seat_id AS seatId, assignee_seat_id AS assigneeSeatId, created_at AS createdAt, due_at AS dueAt, next_attempt_at AS nextAttemptAt,
  attempts, status, outcome, closed_at AS closedAt, reached_at AS reachedAt, note FROM visit_tasks`;

/** A summary filed since the last look, for the 预约回电 and quality-sample sources. */
export interface FiledSummaryRow {
  seq: number;
  callId: string;
  caller: string;
  seatId: string | null;
  categoryId: string;
  centreId: string;
  disposition: string;
  followUpAt: number | null;
  filedAt: number;
}

/** settings keys: the last call_summaries rowid and the last summary_revisions rowid looked at. */
const WATERMARKS = { filed: 'visits.summaries_seen', amended: 'visits.amendments_seen' } as const;

/** visit_tasks and visit_attempts. */
export class VisitRepository {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly bySourceStmt;
  private readonly dissatisfiedOfStmt;
  private readonly listOpenStmt;
  private readonly listClosedStmt;
  private readonly attemptStmt;
  private readonly updateStmt;
  private readonly assignStmt;
  private readonly fromCallbacksStmt;
  private readonly fromTicketsStmt;
  private readonly summariesStmt;
  private readonly amendedStmt;
  private readonly rebookStmt;
  private readonly watermarkGet;
  private readonly watermarkSet;
  private readonly dueStmt;
  private readonly factsStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, note, updated_at)
      VALUES (@source, @sourceRef, @callId, @caller, @categoryId, @centreId, @seatId, @createdAt, @dueAt, @createdAt, @note, @createdAt)
      ON CONFLICT(source, source_ref) DO NOTHING`);
    this.byIdStmt = db.prepare(`${SELECT} WHERE id = ?`);
    this.bySourceStmt = db.prepare(`${SELECT} WHERE source = ? AND source_ref = ?`);
    this.dissatisfiedOfStmt = db.prepare(`${SELECT} WHERE source = 'dissatisfied' AND call_id = ? ORDER BY id LIMIT 1`);
    // Overdue first (by due time), then the rest by due time.
    this.listOpenStmt = db.prepare(
      `${SELECT} WHERE status = 'open' AND ${IN_SCOPE} AND ${ASSIGNED} ORDER BY (due_at < @now) DESC, due_at, id LIMIT @limit OFFSET @offset`,
    );
    this.listClosedStmt = db.prepare(
      `${SELECT} WHERE status = 'closed' AND ${IN_SCOPE} AND ${ASSIGNED} ORDER BY closed_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    );
    this.attemptStmt = db.prepare(`
      INSERT INTO visit_attempts (task_id, user_id, outcome, score, comment, follow_up, at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare(`
      UPDATE visit_tasks SET attempts = @attempts, status = @status, outcome = @outcome, closed_at = @closedAt, reached_at = @reachedAt,
        next_attempt_at = @nextAttemptAt, updated_at = @at WHERE id = @id`);
    this.assignStmt = db.prepare('UPDATE visit_tasks SET assignee_seat_id = ?, updated_at = ? WHERE id = ?');
    this.fromCallbacksStmt = db.prepare(`
      INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, updated_at)
      SELECT 'callback-request', cr.call_id, cr.call_id, cr.caller, cr.category_id, cr.home_centre_id, NULL, cr.created_at, cr.created_at + @dueMs, cr.created_at, cr.created_at
      FROM callback_requests cr WHERE cr.status = 'open'
      ON CONFLICT(source, source_ref) DO NOTHING`);
    // A 12345 ticket asking 12348 to call the citizen (no call came with it): due like a callback
    // request, in the city centre unless mapped otherwise, under the specialty its category maps to.
    this.fromTicketsStmt = db.prepare(`
      INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, note, updated_at)
      SELECT 'ticket-12345', h.ticket, NULL, json_extract(h.payload_json, '$.citizenPhone'),
        COALESCE(json_extract(h.payload_json, '$.categoryId'), 'general'), @centreId, NULL, h.created_at, h.created_at + @dueMs, h.created_at,
        '12345工单 ' || h.ticket || ':' || substr(COALESCE(json_extract(h.payload_json, '$.title'), ''), 1, 60), h.created_at
      FROM handovers h WHERE h.direction = 'from-12345' AND h.state = 'callback-requested' AND h.call_id IS NULL
        AND COALESCE(json_extract(h.payload_json, '$.citizenPhone'), '') <> ''
      ON CONFLICT(source, source_ref) DO NOTHING`);
    this.summariesStmt = db.prepare(`
      SELECT s.rowid AS seq, s.call_id AS callId, c.caller, c.seat_id AS seatId, COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS categoryId,
        c.home_centre_id AS centreId, json_extract(s.json, '$.disposition') AS disposition, json_extract(s.json, '$.followUpAt') AS followUpAt, s.filed_at AS filedAt
      FROM call_summaries s JOIN calls c ON c.id = s.call_id WHERE s.rowid > ? ORDER BY s.rowid LIMIT 500`);
    // An amendment updates call_summaries in place (its rowid stays behind the watermark) and adds a
    // revision: the summaries amended since the last look, as they read now.
    this.amendedStmt = db.prepare(`
      SELECT r.rowid AS seq, r.call_id AS callId, c.caller, c.seat_id AS seatId, COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS categoryId,
        c.home_centre_id AS centreId, json_extract(s.json, '$.disposition') AS disposition, json_extract(s.json, '$.followUpAt') AS followUpAt, r.at AS filedAt
      FROM summary_revisions r JOIN call_summaries s ON s.call_id = r.call_id JOIN calls c ON c.id = r.call_id
      WHERE r.rowid > ? AND r.revision > 1 ORDER BY r.rowid LIMIT 500`);
    this.rebookStmt = db.prepare(`UPDATE visit_tasks SET due_at = @dueAt, updated_at = @at
      WHERE source = 'summary-callback' AND source_ref = @callId AND status = 'open' AND due_at <> @dueAt`);
    this.watermarkGet = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.watermarkSet = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    this.dueStmt = db.prepare(`
      SELECT source, due_at AS dueAt, status, closed_at AS closedAt, category_id AS categoryId, seat_id AS seatId
      FROM visit_tasks WHERE due_at >= @from AND due_at < @to AND (@openOnly = 0 OR status = 'open') AND ${IN_SCOPE}`);
    this.factsStmt = db.prepare(`
      SELECT source, created_at AS createdAt, due_at AS dueAt, status, reached_at AS reachedAt, category_id AS categoryId, seat_id AS seatId
      FROM visit_tasks WHERE created_at >= @from AND created_at < @to AND ${IN_SCOPE}`);
  }

  /** Tasks created in [from, to) in the centres (null = all), as the figures see them. */
  facts(from: number, to: number, centres: readonly string[] | null): (VisitFact & { categoryId: string; seatId: string | null })[] {
    return this.factsStmt.all({ from, to, centres: scopeParam(centres) }) as never;
  }

  insert(t: NewVisitTask): VisitTask {
    this.insertStmt.run(t);
    return this.bySourceStmt.get(t.source, t.sourceRef) as VisitTask;
  }

  /** The 不满意回访 task of a call (the first, whichever rating made it), or null. */
  dissatisfiedOf(callId: string): VisitTask | null {
    return (this.dissatisfiedOfStmt.get(callId) as VisitTask | undefined) ?? null;
  }

  /** Inserts the task unless its source already gave one; true when it was new. */
  create(t: NewVisitTask): boolean {
    return this.insertStmt.run(t).changes > 0;
  }

  get(id: number): VisitTask | null {
    return (this.byIdStmt.get(id) as VisitTask | undefined) ?? null;
  }

  /** centres: only the tasks of those centres (null = every centre); assignee: only the tasks given to that seat (null = any); offset: paging. */
  list(
    status: VisitStatus,
    now: number,
    limit: number,
    centres: readonly string[] | null = null,
    assignee: string | null = null,
    offset = 0,
  ): VisitTask[] {
    const c = scopeParam(centres);
    return (
      status === 'open'
        ? this.listOpenStmt.all({ now, limit, offset, centres: c, assignee })
        : this.listClosedStmt.all({ limit, offset, centres: c, assignee })
    ) as VisitTask[];
  }

  recordAttempt(
    taskId: number,
    a: { userId: number | null; outcome: VisitOutcome; score: number | null; comment: string | null; followUp: string | null; at: number },
  ): void {
    this.attemptStmt.run(taskId, a.userId, a.outcome, a.score, a.comment, a.followUp, a.at);
  }

  update(t: VisitTask, at: number): void {
    this.updateStmt.run({ ...t, at });
  }

  assign(id: number, seatId: string | null, at: number): void {
    this.assignStmt.run(seatId, at, id);
  }

  /** Every open callback request without a task gets one; returns how many were created. */
  createFromCallbacks(dueMs: number): number {
    return this.fromCallbacksStmt.run({ dueMs }).changes;
  }

  createFromTickets(dueMs: number, centreId: string): number {
    return this.fromTicketsStmt.run({ dueMs, centreId }).changes;
  }

  summariesSince(seq: number): FiledSummaryRow[] {
    return this.summariesStmt.all(seq) as FiledSummaryRow[];
  }

  /** Summaries amended (revision 2 on) after revision row `seq`, with what they say now. */
  amendedSince(seq: number): FiledSummaryRow[] {
    return this.amendedStmt.all(seq) as FiledSummaryRow[];
  }

  /** A 预约回电 task still open follows its summary's booked time; true when it moved. */
  rebook(callId: string, dueAt: number, at: number): boolean {
    return this.rebookStmt.run({ callId, dueAt, at }).changes > 0;
  }

  summariesSeen(kind: 'filed' | 'amended' = 'filed'): number {
    const r = this.watermarkGet.get(WATERMARKS[kind]) as { value: string } | undefined;
    return r ? Number(r.value) : 0;
  }

  setSummariesSeen(seq: number, at: number, kind: 'filed' | 'amended' = 'filed'): void {
    this.watermarkSet.run(WATERMARKS[kind], String(seq), at);
  }

  /** Tasks due in [from, to) in the centres (null = all), as the completion figures see them; `openOnly`: the open ones. */
  dueFacts(
    from: number,
    to: number,
    centres: readonly string[] | null,
    openOnly = false,
  ): (CallbackTaskFact & { categoryId: string; seatId: string | null })[] {
    return this.dueStmt.all({ from, to, openOnly: openOnly ? 1 : 0, centres: scopeParam(centres) }) as never;
  }

  /** Marks the callback request behind a task done (the worklist closed it). */
  closeCallbackRequest(callId: string, at: number): void {
    this.db.prepare("UPDATE callback_requests SET status = 'done', updated_at = ? WHERE call_id = ? AND status = 'open'").run(at, callId);
  }
}
