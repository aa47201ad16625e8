import type { Db } from '../../store/db.js';

/** A major-matter alert (重大事项上报) with what its view needs; `caller` is the full number: mask it. */
export interface AlertRecord {
  id: number;
  callId: string;
  seatId: string;
  seatName: string;
  /** The filed summary's category when there is one, else the call's routing category. */
  categoryId: string;
  /** The call's home centre (for the supervisors' scope). */
  homeCentreId: string;
  caller: string;
  note: string;
  raisedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

interface AlertRow {
  id: number;
  call_id: string;
  seat_id: string;
  seat_name: string | null;
  category_id: string;
  home_centre_id: string;
  caller: string;
  note: string;
  raised_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

const toAlert = (r: AlertRow): AlertRecord => ({
  id: r.id,
  callId: r.call_id,
  seatId: r.seat_id,
  seatName: r.seat_name ?? '',
  categoryId: r.category_id,
  homeCentreId: r.home_centre_id,
  caller: r.caller,
  note: r.note,
  raisedAt: r.raised_at,
  updatedAt: r.updated_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
});

const ALERT_SELECT = `
  SELECT a.id, a.call_id, a.seat_id, seats.name AS seat_name,
         COALESCE(json_extract(s.json, '$.categoryId'), c.category_id) AS category_id, c.home_centre_id, c.caller,
         a.note, a.raised_at, a.updated_at, a.acknowledged_at, a.acknowledged_by
  FROM major_alerts a
  JOIN calls c ON c.id = a.call_id
  LEFT JOIN call_summaries s ON s.call_id = a.call_id
  LEFT JOIN seats ON seats.id = a.seat_id`;

/** Major-matter alerts (major_alerts table): one per call. */
export class AlertRepository {
  private readonly selectAlertById;
  private readonly selectAlertByCall;
  private readonly insertAlertStmt;
  private readonly updateAlertNoteStmt;
  private readonly ackAlertStmt;
  private readonly selectAlerts;
  private readonly selectOpenAlerts;

  constructor(db: Db) {
    this.selectAlertById = db.prepare(`${ALERT_SELECT} WHERE a.id = ?`);
    this.selectAlertByCall = db.prepare(`${ALERT_SELECT} WHERE a.call_id = ?`);
    this.insertAlertStmt = db.prepare('INSERT INTO major_alerts (call_id, seat_id, note, raised_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    this.updateAlertNoteStmt = db.prepare(
      'UPDATE major_alerts SET note = ?, updated_at = ?, acknowledged_at = NULL, acknowledged_by = NULL WHERE call_id = ?',
    );
    this.ackAlertStmt = db.prepare(
      'UPDATE major_alerts SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_by_user_id = ? WHERE id = ? AND acknowledged_at IS NULL',
    );
    this.selectAlerts = db.prepare(`${ALERT_SELECT} ORDER BY a.raised_at DESC, a.id DESC LIMIT ?`);
    this.selectOpenAlerts = db.prepare(`${ALERT_SELECT} WHERE a.acknowledged_at IS NULL ORDER BY a.raised_at DESC, a.id DESC LIMIT ?`);
  }

  alert(id: number): AlertRecord | null {
    const r = this.selectAlertById.get(id) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }

  alertOfCall(callId: string): AlertRecord | null {
    const r = this.selectAlertByCall.get(callId) as AlertRow | undefined;
    return r ? toAlert(r) : null;
  }

  insert(callId: string, seatId: string, note: string, at: number): void {
    this.insertAlertStmt.run(callId, seatId, note, at, at);
  }

  /** Replaces the call's alert note and opens the alert again. */
  reopenWithNote(callId: string, note: string, at: number): void {
    this.updateAlertNoteStmt.run(note, at, callId);
  }

  /** Acknowledges an open alert; false when it was not open (or does not exist). */
  acknowledge(id: number, by: { userId: number; name: string }, at: number): boolean {
    return this.ackAlertStmt.run(at, by.name, by.userId, id).changes > 0;
  }

  /** Alerts newest first; `openOnly` leaves out the acknowledged ones. */
  list(opts: { openOnly: boolean; limit: number }): AlertRecord[] {
    const stmt = opts.openOnly ? this.selectOpenAlerts : this.selectAlerts;
    return (stmt.all(opts.limit) as AlertRow[]).map(toAlert);
  }
}
