/**
 * Fills a database with call history for benchmarks and demos:
 *
 *   npx tsx scripts/generate-history.ts --db data/bench.db --days 400 --peak 800 --seat-copies 5
 *
 * --days        local days up to today (default 400)
 * --peak        calls in a Monday's busiest half hour (default 12, the demo's; 800 ≈ 3 million calls a year)
 * --seat-copies the 18 demo seats repeated this many times (more seats for more calls)
 * --events      also write each call's event log and seat state changes (slower, larger)
 * A database that does not exist yet is created with the schema (no accounts: seed it by starting
 * the server on it, or use it for the benches only).
 */
import { openDatabase } from '../server/src/store/db.js';
import { DEMO_SEATS } from '../server/src/seed/demo.js';
import { generateHistory } from '../server/src/seed/demo-history.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1]!.startsWith('--') ? process.argv[i + 1]! : fallback;
}

const file = arg('db', 'data/bench.db');
const days = Number(arg('days', '400'));
const peak = Number(arg('peak', '12'));
const copies = Number(arg('seat-copies', '1'));
const events = process.argv.includes('--events');
const db = openDatabase(file);
db.pragma('synchronous = OFF');
const seats = Array.from({ length: copies }, (_, k) =>
  DEMO_SEATS.map((s) => (k === 0 ? s : { ...s, id: `${s.id}-${k}`, staffNo: `${s.staffNo}-${k}` })),
).flat();
const started = Date.now();
const n = generateHistory(db, {
  days,
  until: Date.now(),
  utcOffsetMinutes: 480,
  seats,
  peakPerHalfHour: peak,
  events,
  seed: Number(arg('seed', '12348')),
  onDay: (d, calls) => {
    if (d % 30 === 0 || d === days) process.stdout.write(`day ${d}/${days}: ${calls} calls\n`);
  },
});
db.pragma('synchronous = FULL');
db.close();
console.log(`${n} calls in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`);
