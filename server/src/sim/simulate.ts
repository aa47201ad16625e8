import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SimOptionError, simulate, validateSimOptions, type SimOptions, type SimResult } from './simulator.js';

/**
 * Queue simulator CLI.
 *
 *   npx tsx server/src/sim/simulate.ts --seats 12 --arrivals-per-hour 200 --aht-s 180 \
 *     --threshold-s 20 --calls 200000 --seed 1 [--wrap-s 0] [--categories 1] [--patience-s 120] [--json]
 *
 * Prints one JSON object with --json, a table otherwise. Bad arguments: a sentence
 * naming the flag on stderr and exit code 2.
 */

const USAGE = `Usage: simulate --seats N --arrivals-per-hour L --aht-s H [--threshold-s 15] [--calls 200000]
                [--seed 1] [--wrap-s 0] [--categories 1] [--patience-s P] [--json]`;

export function parseSimArgs(argv: string[]): SimOptions & { json: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        seats: { type: 'string' },
        'arrivals-per-hour': { type: 'string' },
        'aht-s': { type: 'string' },
        'threshold-s': { type: 'string' },
        calls: { type: 'string' },
        seed: { type: 'string' },
        'wrap-s': { type: 'string' },
        categories: { type: 'string' },
        'patience-s': { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    const e = err as Error & { code?: string };
    const flag = /'(-{1,2}[^']+)'/.exec(e.message)?.[1]?.replace(/^-+/, '') ?? '';
    throw new SimOptionError(flag, e.message);
  }
  const num = (flag: string, fallback?: number): number => {
    const raw = values[flag];
    if (raw === undefined) {
      if (fallback === undefined) throw new SimOptionError(flag, `--${flag} is required.`);
      return fallback;
    }
    const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(v)) throw new SimOptionError(flag, `--${flag} must be a number (got "${String(raw)}").`);
    return v;
  };
  const opts: SimOptions & { json: boolean } = {
    seats: num('seats'),
    arrivalsPerHour: num('arrivals-per-hour'),
    ahtS: num('aht-s'),
    thresholdS: num('threshold-s', 15),
    calls: num('calls', 200_000),
    seed: num('seed', 1),
    wrapS: num('wrap-s', 0),
    categories: num('categories', 1),
    patienceS: values['patience-s'] === undefined ? null : num('patience-s'),
    json: values.json === true,
  };
  validateSimOptions(opts);
  return opts;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);
const sec = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} s`);

export function formatTable(r: SimResult): string {
  const p = r.params;
  const rows: [string, string, string][] = [
    ['service level (answered ≤ T ÷ answered)', pct(r.serviceLevel), pct(r.erlang.serviceLevel)],
    ['service level (DOMAIN: ≤ T ÷ (answered + abandoned > T))', pct(r.serviceLevelDomain), ''],
    ['ASA', sec(r.asaSeconds), sec(r.erlang.asaSeconds)],
    ['P(wait)', r.observed.pWait === null ? '—' : r.observed.pWait.toFixed(4), r.erlang.pWait.toFixed(4)],
    ['occupancy', pct(r.occupancy), pct(r.erlang.occupancy)],
    ['AHT', sec(r.ahtSeconds), sec(p.ahtS + p.wrapS)],
    ['offered', String(r.offered), ''],
    ['answered', String(r.answered), ''],
    ['abandoned (short abandons apart)', String(r.abandoned), ''],
    ['short abandons', String(r.shortAbandoned), ''],
    ['overflowed', String(r.overflowed), ''],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max('simulated'.length, ...rows.map((x) => x[1].length));
  const lines = [
    `seats ${p.seats}, ${p.arrivalsPerHour} calls/h, AHT ${p.ahtS} s` +
      (p.wrapS ? ` + wrap-up ${p.wrapS} s` : '') +
      `, T = ${p.thresholdS} s, A = ${r.erlang.trafficErlangs.toFixed(3)} Erlangs, ${p.categories} categor${p.categories === 1 ? 'y' : 'ies'}` +
      (p.patienceS !== null ? `, patience ${p.patienceS} s` : ', no abandonment') +
      `, ${p.calls} calls, seed ${p.seed}`,
    '',
    `${'KPI'.padEnd(w0)}  ${'simulated'.padStart(w1)}  Erlang C`,
    ...rows.map(([k, a, b]) => `${k.padEnd(w0)}  ${a.padStart(w1)}  ${b}`),
    '',
    `${r.simulatedHours.toFixed(1)} simulated hours in ${(r.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (p.patienceS !== null || p.wrapS > 0)
    lines.push('Erlang C assumes no abandonment and exponential handle times: read it as a reference only.');
  return lines.join('\n');
}

function main(): void {
  let opts: SimOptions & { json: boolean };
  try {
    opts = parseSimArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof SimOptionError) {
      process.stderr.write(`simulate: ${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { json, ...simOpts } = opts;
  const result = simulate(simOpts);
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${formatTable(result)}\n`);
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === realpathSync(fileURLToPath(import.meta.url))) main();
