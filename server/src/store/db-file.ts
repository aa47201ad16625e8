import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The database file before the router opens it, and its online backup and restore. A router
 * must never paper over a lost or damaged database: in production a missing file is refused
 * (a new empty database would hide the loss), and a file that is not a sound SQLite database is
 * refused in every mode, with the way out (restore a backup) in the message.
 */

/** Why the router must not open `file`, or null. `production`: a missing file is refused too. */
export function databaseFileProblem(file: string, production: boolean): string | null {
  if (file === ':memory:') return null;
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) {
    return production
      ? `HOTLINE_MODE=production: the database ${abs} does not exist. A first installation creates it with \`npm run user:create-admin\`; ` +
          'if it was lost, restore the latest backup with `npm run db:restore -- <backup file>` (README "Backup and restore").'
      : null;
  }
  const problem = checkDatabaseHeader(abs);
  if (!problem) return null;
  // Opening a WAL database writes its -shm file: on a full disk that fails with an I/O error,
  // which says nothing about the file itself. Restoring a backup would be the wrong advice.
  const free = freeBytes(path.dirname(abs));
  if (free !== null && free < DISK_FULL_BYTES) {
    return (
      `the disk holding the database ${abs} is full (${free} bytes free), so SQLite cannot open it (${problem}). ` +
      `The file was not changed and this is no sign of damage: free space on that file system (\`df -h ${path.dirname(abs)}\`) ` +
      'and start again. Do not restore a backup for this.'
    );
  }
  return (
    `the database ${abs} cannot be used: ${problem}. Nothing was changed. Restore the latest backup with ` +
    '`npm run db:restore -- <backup file>` (README "Backup and restore"), or move the file away to start an empty one.'
  );
}

/** Below this many free bytes a failure to open the database is put down to the full disk. */
const DISK_FULL_BYTES = 1024 * 1024;

/** Bytes an unprivileged writer can still use on the file system holding `dir` (null: unknown). */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

const NOT_A_DATABASE = 'the file is not an SQLite database (damaged or overwritten)';

/** What an error opening or reading a database file says about the file. */
function openProblem(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return NOT_A_DATABASE;
  if (code === 'SQLITE_CORRUPT') return 'the file is damaged (SQLITE_CORRUPT)';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The cheap check at every start (a restart after a crash must be quick, calls wait meanwhile):
 * the file is an SQLite database whose schema can be read. A deeper damage shows on first use;
 * backups and restores run the full check.
 */
export function checkDatabaseHeader(file: string): string | null {
  if (fs.statSync(file).size === 0) return null; // a new database SQLite has not written yet
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    if (head.toString('latin1') !== 'SQLite format 3\0') return NOT_A_DATABASE;
  } finally {
    fs.closeSync(fd);
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return null;
  } catch (err) {
    return openProblem(err);
  } finally {
    db?.close();
  }
}

/** SQLite's quick check on a file, read-only: null when sound, else what is wrong. */
export function checkDatabase(file: string, full = false): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma(full ? 'integrity_check' : 'quick_check') as { integrity_check?: string; quick_check?: string }[];
    const verdicts = rows.map((r) => r.integrity_check ?? r.quick_check ?? '');
    return verdicts.length === 1 && verdicts[0] === 'ok' ? null : `integrity check failed (${verdicts.slice(0, 3).join('; ')})`;
  } catch (err) {
    return openProblem(err);
  } finally {
    db?.close();
  }
}

/** `hotline-20261206-153000.db`: a backup's name, UTC, sortable. */
export function backupName(at: Date): string {
  const s = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `hotline-${s}.db`;
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  removed: string[];
}

/**
 * An online backup of `source` into `dir` with SQLite's backup API (a consistent snapshot while
 * the router keeps writing), checked in full, then the oldest backups beyond `keep` removed.
 */
export async function backupDatabase(source: string, dir: string, keep: number, at = new Date()): Promise<BackupResult> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, backupName(at));
  const partial = `${file}.partial`;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    await db.backup(partial, {
      progress: (p) => {
        pages = p.totalPages;
        return 200; // pages per step: the router's writes go on between steps
      },
    });
  } finally {
    db.close();
  }
  const problem = checkDatabase(partial, true);
  if (problem) {
    fs.rmSync(partial, { force: true });
    throw new Error(`the backup failed its check: ${problem}`);
  }
  fs.renameSync(partial, file);
  const all = fs
    .readdirSync(dir)
    .filter((f) => /^hotline-\d{8}-\d{6}\.db$/.test(f))
    .sort();
  const removed = all.slice(0, Math.max(0, all.length - keep));
  for (const f of removed) fs.rmSync(path.join(dir, f));
  return { file, bytes: fs.statSync(file).size, pages, removed };
}

/**
 * Puts `backup` in place of `target` (the router must be stopped): the backup is checked first;
 * the current file and its -wal/-shm are kept beside it as `<target>.before-restore-<time>`.
 */
export function restoreDatabase(backup: string, target: string, at = new Date()): { keptAs: string | null } {
  const problem = checkDatabase(backup, true);
  if (problem) throw new Error(`the backup ${backup} cannot be restored: ${problem}`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  let keptAs: string | null = null;
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${backupName(at).slice(8, 23)}`;
    fs.renameSync(target, keptAs);
  }
  for (const ext of ['-wal', '-shm']) {
    if (fs.existsSync(target + ext)) fs.renameSync(target + ext, (keptAs ?? target) + ext);
  }
  fs.copyFileSync(backup, `${target}.restoring`);
  fs.renameSync(`${target}.restoring`, target);
  return { keptAs };
}
