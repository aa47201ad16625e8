import type { DialFact } from '../../domain/stats/satisfaction.js';
import type { Db } from '../../store/db.js';

export type DialResult = 'answered' | 'no-answer' | 'busy' | 'failed';

export interface VisitDial {
  token: string;
  taskId: number;
  userId: number;
  seatId: string;
  callId: string | null;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  result: DialResult | null;
  sipCode: number | null;
  talkMs: number | null;
}

const COLS = `token, task_id AS taskId, user_id AS userId, seat_id AS seatId, call_id AS callId, created_at AS createdAt,
  answered_at AS answeredAt, ended_at AS endedAt, result, sip_code AS sipCode, talk_ms AS talkMs`;

/** visit_dials: one row per click-to-call (no number in it: the task holds that). */
export class VisitDialRepository {
  constructor(private readonly db: Db) {}

  insert(d: Pick<VisitDial, 'token' | 'taskId' | 'userId' | 'seatId' | 'createdAt'>): void {
    this.db
      .prepare('INSERT INTO visit_dials (token, task_id, user_id, seat_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(d.token, d.taskId, d.userId, d.seatId, d.createdAt);
  }

  byToken(token: string): VisitDial | null {
    return (this.db.prepare(`SELECT ${COLS} FROM visit_dials WHERE token = ?`).get(token) as VisitDial | undefined) ?? null;
  }

  byCallId(callId: string): VisitDial | null {
    return (this.db.prepare(`SELECT ${COLS} FROM visit_dials WHERE call_id = ?`).get(callId) as VisitDial | undefined) ?? null;
  }

  /** Dials made in [from, to) for tasks of these centres (null = all), as the figures see them. */
  facts(from: number, to: number, centres: readonly string[] | null): DialFact[] {
    return this.db
      .prepare(
        `SELECT d.result, d.talk_ms AS talkMs FROM visit_dials d JOIN visit_tasks t ON t.id = d.task_id
         WHERE d.created_at >= ? AND d.created_at < ? AND d.call_id IS NOT NULL
           AND (? IS NULL OR t.centre_id IN (SELECT value FROM json_each(?)))`,
      )
      .all(from, to, centres ? JSON.stringify(centres) : null, centres ? JSON.stringify(centres) : null) as DialFact[];
  }

  ofTask(taskId: number): VisitDial[] {
    return this.db.prepare(`SELECT ${COLS} FROM visit_dials WHERE task_id = ? ORDER BY created_at`).all(taskId) as VisitDial[];
  }

  started(token: string, callId: string): void {
    this.db.prepare('UPDATE visit_dials SET call_id = ? WHERE token = ? AND call_id IS NULL').run(callId, token);
  }

  /** The first 2xx only (a retransmitted 200 changes nothing). */
  answered(callId: string, at: number): boolean {
    return (
      this.db
        .prepare('UPDATE visit_dials SET answered_at = ? WHERE call_id = ? AND answered_at IS NULL AND ended_at IS NULL')
        .run(at, callId).changes > 0
    );
  }

  /** The end, once: later reports of the same call change nothing. */
  finish(
    key: { token: string } | { callId: string },
    f: { result: DialResult; sipCode: number | null; at: number; talkMs: number },
  ): boolean {
    const [where, v] = 'token' in key ? ['token = ?', key.token] : ['call_id = ?', key.callId];
    return (
      this.db
        .prepare(`UPDATE visit_dials SET result = ?, sip_code = ?, ended_at = ?, talk_ms = ? WHERE ${where} AND ended_at IS NULL`)
        .run(f.result, f.sipCode, f.at, f.talkMs, v).changes > 0
    );
  }
}
