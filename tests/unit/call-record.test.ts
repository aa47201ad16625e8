import { describe, expect, it } from 'vitest';
import { callRecord, type CallRecord } from '../../server/src/domain/call-record.js';
import { KpiAccumulator } from '../../server/src/domain/stats/kpi.js';
import type { ServiceCalendar } from '../../server/src/domain/policy.js';
import { SEC, T0, createHarness, makeConfig, seat, type EngineHarness } from './support/engine-harness.js';

/** One lawyer for labor calls, ready at T0: a call arriving at T0 rings s1 at once. */
const oneReadySeat = (config = makeConfig()) => {
  const h = createHarness({ seats: [seat('s1', { labor: 5 })], config });
  h.readyInOrder('s1');
  return h;
};

/** One lawyer for labor calls, busy: a call arriving waits in the queue. */
const oneBusySeat = (config = makeConfig()) => {
  const h = createHarness({ seats: [seat('s1', { labor: 5 })], config });
  h.busy('s1');
  return h;
};

const record = (h: EngineHarness, id: string, now = h.now()): CallRecord => callRecord(h.callById(id), now);
const at = (s: number) => T0 + s * SEC;

describe('callRecord: answered calls', () => {
  it('when a call is answered, held, resumed and hung up by the seat, should give wait, talk without the hold, hold and who hung up', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.advanceS(8);
    h.answer('c1');
    h.advanceS(30);
    h.engine.hold('c1');
    h.advanceS(20);
    h.engine.resume('c1');
    h.advanceS(40);
    h.engine.hangup('c1', 'seat');

    expect(record(h, 'c1')).toEqual({
      callId: 'c1',
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId: 's1',
      enqueuedAt: at(0),
      answeredAt: at(8),
      endedAt: at(98),
      waitMs: 8 * SEC,
      talkMs: 70 * SEC,
      holdMs: 20 * SEC,
      holds: 1,
      hungUpBy: 'seat',
      result: 'answered',
      offers: 1,
      overflowTrigger: null,
    } satisfies CallRecord);
  });

  it('when the call is in wrap-up and then ended, should give the same record whatever `now` is (wrap-up is not talk)', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.advanceS(3);
    h.serve('c1', 45);
    const inWrapUp = record(h, 'c1');
    h.advanceS(60); // wrap-up ends by itself

    expect(h.state('c1').kind).toBe('ended');
    expect(inWrapUp).toMatchObject({ result: 'answered', hungUpBy: 'caller', endedAt: at(48), talkMs: 45 * SEC, holdMs: 0, holds: 0 });
    expect(record(h, 'c1', at(10_000))).toEqual(inWrapUp);
  });

  it('when a hold is still open at hang-up, should count it to the hang-up and count every hold', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.answer('c1');
    h.advanceS(10);
    h.engine.hold('c1');
    h.advanceS(5);
    h.engine.resume('c1');
    h.advanceS(10);
    h.engine.hold('c1');
    h.advanceS(15);
    h.engine.hangup('c1', 'caller');

    expect(record(h, 'c1', at(1000))).toMatchObject({
      answeredAt: at(0),
      endedAt: at(40),
      holdMs: 20 * SEC,
      holds: 2,
      talkMs: 20 * SEC,
      hungUpBy: 'caller',
      result: 'answered',
    });
  });

  it('when a second hold comes while already on hold, should count one hold from the first (as the KPIs do)', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.answer('c1');
    h.advanceS(10);
    h.engine.hold('c1');
    h.advanceS(5);
    h.engine.hold('c1');
    h.advanceS(5);
    h.engine.resume('c1');
    h.advanceS(10);
    h.engine.hangup('c1', 'seat');

    expect(record(h, 'c1')).toMatchObject({ holdMs: 10 * SEC, holds: 1, talkMs: 20 * SEC });
  });

  it('when the first seat lets it ring out and the second answers, should name the answering seat and count both offers', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.readyInOrder('s1', 's2');
    h.call('c1');
    const first = h.ringingAt('c1');
    h.advanceS(20); // ring timeout: offered to the other seat
    const second = h.ringingAt('c1');
    h.advanceS(3);
    h.serve('c1', 30);

    expect(first).toBe('s1');
    expect(second).toBe('s2');
    expect(record(h, 'c1')).toMatchObject({ seatId: 's2', offers: 2, waitMs: 23 * SEC, talkMs: 30 * SEC, result: 'answered' });
  });
});

