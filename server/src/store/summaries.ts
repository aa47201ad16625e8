import type { CallSummaryInput, SummaryDraft } from '../contract/index.js';
import type { Db } from './db.js';

/** A filed call summary (小结) as stored: the input as last amended, and who filed it when. */
export interface StoredSummary {
  callId: string;
  seatId: string;
  /** The author seat's name now (empty when the seat is gone). */
  seatName: string;
  input: CallSummaryInput;
  revision: number;
  filedAt: number;
  updatedAt: number;
}

export interface StoredRevision {
  callId: string;
  revision: number;
  seatId: string;
  at: number;
  input: CallSummaryInput;
}

export interface StoredDraft {
  callId: string;
  seatId: string;
  draft: SummaryDraft;
  savedAt: number;
}

/** A major-matter alert (重大事项上报) with what its view needs; `caller` is the full number: mask it. */
export interface AlertRecord {
  id: number;
  callId: string;
  seatId: string;
  seatName: string;
  /** The filed summary's category when there is one, else the call's routing category. */
  categoryId: string;
  caller: string;
  note: string;
  raisedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

interface SummaryRow {
  call_id: string;
  seat_id: string;
  seat_name: string | null;
  json: string;
  revision: number;
  filed_at: number;
  updated_at: number;
}

interface AlertRow {
  id: number;
  call_id: string;
  seat_id: string;
  seat_name: string | null;
  category_id: string;
  caller: string;
  note: string;
  raised_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

const toSummary = (r: SummaryRow): StoredSummary => ({
  callId: r.call_id,
  seatId: r.seat_id,
  seatName: r.seat_name ?? '',
  input: JSON.parse(r.json) as CallSummaryInput,
  revision: r.revision,
  filedAt: r.filed_at,
  updatedAt: r.updated_at,
});

const toAlert = (r: AlertRow): AlertRecord => ({
  id: r.id,
  callId: r.call_id,
  seatId: r.seat_id,
  seatName: r.seat_name ?? '',
  categoryId: r.category_id,
  caller: r.caller,
  note: r.note,
  raisedAt: r.raised_at,
  updatedAt: r.updated_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
});

const SUMMARY_SELECT = `
  SELECT s.call_id, s.seat_id, seats.name AS seat_name, s.json, s.revision, s.filed_at, s.updated_at
  FROM call_summaries s LEFT JOIN seats ON seats.id = s.seat_id`;

const ALERT_SELECT = `
  SELECT a.id, a.call_id, a.seat_id, seats.name AS seat_name,
         COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS category_id, c.caller,
         a.note, a.raised_at, a.updated_at, a.acknowledged_at, a.acknowledged_by
  FROM major_alerts a
  JOIN calls c ON c.id = a.call_id
  LEFT JOIN call_summaries s ON s.call_id = a.call_id
  LEFT JOIN seats ON seats.id = a.seat_id`;

/**
 * Summaries, their revisions and drafts, major-matter alerts, and the call look-ups of the seat
 * console (a caller's earlier calls, a seat's answered calls of a day). Writes that belong
 * together run inside `transaction`, which commits durably (synchronous=FULL) before it returns.
 */
export class SummaryRepo {
  private readonly selectSummary;
  private readonly selectSummariesOf;
  private readonly insertSummaryStmt;
  private readonly updateSummaryStmt;
  private readonly insertRevisionStmt;
  private readonly selectRevisions;
  private readonly selectDraft;
  private readonly upsertDraftStmt;
  private readonly deleteDraftsStmt;
  private readonly selectAlertById;
  private readonly selectAlertByCall;
  private readonly insertAlertStmt;
  private readonly updateAlertNoteStmt;
  private readonly ackAlertStmt;
  private readonly selectAlerts;
  private readonly selectOpenAlerts;
  private readonly selectEarlier;
  private readonly countEarlier;
  private readonly selectAnsweredBy;

