/**
 * Child process for the satisfaction kill test: the real app on a database file and a survey key
 * file, with call `kill-s` answered by seat s02 and hung up. Prints `READY <url>` and waits to be
 * killed with SIGKILL.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SystemClock } from '../../server/src/domain/clock.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase } from '../../server/src/store/db.js';

const [dbPath, keysFile] = process.argv.slice(2);
const db = openDatabase(dbPath!);
await seedDemo(db, SystemClock.now());
const config = loadConfig({
  PORT: '0',
  DB_PATH: dbPath,
  LOG_LEVEL: 'silent',
  CLIENT_DIST: 'client/dist',
  SURVEY_WEBHOOK_KEYS_FILE: keysFile,
});
const noop = () => {};
const app = createApp({
  config,
  db,
  clock: SystemClock,
  logger: pino({ level: 'silent' }),
  telephony: { ring: noop, overflow: noop, cancelRing: noop },
});
app.engine.setSeatReady('s02');
app.engine.offerCall({ id: 'kill-s', caller: '13822224444', dialed: '12348', ivrCode: '2' });
app.engine.answered('kill-s', 's02');
app.engine.hangup('kill-s', 'caller');
await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
const { port } = app.httpServer.address() as AddressInfo;
process.stdout.write(`READY http://127.0.0.1:${port}\n`);
setInterval(noop, 1000);
