import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { SEC, createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * Missed is not forever (issue 10, item 2): a seat that missed or declined a call may be
 * offered it again once it is ready again (a later ready period) and no other seat is free
 * for it. Default: 20 s ring; a first miss makes the seat not-ready for 30 s; 8 offers at most.
 */

describe('re-offering a call to a seat that missed it', () => {
  it('when both seats missed once and one is ready again, should offer the call to it again instead of overflowing', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.advanceS(20); // s1 misses, s2 rings
    h.advanceS(20); // s2 misses at 40 s; s1 is back at 50 s

    h.advanceS(10);

    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.offers('c1').map((o) => o.seatId)).toEqual(['s1', 's2', 's1']);
    expect(h.offers('c1')[2]!.why).toMatchObject({ reoffer: true });
    expect(h.telephony.overflows()).toEqual([]);
  });

  it('when a fresh seat and a seat that missed the call are both ready, should offer the fresh one even if the other idled longer', () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 }), seat('s3', { labor: 5 })],
      config: makeConfig({ missedOffer: { windowS: 3600, steps: [{ autoReadyAfterS: 5 }] } }),
    });
    h.busy('s3');
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.advanceS(20); // s1 misses (back at 25 s), s2 rings until 40 s
    h.advanceS(10);
    h.engine.setSeatReady('s3'); // fresh, idle since 30 s

    h.advanceS(10); // s2 misses at 40 s

    expect(h.ringingAt('c1')).toBe('s3');
    expect(h.offers('c1')[2]!.why.reoffer).toBeUndefined();
  });

  it('when the fresh seat misses too, should go back to the seat that is ready again', () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })],
      config: makeConfig({ missedOffer: { windowS: 3600, steps: [{ autoReadyAfterS: 5 }] } }),
    });
    h.readyInOrder('s1', 's2');
    h.call('c1');
    h.advanceS(20); // s1 misses, back at 25 s; s2 rings

    h.advanceS(20); // s2 misses at 40 s

    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.offers('c1')[2]!.why).toMatchObject({ rule: 'skill', reoffer: true });
  });

  it('when a seat declined and stayed ready, should not ring it again for that call', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');

    h.engine.declined('c1', 's1');
    h.advanceS(100);

    expect(h.offers('c1')).toHaveLength(1);
  });

  it('when a seat that declined goes not-ready and ready again, should be offered the call again', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.engine.declined('c1', 's1');
    h.engine.setSeatNotReady('s1', 'rest');
    h.advanceS(5);

    h.engine.setSeatReady('s1');

    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.offers('c1')[1]!.why).toMatchObject({ rule: 'oldest-eligible-call', reoffer: true });
  });

  it('when a seat ready again has a newer call it never missed, should take that one first', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(1);
    h.call('c2');
    h.advanceS(19); // s1 misses c1

    h.advanceS(30); // s1 ready again

    expect(h.ringingAt('c2')).toBe('s1');
    expect(h.state('c1').kind).toBe('queued');
  });
});

describe('the offer cap and the branch budget still hold on re-offers', () => {
  it('when the re-offer reaches maxOfferAttempts and is missed, should overflow as offers-exhausted', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ maxOfferAttempts: 2 }) });
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(20); // miss 1
    h.advanceS(30); // ready again: offer 2

    h.advanceS(20); // miss 2

    expect(h.offers('c1')).toHaveLength(2);
    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
  });

  it('when the telephony branch budget is spent, should not re-offer but overflow as offers-exhausted', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.readyInOrder('s1');
    h.call('c1', { offerBudget: 1 });

    h.advanceS(20);
    h.advanceS(30);

    expect(h.offers('c1')).toHaveLength(1);
    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
    expect(h.telephony.rings()).toEqual(['c1->s1']);
  });

  it('when a seat keeps missing, should stop at the cap (8 by default) counting every re-offer', () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 })],
      config: makeConfig({ missedOffer: { windowS: 3600, steps: [{ autoReadyAfterS: 1 }] } }),
    });
    h.readyInOrder('s1');
    h.call('c1');

    h.advanceS(8 * 21);

    expect(h.offers('c1')).toHaveLength(8);
    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
  });
});

describe('re-offers across a restart', () => {
  it('when the engine restarts while a seat that missed the call is not-ready, should re-offer the call once that seat is ready again', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(20); // s1 misses: not-ready until 50 s
    const snap = h.memory.snapshot();
    const h2 = createHarness({
      seats: h.engine.listSeats().map((s) => s.profile),
      config: h.engine.config,
      store: h.store,
      clock: new VirtualClock(h.now() + 5 * SEC),
    });
    h2.engine.restore(snap.calls, snap.seats);

    h2.advanceS(25); // 50 s: s1's missed-offer pause ends

    expect(h2.ringingAt('c1')).toBe('s1');
    expect(h2.offers('c1').at(-1)!.why.reoffer).toBe(true);
  });
});
