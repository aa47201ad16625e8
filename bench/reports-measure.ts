/**
 * One measurement of bench/reports.bench.ts in its own process (so its peak memory is its own):
 *
 *   tsx bench/reports-measure.ts <db> month <YYYY-MM>           a month's report, all centres
 *   tsx bench/reports-measure.ts <db> csv|xlsx <from> <to> <out>  the 话单 export of [from, to] to a file
 *   tsx bench/reports-measure.ts <db> month-loop <YYYY-MM>      the router's event-loop delay during a month's
 *                                                              report, on its thread and in the report worker
 *   tsx bench/reports-measure.ts <db> csv-worker <from> <to> <out>  the CSV export through the report worker
 *
 * Prints one JSON line: { ms, rows, peakRssMb, ... }.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { VirtualClock } from '../server/src/domain/clock.js';
import { DEFAULT_ROUTING_CONFIG } from '../server/src/domain/policy.js';
import { ExportService } from '../server/src/features/reports/export-service.js';
import { ReportRepository } from '../server/src/features/reports/report-repository.js';
import { ReportOffload } from '../server/src/features/reports/report-offload.js';
import { ReportService } from '../server/src/features/reports/report-service.js';
import { segment, STOP_WORDS } from '../server/src/features/reports/segmenter.js';
import { TrendsService } from '../server/src/features/reports/trends-service.js';
import { openDatabase } from '../server/src/store/db.js';

/** Peak resident memory (VmHWM) of this process or another, in MB. */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

const rssMb = () => process.memoryUsage().rss / 1048576;

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

const offload = new ReportOffload({
  reports,
  exports,
  trends: new TrendsService({ db, reports, segment, stopWords: STOP_WORDS, clock: new VirtualClock(Date.now()), audit: () => undefined }),
  engine,
  scope: { centreList: () => null },
  clock: new VirtualClock(Date.now()),
  audit: () => undefined,
  dbPath,
});

function monthQuery(month: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, ...all };
}

/**
 * The event loop's delay (what a routing decision or a live-figures request would wait) while
 * `run` is in flight: a 1 ms timer keeps ticking, its lateness is recorded.
 */
async function loopDelay(run: () => Promise<unknown>): Promise<{ ms: number; maxDelayMs: number; p99DelayMs: number; ticks: number }> {
  let ticking = true;
  const gaps: number[] = [];
  let last = performance.now();
  const ticker = (async () => {
    while (ticking) {
      await sleep(1);
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
  })();
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  ticking = false;
  await ticker;
  gaps.sort((x, y) => x - y);
  // A 1 ms timer's gap beyond 1 ms is how long the loop was held (the whole run, when nothing ticked).
  const maxDelayMs = Math.max(0, (gaps.at(-1) ?? ms) - 1);
  const p99DelayMs = Math.max(0, (gaps[Math.floor(gaps.length * 0.99)] ?? ms) - 1);
  return { ms, maxDelayMs, p99DelayMs, ticks: gaps.length };
}

async function main(): Promise<void> {
  if (mode === 'month-loop') {
    const q = monthQuery(a);
    await offload.report(manager, monthQuery(a)); // start the worker (its first job loads the code)
    const inline = await loopDelay(() => Promise.resolve(reports.report(manager, q)));
    const worker = await loopDelay(() => offload.report(manager, q));
    console.log(
      JSON.stringify({
        inlineMs: inline.ms,
        inlineMaxDelayMs: inline.maxDelayMs,
        inlineTicks: inline.ticks,
        workerMs: worker.ms,
        workerMaxDelayMs: worker.maxDelayMs,
        workerP99DelayMs: worker.p99DelayMs,
        workerTicks: worker.ticks,
        peakRssMb: peakRssMb(),
      }),
    );
    await offload.close();
    return;
  }
  if (mode === 'csv-worker') {
    await offload.report(manager, { from: a, to: a, ...all }); // start the worker first (one day: a small heap)
    const file = fs.createWriteStream(out!);
    const done = new Promise((resolve) => file.once('finish', resolve));
    let rows = 0;
    const routerBeforeMb = rssMb();
    const r = await loopDelay(async () => {
      rows = await offload.calls(manager, { from: a, to: b!, ...all }, 'csv', false, file);
      await done;
    });
    // The worker is a process of its own: its peak is the export's memory; the router's is apart.
    const workerPeakRssMb = peakRssMb(offload.workerPid!);
    console.log(
      JSON.stringify({
        ms: r.ms,
        rows,
        bytes: fs.statSync(out!).size,
        maxDelayMs: r.maxDelayMs,
        workerPeakRssMb,
        routerBeforeMb,
        peakRssMb: peakRssMb(),
      }),
    );
    await offload.close();
    return;
  }
  const t0 = performance.now();
  if (mode === 'month') {
    const r = reports.report(manager, monthQuery(a));
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
