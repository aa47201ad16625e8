import type { Db } from '../../store/db.js';
import { GENESIS_HASH, entryHash, type AuditEntryRecord } from './audit-chain.js';

interface AuditRow {
  id: number;
  at: number;
  user_id: number | null;
  username: string;
  role: string;
  address: string;
  action: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
  reason: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntryRecord => ({
  id: r.id,
  at: r.at,
  userId: r.user_id,
  username: r.username,
  role: r.role,
  address: r.address,
  action: r.action,
  target: r.target,
  beforeJson: r.before_json,
  afterJson: r.after_json,
  reason: r.reason,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface AuditFilter {
  action?: string;
  userId?: number;
  target?: string;
  from?: number;
  to?: number;
  /** Entries with a smaller id (paging back). */
  beforeId?: number;
  limit: number;
}

/** The audit_log table: append (inside the caller's transaction), filter, and walk for verification. */
export class AuditRepository {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
    this.insertStmt = db.prepare(`
      INSERT INTO audit_log (id, at, user_id, username, role, address, action, target, before_json, after_json, reason, prev_hash, hash)
      VALUES (@id, @at, @userId, @username, @role, @address, @action, @target, @beforeJson, @afterJson, @reason, @prevHash, @hash)`);
  }

  /** Appends an entry chained to the last one; call inside a write transaction. */
  append(e: Omit<AuditEntryRecord, 'id' | 'prevHash' | 'hash'>): AuditEntryRecord {
    const last = this.lastStmt.get() as { id: number; hash: string } | undefined;
    const id = (last?.id ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const withId = { ...e, id };
    const entry: AuditEntryRecord = { ...withId, prevHash, hash: entryHash(prevHash, withId) };
    this.insertStmt.run(entry);
    return entry;
  }

  list(f: AuditFilter): AuditEntryRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, value: string | number | undefined) => {
      if (value === undefined || value === '') return;
      where.push(clause);
      args.push(value);
    };
    add('action = ?', f.action);
    add('user_id = ?', f.userId);
    add('target = ?', f.target);
    add('at >= ?', f.from);
    add('at < ?', f.to);
    add('id < ?', f.beforeId);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as AuditRow[]).map(toEntry);
  }

  /** Every entry in chain order, read lazily. */
  *all(): Generator<AuditEntryRecord> {
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) yield toEntry(r);
  }
}