  constructor(private readonly db: Db) {
    this.selectSummary = db.prepare(`${SUMMARY_SELECT} WHERE s.call_id = ?`);
    this.selectSummariesOf = db.prepare(`${SUMMARY_SELECT} WHERE s.call_id IN (SELECT value FROM json_each(?))`);
    this.insertSummaryStmt = db.prepare(
      'INSERT INTO call_summaries (call_id, seat_id, json, revision, filed_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
    );
    this.updateSummaryStmt = db.prepare(
      'UPDATE call_summaries SET json = ?, revision = revision + 1, updated_at = ? WHERE call_id = ? RETURNING revision',
    );
    this.insertRevisionStmt = db.prepare('INSERT INTO summary_revisions (call_id, revision, json, seat_id, at) VALUES (?, ?, ?, ?, ?)');
    this.selectRevisions = db.prepare('SELECT call_id, revision, json, seat_id, at FROM summary_revisions WHERE call_id = ? ORDER BY revision');
    this.selectDraft = db.prepare('SELECT call_id, seat_id, json, saved_at FROM summary_drafts WHERE call_id = ? AND seat_id = ?');
    this.upsertDraftStmt = db.prepare(`
      INSERT INTO summary_drafts (call_id, seat_id, json, saved_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(call_id, seat_id) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at`);
    this.deleteDraftsStmt = db.prepare('DELETE FROM summary_drafts WHERE call_id = ?');
    this.selectAlertById = db.prepare(`${ALERT_SELECT} WHERE a.id = ?`);
    this.selectAlertByCall = db.prepare(`${ALERT_SELECT} WHERE a.call_id = ?`);
    this.insertAlertStmt = db.prepare(
      'INSERT INTO major_alerts (call_id, seat_id, note, raised_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateAlertNoteStmt = db.prepare(
      'UPDATE major_alerts SET note = ?, updated_at = ?, acknowledged_at = NULL, acknowledged_by = NULL WHERE call_id = ?',
    );
    this.ackAlertStmt = db.prepare(
      'UPDATE major_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL',
    );
    this.selectAlerts = db.prepare(`${ALERT_SELECT} ORDER BY a.raised_at DESC, a.id DESC LIMIT ?`);
    this.selectOpenAlerts = db.prepare(`${ALERT_SELECT} WHERE a.acknowledged_at IS NULL ORDER BY a.raised_at DESC, a.id DESC LIMIT ?`);
    this.selectEarlier = db.prepare(
      'SELECT id FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ? ORDER BY enqueued_at DESC, rowid DESC LIMIT ?',
    );
    this.countEarlier = db.prepare('SELECT COUNT(*) AS n FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ?');
    this.selectAnsweredBy = db.prepare(
      'SELECT id FROM calls WHERE seat_id = ? AND answered_at >= ? AND answered_at < ? ORDER BY answered_at DESC, rowid DESC',
    );
  }

  /** Runs `fn` in one immediate transaction (or inside the one already open). */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).immediate();
  }

  // ---------------------------------------------------------------- summaries

  summary(callId: string): StoredSummary | null {
    const r = this.selectSummary.get(callId) as SummaryRow | undefined;
    return r ? toSummary(r) : null;
  }

  summariesOf(callIds: readonly string[]): Map<string, StoredSummary> {
    if (callIds.length === 0) return new Map();
    const rows = this.selectSummariesOf.all(JSON.stringify(callIds)) as SummaryRow[];
    return new Map(rows.map((r) => [r.call_id, toSummary(r)]));
  }

  /** Files a summary as revision 1. Throws on a second one for the same call (primary key). */
  insertSummary(callId: string, seatId: string, input: CallSummaryInput, at: number): void {
    const json = JSON.stringify(input);
    this.insertSummaryStmt.run(callId, seatId, json, at, at);
    this.insertRevisionStmt.run(callId, 1, json, seatId, at);
  }

