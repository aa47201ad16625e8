import { describe, expect, it } from 'vitest';
import type { CallEvent, RoutingReason } from '../../server/src/domain/call.js';
import { KpiAccumulator, SeatTimeTracker } from '../../server/src/domain/stats/kpi.js';

const S = 1000;
const why: RoutingReason = { rule: 'skill', step: 0, proficiency: 3, considered: 1, alternatives: [] };
const enq = (at: number): CallEvent => ({ type: 'enqueued', at, priority: 0, categoryId: 'labor', centreId: 'city' });

/** A call answered after `waitS`, talking `talkS` (with optional hold), wrap-up `wrapS`. */
function answeredCall(id: string, waitS: number, talkS: number, wrapS: number, hold?: { atS: number; forS: number }) {
  const a = waitS * S;
  const events: CallEvent[] = [
    enq(0),
    { type: 'offered', at: a, seatId: 's1', attempt: 1, why },
    { type: 'answered', at: a, seatId: 's1' },
  ];
  let hangAt = a + talkS * S;
  if (hold) {
    events.push({ type: 'held', at: a + hold.atS * S }, { type: 'resumed', at: a + (hold.atS + hold.forS) * S });
    hangAt += hold.forS * S;
  }
  events.push({ type: 'hung-up', at: hangAt, by: 'caller' }, { type: 'wrap-up-ended', at: hangAt + wrapS * S, seatId: 's1' });
  return { id, events };
}

function abandonedCall(id: string, afterS: number, where: 'queue' | 'ringing' = 'queue') {
  return { id, events: [enq(0), { type: 'abandoned', at: afterS * S, where }] as CallEvent[] };
}

const newAcc = () => new KpiAccumulator({ serviceLevelThresholdS: 15, shortAbandonS: 5 });

