import { describe, expect, it } from 'vitest';
import { SEC, createHarness, makeConfig, seat, thrown } from './support/engine-harness.js';

/* Default wrap-up: 60 s, extended by 60 s at a time, at most 3 times. */

const setup = (config = makeConfig()) => {
  const h = createHarness({ seats: [seat('s1', { labor: 5 })], config });
  h.readyInOrder('s1');
  h.call('c1');
  h.serve('c1', 90);
  return h;
};

describe('wrap-up (话后整理)', () => {
  it('when a call is hung up, should put the seat in wrap-up until wrapUp.seconds later', () => {
    const h = setup();

    expect(h.seatState('s1')).toEqual({ kind: 'wrap-up', since: h.now(), callId: 'c1', until: h.now() + 60 * SEC, extensions: 0 });
  });

  it('when the wrap-up time is not over, should keep the seat in wrap-up', () => {
    const h = setup();

    h.clock.advance(60 * SEC - 1);

    expect(h.seatState('s1').kind).toBe('wrap-up');
  });

  it('when the wrap-up time is over, should make the seat ready and end the call', () => {
    const h = setup();
    const hungUpAt = h.now();

    h.advanceS(60);

    expect(h.seatState('s1')).toEqual({ kind: 'ready', since: hungUpAt + 60 * SEC });
    expect(h.state('c1')).toEqual({ kind: 'ended', since: hungUpAt + 60 * SEC, seatId: 's1' });
    expect(h.events('c1', 'wrap-up-ended')).toEqual([{ type: 'wrap-up-ended', at: hungUpAt + 60 * SEC, seatId: 's1' }]);
  });

  it('when the seat extends its wrap-up, should push the end by extendS', () => {
    const h = setup();
    const until = h.now() + 60 * SEC;
    h.advanceS(50);

    h.engine.extendWrapUp('s1');

    expect(h.seatState('s1')).toMatchObject({ kind: 'wrap-up', until: until + 60 * SEC, extensions: 1 });
  });

  it('when the wrap-up was extended, should still be in wrap-up after the original end', () => {
    const h = setup();
    h.engine.extendWrapUp('s1');

    h.advanceS(119);

    expect(h.seatState('s1').kind).toBe('wrap-up');
  });

  it('when the extended wrap-up is over, should make the seat ready', () => {
    const h = setup();
    h.engine.extendWrapUp('s1');

    h.advanceS(120);

    expect(h.seatState('s1').kind).toBe('ready');
  });

  it('when the seat extends more than maxExtensions times, should refuse with a sentence saying what to do', () => {
    const h = setup();
    for (let i = 0; i < 3; i++) h.engine.extendWrapUp('s1');

    const err = thrown(() => h.engine.extendWrapUp('s1'));

    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe('话后整理最多延长 3 次,请完成小结或切换为示忙。');
    expect(h.seatState('s1')).toMatchObject({ extensions: 3 });
  });

  it('when the seat ends wrap-up early, should be ready at once', () => {
    const h = setup();
    h.advanceS(10);

    h.engine.endWrapUp('s1');

    expect(h.seatState('s1')).toEqual({ kind: 'ready', since: h.now() });
    expect(h.state('c1').kind).toBe('ended');
  });

  it('when the seat ends wrap-up early and a call is waiting, should offer it that call immediately', () => {
    const h = setup();
    h.call('c2');
    h.advanceS(10);

    h.engine.endWrapUp('s1');

    expect(h.ringingAt('c2')).toBe('s1');
    expect(h.offers('c2')[0]!.at).toBe(h.now());
  });

  it('when the wrap-up time runs out and a call is waiting, should offer it that call', () => {
    const h = setup();
    h.call('c2');

    h.advanceS(60);

    expect(h.ringingAt('c2')).toBe('s1');
  });

  it('when a seat goes ready through setSeatReady during wrap-up, should end the wrap-up like endWrapUp', () => {
    const h = setup();

    h.engine.setSeatReady('s1');

    expect(h.seatState('s1').kind).toBe('ready');
    expect(h.state('c1').kind).toBe('ended');
  });

  it('when a seat goes not-ready during wrap-up, should end the call and not come back ready at the old end', () => {
    const h = setup();

    h.engine.setSeatNotReady('s1', 'meal');
    h.advanceS(120);

    expect(h.state('c1').kind).toBe('ended');
    expect(h.seatState('s1')).toMatchObject({ kind: 'not-ready', reason: 'meal' });
  });

  it('when a seat ended wrap-up early, should not be moved again by the stale wrap-up timer', () => {
    const h = setup();
    h.engine.endWrapUp('s1');
    const since = h.seatState('s1').since;

    h.advanceS(120);

    expect(h.seatState('s1')).toEqual({ kind: 'ready', since });
  });

  it('when wrapUp.seconds is 0, should make the seat ready as soon as time moves', () => {
    const h = setup(makeConfig({ wrapUp: { seconds: 0, extendS: 60, maxExtensions: 3, requireSummary: false } }));

    h.clock.advance(0);

    expect(h.seatState('s1').kind).toBe('ready');
  });
});
