import { describe, expect, it } from 'vitest';
import { SEC, createHarness, makeConfig, seat, type HarnessOptions } from './support/engine-harness.js';

/* Default: 20 s ring; missed-offer steps 30 s, 300 s, stay not-ready, within a 3600 s window; 8 offers at most. */

const setup = (o: Partial<HarnessOptions> = {}) =>
  createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 }), seat('s3', { labor: 5 })], ...o });

describe('ring no-answer', () => {
  it('when the seat lets the offer ring out, should offer the call to the next seat', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.advanceS(20);

    expect(h.ringingAt('c1')).toBe('s2');
    expect(h.offers('c1').map((o) => [o.seatId, o.attempt])).toEqual([
      ['s1', 1],
      ['s2', 2],
    ]);
  });

  it('when the ring times out, should tell telephony to stop ringing the first seat before ringing the next', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.advanceS(20);

    expect(h.telephony.actions.map((a) => `${a.kind} ${'seatId' in a ? a.seatId : ''}`)).toEqual(['ring s1', 'cancel-ring s1', 'ring s2']);
  });

  it('when the ring times out, should record the timeout with seat and attempt', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.busy('s2');
    h.call('c1');

    h.advanceS(20);

    expect(h.events('c1', 'ring-timeout')).toEqual([{ type: 'ring-timeout', at: h.now(), seatId: 's1', attempt: 1 }]);
    expect(h.state('c1').kind).toBe('queued');
  });

  it('when a missed call goes back to the queue, should keep its place ahead of calls that came later', () => {
    const h = setup();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(5);
    h.call('c2');
    h.advanceS(15); // c1 rings out at s1

    h.engine.setSeatReady('s2');

    expect(h.ringingAt('c1')).toBe('s2');
    expect(h.state('c2').kind).toBe('queued');
  });

  it('when the engine ring timer is due, should wait ringGraceMs more before declaring no answer', () => {
    const h = setup({ ringGraceMs: 2000 });
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.advanceS(21);
    const during = h.ringingAt('c1');
    h.advanceS(1);

    expect(during).toBe('s1');
    expect(h.ringingAt('c1')).toBe('s2');
  });

  it('when telephony reports the ring timeout itself, should move on at once', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.advanceS(3);

    h.engine.ringTimeout('c1', 's1');

    expect(h.ringingAt('c1')).toBe('s2');
  });

  it('when a ring timeout names an earlier attempt, should ignore it as stale', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.engine.ringTimeout('c1', 's1', 7);

    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.seatState('s1').kind).toBe('ringing');
  });

  it('when a ring timeout names a seat the call is not ringing at, should ignore it', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.engine.ringTimeout('c1', 's2');

    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.seatState('s2').kind).toBe('ready');
  });
});

describe('missed-offer policy (graduated)', () => {
  /** s1 misses `n` calls in a row, `gapS` apart (it is made ready again by hand between misses). */
  const missCalls = (n: number, gapS = 60) => {
    const h = setup({ config: makeConfig({ ringTimeoutS: 10 }) });
    h.busy('s2');
    for (let i = 1; i <= n; i++) {
      if (i > 1) h.advanceS(gapS);
      h.engine.setSeatReady('s1');
      h.call(`c${i}`);
      h.advanceS(10);
      h.engine.hangup(`c${i}`, 'caller'); // the caller gives up; s1 stays not-ready
    }
    return h;
  };

  it('when a seat misses an offer, should go not-ready with the reason missed', () => {
    const h = missCalls(1);

    expect(h.seatState('s1')).toEqual({ kind: 'not-ready', since: h.now(), reason: 'missed', autoReadyAt: h.now() + 30 * SEC });
  });

  it('when a seat misses its first offer, should still be not-ready just before steps[0]', () => {
    const h = missCalls(1);

    h.clock.advance(30 * SEC - 1);

    expect(h.seatState('s1').kind).toBe('not-ready');
  });

  it('when a seat misses its first offer, should become ready after steps[0]', () => {
    const h = missCalls(1);
    const missedAt = h.now();

    h.advanceS(30);

    expect(h.seatState('s1')).toEqual({ kind: 'ready', since: missedAt + 30 * SEC });
  });

  it('when a seat misses a second offer within the window, should become ready only after steps[1]', () => {
    const h = missCalls(2);

    h.advanceS(299);
    const before = h.seatState('s1').kind;
    h.advanceS(1);

    expect(before).toBe('not-ready');
    expect(h.seatState('s1').kind).toBe('ready');
  });

  it('when a seat misses a third offer within the window, should stay not-ready until it acts', () => {
    const h = missCalls(3);

    h.advanceS(24 * 3600);

    expect(h.seatState('s1')).toMatchObject({ kind: 'not-ready', reason: 'missed', autoReadyAt: null });
  });

  it('when the earlier miss is outside the window, should count the new miss as a first one', () => {
    const h = missCalls(2, 3600);

    expect(h.seatState('s1')).toMatchObject({ autoReadyAt: h.now() + 30 * SEC });
    expect(h.engine.getSeat('s1').missedAt).toEqual([h.now()]);
  });

  it('when a missed seat comes back, should be offered a newer waiting call but not the one it missed', () => {
    const h = setup();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');
    h.advanceS(19); // s1 misses c1

    h.advanceS(30); // s1 back to ready

    expect(h.ringingAt('c2')).toBe('s1');
    expect(h.state('c1').kind).toBe('queued');
  });

  it('when a seat declines, should not count it as a miss', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.engine.declined('c1', 's1');

    expect(h.seatState('s1').kind).toBe('ready');
    expect(h.engine.getSeat('s1').missedAt).toEqual([]);
  });
});

