import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './db.js';

/** SQLite's default: a commit that takes the WAL past this many pages checkpoints it. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

// The worker is plain CommonJS (eval'd) so that it runs the same under tsx, node and Vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = FULL');
let timer = null;
let failing = false;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (failing) parentPort.postMessage({ ok: true });
    failing = false;
  } catch (err) {
    failing = true;
    parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); }
  parentPort.close();
});
tick();
`;

export interface BackgroundCheckpoints {
  /** Stops the worker (after a last checkpoint); the database checkpoints itself again. */
  stop(): Promise<void>;
}

/**
 * WAL checkpoints in a worker thread, off the router's event loop. By default SQLite
 * checkpoints inside the commit that takes the WAL past 1,000 pages: that commit (some
 * call's decision, every few dozen calls) then also copies the WAL into the database file
 * and fsyncs it, milliseconds during which the event loop does nothing else. Here the main
 * connection never checkpoints (`wal_autocheckpoint = 0`); a second connection in a worker
 * runs a PASSIVE checkpoint every `intervalMs`, which never blocks the writer.
 *
 * Durability is unchanged: every commit is still fsynced in the WAL (synchronous=FULL)
 * before it returns; a checkpoint only moves committed pages into the database file. If the
 * worker fails, the main connection goes back to checkpointing itself.
 */
export function startBackgroundCheckpoints(db: Db, file: string, logger: Logger, intervalMs = 100): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs }, execArgv: [] });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let done = false;
  const fallBack = (why: string) => {
    if (done) return;
    done = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    logger.error({ why }, 'background WAL checkpoints stopped; the database checkpoints itself again');
  };
  // A full disk fails every checkpoint (10 a second): the first failure is logged, then one line
  // every 10 minutes while they go on (the storage alarm is elsewhere), and the recovery.
  let errors = 0;
  let loggedAt = -Infinity;
  worker.on('message', (m: { error?: string; ok?: boolean }) => {
    if (m.ok) {
      if (errors > 0) logger.info({ errors }, 'background WAL checkpoints work again');
      errors = 0;
      loggedAt = -Infinity;
      return;
    }
    if (!m.error) return;
    errors++;
    if (Date.now() - loggedAt >= 600_000) {
      loggedAt = Date.now();
      logger.warn({ err: m.error, errors }, 'background WAL checkpoint failed');
    }
  });
  worker.on('error', (err: Error) => fallBack(err.message));
  worker.on('exit', (code) => fallBack(`worker exited (${code})`));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (done) return resolve();
        done = true;
        worker.once('exit', () => {
          if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
          resolve();
        });
        worker.postMessage('stop');
      }),
  };
}
