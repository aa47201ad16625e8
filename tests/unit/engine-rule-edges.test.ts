import { describe, expect, it } from 'vitest';
import { SEC, createHarness, makeConfig, seat } from './support/engine-harness.js';

const closed = { periods: [], holidays: [] };

describe('edges of the routing rules', () => {
  // Issue 10 ("missed is not forever"): this call used to overflow as no-seat at the ring timeout.
  it('when the only skilled seat has missed a call, the call should wait and be offered to it again once it is ready again', () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 })],
      config: makeConfig({ policy: { generalAfterS: null, cityAfterS: null } }),
    });
    h.readyInOrder('s1');
    h.call('c1');
    h.advanceS(20); // ring timeout: s1 not-ready (missed) for 30 s

    expect(h.state('c1').kind).toBe('queued');
    h.advanceS(30);
    expect(h.ringingAt('c1')).toBe('s1');
    expect(h.offers('c1')[1]!.why).toMatchObject({ rule: 'oldest-eligible-call', reoffer: true });
  });

  it('when it is after hours and only the city is configured as a target, the call should still queue and be served', () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 })],
      config: makeConfig({ serviceCalendar: closed, policy: { overflow: { 'after-hours': ['city'] } } }),
    });
    h.readyInOrder('s1');
    h.call('c1');

    expect(h.ringingAt('c1')).toBe('s1');
  });

  it('when the telephony side can afford no offer at all, the call should overflow as offers-exhausted without ringing anyone', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.readyInOrder('s1');
    h.call('c1', { offerBudget: 0 });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'offers-exhausted' });
    expect(h.telephony.rings()).toEqual([]);
  });

  it("when the seat that last helped a caller lacks the new call's specialty and the general skill, sticky routing should not apply", () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { medical: 5 })] });
    h.readyInOrder('s1');
    h.call('c1', { caller: '13700000001', category: 'labor' });
    h.serve('c1');
    h.engine.endWrapUp('s1');
    h.readyInOrder('s2');
    h.engine.setSeatNotReady('s1', 'meal');
    h.engine.setSeatReady('s1');
    h.call('c2', { caller: '13700000001', category: 'medical' });

    expect(h.ringingAt('c2')).toBe('s2');
    expect(h.offers('c2')[0]!.why.rule).toBe('skill');
  });

  it("when an admin removes the last seat's skill for a waiting call, the call should overflow as no-seat", () => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 })],
      config: makeConfig({ policy: { generalAfterS: null, cityAfterS: null } }),
    });
    h.busy('s1');
    h.call('c1');
    expect(h.state('c1').kind).toBe('queued');

    h.engine.upsertSeat(seat('s1', { medical: 5 }));

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when the engine is disposed, its pending timers should no longer fire', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('c1');
    h.engine.dispose();
    h.clock.advance(3600 * SEC);

    expect(h.engine.getCall('c1')?.state.kind).toBe('queued');
  });
});
