import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../server/src/domain/model.js';
import { SEC, T0, createHarness, makeConfig, seat, thrown } from './support/engine-harness.js';

const twoSeats = () => createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });

describe('answer and ring timeout in the same tick', () => {
  it('when the answer is handled first, should make the ring timer a no-op', () => {
    const h = twoSeats();
    h.readyInOrder('s1', 's2');
    // Scheduled before the offer, so at the shared instant it runs before the engine's ring timer.
    h.clock.setTimeout(() => h.engine.answered('c1', 's1'), 20 * SEC);
    h.call('c1');

    h.advanceS(20);

    expect(h.state('c1')).toMatchObject({ kind: 'talking', seatId: 's1' });
    expect(h.events('c1', 'ring-timeout')).toEqual([]);
    expect(h.seatState('s1').kind).toBe('talking');
    expect(h.engine.getSeat('s1').missedAt).toEqual([]);
    expect(h.telephony.rings()).toEqual(['c1->s1']);
  });

  it('when telephony reports the ring timeout after the answer, should ignore it', () => {
    const h = twoSeats();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.engine.answered('c1', 's1');

    h.engine.ringTimeout('c1', 's1', 1);

    expect(h.state('c1')).toMatchObject({ kind: 'talking', seatId: 's1' });
    expect(h.seatState('s2').kind).toBe('ready');
  });

  it('when the ring timer is handled first, should refuse the late answer and leave the call with the next seat', () => {
    const h = twoSeats();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    let lateAnswer: Error & { code?: string } = new Error('the late answer never ran');
    // Scheduled after the offer, so at the shared instant it runs after the engine's ring timer.
    h.clock.setTimeout(() => {
      lateAnswer = thrown(() => h.engine.answered('c1', 's1'));
    }, 20 * SEC);

    h.advanceS(20);

    expect(lateAnswer.code).toBe('INVALID_TRANSITION');
    expect(lateAnswer.message).toMatch(/the answer came too late/);
    expect(h.ringingAt('c1')).toBe('s2');
    expect(h.seatState('s1')).toMatchObject({ kind: 'not-ready', reason: 'missed' });
  });
});

describe('caller abandons while ringing', () => {
  it('when the caller hangs up during the ring, should record an abandon while ringing and stop the ring', () => {
    const h = twoSeats();
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(5);

    h.engine.hangup('c1', 'caller');

    expect(h.state('c1')).toEqual({ kind: 'abandoned', since: h.now(), where: 'ringing' });
    expect(h.telephony.actions.at(-1)).toMatchObject({ kind: 'cancel-ring', callId: 'c1', seatId: 's1' });
  });

  it('when the caller hangs up during the ring, should return the seat to ready keeping its idle position', () => {
    const h = twoSeats();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.advanceS(5);
    h.engine.hangup('c1', 'caller');
    const afterAbandon = h.seatState('s1');

    h.call('c2');

    expect(afterAbandon).toEqual({ kind: 'ready', since: T0 });
    expect(h.ringingAt('c2')).toBe('s1');
  });

  it('when the caller hangs up during the ring, should not count a miss against the seat', () => {
    const h = twoSeats();
    h.readyInOrder('s1');
    h.call('c1');

    h.engine.hangup('c1', 'caller');
    h.advanceS(30);

    expect(h.engine.getSeat('s1').missedAt).toEqual([]);
    expect(h.events('c1', 'ring-timeout')).toEqual([]);
  });

  it('when the caller hangs up during the ring and another call waits, should offer that call to the freed seat', () => {
    const h = twoSeats();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');

    h.engine.hangup('c1', 'caller');

    expect(h.ringingAt('c2')).toBe('s1');
  });
});

describe('other ways a ringing seat is freed', () => {
  it('when a seat declines and another call waits, should offer the declining seat that other call', () => {
    const h = twoSeats();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');

    h.engine.declined('c1', 's1');

    expect(h.ringingAt('c2')).toBe('s1');
    expect(h.state('c1').kind).toBe('queued');
  });

  it('when telephony times out a ringing call and another call waits, should offer the freed seat that call', () => {
    const h = twoSeats();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');

    h.engine.timedOut('c1');

    expect(h.state('c1').kind).toBe('timed-out');
    expect(h.ringingAt('c2')).toBe('s1');
  });
});

