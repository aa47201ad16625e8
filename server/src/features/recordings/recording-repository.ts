import type { Db } from '../../store/db.js';

export type RecordingStatus = 'recording' | 'off' | 'stored' | 'failed' | 'deleted';

/**
 * Another SIP call recorded with this one and mixed into its file: a seat's consultation (of
 * another seat, or of 12345), from its answer to its hang-up, in ms from the main call's answer.
 */
export interface RecordingLeg {
  callId: string;
  /** The seat that consulted. */
  seatId: string;
  /** Whom it consulted: a seat id, or a number such as 12345. */
  to: string;
  fromMs: number;
  toMs: number | null;
}

/** One call's recording row (migration 14). Pauses are [fromMs, toMs | null] from the answer. */
export interface RecordingRecord {
  callId: string;
  status: RecordingStatus;
  reason: string | null;
  file: string | null;
  format: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  durationMs: number | null;
  answeredAt: number;
  endedAt: number | null;
  pauses: [number, number | null][];
  legs: RecordingLeg[];
  storedAt: number | null;
  deletedAt: number | null;
}

interface Row {
  call_id: string;
  status: RecordingStatus;
  reason: string | null;
  file: string | null;
  format: string | null;
  size_bytes: number | null;
  sha256: string | null;
  duration_ms: number | null;
  answered_at: number;
  ended_at: number | null;
  pauses_json: string;
  legs_json: string;
  stored_at: number | null;
  deleted_at: number | null;
}

const toRecord = (r: Row): RecordingRecord => ({
  callId: r.call_id,
  status: r.status,
  reason: r.reason,
  file: r.file,
  format: r.format,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  durationMs: r.duration_ms,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  pauses: JSON.parse(r.pauses_json) as [number, number | null][],
  legs: JSON.parse(r.legs_json) as RecordingLeg[],
  storedAt: r.stored_at,
  deletedAt: r.deleted_at,
});

/** SQLite statements for the recordings table. */
export class RecordingRepository {
  constructor(private readonly db: Db) {}

  get(callId: string): RecordingRecord | null {
    const r = this.db.prepare('SELECT * FROM recordings WHERE call_id = ?').get(callId) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  insert(callId: string, status: RecordingStatus, answeredAt: number, reason: string | null = null): void {
    this.db
      .prepare('INSERT OR IGNORE INTO recordings (call_id, status, answered_at, reason) VALUES (?, ?, ?, ?)')
      .run(callId, status, answeredAt, reason);
  }

  setPauses(callId: string, pauses: [number, number | null][]): void {
    this.db.prepare('UPDATE recordings SET pauses_json = ? WHERE call_id = ?').run(JSON.stringify(pauses), callId);
  }

  setLegs(callId: string, legs: RecordingLeg[]): void {
    this.db.prepare('UPDATE recordings SET legs_json = ? WHERE call_id = ?').run(JSON.stringify(legs), callId);
  }

  /** The call a leg (its own SIP Call-ID) is recorded with. */
  ownerOfLeg(legCallId: string): string | null {
    const r = this.db
      .prepare(
        `SELECT r.call_id FROM recordings r, json_each(r.legs_json) l
         WHERE r.status = 'recording' AND json_extract(l.value, '$.callId') = ? LIMIT 1`,
      )
      .get(legCallId) as { call_id: string } | undefined;
    return r?.call_id ?? null;
  }

  ended(callId: string, endedAt: number): void {
    this.db.prepare('UPDATE recordings SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL').run(endedAt, callId);
  }

  stored(callId: string, v: { file: string; format: string; sizeBytes: number; sha256: string; durationMs: number; at: number }): void {
    this.db
      .prepare(
        `UPDATE recordings SET status = 'stored', reason = NULL, file = ?, format = ?, size_bytes = ?, sha256 = ?,
           duration_ms = ?, stored_at = ? WHERE call_id = ?`,
      )
      .run(v.file, v.format, v.sizeBytes, v.sha256, v.durationMs, v.at, callId);
  }

  failed(callId: string, reason: string): void {
    this.db.prepare(`UPDATE recordings SET status = 'failed', reason = ? WHERE call_id = ?`).run(reason, callId);
  }

  deleted(callId: string, at: number): void {
    this.db.prepare(`UPDATE recordings SET status = 'deleted', reason = 'expired', deleted_at = ? WHERE call_id = ?`).run(at, callId);
  }

  /** Calls transferred on from this one (their `transferred-in` event names it). */
  transferredFrom(callId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT call_id FROM call_events WHERE type = 'transferred-in' AND json_extract(data_json, '$.fromCallId') = ? ORDER BY id`,
        )
        .all(callId) as { call_id: string }[]
    ).map((r) => r.call_id);
  }

  /** Calls still marked as recording (a restart finishes or fails them). */
  unfinished(): RecordingRecord[] {
    return (this.db.prepare(`SELECT * FROM recordings WHERE status = 'recording'`).all() as Row[]).map(toRecord);
  }

  /** Stored recordings answered before `before`, oldest first. */
  expired(before: number, limit: number): RecordingRecord[] {
    return (
      this.db
        .prepare(`SELECT * FROM recordings WHERE status = 'stored' AND answered_at < ? ORDER BY answered_at LIMIT ?`)
        .all(before, limit) as Row[]
    ).map(toRecord);
  }

  /** Bytes and files of the stored recordings; bytes stored since `since`. */
  totals(since: number): { usedBytes: number; files: number; recentBytes: number } {
    return this.db
      .prepare(
        `SELECT COALESCE(SUM(size_bytes), 0) AS usedBytes, COUNT(*) AS files,
           COALESCE(SUM(CASE WHEN stored_at >= ? THEN size_bytes ELSE 0 END), 0) AS recentBytes
         FROM recordings WHERE status = 'stored'`,
      )
      .get(since) as { usedBytes: number; files: number; recentBytes: number };
  }
}