describe('KpiAccumulator', () => {
  it('when calls are answered within and after T, should give service level and ASA from the waits', () => {
    const acc = newAcc();
    acc.addCall(answeredCall('a', 0, 60, 0));
    acc.addCall(answeredCall('b', 10, 60, 0));
    acc.addCall(answeredCall('c', 15, 60, 0)); // exactly T counts as within
    acc.addCall(answeredCall('d', 35, 60, 0));
    const s = acc.summary();
    expect(s.offered).toBe(4);
    expect(s.answered).toBe(4);
    expect(s.answeredWithinT).toBe(3);
    expect(s.serviceLevel).toBeCloseTo(3 / 4);
    expect(s.serviceLevelAnswered).toBeCloseTo(3 / 4);
    expect(s.asaSeconds).toBeCloseTo((0 + 10 + 15 + 35) / 4);
    expect(s.maxAnsweredWaitSeconds).toBe(35);
    expect(s.answerRate).toBe(1);
  });

  it('when a caller hangs up within shortAbandonS, should count a short abandon outside offered, abandoned and the rates', () => {
    const acc = newAcc();
    acc.addCall(answeredCall('a', 5, 60, 0));
    acc.addCall(abandonedCall('short', 3));
    acc.addCall(abandonedCall('edge', 5)); // exactly S is still short
    const s = acc.summary();
    expect(s.entered).toBe(3);
    expect(s.shortAbandoned).toBe(2);
    expect(s.offered).toBe(1);
    expect(s.abandoned).toBe(0);
    expect(s.abandonRate).toBe(0);
    expect(s.answerRate).toBe(1);
    expect(s.serviceLevel).toBe(1);
  });

  it('when callers abandon before and after T, should put only the late abandons in the service-level denominator', () => {
    const acc = newAcc();
    acc.addCall(answeredCall('a', 2, 60, 0));
    acc.addCall(answeredCall('b', 20, 60, 0));
    acc.addCall(abandonedCall('early', 10)); // > S, ≤ T
    acc.addCall(abandonedCall('late', 40, 'ringing'));
    const s = acc.summary();
    expect(s.offered).toBe(4);
    expect(s.abandoned).toBe(2);
    expect(s.abandonedAfterT).toBe(1);
    expect(s.abandonRate).toBeCloseTo(2 / 4);
    expect(s.answerRate).toBeCloseTo(2 / 4);
    // 1 answered within T ÷ (2 answered + 1 abandoned after T)
    expect(s.serviceLevel).toBeCloseTo(1 / 3);
    expect(s.serviceLevelAnswered).toBeCloseTo(1 / 2);
    expect(s.asaSeconds).toBeCloseTo(11);
  });

  it('when a call is put on hold, should split talk and hold and count both in AHT with wrap-up', () => {
    const acc = newAcc();
    acc.addCall(answeredCall('a', 0, 100, 30, { atS: 40, forS: 20 }));
    acc.addCall(answeredCall('b', 0, 200, 10));
    const s = acc.summary();
    expect(s.talkSeconds).toBeCloseTo((100 + 200) / 2);
    expect(s.holdSeconds).toBeCloseTo(20 / 2);
    expect(s.wrapUpSeconds).toBeCloseTo((30 + 10) / 2);
    expect(s.ahtSeconds).toBeCloseTo((100 + 20 + 30 + 200 + 10) / 2);
  });

  it('when a hold is still open at hang-up, should end the hold at the hang-up', () => {
    const acc = newAcc();
    acc.addCall({
      id: 'x',
      events: [
        enq(0),
        { type: 'answered', at: 0, seatId: 's1' },
        { type: 'held', at: 50 * S },
        { type: 'hung-up', at: 80 * S, by: 'caller' },
        { type: 'wrap-up-ended', at: 80 * S, seatId: 's1' },
      ],
    });
    const s = acc.summary();
    expect(s.holdSeconds).toBeCloseTo(30);
    expect(s.talkSeconds).toBeCloseTo(50);
    expect(s.ahtSeconds).toBeCloseTo(80);
  });

  it('when a call is re-offered after a missed ring, should measure the wait from the first enqueue', () => {
    const acc = newAcc();
    acc.addCall({
      id: 'r',
      events: [
        enq(1000),
        { type: 'offered', at: 1000, seatId: 's1', attempt: 1, why },
        { type: 'ring-timeout', at: 21_000, seatId: 's1', attempt: 1 },
        { type: 'offered', at: 21_000, seatId: 's2', attempt: 2, why },
        { type: 'answered', at: 24_000, seatId: 's2' },
        { type: 'hung-up', at: 84_000, by: 'seat' },
        { type: 'wrap-up-ended', at: 144_000, seatId: 's2' },
      ],
    });
    const s = acc.summary();
    expect(s.asaSeconds).toBeCloseTo(23);
    expect(s.answeredWithinT).toBe(0);
    expect(s.ahtSeconds).toBeCloseTo(120);
  });

  it('when calls overflow, should count them by target and trigger, and keep after-hours calls out of offered', () => {
    const acc = newAcc();
    acc.addCall({ id: 'o1', events: [enq(0), { type: 'overflowed', at: 300 * S, target: 'callback', trigger: 'max-wait' }] });
    acc.addCall({ id: 'o2', events: [enq(0), { type: 'overflowed', at: 0, target: '12345', trigger: 'no-seat' }] });
    acc.addCall({ id: 'ah', events: [enq(0), { type: 'overflowed', at: 0, target: 'callback', trigger: 'after-hours' }] });
    acc.addCall({ id: 't', events: [enq(0), { type: 'timed-out', at: 600 * S }] });
    acc.addCall(answeredCall('a', 1, 60, 0));
    const s = acc.summary();
    expect(s.offered).toBe(4);
    expect(s.overflowed.total).toBe(2);
    expect(s.overflowed.byTarget).toEqual({ '12345': 1, callback: 1 });
    expect(s.overflowed.byTrigger['max-wait']).toBe(1);
    expect(s.overflowed.byTrigger['no-seat']).toBe(1);
    expect(s.afterHours).toEqual({ total: 1, byTarget: { '12345': 0, callback: 1 } });
    expect(s.timedOut).toBe(1);
    expect(s.answerRate).toBeCloseTo(1 / 4);
    expect(s.serviceLevel).toBe(1); // overflowed and timed-out calls are in neither term
  });

  it('when nothing was offered, should report rates as null', () => {
    const s = newAcc().summary();
    expect(s.offered).toBe(0);
    expect(s.answerRate).toBeNull();
    expect(s.serviceLevel).toBeNull();
    expect(s.asaSeconds).toBeNull();
    expect(s.occupancy).toBeNull();
  });

  it('when a call is not finished, should refuse it', () => {
    const acc = newAcc();
    expect(() => acc.addCall({ id: 'q', events: [enq(0)] })).toThrow(/not finished/);
  });

  it('when seats spend time ready, ringing, talking and in wrap-up, should give occupancy from handle and ready time only', () => {
    const acc = newAcc();
    acc.addSeatInterval('talking', 60 * S);
    acc.addSeatInterval('wrap-up', 20 * S);
    acc.addSeatInterval('ready', 20 * S);
    acc.addSeatInterval('ringing', 10 * S);
    acc.addSeatInterval('not-ready', 500 * S);
    const s = acc.summary();
    expect(s.occupancy).toBeCloseTo(80 / 100);
    expect(s.seatTimeMs.ringing).toBe(10 * S);
  });
});

describe('SeatTimeTracker', () => {
  it('when a seat changes state, should add the time spent in the previous state from the observation times', () => {
    const acc = newAcc();
    const t = new SeatTimeTracker(acc);
    t.observe('s1', 'ready', 0);
    t.observe('s1', 'ready', 5 * S); // repeated observation is ignored
    t.observe('s1', 'talking', 10 * S);
    t.observe('s2', 'ready', 10 * S);
    t.observe('s1', 'wrap-up', 70 * S);
    t.observe('s1', 'ready', 80 * S);
    t.closeAll(100 * S);
    const s = acc.summary();
    expect(s.seatTimeMs.talking).toBe(60 * S);
    expect(s.seatTimeMs['wrap-up']).toBe(10 * S);
    expect(s.seatTimeMs.ready).toBe((10 + 20 + 90) * S);
    expect(s.occupancy).toBeCloseTo(70 / 190);
  });
});
