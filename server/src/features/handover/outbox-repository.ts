import type { Db } from '../../store/db.js';

export type OutboxState = 'pending' | 'delivered' | 'rejected';

export interface OutboxMessage {
  id: number;
  /** Messages of one stream are delivered one at a time, in id order. */
  stream: string;
  kind: string;
  /** Appended to the stream's base URL. */
  path: string;
  idempotencyKey: string;
  body: unknown;
  /** The hand-over (or other record) the message belongs to. */
  refId: string | null;
  state: OutboxState;
  attempts: number;
  nextAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  updatedAt: number;
}

export interface NewOutboxMessage {
  stream: string;
  kind: string;
  path: string;
  idempotencyKey: string;
  body: unknown;
  refId?: string | null;
}

interface Row {
  id: number;
  stream: string;
  kind: string;
  path: string;
  idempotency_key: string;
  body_json: string;
  ref_id: string | null;
  state: OutboxState;
  attempts: number;
  next_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  updated_at: number;
}

const fromRow = (r: Row): OutboxMessage => ({
  id: r.id,
  stream: r.stream,
  kind: r.kind,
  path: r.path,
  idempotencyKey: r.idempotency_key,
  body: JSON.parse(r.body_json) as unknown,
  refId: r.ref_id,
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  updatedAt: r.updated_at,
});

/** The outbox table: written inside the caller's transaction, read and updated by the worker. */
export class OutboxRepository {
  private readonly insertStmt;
  private readonly headsStmt;
  private readonly deliveredStmt;
  private readonly rejectedStmt;
  private readonly retryStmt;
  private readonly byRefStmt;
  private readonly stuckStmt;
  private readonly byIdStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (stream, kind, path, idempotency_key, body_json, ref_id, state, attempts, next_at, created_at, updated_at)
       VALUES (@stream, @kind, @path, @idempotencyKey, @bodyJson, @refId, 'pending', 0, @now, @now, @now)`,
    );
    // The oldest pending message of every stream: only a stream's head may be delivered.
    this.headsStmt = db.prepare(
      `SELECT o.* FROM outbox o
       JOIN (SELECT stream, MIN(id) AS id FROM outbox WHERE state = 'pending' GROUP BY stream) h ON h.id = o.id
       ORDER BY o.id`,
    );
    this.deliveredStmt = db.prepare(
      `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_status = @status, last_error = NULL,
       delivered_at = @now, updated_at = @now WHERE id = @id AND state = 'pending'`,
    );
    this.rejectedStmt = db.prepare(
      `UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_status = @status, last_error = @error,
       updated_at = @now WHERE id = @id AND state = 'pending'`,
    );
    this.retryStmt = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_status = @status, last_error = @error, next_at = @nextAt,
       updated_at = @now WHERE id = @id AND state = 'pending'`,
    );
    this.byRefStmt = db.prepare('SELECT * FROM outbox WHERE ref_id = ? ORDER BY id');
    this.byIdStmt = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.stuckStmt = db.prepare(
      `SELECT * FROM outbox WHERE (state = 'pending' AND (attempts >= @attempts OR created_at <= @before)) OR state = 'rejected'
       ORDER BY id LIMIT 500`,
    );
  }

  /** Call inside the transaction that makes the decision. */
  enqueue(m: NewOutboxMessage, now: number): number {
    const r = this.insertStmt.run({
      stream: m.stream,
      kind: m.kind,
      path: m.path,
      idempotencyKey: m.idempotencyKey,
      bodyJson: JSON.stringify(m.body),
      refId: m.refId ?? null,
      now,
    });
    return Number(r.lastInsertRowid);
  }

  heads(): OutboxMessage[] {
    return (this.headsStmt.all() as Row[]).map(fromRow);
  }

  byId(id: number): OutboxMessage | null {
    const r = this.byIdStmt.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  markDelivered(id: number, status: number, now: number): void {
    this.deliveredStmt.run({ id, status, now });
  }

  markRejected(id: number, status: number | null, error: string, now: number): void {
    this.rejectedStmt.run({ id, status, error, now });
  }

  markRetry(id: number, status: number | null, error: string, nextAt: number, now: number): void {
    this.retryStmt.run({ id, status, error, nextAt, now });
  }

  byRef(refId: string): OutboxMessage[] {
    return (this.byRefStmt.all(refId) as Row[]).map(fromRow);
  }

  /** Pending after `attempts` tries or since before `before`, and every rejected message. */
  stuck(attempts: number, before: number): OutboxMessage[] {
    return (this.stuckStmt.all({ attempts, before }) as Row[]).map(fromRow);
  }

  get database(): Db {
    return this.db;
  }
}