describe('callRecord: calls in progress', () => {
  it('when a call is still talking with a hold open, should count talk and hold up to `now`', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.advanceS(5);
    h.answer('c1');
    h.advanceS(10);
    h.engine.hold('c1');
    h.advanceS(30);

    const r = record(h, 'c1');
    const later = record(h, 'c1', h.now() + 10 * SEC);

    expect(r).toMatchObject({
      result: 'in-progress',
      seatId: 's1',
      answeredAt: at(5),
      endedAt: null,
      hungUpBy: null,
      waitMs: 5 * SEC,
      talkMs: 10 * SEC,
      holdMs: 30 * SEC,
      holds: 1,
    });
    expect(later).toMatchObject({ talkMs: 10 * SEC, holdMs: 40 * SEC });
  });

  it('when a call is still talking without hold, should count talk up to `now`', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.answer('c1');
    h.advanceS(25);

    expect(record(h, 'c1')).toMatchObject({ result: 'in-progress', talkMs: 25 * SEC, holdMs: 0, holds: 0, endedAt: null });
  });

  it('when a call is still waiting in the queue, should count its wait up to `now` with no seat and no offer', () => {
    const h = oneBusySeat();
    h.call('c1');
    h.advanceS(12);

    expect(record(h, 'c1')).toMatchObject({
      result: 'in-progress',
      seatId: null,
      answeredAt: null,
      endedAt: null,
      waitMs: 12 * SEC,
      talkMs: 0,
      offers: 0,
      hungUpBy: null,
    });
  });

  it('when a call is ringing, should count the offer but name no seat (a seat that only rings did not answer)', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.advanceS(4);

    expect(h.ringingAt('c1')).toBe('s1');
    expect(record(h, 'c1')).toMatchObject({ result: 'in-progress', seatId: null, offers: 1, waitMs: 4 * SEC });
  });
});

