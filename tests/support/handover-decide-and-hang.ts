/**
 * Child process for the 12345 kill test: starts the real app on a database file with the 12345
 * API at an address where nothing answers, lets seat s03 take a call and transfer it to 12345
 * (the decision and its work order committed together), prints READY, then waits to be killed
 * with SIGKILL before the work order could be delivered.
 */
import pino from 'pino';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SystemClock } from '../../server/src/domain/clock.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase } from '../../server/src/store/db.js';

const [dbPath, apiUrl, keyFile] = process.argv.slice(2);
const db = openDatabase(dbPath!);
await seedDemo(db, SystemClock.now());
const config = loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', H12345_API_URL: apiUrl, H12345_KEY_FILE: keyFile });
const noop = () => {};
const app = createApp({
  config,
  db,
  clock: SystemClock,
  logger: pino({ level: 'silent' }),
  telephony: { ring: noop, overflow: noop, cancelRing: noop },
});
app.engine.setSeatReady('s03');
app.engine.offerCall({ id: 'kill-1', caller: '13912340001', dialed: '123483', ivrCode: '3' });
app.engine.answered('kill-1', 's03');
const t = app.transfers.start('s03', { callId: 'kill-1', target: { kind: '12345' }, mode: 'blind', note: '社保缴费问题,属政务服务' });
process.stdout.write(`DECIDED ${t.id}\n`);
process.stdout.write('READY\n');
setInterval(noop, 1000);
