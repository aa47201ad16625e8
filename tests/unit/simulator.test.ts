import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../server/src/domain/call.js';
import { parseSimArgs } from '../../server/src/sim/simulate.js';
import { SimOptionError, simulate } from '../../server/src/sim/simulator.js';

/**
 * The queue simulator runs the real AcdEngine. Two kinds of check:
 *
 * 1. Exact: with the same random draws, every caller's wait must equal the FIFO
 *    N-seat recursion (Kiefer–Wolfowitz: a caller starts at max(arrival, earliest
 *    time a seat frees up); a caller whose patience runs out first leaves). No
 *    statistical noise, so this is where the engine is held to contact-centre loads.
 *
 * 2. Statistical: KPIs against Erlang C. The seed-to-seed spread of (simulated −
 *    Erlang C), measured before choosing the cases. No warm-up is discarded: in every
 *    case the mean deviation over the seeds was within 2 standard errors of zero.
 *
 *      case                    calls   seeds  SD(SL)    SD(ASA)
 *      N=1,  ρ=0.50, T=20 s    200k    64     0.23 pp   1.5 %
 *      N=2,  ρ=0.40, T=20 s    200k    48     0.20 pp   2.0 %
 *      N=10, ρ=0.75, T=20 s    200k    30     0.43 pp   3.9 %
 *      N=12, ρ=0.83, T=20 s    200k    12     0.65 pp   3.1 %
 *      N=20, ρ=0.75, T=20 s    200k    10     0.37 pp   5.5 %
 *      N=30, ρ=0.83, T=20 s    200k    12     0.53 pp   4.5 %
 *      N=12, ρ=0.83, T=20 s    1M      8      0.26 pp   1.1 %
 *
 *    "SL within 1 pp and ASA within 5 %" is robust across seeds only where 5 % is
 *    several SDs: at 200,000 calls that means few seats and low load (N=1 and N=2
 *    below: 3.3σ and 2.5σ on ASA); at contact-centre load it takes 1,000,000 calls
 *    (N=12, ρ=0.83: 4.5σ). Contact-centre loads at 200k calls are covered exactly by 1.
 */

const ERLANG_TIMEOUT = 240_000;

/** Replays the calls through the FIFO N-seat recursion; returns the largest gap in answer time. */
function compareWithFifoRecursion(calls: Call[], seats: number) {
  const ordered = [...calls].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  const freeAt = new Array<number>(seats).fill(-Infinity);
  let maxGapMs = 0;
  let wrongAbandons = 0;
  let answered = 0;
  let abandoned = 0;
  for (const call of ordered) {
    let k = 0;
    for (let i = 1; i < seats; i++) if (freeAt[i]! < freeAt[k]!) k = i;
    const start = Math.max(call.enqueuedAt, freeAt[k]!);
    const last = call.events[call.events.length - 1]!;
    if (last.type === 'abandoned') {
      abandoned++;
      if (!(start > last.at)) wrongAbandons++; // a seat was free for it before it left
      continue;
    }
    const answeredAt = call.events.find((e) => e.type === 'answered')?.at;
    if (answeredAt === undefined || last.type !== 'wrap-up-ended') throw new Error(`call ${call.id} ended as ${last.type}`);
    answered++;
    maxGapMs = Math.max(maxGapMs, Math.abs(answeredAt - start));
    freeAt[k] = last.at; // the seat is free again once its wrap-up ends
  }
  return { maxGapMs, wrongAbandons, answered, abandoned };
}

function traced(opts: Parameters<typeof simulate>[0]) {
  const calls: Call[] = [];
  const result = simulate({ ...opts, onCall: (c) => calls.push(c) });
  return { result, calls };
}

describe('simulator: the engine is an exact FIFO N-seat queue', () => {
  it.each([
    { seats: 12, arrivalsPerHour: 200, ahtS: 180 }, // ρ = 0.83
    { seats: 30, arrivalsPerHour: 300, ahtS: 300 }, // ρ = 0.83
  ])('when $seats seats serve one skill with no abandonment, should answer every caller when the FIFO recursion does', (c) => {
    const { result, calls } = traced({ ...c, thresholdS: 20, calls: 20_000, seed: 7 });
    const cmp = compareWithFifoRecursion(calls, c.seats);
    expect(cmp.answered).toBe(20_000);
    expect(cmp.maxGapMs).toBeLessThan(1e-6);
    expect(result.overflowed).toBe(0);
  });

  it('when callers abandon and seats take wrap-up, should still match the FIFO recursion call by call', () => {
    const { result, calls } = traced({
      seats: 12,
      arrivalsPerHour: 200,
      ahtS: 150,
      wrapS: 30,
      patienceS: 90,
      thresholdS: 20,
      calls: 20_000,
      seed: 11,
    });
    const cmp = compareWithFifoRecursion(calls, 12);
    expect(cmp.abandoned).toBeGreaterThan(0);
    expect(cmp.wrongAbandons).toBe(0);
    expect(cmp.maxGapMs).toBeLessThan(1e-6);
    expect(result.ahtSeconds).toBeGreaterThan(150);
  });

  it('when calls spread over several categories that every seat has, should still serve them as one FIFO pool', () => {
    const { calls } = traced({ seats: 12, arrivalsPerHour: 200, ahtS: 180, categories: 5, thresholdS: 20, calls: 20_000, seed: 3 });
    expect(compareWithFifoRecursion(calls, 12).maxGapMs).toBeLessThan(1e-6);
  });
});

