/**
 * npm run db:restore -- <backup file>: puts a backup in place of the database DB_PATH names.
 * Refused while a router answers on HOST:PORT (stop it first: Ctrl-C on `npm start`) and when
 * the backup fails its integrity check; the current database is kept beside it as
 * `<db>.before-restore-<time>`. Then start again with `npm start`. README "Backup and restore".
 */
import { loadConfig } from '../server/src/config.js';
import { restoreDatabase } from '../server/src/store/db-file.js';

const backup = process.argv[2];
if (!backup) {
  console.error('usage: npm run db:restore -- <backup file>   (backups are in data/backups unless BACKUP_DIR says otherwise)');
  process.exit(2);
}
const config = loadConfig();
const running = await fetch(`http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}/api/health`, {
  signal: AbortSignal.timeout(1000),
}).then(
  () => true,
  () => false,
);
if (running) {
  console.error(`restore refused: a router is running on port ${config.PORT}. Stop it first (Ctrl-C on npm start), then restore.`);
  process.exit(1);
}
try {
  const { keptAs } = restoreDatabase(backup, config.DB_PATH);
  console.log(
    `restored ${backup} as ${config.DB_PATH}` + (keptAs ? `; the previous database is kept as ${keptAs}` : '') + '. Start with npm start.',
  );
} catch (err) {
  console.error(`restore FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
