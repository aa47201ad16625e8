import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Opens the database in WAL mode with synchronous=FULL: every committed
 * transaction (call records, events, and later summaries and ratings) is on disk
 * before the commit returns, so a killed server loses nothing it acknowledged.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Applies the migrations not applied yet (up to `upTo`: tests of a migration start from the version before it). */
export function migrate(db: Db, upTo = Number.POSITIVE_INFINITY): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version) || m.version > upTo) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
  }
}

/**
 * Whether an error means the database cannot be written for a reason of the disk, not of the
 * data: `full` (SQLITE_FULL, ENOSPC, EDQUOT) or `io` (SQLITE_IOERR_*, EIO). The router then
 * refuses new work and waits for the disk (store/storage-guard.ts) instead of exiting.
 */
export function storageFailureKind(err: unknown): 'full' | 'io' | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return null;
}

/** The zh-CN sentence of API refusals and the supervisors' alarm while the database cannot be written. */
export function storageFailureMessage(kind: 'full' | 'io'): string {
  return kind === 'full' ? '存储空间已满,暂停受理新业务' : '数据库磁盘写入失败,暂停受理新业务';
}

/** Runs `fn` in one immediate transaction (or inside the one already open); it commits durably before returning. */
export function immediateTransaction<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  return db.transaction(fn).immediate();
}