describe('offer attempts cap', () => {
  it('when a call reaches maxOfferAttempts, should overflow it with trigger offers-exhausted', () => {
    const h = setup({ config: makeConfig({ maxOfferAttempts: 2 }) });
    h.readyInOrder('s1', 's2', 's3');
    h.call('c1');

    h.advanceS(40);

    expect(h.state('c1')).toEqual({ kind: 'overflowed', since: h.now(), target: 'callback', trigger: 'offers-exhausted' });
    expect(h.telephony.rings()).toEqual(['c1->s1', 'c1->s2']);
    expect(h.telephony.overflows()).toMatchObject([{ callId: 'c1', target: 'callback', trigger: 'offers-exhausted' }]);
  });

  it('when telephony gives a smaller offer budget than the config, should stop at the budget', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');

    h.call('c1', { offerBudget: 1 });
    h.advanceS(20);

    expect(h.callById('c1').maxOffers).toBe(1);
    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
    expect(h.telephony.rings()).toEqual(['c1->s1']);
  });

  it('when offers-exhausted is routed to 12345, should overflow there', () => {
    const h = setup({ config: makeConfig({ maxOfferAttempts: 1, policy: { overflow: { 'offers-exhausted': ['12345'] } } }) });
    h.readyInOrder('s1', 's2');
    h.call('c1');

    h.engine.declined('c1', 's1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: '12345', trigger: 'offers-exhausted' });
  });

  it('when the offers run out, should leave the seats that missed not-ready and the others ready', () => {
    const h = setup({ config: makeConfig({ maxOfferAttempts: 2 }) });
    h.readyInOrder('s1', 's2', 's3');
    h.call('c1');

    h.advanceS(40);

    expect(['s1', 's2', 's3'].map((s) => h.seatState(s).kind)).toEqual(['not-ready', 'not-ready', 'ready']);
  });
});

describe('declined offers', () => {
  it('when a seat declines, should offer the call to the next seat at once keeping its enqueue time', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    const enqueuedAt = h.now();
    h.advanceS(4);

    h.engine.declined('c1', 's1');

    expect(h.ringingAt('c1')).toBe('s2');
    expect(h.callById('c1').enqueuedAt).toBe(enqueuedAt);
    expect(h.events('c1', 'declined')).toEqual([{ type: 'declined', at: h.now(), seatId: 's1', attempt: 1 }]);
  });

  it('when a seat declines, should cancel its ring', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.busy('s2');
    h.call('c1');

    h.engine.declined('c1', 's1');

    expect(h.telephony.actions.at(-1)).toMatchObject({ kind: 'cancel-ring', callId: 'c1', seatId: 's1' });
  });

  it('when no other seat is ready, should put the call back in the queue and not offer it to the declining seat again', () => {
    const h = setup();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');

    h.engine.declined('c1', 's1');
    h.advanceS(100);

    expect(h.state('c1').kind).toBe('queued');
    expect(h.seatState('s1').kind).toBe('ready');
    expect(h.offers('c1')).toHaveLength(1);
  });

  it('when a seat declined a call and another seat becomes ready, should offer the call to that seat', () => {
    const h = setup();
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.engine.declined('c1', 's1');

    h.engine.setSeatReady('s2');

    expect(h.ringingAt('c1')).toBe('s2');
    expect(h.callById('c1').excludedSeats).toEqual(['s1']);
  });
});
