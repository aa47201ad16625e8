import type { Db } from '../../store/db.js';

export type BrakeScope = 'pair' | 'address';

/** One counter of failed sign-ins (login_failures). */
export interface BrakeCounter {
  id: number;
  scope: BrakeScope;
  key: string;
  username: string | null;
  address: string;
  failures: number;
  firstAt: number;
  lastAt: number;
  lockedUntil: number;
}

interface Row {
  id: number;
  scope: BrakeScope;
  key: string;
  username: string | null;
  address: string;
  failures: number;
  first_at: number;
  last_at: number;
  locked_until: number;
}

const toCounter = (r: Row): BrakeCounter => ({
  id: r.id,
  scope: r.scope,
  key: r.key,
  username: r.username,
  address: r.address,
  failures: r.failures,
  firstAt: r.first_at,
  lastAt: r.last_at,
  lockedUntil: r.locked_until,
});

/** The sign-in brake's counters (login_failures): durable, so a restart forgets no guess. */
export class LoginBrakeRepository {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM login_failures WHERE scope = ? AND key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO login_failures (scope, key, username, address, failures, first_at, last_at, locked_until)
       VALUES (@scope, @key, @username, @address, @failures, @firstAt, @lastAt, @lockedUntil)
       ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at,
         last_at = excluded.last_at, locked_until = excluded.locked_until`,
    );
    this.deleteStmt = db.prepare('DELETE FROM login_failures WHERE scope = ? AND key = ?');
  }

  get(scope: BrakeScope, key: string): BrakeCounter | null {
    const row = this.getStmt.get(scope, key) as Row | undefined;
    return row ? toCounter(row) : null;
  }

  save(c: Omit<BrakeCounter, 'id'>): void {
    this.upsertStmt.run(c);
  }

  delete(scope: BrakeScope, key: string): void {
    this.deleteStmt.run(scope, key);
  }

  /** Counters with a lock still running or failures newer than `since`, newest first. */
  listActive(now: number, since: number): BrakeCounter[] {
    return (
      this.db
        .prepare('SELECT * FROM login_failures WHERE locked_until > ? OR last_at > ? ORDER BY last_at DESC LIMIT 500')
        .all(now, since) as Row[]
    ).map(toCounter);
  }

  byId(id: number): BrakeCounter | null {
    const row = this.db.prepare('SELECT * FROM login_failures WHERE id = ?').get(id) as Row | undefined;
    return row ? toCounter(row) : null;
  }

  deleteById(id: number): void {
    this.db.prepare('DELETE FROM login_failures WHERE id = ?').run(id);
  }

  /** Every pair counter of one account (an administrator unlocking the account everywhere). */
  deleteAccount(username: string): number {
    return this.db.prepare("DELETE FROM login_failures WHERE scope = 'pair' AND username = ?").run(username).changes;
  }

  /** Forgets counters untouched since `before` and without a running lock. */
  purge(before: number, now: number): void {
    this.db.prepare('DELETE FROM login_failures WHERE last_at < ? AND locked_until <= ?').run(before, now);
  }
}
