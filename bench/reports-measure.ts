/**
 * One measurement of bench/reports.bench.ts in its own process (so its peak memory is its own):
 *
 *   tsx bench/reports-measure.ts <db> month <YYYY-MM>           a month's report, all centres
 *   tsx bench/reports-measure.ts <db> csv|xlsx <from> <to> <out>  the 话单 export of [from, to] to a file
 *
 * Prints one JSON line: { ms, rows, peakRssMb, ... }.
 */
import fs from 'node:fs';
import { VirtualClock } from '../server/src/domain/clock.js';
import { DEFAULT_ROUTING_CONFIG } from '../server/src/domain/policy.js';
import { ExportService } from '../server/src/features/reports/export-service.js';
import { ReportRepository } from '../server/src/features/reports/report-repository.js';
import { ReportService } from '../server/src/features/reports/report-service.js';
import { openDatabase } from '../server/src/store/db.js';

/** Peak resident memory of this process (VmHWM), in MB. */
export function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

const [dbPath, mode, a, b, out] = process.argv.slice(2) as [string, string, string, string?, string?];
const db = openDatabase(dbPath);
const repo = new ReportRepository(db);
const engine = { config: DEFAULT_ROUTING_CONFIG, listSeats: () => [], activeCalls: () => [] };
const reports = new ReportService({
  repo,
  engine,
  loadCall: () => null,
  scope: { centreList: () => null, seatCentre: (id) => (id.startsWith('s0') || id.startsWith('s08') ? 'city' : null) },
  clock: new VirtualClock(Date.now()),
});
const exports = new ExportService({ repo, reports, engine, audit: () => undefined });
const manager = { id: 1, username: 'manager', displayName: '值班负责人', role: 'manager' as const, seatId: null };
const all = { centres: null, categories: null, seats: null, hours: null, weekdays: null };

async function main(): Promise<void> {
  const t0 = performance.now();
  if (mode === 'month') {
    const [y, m] = a.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const r = reports.report(manager, { from: `${a}-01`, to: `${a}-${String(last).padStart(2, '0')}`, ...all });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ms, rows: r.total.entered + r.total.afterHours, offered: r.total.offered, peakRssMb: peakRssMb() }));
    return;
  }
  const q = { from: a, to: b!, ...all };
  const file = fs.createWriteStream(out!);
  const done = new Promise((resolve) => file.once('finish', resolve));
  const rows = mode === 'csv' ? await exports.callsCsv(manager, q, false, file) : await exports.callsXlsx(manager, q, false, file);
  await done;
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rows, bytes: fs.statSync(out!).size, peakRssMb: peakRssMb() }));
}

void main().finally(() => db.close());