describe('simulator: abandonment', () => {
  it('when callers have limited patience, should report abandoned calls', () => {
    const r = simulate({ seats: 10, arrivalsPerHour: 200, ahtS: 180, thresholdS: 20, calls: 20_000, seed: 5, patienceS: 60 });
    expect(r.abandoned).toBeGreaterThan(0);
    expect(r.answered + r.abandoned + r.shortAbandoned).toBe(20_000);
    expect(r.offered).toBe(20_000 - r.shortAbandoned);
    // abandoned callers who waited past T count against the service level of docs/definitions.md
    expect(r.serviceLevelDomain!).toBeLessThan(r.serviceLevel!);
  });

  it('when nobody is impatient, should report no abandoned calls', () => {
    const r = simulate({ seats: 10, arrivalsPerHour: 200, ahtS: 150, thresholdS: 20, calls: 5_000, seed: 5 });
    expect(r.abandoned + r.shortAbandoned).toBe(0);
    expect(r.answered).toBe(5_000);
  });
});

describe('simulator: agreement with Erlang C (one skill, FIFO, no abandonment)', () => {
  it.each([
    { seats: 1, arrivalsPerHour: 18, ahtS: 100, thresholdS: 20, seed: 1 }, // ρ = 0.5
    { seats: 2, arrivalsPerHour: 28.8, ahtS: 100, thresholdS: 20, seed: 1 }, // ρ = 0.4
  ])(
    'when $seats seat(s) take 200,000 calls, should match service level within 1 pp and ASA within 5 %',
    (c) => {
      const r = simulate({ ...c, calls: 200_000 });
      expect(Math.abs(r.serviceLevel! - r.erlang.serviceLevel)).toBeLessThan(0.01);
      expect(Math.abs(r.asaSeconds! / r.erlang.asaSeconds! - 1)).toBeLessThan(0.05);
      expect(Math.abs(r.observed.pWait! - r.erlang.pWait)).toBeLessThan(0.01);
      expect(Math.abs(r.occupancy! - r.erlang.occupancy)).toBeLessThan(0.01);
    },
    ERLANG_TIMEOUT,
  );

  it(
    'when 12 seats run at 83 % occupancy for 1,000,000 calls, should match service level within 1 pp and ASA within 5 %',
    () => {
      const r = simulate({ seats: 12, arrivalsPerHour: 200, ahtS: 180, thresholdS: 20, calls: 1_000_000, seed: 1 });
      expect(Math.abs(r.serviceLevel! - r.erlang.serviceLevel)).toBeLessThan(0.01);
      expect(Math.abs(r.asaSeconds! / r.erlang.asaSeconds! - 1)).toBeLessThan(0.05);
      expect(Math.abs(r.occupancy! - r.erlang.occupancy)).toBeLessThan(0.01);
    },
    ERLANG_TIMEOUT,
  );
});

describe('simulate CLI', () => {
  it('when an argument is not a number, should name the flag', () => {
    expect(() => parseSimArgs(['--seats', 'ten', '--arrivals-per-hour', '100', '--aht-s', '60'])).toThrow(/--seats must be a number/);
  });

  it('when a required flag is missing, should name it', () => {
    expect(() => parseSimArgs(['--seats', '10', '--aht-s', '60'])).toThrow(/--arrivals-per-hour is required/);
  });

  it('when the load exceeds the seats without abandonment, should refuse it', () => {
    const err = (() => {
      try {
        parseSimArgs(['--seats', '5', '--arrivals-per-hour', '200', '--aht-s', '180']);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SimOptionError);
    expect((err as SimOptionError).flag).toBe('seats');
  });

  it('when run with a bad flag, should exit 2 with a message naming it', () => {
    const out = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/src/sim/simulate.ts', '--seats', '4', '--arrivals-per-hour', '60', '--aht-s', '120', '--seed', '1.5'],
      {
        encoding: 'utf8',
      },
    );
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--seed must be/);
  });

  it('when run with --json, should print one JSON object with the KPIs and the Erlang C prediction', () => {
    const out = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/src/sim/simulate.ts',
        '--seats',
        '4',
        '--arrivals-per-hour',
        '60',
        '--aht-s',
        '120',
        '--threshold-s',
        '20',
        '--calls',
        '2000',
        '--seed',
        '2',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(out.status).toBe(0);
    const r = JSON.parse(out.stdout);
    for (const k of ['serviceLevel', 'asaSeconds', 'answered', 'abandoned', 'occupancy', 'elapsedMs']) expect(r).toHaveProperty(k);
    expect(Object.keys(r.erlang)).toEqual(expect.arrayContaining(['serviceLevel', 'asaSeconds', 'pWait']));
    expect(r.answered).toBe(2000);
  }, 60_000);
});
