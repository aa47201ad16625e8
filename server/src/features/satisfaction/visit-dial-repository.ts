import type { OutboundFact, OutboundResult } from '../../domain/stats/outbound.js';
import type { Db } from '../../store/db.js';

export type DialResult = OutboundResult;

export interface VisitDial {
  token: string;
  taskId: number;
  userId: number;
  seatId: string;
  callId: string | null;
  createdAt: number;
  startedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  result: DialResult | null;
  sipCode: number | null;
  talkMs: number | null;
  hungUpBy: 'seat' | 'callee' | null;
}

/** An outbound call record: a dial Kamailio carried, with its task's number, centre and category. */
export interface OutboundCallRow extends OutboundFact {
  id: number;
  taskId: number;
  source: string;
  /** The full number: masked by the views, never sent to a browser as is. */
  callee: string;
  centreId: string;
  categoryId: string;
  sipCode: number | null;
  hungUpBy: 'seat' | 'callee' | null;
}

const COLS = `token, task_id AS taskId, user_id AS userId, seat_id AS seatId, call_id AS callId, created_at AS createdAt,
  started_at AS startedAt, answered_at AS answeredAt, ended_at AS endedAt, result, sip_code AS sipCode, talk_ms AS talkMs,
  hung_up_by AS hungUpBy`;

const RECORD = `SELECT d.id, d.task_id AS taskId, t.source, d.seat_id AS seatId, t.caller AS callee, t.centre_id AS centreId,
  t.category_id AS categoryId, d.started_at AS startedAt, d.answered_at AS answeredAt, d.ended_at AS endedAt, d.result,
  d.sip_code AS sipCode, d.hung_up_by AS hungUpBy
  FROM visit_dials d JOIN visit_tasks t ON t.id = d.task_id`;

/**
 * visit_dials: one row per click-to-call (no number in it: the task holds that). A row Kamailio
 * carried (started_at set) is an outbound call record (话单, domain/stats/outbound.ts).
 */
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

  /** Outbound calls started in [from, to) for tasks of these centres (null = all), as the figures see them. */
  facts(from: number, to: number, centres: readonly string[] | null): OutboundCallRow[] {
    return this.records(from, to, centres, null);
  }

  /** Outbound call records started in [from, to), oldest first; of one seat, or of tasks of these centres (null = all). */
  records(from: number, to: number, centres: readonly string[] | null, seatId: string | null): OutboundCallRow[] {
    const c = centres ? JSON.stringify(centres) : null;
    return this.db
      .prepare(
        `${RECORD} WHERE d.started_at >= ? AND d.started_at < ?
           AND (? IS NULL OR d.seat_id = ?)
           AND (? IS NULL OR t.centre_id IN (SELECT value FROM json_each(?)))
         ORDER BY d.started_at, d.id`,
      )
      .all(from, to, seatId, seatId, c, c) as OutboundCallRow[];
  }

  /** One outbound call record by its id, or null (also for a dial Kamailio never carried). */
  record(id: number): OutboundCallRow | null {
    return (this.db.prepare(`${RECORD} WHERE d.id = ? AND d.started_at IS NOT NULL`).get(id) as OutboundCallRow | undefined) ?? null;
  }

  ofTask(taskId: number): VisitDial[] {
    return this.db.prepare(`SELECT ${COLS} FROM visit_dials WHERE task_id = ? ORDER BY created_at`).all(taskId) as VisitDial[];
  }

  /** Dials that started before `before` and have not ended. */
  openDials(before: number): VisitDial[] {
    return this.db
      .prepare(`SELECT ${COLS} FROM visit_dials WHERE started_at IS NOT NULL AND ended_at IS NULL AND started_at < ?`)
      .all(before) as VisitDial[];
  }

  started(token: string, callId: string, at: number): void {
    this.db.prepare('UPDATE visit_dials SET call_id = ?, started_at = ? WHERE token = ? AND call_id IS NULL').run(callId, at, token);
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
    f: { result: DialResult; sipCode: number | null; at: number; talkMs: number; hungUpBy?: 'seat' | 'callee' | null },
  ): boolean {
    const [where, v] = 'token' in key ? ['token = ?', key.token] : ['call_id = ?', key.callId];
    return (
      this.db
        .prepare(
          `UPDATE visit_dials SET result = ?, sip_code = ?, ended_at = ?, talk_ms = ?, hung_up_by = ? WHERE ${where} AND ended_at IS NULL`,
        )
        .run(f.result, f.sipCode, f.at, f.talkMs, f.hungUpBy ?? null, v).changes > 0
    );
  }
}
