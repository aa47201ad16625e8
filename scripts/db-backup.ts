/**
 * npm run db:backup [-- --to DIR] [--keep N]: an online backup of the database DB_PATH names,
 * taken while the router runs (SQLite's backup API: a consistent snapshot, the router's writes
 * go on between steps), checked in full, into BACKUP_DIR (default `data/backups`) as
 * `hotline-<UTC time>.db`; the oldest beyond BACKUP_KEEP (default 14) are removed. Exit 1 with
 * the reason when the backup could not be made or failed its check. README "Backup and restore".
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/src/config.js';
import { backupDatabase } from '../server/src/store/db-file.js';

const { values } = parseArgs({ options: { to: { type: 'string' }, keep: { type: 'string' } } });
const config = loadConfig();
const dir = values.to ?? process.env.BACKUP_DIR ?? path.join(path.dirname(config.DB_PATH), 'backups');
const keep = Number(values.keep ?? process.env.BACKUP_KEEP ?? 14);
if (!Number.isInteger(keep) || keep < 1) {
  console.error('--keep (BACKUP_KEEP) must be a whole number of at least 1');
  process.exit(2);
}
try {
  const started = Date.now();
  const r = await backupDatabase(config.DB_PATH, dir, keep);
  console.log(
    `backup OK: ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.pages} pages, checked, ${Date.now() - started} ms)` +
      (r.removed.length ? `; removed ${r.removed.length} older: ${r.removed.join(', ')}` : ''),
  );
} catch (err) {
  console.error(`backup FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
