/**
 * Reports bench (issue 13): a month's report over a database of millions of calls, the 话单 CSV
 * export of a million rows (rows/s and peak memory) beside `sqlite3 -csv` dumping the same rows
 * in the same run, and the XLSX export's peak memory.
 *
 *   npx tsx scripts/generate-history.ts --db .run/bench/reports-3m.db --days 415 --peak 790 --seat-copies 6
 *   npx tsx bench/reports.bench.ts [--db .run/bench/reports-3m.db] [--export-rows 1000000]
 *   npx tsx bench/reports.bench.ts --smoke      (generates a small database of its own)
 *
 * Each measurement runs in its own process (bench/reports-measure.ts) so its peak memory is its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EXPORT_SQL } from '../server/src/features/reports/report-repository.js';
import { Checks, numberOption, ROOT, SMOKE, writeResult } from './report.js';

const NAME = 'reports.bench';
const OFFSET_MS = 8 * 3600_000;
const day = (t: number) => new Date(t + OFFSET_MS).toISOString().slice(0, 10);

function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-bench-'));
let dbPath = argValue('db', path.join(ROOT, '.run/bench/reports-3m.db'));
if (SMOKE) {
  dbPath = path.join(tmp, 'smoke.db');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-history.ts', '--db', dbPath, '--days', '40', '--peak', '12'], {
    cwd: ROOT,
  });
}
if (!fs.existsSync(dbPath)) {
  process.stderr.write(`${NAME}: no database at ${dbPath}; generate one first (see the header of this file)\n`);
  process.exit(2);
}
const exportRows = numberOption(NAME, 'export-rows', SMOKE ? 2000 : 1_000_000);

function measure(...args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/reports-measure.ts', dbPath, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`reports-measure ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

const db = new Database(dbPath, { readonly: true });
const total = (db.prepare('SELECT COUNT(*) AS n FROM call_facts').get() as { n: number }).n;
const maxAt = (db.prepare('SELECT MAX(enqueued_at) AS m FROM call_facts').get() as { m: number }).m;
// The last full month before the newest call.
const newest = new Date(maxAt + OFFSET_MS);
const month = new Date(Date.UTC(newest.getUTCFullYear(), newest.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
// The export range: whole days back from the newest day until it holds at least exportRows calls.
const fromAt = (
  db
    .prepare('SELECT enqueued_at AS t FROM call_facts ORDER BY enqueued_at DESC LIMIT 1 OFFSET ?')
    .get(Math.max(0, Math.min(exportRows, total) - 1)) as { t: number }
).t;
const from = day(fromAt);
const to = day(maxAt);
const fromMs = Date.parse(`${from}T00:00:00Z`) - OFFSET_MS;
const toMs = Date.parse(`${to}T00:00:00Z`) - OFFSET_MS + 86_400_000;
const rowsInRange = (
  db.prepare('SELECT COUNT(*) AS n FROM call_facts WHERE enqueued_at >= ? AND enqueued_at < ?').get(fromMs, toMs) as { n: number }
).n;
// The 话单 SELECT reads call_facts alone (schema 17: no look-up into calls or call_summaries per row).
const exportPlan = (db.prepare(`EXPLAIN QUERY PLAN ${EXPORT_SQL}`).all(toMs, fromMs, '', 1) as { detail: string }[]).map((p) => p.detail);
db.close();

console.log(
  `database: ${total.toLocaleString('en')} calls; month ${month}; export ${from}..${to} (${rowsInRange.toLocaleString('en')} rows)`,
);
const months = [measure('month', month), measure('month', month), measure('month', month)];
const monthMs = months.map((m) => m.ms!).sort((x, y) => x - y);
console.log(
  `month report: ${monthMs.map((m) => m.toFixed(0)).join(' / ')} ms over ${months[0]!.rows!.toLocaleString('en')} calls, peak ${months[0]!.peakRssMb!.toFixed(0)} MB`,
);

// The router's event loop during a month's report: on its own thread (as before) and in the worker.
const loop = measure('month-loop', month);
console.log(
  `event loop during the month report: held ${loop.inlineMaxDelayMs!.toFixed(0)} ms on the router's thread; in the worker (${loop.workerMs!.toFixed(0)} ms) max delay ${loop.workerMaxDelayMs!.toFixed(1)} ms, p99 ${loop.workerP99DelayMs!.toFixed(1)} ms over ${loop.workerTicks} ticks`,
);

const csvOut = path.join(tmp, 'calls.csv');
const csv = measure('csv', from, to, csvOut);
const csvRate = csv.rows! / (csv.ms! / 1000);
console.log(
  `CSV export: ${csv.rows!.toLocaleString('en')} rows in ${(csv.ms! / 1000).toFixed(2)} s = ${Math.round(csvRate).toLocaleString('en')} rows/s, peak ${csv.peakRssMb!.toFixed(0)} MB, ${(csv.bytes! / 1048576).toFixed(0)} MB`,
);
const bom = fs.readFileSync(csvOut).subarray(0, 3);
fs.rmSync(csvOut);
const viaWorker = measure('csv-worker', from, to, csvOut);
fs.rmSync(csvOut);
const workerRate = viaWorker.rows! / (viaWorker.ms! / 1000);
console.log(
  `CSV export through the report worker (the product's path): ${Math.round(workerRate).toLocaleString('en')} rows/s (${(viaWorker.ms! / 1000).toFixed(2)} s), the worker's peak ${viaWorker.workerPeakRssMb!.toFixed(0)} MB; the router ${viaWorker.routerBeforeMb!.toFixed(0)} → peak ${viaWorker.peakRssMb!.toFixed(0)} MB, its event loop max delay ${viaWorker.maxDelayMs!.toFixed(1)} ms`,
);

// sqlite3 -csv dumping the same rows (the same SELECT, as one statement, the keyset bound at the start).
const sql = EXPORT_SQL.replace(/\s+/g, ' ')
  .replace('enqueued_at < ?', `enqueued_at < ${toMs}`)
  .replace('(enqueued_at, call_id) > (?, ?)', `(enqueued_at, call_id) > (${fromMs}, '')`)
  .replace('LIMIT ?', '');
if (sql.includes('?')) throw new Error(`the export's SELECT changed: bind its parameters here too (${sql})`);
const sqliteOut = path.join(tmp, 'sqlite.csv');
const t0 = performance.now();
const s3 = spawnSync('sh', ['-c', `sqlite3 -csv -header '${dbPath}' "${sql.replace(/"/g, '\\"')}" > '${sqliteOut}'`], { encoding: 'utf8' });
const sqliteMs = performance.now() - t0;
const sqliteLines = s3.status === 0 ? Number(execFileSync('wc', ['-l', sqliteOut], { encoding: 'utf8' }).trim().split(/\s+/)[0]) : -1;
fs.rmSync(sqliteOut, { force: true });
const ratio = csv.ms! / sqliteMs;
const workerRatio = viaWorker.ms! / sqliteMs;
console.log(
  `sqlite3 -csv: ${(sqliteMs / 1000).toFixed(2)} s (${Math.round(rowsInRange / (sqliteMs / 1000)).toLocaleString('en')} rows/s); ours ÷ sqlite3 = ${workerRatio.toFixed(2)}× through the worker, ${ratio.toFixed(2)}× in a process of its own`,
);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `RESULT reports: 话单 CSV of ${viaWorker.rows!.toLocaleString('en')} rows through the report worker at ${Math.round(workerRate).toLocaleString('en')} rows/s (target ≥ 100,000: ${met(workerRate >= 100_000)}), the worker's peak ${viaWorker.workerPeakRssMb!.toFixed(0)} MB (target ≤ 256: ${met(viaWorker.workerPeakRssMb! <= 256)}), ${workerRatio.toFixed(2)}× sqlite3 -csv (aim ≤ 1.5×: ${met(workerRatio <= 1.5)}); month report ${monthMs[1]!.toFixed(0)} ms at the median (target ≤ 2,000: ${met(monthMs[1]! <= 2000)})`,
);

const xlsxOut = path.join(tmp, 'calls.xlsx');
const xlsx = measure('xlsx', from, to, xlsxOut);
console.log(
  `XLSX export: ${xlsx.rows!.toLocaleString('en')} rows in ${(xlsx.ms! / 1000).toFixed(2)} s, peak ${xlsx.peakRssMb!.toFixed(0)} MB, ${(xlsx.bytes! / 1048576).toFixed(0)} MB`,
);
fs.rmSync(tmp, { recursive: true, force: true });

const checks = new Checks();
checks.expect('month report counted calls', months[0]!.rows! > 0, `${months[0]!.rows} calls in ${month}`);
checks.equal('CSV rows = calls in range', csv.rows, rowsInRange);
checks.equal('XLSX rows = calls in range', xlsx.rows, rowsInRange);
checks.equal('CSV rows through the worker = calls in range', viaWorker.rows, rowsInRange);
checks.expect('the worker is a process of its own', viaWorker.workerPeakRssMb! > 0, `${viaWorker.workerPeakRssMb} MB`);
checks.expect('the month report in the worker let the loop tick', loop.workerTicks! > 1, `${loop.workerTicks} ticks`);
checks.expect(
  'the 话单 SELECT reads call_facts alone, in index order',
  exportPlan.length === 1 && exportPlan[0]!.includes('call_facts_enqueued'),
  exportPlan.join('; '),
);
checks.expect('CSV starts with a UTF-8 BOM', bom.equals(Buffer.from([0xef, 0xbb, 0xbf])), bom.toString('hex'));
checks.expect(
  'sqlite3 dumped the same rows',
  s3.status === 0 && sqliteLines >= rowsInRange + 1,
  `${sqliteLines} lines (status ${s3.status}; rows with line breaks in text count more)`,
);
const file = writeResult(NAME, {
  database: { calls: total, path: SMOKE ? 'smoke' : dbPath },
  month: { month, ms: monthMs, calls: months[0]!.rows, peakRssMb: months[0]!.peakRssMb },
  csv: { rows: csv.rows, ms: csv.ms, rowsPerS: csvRate, peakRssMb: csv.peakRssMb, bytes: csv.bytes },
  csvWorker: viaWorker,
  monthLoop: loop,
  load: os.loadavg(),
  sqlite3: { ms: sqliteMs, ratio, workerRatio },
  xlsx: { rows: xlsx.rows, ms: xlsx.ms, peakRssMb: xlsx.peakRssMb, bytes: xlsx.bytes },
});
console.log(`result written to ${file}`);
checks.finish(NAME);
