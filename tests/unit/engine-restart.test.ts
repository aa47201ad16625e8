import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { SEC, T0, createHarness, makeConfig, seat, type EngineHarness } from './support/engine-harness.js';

/**
 * A restart: a new engine on a new clock (the old process and its timers are gone),
 * the same durable store, and the state read back from MemoryEngineStore.snapshot().
 */
function restart(before: EngineHarness, downtimeS = 0): EngineHarness {
  const snap = before.memory.snapshot();
  const after = createHarness({
    seats: before.engine.listSeats().map((s) => s.profile),
    config: before.engine.config,
    store: before.store,
    clock: new VirtualClock(before.now() + downtimeS * SEC),
  });
  after.engine.restore(snap.calls, snap.seats);
  return after;
}

const threeSeats = () =>
  createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 }), seat('s3', { labor: 5 }), seat('low', { labor: 2 })] });

describe('restart with calls queued', () => {
  it('when the engine restarts, should keep the waiting calls in priority and enqueue order', () => {
    const h = threeSeats();
    h.busy('s1', 's2', 's3');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');
    h.advanceS(1);
    h.call('old', { flags: ['elderly'] });
    const h2 = restart(h, 5);

    h2.readyInOrder('s1', 's2', 's3');

    expect(h2.telephony.rings()).toEqual(['old->s1', 'c1->s2', 'c2->s3']);
  });

  it('when a new call arrives after the restart, should queue behind the restored calls', () => {
    const h = threeSeats();
    h.busy('s1', 's2', 's3');
    h.call('c1');
    const h2 = restart(h, 5);
    h2.call('c2');

    h2.engine.setSeatReady('s1');

    expect(h2.ringingAt('c1')).toBe('s1');
    expect(h2.state('c2').kind).toBe('queued');
  });

  it('when the engine restarts, should keep the idle order of ready seats', () => {
    const h = threeSeats();
    h.readyInOrder('s2', 's1');
    const h2 = restart(h, 5);

    h2.call('c1');

    expect(h2.ringingAt('c1')).toBe('s2');
  });

  it('when an expansion step falls after the restart, should fire at the original time counted from enqueue', () => {
    const h = threeSeats();
    h.busy('s1');
    h.readyInOrder('low');
    h.call('c1'); // enqueued at T0 + 0
    h.advanceS(5);
    const h2 = restart(h, 3); // back at T0 + 8 s

    h2.clock.advanceTo(T0 + 20 * SEC - 1);
    const before = h2.state('c1').kind;
    h2.clock.advanceTo(T0 + 20 * SEC);

    expect(before).toBe('queued');
    expect(h2.ringingAt('c1')).toBe('low');
    expect(h2.events('c1', 'expanded')).toEqual([{ type: 'expanded', at: T0 + 20 * SEC, step: 1 }]);
  });

  it('when an expansion step passed during the downtime, should route the call as soon as the engine is back', () => {
    const h = threeSeats();
    h.busy('s1');
    h.readyInOrder('low');
    h.call('c1');
    h.advanceS(10);

    const h2 = restart(h, 15); // back at T0 + 25 s

    expect(h2.ringingAt('c1')).toBe('low');
    expect(h2.offers('c1')[0]!.why).toMatchObject({ rule: 'expanded-proficiency', step: 1 });
  });

  it('when the maximum wait falls after the restart, should overflow at the original deadline', () => {
    const h = threeSeats();
    h.busy('s1');
    h.call('c1');
    h.advanceS(100);
    const h2 = restart(h, 50);

    h2.clock.advanceTo(T0 + 300 * SEC);

    expect(h2.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'max-wait', since: T0 + 300 * SEC });
    expect(h2.telephony.overflows()).toMatchObject([{ callId: 'c1', at: T0 + 300 * SEC }]);
  });

  it('when a seat was in wrap-up, should end it at the original time and serve the next call', () => {
    const h = threeSeats();
    h.readyInOrder('s1');
    h.call('c1');
    h.serve('c1', 30);
    const until = h.now() + 60 * SEC;
    h.call('c2');
    h.advanceS(10);
    const h2 = restart(h, 10);

    h2.clock.advanceTo(until);

    expect(h2.state('c1')).toMatchObject({ kind: 'ended', since: until });
    expect(h2.ringingAt('c2')).toBe('s1');
  });

  it('when a call was ringing, should time the ring out at the original time and offer the next seat', () => {
    const h = threeSeats();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    const offeredAt = h.now();
    h.advanceS(5);
    const h2 = restart(h, 5);

    h2.clock.advanceTo(offeredAt + 20 * SEC - 1);
    const before = h2.ringingAt('c1');
    h2.clock.advanceTo(offeredAt + 20 * SEC);

    expect(before).toBe('s1');
    expect(h2.ringingAt('c1')).toBe('s2');
    expect(h2.seatState('s1')).toMatchObject({ kind: 'not-ready', reason: 'missed' });
  });

  it('when a call was ringing, should accept the answer after the restart', () => {
    const h = threeSeats();
    h.readyInOrder('s1');
    h.call('c1');
    const h2 = restart(h, 2);

    h2.engine.answered('c1', 's1');

    expect(h2.state('c1')).toMatchObject({ kind: 'talking', seatId: 's1' });
    expect(h2.seatState('s1').kind).toBe('talking');
  });

  it('when a call was ringing across an expansion step, should still record the expansion at its time', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ ringTimeoutS: 30 }) });
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(5);
    const h2 = restart(h, 5);

    h2.clock.advanceTo(T0 + 25 * SEC);

    expect(h2.events('c1', 'expanded')).toEqual([{ type: 'expanded', at: T0 + 20 * SEC, step: 1 }]);
  });

  it('when a seat was not-ready after a miss, should come back ready at the original time', () => {
    const h = threeSeats();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(20); // s1 misses; back at +30 s
    const backAt = h.now() + 30 * SEC;
    h.engine.hangup('c1', 'caller');
    const h2 = restart(h, 10);

    h2.clock.advanceTo(backAt);

    expect(h2.seatState('s1')).toEqual({ kind: 'ready', since: backAt });
  });

  it('when a seat had missed an offer before the restart, should count the next miss as its second', () => {
    const h = threeSeats();
    h.busy('s2', 's3');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(20);
    h.engine.hangup('c1', 'caller');
    const h2 = restart(h, 10);
    h2.engine.setSeatReady('s1');
    h2.call('c2');

    h2.advanceS(20);

    expect(h2.seatState('s1')).toMatchObject({ reason: 'missed', autoReadyAt: h2.now() + 300 * SEC });
  });
});
