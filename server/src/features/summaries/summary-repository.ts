import type { CallSummaryInput, SummaryDraft } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

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

interface SummaryRow {
  call_id: string;
  seat_id: string;
  seat_name: string | null;
  json: string;
  revision: number;
  filed_at: number;
  updated_at: number;
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

const SUMMARY_SELECT = `
  SELECT s.call_id, s.seat_id, seats.name AS seat_name, s.json, s.revision, s.filed_at, s.updated_at
  FROM call_summaries s LEFT JOIN seats ON seats.id = s.seat_id`;

/**
 * Filed summaries, their revisions and drafts. Writes that belong together run inside the
 * service's transaction (summary-service.ts).
 */
export class SummaryRepository {
  private readonly selectSummary;
  private readonly selectSummariesOf;
  private readonly insertSummaryStmt;
  private readonly updateSummaryStmt;
  private readonly insertRevisionStmt;
  private readonly selectRevisions;
  private readonly selectDraft;
  private readonly upsertDraftStmt;
  private readonly deleteDraftsStmt;

  constructor(db: Db) {
    this.selectSummary = db.prepare(`${SUMMARY_SELECT} WHERE s.call_id = ?`);
    this.selectSummariesOf = db.prepare(`${SUMMARY_SELECT} WHERE s.call_id IN (SELECT value FROM json_each(?))`);
    this.insertSummaryStmt = db.prepare(
      'INSERT INTO call_summaries (call_id, seat_id, json, revision, filed_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
    );
    this.updateSummaryStmt = db.prepare(
      'UPDATE call_summaries SET json = ?, revision = revision + 1, updated_at = ? WHERE call_id = ? RETURNING revision',
    );
    this.insertRevisionStmt = db.prepare('INSERT INTO summary_revisions (call_id, revision, json, seat_id, at) VALUES (?, ?, ?, ?, ?)');
    this.selectRevisions = db.prepare(
      'SELECT call_id, revision, json, seat_id, at FROM summary_revisions WHERE call_id = ? ORDER BY revision',
    );
    this.selectDraft = db.prepare('SELECT call_id, seat_id, json, saved_at FROM summary_drafts WHERE call_id = ? AND seat_id = ?');
    this.upsertDraftStmt = db.prepare(`
      INSERT INTO summary_drafts (call_id, seat_id, json, saved_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(call_id, seat_id) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at`);
    this.deleteDraftsStmt = db.prepare('DELETE FROM summary_drafts WHERE call_id = ?');
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
}
