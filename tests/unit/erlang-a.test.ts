import { describe, expect, it } from 'vitest';
import { erlangC, requiredAgents, serviceLevel, trafficErlangs } from '../../server/src/domain/stats/erlang.js';
import { erlangA, patienceEstimate, requiredAgentsA } from '../../server/src/domain/stats/erlang-a.js';
import { seededRandom } from '../../server/src/seed/seeded-random.js';

/**
 * M/M/N+M simulated call by call, independently of erlang-a.ts: callers in arrival order take the
 * seat that frees first (FIFO), unless their patience runs out before it frees.
 */
function simulate(n: number, perHour: number, ahtS: number, patienceS: number, t: number, calls: number) {
  const r = seededRandom(12348);
  const exp = (mean: number) => -mean * Math.log(1 - r());
  const free = new Array<number>(n).fill(0);
  let at = 0;
  let waited = 0;
  let abandoned = 0;
  let answeredWithin = 0;
  let abandonedAfter = 0;
  let answered = 0;
  for (let i = 0; i < calls; i++) {
    at += exp(3600 / perHour);
    let k = 0;
    for (let s = 1; s < n; s++) if (free[s]! < free[k]!) k = s;
    const wait = Math.max(0, free[k]! - at);
    if (wait > 0) waited++;
    const patience = exp(patienceS);
    if (wait > patience) {
      abandoned++;
      if (patience > t) abandonedAfter++;
      continue;
    }
    answered++;
    if (wait <= t) answeredWithin++;
    free[k] = at + wait + exp(ahtS);
  }
  return {
    pWait: waited / calls,
    pAbandon: abandoned / calls,
    serviceLevel: answeredWithin / (answered + abandonedAfter),
    answeredWithin: answeredWithin / calls,
  };
}

/** P(K = k) of a Poisson(A) count, built up term by term. */
function poisson(a: number, upTo: number): number[] {
  const p = [Math.exp(-a)];
  for (let k = 1; k <= upTo; k++) p.push((p[k - 1]! * a) / k);
  return p;
}

describe('Erlang A (M/M/N+M)', () => {
  it('agrees with a call-by-call simulation', () => {
    const cases: [number, number, number, number][] = [
      [6, 100, 180, 120], // A = 5 on 6 seats, patience 2 min
      [12, 200, 240, 60], // A = 13.3 on 12 seats: overloaded, held by abandonment
      [3, 30, 300, 300],
    ];
    for (const [n, perHour, aht, patience] of cases) {
      const model = erlangA(n, perHour, aht, patience, 15);
      const sim = simulate(n, perHour, aht, patience, 15, 400_000);
      expect(model.pWait).toBeCloseTo(sim.pWait, 2);
      expect(model.pAbandon).toBeCloseTo(sim.pAbandon, 2);
      expect(model.serviceLevel).toBeCloseTo(sim.serviceLevel, 2);
      expect(model.answeredWithin).toBeCloseTo(sim.answeredWithin, 2);
    }
  });

  it('with patience equal to the handle time the number in the system is Poisson(A)', () => {
    // θ = μ: every caller leaves at rate μ whether talking or waiting (M/M/∞), so
    // P(wait) = P(K ≥ N) and P(abandon) = θ·E[(K − N)+] / λ = E[(K − N)+] / A.
    const n = 8;
    const perHour = 90;
    const aht = 360; // A = 9
    const a = trafficErlangs(perHour, aht);
    const p = poisson(a, 200);
    const pWait = p.slice(n).reduce((x, y) => x + y, 0);
    const queue = p.reduce((sum, pk, k) => sum + Math.max(0, k - n) * pk, 0);
    const model = erlangA(n, perHour, aht, aht, 20);
    expect(model.pWait).toBeCloseTo(pWait, 9);
    expect(model.pAbandon).toBeCloseTo(queue / a, 9);
  });

  it('tends to Erlang C as patience grows', () => {
    const n = 10;
    const perHour = 100;
    const aht = 300; // A = 8.33
    const a = trafficErlangs(perHour, aht);
    const model = erlangA(n, perHour, aht, 1e9, 15);
    expect(model.pWait).toBeCloseTo(erlangC(n, a), 5);
    expect(model.answeredWithin).toBeCloseTo(serviceLevel(n, a, 15, aht), 5);
    expect(model.pAbandon).toBeLessThan(1e-5);
  });

  it('needs at most the seats Erlang C needs, the same when nobody gives up', () => {
    for (const [perHour, aht] of [
      [60, 240],
      [300, 300],
      [790, 280],
    ] as const) {
      const c = requiredAgents(perHour, aht, 15, 0.8);
      const patient = requiredAgentsA(perHour, aht, 1e9, 15, 0.8);
      const impatient = requiredAgentsA(perHour, aht, 30, 15, 0.8);
      expect(patient).toBe(c);
      expect(impatient).toBeLessThanOrEqual(c);
      // The answer is the fewest seats that reach the target.
      expect(erlangA(impatient, perHour, aht, 30, 15).serviceLevel).toBeGreaterThanOrEqual(0.8);
      if (impatient > 1) expect(erlangA(impatient - 1, perHour, aht, 30, 15).serviceLevel).toBeLessThan(0.8);
    }
    expect(requiredAgentsA(0, 300, 60, 15, 0.8)).toBe(0);
  });

  it('estimates patience from waits and abandons, and refuses bad input', () => {
    expect(patienceEstimate(600, 4)).toBe(150);
    expect(patienceEstimate(600, 0)).toBeNull();
    expect(patienceEstimate(0, 3)).toBeNull();
    expect(() => erlangA(0, 10, 300, 60, 15)).toThrow(RangeError);
    expect(() => erlangA(2, 10, 300, 0, 15)).toThrow(RangeError);
    expect(() => erlangA(2, -1, 300, 60, 15)).toThrow(RangeError);
    expect(() => requiredAgentsA(10, 300, 60, 15, 1)).toThrow(RangeError);
    expect(erlangA(3, 0, 300, 60, 15)).toMatchObject({ pWait: 0, pAbandon: 0, serviceLevel: 1 });
  });
});
