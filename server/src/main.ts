import pino from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { SystemClock } from './domain/clock.js';
import { DomainError } from './domain/errors.js';
import { AccountService } from './features/auth/accounts-service.js';
import { UserRepository } from './features/auth/user-repository.js';
import { productionStartProblem } from './features/users/production-check.js';
import { seedDemo } from './seed/demo.js';
import { startBackgroundCheckpoints } from './store/checkpointer.js';
import { databaseFileProblem } from './store/db-file.js';
import { openDatabase } from './store/db.js';
import { loadOrCreateSipSecret } from './telephony/credentials.js';
import { createTelephony } from './telephony/setup.js';

/** start.sh restarts the server when it exits with this code. */
const EXIT_STORAGE_FAILURE = 70;

/**
 * Every request and socket handler answers its own errors; what still escapes (a timer, a stray
 * promise) is logged and the router keeps serving: one bad input must never stop the hotline.
 * Should errors keep escaping (more than 20 in a minute), the process is no longer trusted and
 * exits so that start.sh starts a fresh one.
 */
function keepRunningOnStrayErrors(logger: pino.Logger, storageFailure: (err: unknown) => boolean): void {
  const recent: number[] = [];
  const stray = (kind: string) => (err: unknown) => {
    // A timer's write on a full disk, or a command the degraded router refused: degraded mode
    // (alarmed once), not a reason to exit.
    if (storageFailure(err) || (err instanceof DomainError && err.code === 'STORAGE_FULL')) return;
    logger.error({ err }, `${kind}: logged, the router keeps running`);
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && now - recent[0]! > 60_000) recent.shift();
    if (recent.length > 20) {
      logger.fatal('errors keep escaping their handlers: exiting so that a fresh process takes over');
      process.exit(1);
    }
  };
  process.on('uncaughtException', stray('uncaught exception'));
  process.on('unhandledRejection', stray('unhandled promise rejection'));
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const logger = pino({ level: config.LOG_LEVEL, base: { svc: 'hotline' } });
  let storage: { report(err: unknown): boolean } | null = null;
  keepRunningOnStrayErrors(logger, (err) => storage?.report(err) ?? false);
  const fileProblem = databaseFileProblem(config.DB_PATH, config.HOTLINE_MODE === 'production');
  if (fileProblem) {
    logger.fatal(fileProblem);
    console.error(fileProblem);
    process.exit(78); // start.sh does not restart a configuration error
  }
  const db = openDatabase(config.DB_PATH);
  // WAL checkpoints off the event loop (store/checkpointer.ts): no call's commit waits for one.
  const checkpoints = config.DB_PATH === ':memory:' ? null : startBackgroundCheckpoints(db, config.DB_PATH, logger);
  if (config.HOTLINE_MODE === 'production') {
    const problem = await productionStartProblem(new AccountService(new UserRepository(db)));
    if (problem) {
      console.error(problem);
      db.close();
      process.exit(78);
    }
  } else if (config.DEMO_SEED && (await seedDemo(db, SystemClock.now(), { history: config.DEMO_HISTORY }))) {
    logger.info({ db: config.DB_PATH }, 'created the demo database (accounts in README)');
  }
  const telephony = createTelephony(config, db, SystemClock, logger);
  const app = createApp({
    config,
    db,
    clock: SystemClock,
    logger,
    telephony: telephony.port,
    requireRegistration: telephony.kamailio !== null,
    sipSecret: telephony.kamailio ? loadOrCreateSipSecret(config.SIP_SECRET_FILE) : null,
    consultGate: telephony.kamailio,
    callControl: telephony.kamailio,
    recordingMedia: telephony.recording,
    outbound: telephony.outbound,
    listen: telephony.listen,
    sipRevocation: telephony.kamailio,
    // A full or failing disk puts the router in degraded mode (app.storage); any other failure to
    // commit is crash-only recovery: exit and let start.sh start a fresh process from the last commit.
    onStorageFailure: (err) => {
      logger.fatal({ err }, 'storage failure: exiting so that a new process restores the committed state');
      process.exitCode = EXIT_STORAGE_FAILURE;
      setImmediate(() => process.exit(EXIT_STORAGE_FAILURE));
    },
  });
  storage = app.storage;
  // Space returned: what Kamailio reported meanwhile (answers, hang-ups) is learnt by a resync.
  app.storage.subscribe((outage) => {
    if (!outage) telephony.adapter()?.resync();
  });
  try {
    await telephony.start(
      app.engine,
      (token, callId) => app.transfers.resolve(token, callId),
      (ticket) => {
        const categoryId = app.ticketSpecialty(ticket);
        return categoryId ? { categoryId } : null;
      },
      (callId, score) => app.survey.record(callId, score),
      app.recordings,
    );
  } catch (err) {
    logger.fatal({ err }, `cannot listen for rtpengine's DTMF log on ${config.DTMF_LOG_ADDR}`);
    process.exit(1);
  }
  app.httpServer.listen(config.PORT, config.HOST, () => {
    const addr = app.httpServer.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
    logger.info({ url: `http://${config.HOST}:${port}/` }, '12348 hotline routing server listening');
  });
  app.httpServer.on('error', (err) => {
    logger.fatal({ err }, `cannot listen on ${config.HOST}:${config.PORT}`);
    process.exit(1);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Before rtpengine is stopped (start.sh stops it last): its open recordings end and are stored.
    await app.recordings.shutdown().catch((err: unknown) => logger.error({ err }, 'recording: shutdown failed'));
    telephony.stop();
    await app.close();
    await checkpoints?.stop();
    db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