describe('two seats freeing at once', () => {
  /** s1 and s2 hang up at the same instant; c3 and c4 wait (c3 first). */
  const setup = () => {
    const h = twoSeats();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.call('c2');
    h.engine.answered('c1', 's1');
    h.engine.answered('c2', 's2');
    h.advanceS(30);
    h.engine.hangup('c1', 'caller');
    h.engine.hangup('c2', 'caller');
    h.call('c3');
    h.advanceS(1);
    h.call('c4');
    return h;
  };

  it('when both wrap-ups end in the same tick, should give each seat a call, oldest to the first freed', () => {
    const h = setup();

    h.advanceS(59);

    expect(h.ringingAt('c3')).toBe('s1');
    expect(h.ringingAt('c4')).toBe('s2');
    expect(h.offers('c3')[0]!.at).toBe(h.offers('c4')[0]!.at);
  });

  it('when both seats end wrap-up by hand in the same tick, should keep FIFO across them', () => {
    const h = setup();

    h.engine.endWrapUp('s2');
    h.engine.endWrapUp('s1');

    expect(h.ringingAt('c3')).toBe('s2');
    expect(h.ringingAt('c4')).toBe('s1');
  });
});

describe('config change while calls wait', () => {
  it('when initialMinProficiency is lowered, should route a waiting call to a seat that now qualifies', () => {
    const h = createHarness({ seats: [seat('expert', { labor: 5 }), seat('mid', { labor: 2 })] });
    h.busy('expert');
    h.readyInOrder('mid');
    h.call('c1');
    h.advanceS(5);

    h.engine.updateConfig(makeConfig({ policy: { initialMinProficiency: 2 } }));

    expect(h.ringingAt('c1')).toBe('mid');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'skill', step: 0, proficiency: 2 });
  });

  it('when a category is removed, should move its waiting calls to general and record it', () => {
    const h = createHarness({ seats: [seat('med', { medical: 5 }), seat('gen', { general: 4 })] });
    h.busy('med');
    h.readyInOrder('gen');
    h.call('c1', { category: 'medical' });
    h.advanceS(5);

    h.engine.updateConfig(makeConfig({ categories: DEFAULT_CATEGORIES.filter((c) => c.id !== 'medical') }));

    expect(h.callById('c1').categoryId).toBe('general');
    expect(h.events('c1', 'recategorized')).toEqual([{ type: 'recategorized', at: h.now(), categoryId: 'general' }]);
    expect(h.ringingAt('c1')).toBe('gen');
  });

  it('when the config changes, should keep the waiting calls in their order', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('a');
    h.advanceS(1);
    h.call('b');
    h.advanceS(1);
    h.call('c');

    h.engine.updateConfig(makeConfig({ ringTimeoutS: 30 }));
    h.engine.setSeatReady('s1');

    expect(h.engine.waitingCalls().map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(h.ringingAt('a')).toBe('s1');
  });

  it('when maxWaitS is lowered below how long a call has waited, should overflow it at once', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('c1');
    h.advanceS(100);

    h.engine.updateConfig(makeConfig({ policy: { maxWaitS: 60 } }));

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'max-wait', since: h.now() });
  });

  it('when an expansion step is shortened, should fire it at the new time counted from enqueue', () => {
    const h = createHarness({ seats: [seat('expert', { labor: 5 }), seat('low', { labor: 1 })] });
    h.busy('expert');
    h.readyInOrder('low');
    h.call('c1');
    h.advanceS(5);

    h.engine.updateConfig(makeConfig({ policy: { lowerProficiencyAfterS: 8 } }));
    h.advanceS(3);

    expect(h.ringingAt('c1')).toBe('low');
    expect(h.offers('c1')[0]!.at).toBe(T0 + 8 * SEC);
  });

  it('when maxOfferAttempts is lowered, should cap the offers of calls already waiting', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.busy('s1', 's2');
    h.call('c1');

    h.engine.updateConfig(makeConfig({ maxOfferAttempts: 1 }));
    h.engine.setSeatReady('s1');
    h.engine.setSeatReady('s2');
    h.advanceS(20);

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
    expect(h.telephony.rings()).toEqual(['c1->s1']);
  });
});
