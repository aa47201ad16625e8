/**
 * Child process for the kill test: starts the real app on a database file,
 * offers N calls with no seat ready, prints each acknowledged call id, then
 * waits to be killed with SIGKILL.
 */
import pino from 'pino';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SystemClock } from '../../server/src/domain/clock.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase } from '../../server/src/store/db.js';

const [dbPath, count] = process.argv.slice(2);
const db = openDatabase(dbPath!);
await seedDemo(db, SystemClock.now());
const config = loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent' });
const noop = () => {};
const app = createApp({
  config,
  db,
  clock: SystemClock,
  logger: pino({ level: 'silent' }),
  telephony: { ring: noop, overflow: noop, cancelRing: noop },
});
// Seat s02 (labour, city) is logged in but busy, so labour calls wait rather than overflow.
app.engine.setSeatNotReady('s02', 'meeting');
for (let i = 1; i <= Number(count); i++) {
  const flags = i === 3 ? (['elderly'] as const) : [];
  const call = app.engine.offerCall({ id: `k-${i}`, caller: `1380000000${i}`, dialed: '12348', ivrCode: '2', flags: [...flags] });
  process.stdout.write(`ACK ${call.id} ${call.state.kind}\n`);
}
process.stdout.write('READY\n');
setInterval(noop, 1000);
