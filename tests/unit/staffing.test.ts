import { describe, expect, it } from 'vitest';
import type { CallFact } from '../../server/src/domain/stats/call-fact.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import {
  patienceOf,
  planToPeriods,
  plannedBySlot,
  signedInBySlot,
  slotOf,
  staffingPlan,
  SLOTS_PER_WEEK,
} from '../../server/src/domain/stats/staffing.js';
import { requiredAgentsA } from '../../server/src/domain/stats/erlang-a.js';

/**
 * Erlang C computed independently of erlang.ts: the textbook formula
 *   C(N, A) = (A^N / N!) · N/(N − A) ÷ (Σ_{k<N} A^k/k! + (A^N/N!) · N/(N − A)),
 * with the terms built up one factor at a time, and SL = 1 − C · e^{−(N − A)·t/AHT}.
 */
function independentRequired(callsPerHour: number, ahtS: number, t: number, target: number): number {
  const a = (callsPerHour * ahtS) / 3600;
  for (let n = Math.ceil(a + 1e-9); ; n++) {
    if (n <= a) continue;
    let term = 1;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += term;
      term = (term * a) / (k + 1);
    }
    const top = (term * n) / (n - a);
    const c = top / (sum + top);
    if (1 - c * Math.exp((-(n - a) * t) / ahtS) >= target) return n;
  }
}

const MONDAY = Date.UTC(2026, 10, 22, 16, 0); // 2026-11-23 00:00 +08:00, a Monday
const S = 1000;

function fact(at: number): CallFact {
  return {
    callId: `c${at}`,
    categoryId: 'labor',
    homeCentreId: 'city',
    seatId: 's1',
    enqueuedAt: at,
    answeredAt: at + 5 * S,
    endedAt: at + 155 * S,
    waitMs: 5 * S,
    talkMs: 150 * S,
    holdMs: 0,
    holds: 0,
    hungUpBy: 'caller',
    result: 'answered',
    offers: 1,
    overflowTrigger: null,
    wrapUpMs: 30 * S,
    overflowTarget: null,
    missedBy: [],
    transferredFrom: null,
    disposition: null,
    major: false,
  };
}

