/**
 * What every bench shares: the `--smoke` switch, its correctness checks, and where its
 * JSON result goes.
 *
 * A bench measures time, but it also counts what it did (calls answered, choices that match
 * a reference, records on disk). Those counts are checked on every run, and a failed check
 * makes the bench exit with status 1, so `npm test` (tests/bench/benches-smoke.test.ts, which
 * runs every bench with `--smoke`) fails when a change breaks a bench. Timings never fail a run.
 */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** `--smoke`: the bench's smallest meaningful size (seconds), for `npm test`. */
export const SMOKE = process.argv.includes('--smoke');

/**
 * A bench's numeric option `--name N` (≥ 0), or `fallback` when absent; a bad value ends the
 * bench with status 2 and a sentence naming the bench and the option.
 */
export function numberOption(bench: string, name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`${bench}: --${name} must be a number ≥ 0\n`);
    process.exit(2);
  }
  return v;
}

/** Correctness checks of one run, printed together; any failure sets the exit status to 1. */
export class Checks {
  private readonly list: { name: string; ok: boolean; detail: string }[] = [];

  /** Records one check; `detail` says what was counted (printed either way). */
  expect(name: string, ok: boolean, detail: string): void {
    this.list.push({ name, ok, detail });
  }

  /** `actual` must equal `expected`. */
  equal(name: string, actual: unknown, expected: unknown): void {
    this.expect(name, actual === expected, `${String(actual)} (expected ${String(expected)})`);
  }

  get failed(): { name: string; detail: string }[] {
    return this.list.filter((c) => !c.ok);
  }

  get all(): { name: string; ok: boolean; detail: string }[] {
    return [...this.list];
  }

  /** One line per check, then the summary line the smoke test looks for. */
  lines(bench: string): string[] {
    const failed = this.failed;
    return [
      ...this.list.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
      failed.length === 0
        ? `${bench} checks: all ${this.list.length} passed`
        : `${bench} checks: ${failed.length} of ${this.list.length} FAILED (${failed.map((c) => c.name).join('; ')})`,
    ];
  }

  /** Prints the checks to stderr (stdout may carry --json) and sets the exit status. */
  finish(bench: string): void {
    process.stderr.write(`${this.lines(bench).join('\n')}\n`);
    if (this.failed.length > 0) process.exitCode = 1;
  }
}

/**
 * Writes a bench's JSON result under .run/bench/ (git-ignored) and returns the path:
 * `<name>-<UTC time>.json` for a measurement, `smoke/<name>.json` (overwritten) for a smoke run.
 */
export function writeResult(name: string, result: unknown): string {
  const dir = path.join(ROOT, '.run', 'bench', ...(SMOKE ? ['smoke'] : []));
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, SMOKE ? `${name}.json` : `${name}-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