  /** Replaces the summary's content and keeps it as the next revision; returns that revision. */
  amendSummary(callId: string, seatId: string, input: CallSummaryInput, at: number): number {
    const json = JSON.stringify(input);
    const row = this.updateSummaryStmt.get(json, at, callId) as { revision: number } | undefined;
    if (!row) throw new Error(`no summary of call ${callId} to amend`);
    this.insertRevisionStmt.run(callId, row.revision, json, seatId, at);
    return row.revision;
  }

  revisions(callId: string): StoredRevision[] {
    const rows = this.selectRevisions.all(callId) as { call_id: string; revision: number; json: string; seat_id: string; at: number }[];
    return rows.map((r) => ({
      callId: r.call_id,
      revision: r.revision,
      seatId: r.seat_id,
      at: r.at,
      input: JSON.parse(r.json) as CallSummaryInput,
    }));
  }

  // ---------------------------------------------------------------- drafts

  draft(callId: string, seatId: string): StoredDraft | null {
    const r = this.selectDraft.get(callId, seatId) as { call_id: string; seat_id: string; json: string; saved_at: number } | undefined;
    return r ? { callId: r.call_id, seatId: r.seat_id, draft: JSON.parse(r.json) as SummaryDraft, savedAt: r.saved_at } : null;
  }

  saveDraft(callId: string, seatId: string, draft: SummaryDraft, at: number): void {
    this.upsertDraftStmt.run(callId, seatId, JSON.stringify(draft), at);
  }

  deleteDrafts(callId: string): void {
    this.deleteDraftsStmt.run(callId);
  }

  // ---------------------------------------------------------------- major-matter alerts

  alert(id: number): AlertRecord | null {
    const r = this.selectAlertById.get(id) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }

  alertOfCall(callId: string): AlertRecord | null {
    const r = this.selectAlertByCall.get(callId) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }

  /**
   * Raises the call's alert, or, when it has one, replaces its note and opens it again (new
   * information is for a supervisor to read, even after an earlier acknowledgement).
   */
  raiseAlert(callId: string, seatId: string, note: string, at: number): { alert: AlertRecord; created: boolean } {
    return this.transaction(() => {
      const existing = this.alertOfCall(callId);
      if (existing) this.updateAlertNoteStmt.run(note, at, callId);
      else this.insertAlertStmt.run(callId, seatId, note, at, at);
      return { alert: this.alertOfCall(callId)!, created: existing === null };
    });
  }

  /** Acknowledges an open alert; an alert already acknowledged keeps its first acknowledgement. */
  acknowledgeAlert(id: number, by: string, at: number): { alert: AlertRecord; changed: boolean } | null {
    return this.transaction(() => {
      const changed = this.ackAlertStmt.run(at, by, id).changes > 0;
      const alert = this.alert(id);
      return alert ? { alert, changed } : null;
    });
  }

  /** Alerts newest first; `openOnly` leaves out the acknowledged ones. */
  alerts(opts: { openOnly: boolean; limit: number }): AlertRecord[] {
    const stmt = opts.openOnly ? this.selectOpenAlerts : this.selectAlerts;
    return (stmt.all(opts.limit) as AlertRow[]).map(toAlert);
  }

  // ---------------------------------------------------------------- call look-ups

  /** Ids of the caller's calls enqueued before `before` (other than `callId`), newest first, and how many there are. */
  earlierCalls(caller: string, before: number, callId: string, limit: number): { ids: string[]; total: number } {
    const ids = (this.selectEarlier.all(caller, before, callId, limit) as { id: string }[]).map((r) => r.id);
    const { n } = this.countEarlier.get(caller, before, callId) as { n: number };
    return { ids, total: n };
  }

  /** Ids of the calls the seat answered in [from, to) (answer time), newest first. */
  answeredBy(seatId: string, from: number, to: number): string[] {
    return (this.selectAnsweredBy.all(seatId, from, to) as { id: string }[]).map((r) => r.id);
  }
}