describe('callRecord: calls that left unanswered', () => {
  it('when the caller hangs up in the queue, should be abandoned-in-queue by the caller after its wait', () => {
    const h = oneBusySeat();
    h.call('c1');
    h.advanceS(40);
    h.engine.hangup('c1', 'caller');

    expect(record(h, 'c1', at(500))).toEqual({
      callId: 'c1',
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId: null,
      enqueuedAt: at(0),
      answeredAt: null,
      endedAt: at(40),
      waitMs: 40 * SEC,
      talkMs: 0,
      holdMs: 0,
      holds: 0,
      hungUpBy: 'caller',
      result: 'abandoned-in-queue',
      offers: 0,
      overflowTrigger: null,
    } satisfies CallRecord);
  });

  it('when the caller hangs up while a seat rings, should be abandoned-while-ringing with the offer counted', () => {
    const h = oneReadySeat();
    h.call('c1');
    h.advanceS(6);
    h.engine.hangup('c1', 'caller');

    expect(record(h, 'c1')).toMatchObject({
      result: 'abandoned-while-ringing',
      hungUpBy: 'caller',
      endedAt: at(6),
      waitMs: 6 * SEC,
      offers: 1,
      seatId: null,
    });
  });

  it('when the call overflows to 12345 on maximum wait, should be overflowed-12345 with the trigger and nobody hanging up', () => {
    const h = oneBusySeat(makeConfig({ policy: { overflow: { 'max-wait': ['12345'] } } }));
    h.call('c1');
    h.advanceS(300);

    expect(record(h, 'c1')).toMatchObject({
      result: 'overflowed-12345',
      overflowTrigger: 'max-wait',
      endedAt: at(300),
      waitMs: 300 * SEC,
      hungUpBy: null,
      seatId: null,
    });
  });

  it('when the call overflows to a callback request on maximum wait, should be callback with the trigger', () => {
    const h = oneBusySeat();
    h.call('c1');
    h.advanceS(300);

    expect(record(h, 'c1')).toMatchObject({ result: 'callback', overflowTrigger: 'max-wait', endedAt: at(300), hungUpBy: null });
  });

  it('when the call arrives after hours, should be callback with trigger after-hours and no wait', () => {
    const WORKDAY: ServiceCalendar = { periods: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 10 }], holidays: [] };
    const evening = Date.UTC(2026, 10, 23, 20 - 8); // Monday 20:00 in China
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ serviceCalendar: WORKDAY }), start: evening });
    h.readyInOrder('s1');
    h.call('c1');

    expect(record(h, 'c1')).toMatchObject({ result: 'callback', overflowTrigger: 'after-hours', waitMs: 0, offers: 0, endedAt: evening });
  });

  it('when telephony times the call out, should be timed-out, ended by the system', () => {
    const h = oneBusySeat();
    h.call('c1');
    h.advanceS(50);
    h.engine.timedOut('c1');

    expect(record(h, 'c1')).toMatchObject({
      result: 'timed-out',
      hungUpBy: 'system',
      endedAt: at(50),
      waitMs: 50 * SEC,
      overflowTrigger: null,
    });
  });
});

describe('callRecord and the KPIs', () => {
  it('over a mix of finished calls, should agree with KpiAccumulator on answered, ASA, talk and hold', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.readyInOrder('s1', 's2');
    const ids: string[] = [];
    const arrive = (id: string) => {
      ids.push(id);
      h.call(id);
    };
    arrive('a'); // rings s1
    arrive('b'); // rings s2
    h.advanceS(4);
    h.answer('a');
    h.advanceS(2);
    h.answer('b');
    arrive('q1'); // waits
    arrive('q2'); // waits
    h.advanceS(10);
    h.engine.hold('a');
    h.advanceS(7);
    h.engine.resume('a');
    h.advanceS(20);
    h.engine.hangup('a', 'seat'); // s1 to wrap-up
    h.advanceS(9);
    h.engine.hangup('q2', 'caller'); // abandoned after 46 s
    h.engine.hold('b');
    h.advanceS(11);
    h.engine.hangup('b', 'caller'); // open hold ends at hang-up
    h.advanceS(60); // wrap-ups end; q1 rings a freed seat
    h.answer('q1');
    h.advanceS(33);
    h.engine.hangup('q1', 'caller');
    h.advanceS(60);

    const calls = ids.map((id) => h.callById(id));
    const records = calls.map((c) => callRecord(c, h.now()));
    const acc = new KpiAccumulator({ serviceLevelThresholdS: 15, shortAbandonS: 5 });
    for (const c of calls) acc.addCall(c);
    const kpi = acc.summary();
    const answered = records.filter((r) => r.result === 'answered');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length / 1000;

    expect(records.map((r) => r.result)).toEqual(['answered', 'answered', 'answered', 'abandoned-in-queue']);
    expect(kpi.answered).toBe(answered.length);
    expect(kpi.abandoned).toBe(1);
    expect(kpi.asaSeconds).toBeCloseTo(mean(answered.map((r) => r.waitMs)));
    expect(kpi.talkSeconds).toBeCloseTo(mean(answered.map((r) => r.talkMs)));
    expect(kpi.holdSeconds).toBeCloseTo(mean(answered.map((r) => r.holdMs)));
    expect(answered.map((r) => r.holdMs)).toEqual([7 * SEC, 11 * SEC, 0]);
  });
});
