/**
 * Benchmarks must not rot: every bench under bench/ runs here at its smoke size (`--smoke`,
 * seconds) the way `npm run bench:*` runs it, and must exit 0 having printed that all its
 * correctness checks passed (calls answered and none lost, summaries filed, choices that
 * match the reference router, records on disk). Timings are printed, never asserted.
 *
 * A new `bench/*.bench.ts` is picked up on its own; it must accept `--smoke` and end with
 * the `Checks` summary line of bench/report.ts. The SIP benches start their own rtpengine,
 * Kamailio and router on loopback, as the telephony tests do.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Checks } from '../../bench/report.js';
import { summarise } from '../../bench/sip/cpuprofile-summary.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Run at their smoke size by a test of their own: tests/hostile/kills.test.ts. */
const OWN_TEST = new Set(['kills-soak.bench.ts']);
const BENCHES = fs
  .readdirSync(path.join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && !OWN_TEST.has(f))
  .sort();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function runBench(file: string, timeoutMs: number): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join('bench', file), '--smoke'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => p.kill('SIGINT'), timeoutMs);
    p.once('error', reject);
    p.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const tail = (s: string, lines = 40) => s.trimEnd().split('\n').slice(-lines).join('\n');

describe('benches at smoke size', () => {
  it('finds the benches', () => {
    expect(BENCHES).toEqual(
      expect.arrayContaining([
        'routing.bench.ts',
        'enqueue-durable.bench.ts',
        'knowledge-search.bench.ts',
        'reports.bench.ts',
        'sip-latency.bench.ts',
        'sip-load.bench.ts',
        'supervisor-fanout.bench.ts',
      ]),
    );
  });

  for (const file of BENCHES) {
    const name = file.replace(/\.ts$/, '');
    it(`${file} --smoke passes its own checks`, { timeout: 240_000 }, async () => {
      const run = await runBench(file, 200_000);
      const output = `exit ${run.code} after ${run.seconds.toFixed(1)} s\n--- stdout\n${tail(run.stdout)}\n--- stderr\n${tail(run.stderr)}`;
      expect(run.code, output).toBe(0);
      expect(run.stderr, output).toMatch(new RegExp(`^${name.replace('.', '\\.')} checks: all \\d+ passed$`, 'm'));
      expect(run.stderr, output).not.toMatch(/^\s*FAIL /m);
      expect(run.stdout, output).toMatch(/result written to .*\.run\/bench\/smoke\//);
      if (file.startsWith('sip-')) expect(run.stdout, output).toMatch(/^RESULT sip-/m);
    });
  }
});

describe('bench tooling', () => {
  it('Checks reports every failed check and only then fails', () => {
    const ok = new Checks();
    ok.equal('calls answered', 5, 5);
    expect(ok.failed).toEqual([]);
    expect(ok.lines('x.bench').at(-1)).toBe('x.bench checks: all 1 passed');
    const bad = new Checks();
    bad.equal('calls answered', 4, 5);
    bad.expect('seats left in wrap-up', false, '1 (b0001)');
    expect(bad.failed.map((c) => c.name)).toEqual(['calls answered', 'seats left in wrap-up']);
    expect(bad.lines('x.bench')).toContain('  FAIL calls answered: 4 (expected 5)');
    expect(bad.lines('x.bench').at(-1)).toMatch(/^x\.bench checks: 2 of 2 FAILED/);
  });

  it('bench/sip/cpuprofile-summary.ts summarises a profile of node --cpu-prof (sip-load --cpu-prof)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prof-'));
    try {
      const r = spawnSync(
        process.execPath,
        ['--cpu-prof', '--cpu-prof-dir', dir, '-e', 'let x = 0; const t = Date.now(); while (Date.now() - t < 300) x += Math.sqrt(x + 1);'],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      expect(file).toBeDefined();
      const text = summarise(path.join(dir, file!), { top: 5 });
      expect(text).toMatch(/busy/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