describe('staffing plan', () => {
  it('for a flat arrival pattern, every half hour needs the seats an independent Erlang C computes', () => {
    // Two weeks, 60 calls in every half hour (120 an hour), AHT 180 s (150 talk + 30 wrap-up).
    const facts: CallFact[] = [];
    for (let w = 0; w < 2; w++)
      for (let s = 0; s < SLOTS_PER_WEEK; s++)
        for (let i = 0; i < 60; i++) facts.push(fact(MONDAY + w * 7 * 86_400_000 + s * 1_800_000 + i * 25 * S));
    const plan = staffingPlan(facts, [], [], { utcOffsetMinutes: 480, thresholdS: 15, targetSL: 0.8, weeks: 2 });
    const expected = independentRequired(120, 180, 15, 0.8);
    expect(expected).toBe(9); // A = 6 erlangs
    expect(plan).toHaveLength(336);
    for (const slot of plan) {
      expect(slot.callsPerHour).toBe(120);
      expect(slot.ahtSeconds).toBe(180);
      expect(slot.required).toBe(expected);
      expect(slot.predictedSL).toBeGreaterThanOrEqual(0.8);
    }
    // Other loads agree too.
    for (const [lambda, aht] of [
      [10, 300],
      [240, 240],
      [600, 200],
    ] as const) {
      const f = Array.from({ length: (lambda / 2) * 2 }, (_, i) => ({ ...fact(MONDAY + (i % (lambda / 2)) * S), talkMs: (aht - 30) * S }));
      const p = staffingPlan(f, [], [], { utcOffsetMinutes: 480, thresholdS: 15, targetSL: 0.8, weeks: 2, minHandled: 1 });
      expect(p[0]!.required).toBe(independentRequired(lambda, aht, 15, 0.8));
    }
  });

  it('estimates patience from the history and puts Erlang A seats beside Erlang C', () => {
    // 4 answered after 5 s, 2 abandoned after 40 s, one after-hours overflow (no wait counted):
    // waits 20 + 80 = 100 s over 2 abandons = 50 s mean patience.
    const answered = Array.from({ length: 4 }, (_, i) => fact(MONDAY + i * S));
    const gone = [0, 1].map((i) => ({
      ...fact(MONDAY + (10 + i) * S),
      result: 'abandoned-in-queue' as const,
      answeredAt: null,
      waitMs: 40 * S,
      talkMs: 0,
      wrapUpMs: null,
    }));
    const closed = { ...fact(MONDAY + 20 * S), overflowTrigger: 'after-hours' as const, waitMs: 999 * S };
    expect(patienceOf([...answered, ...gone, closed])).toBe(50);
    expect(patienceOf(answered)).toBeNull();

    // A flat 120 calls an hour of 180 s: Erlang A with 50 s patience needs no more than Erlang C's 9.
    const facts: CallFact[] = [];
    for (let w = 0; w < 2; w++) for (let i = 0; i < 60; i++) facts.push(fact(MONDAY + w * 7 * 86_400_000 + i * 25 * S));
    const o = { utcOffsetMinutes: 480, thresholdS: 15, targetSL: 0.8, weeks: 2 };
    const withA = staffingPlan(facts, [], [], { ...o, patienceS: 50 })[0]!;
    expect(withA.required).toBe(9);
    expect(withA.requiredA).toBe(requiredAgentsA(120, 180, 50, 15, 0.8));
    expect(withA.requiredA!).toBeLessThanOrEqual(9);
    expect(withA.predictedSLA!).toBeGreaterThanOrEqual(0.8);
    const withoutA = staffingPlan(facts, [], [], o);
    expect(withoutA[0]!.requiredA).toBeNull();
    expect(withoutA[1]!.requiredA).toBeNull();
    expect(staffingPlan(facts, [], [], { ...o, patienceS: 50 })[1]!.requiredA).toBe(0); // no calls in that slot
  });

  it('slots are local half hours of the week; the calendar and signed-in seats line up with them', () => {
    expect(slotOf(MONDAY, 480)).toBe(0);
    expect(slotOf(MONDAY + 9.5 * 3_600_000, 480)).toBe(19);
    expect(slotOf(MONDAY + 6 * 86_400_000 + 23.75 * 3_600_000, 480)).toBe(335);
    const planned = plannedBySlot(DEFAULT_ROUTING_CONFIG.serviceCalendar, 480);
    expect(planned[17]).toBe(15); // Monday 08:30
    expect(planned[16]).toBe(3); // Monday 08:00
    expect(planned[5 * 48 + 20]).toBe(4); // Saturday 10:00
    // One seat signed in Monday 09:00–10:15 of one week, over two weeks: 0.5, 0.5, 0.25.
    const rows = [
      { seat_id: 's1', at: MONDAY + 9 * 3_600_000, kind: 'ready' },
      { seat_id: 's1', at: MONDAY + 10.25 * 3_600_000, kind: 'offline' },
    ];
    const signed = signedInBySlot(rows, MONDAY, MONDAY + 14 * 86_400_000, { utcOffsetMinutes: 480, weeks: 2 });
    expect(signed.slice(18, 21)).toEqual([0.5, 0.5, 0.25]);
    expect(signed[21]).toBe(0);
  });

  it('turns a plan into calendar periods, merging equal half hours and equal days', () => {
    const need = Array.from({ length: 336 }, (_, s) => (s % 48 >= 17 && s % 48 < 36 ? (Math.floor(s / 48) < 5 ? 8 : 3) : 1));
    const periods = planToPeriods(need.map((required) => ({ required })));
    expect(periods).toEqual([
      { days: [1, 2, 3, 4, 5], from: '00:00', to: '08:30', plannedSeats: 1 },
      { days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 8 },
      { days: [1, 2, 3, 4, 5], from: '18:00', to: '24:00', plannedSeats: 1 },
      { days: [6, 7], from: '00:00', to: '08:30', plannedSeats: 1 },
      { days: [6, 7], from: '08:30', to: '18:00', plannedSeats: 3 },
      { days: [6, 7], from: '18:00', to: '24:00', plannedSeats: 1 },
    ]);
  });
});
