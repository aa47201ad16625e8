import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/src/domain/errors.js';
import { SEAT_STATE_LABELS, assertSeatMove, canMove, type SeatStateKind } from '../../server/src/domain/seat.js';
import { createHarness, seat, thrown } from './support/engine-harness.js';

const KINDS: SeatStateKind[] = ['offline', 'ready', 'ringing', 'talking', 'wrap-up', 'not-ready'];

const ALLOWED: [SeatStateKind, SeatStateKind][] = [
  ['offline', 'ready'],
  ['offline', 'not-ready'],
  ['ready', 'ringing'],
  ['ready', 'not-ready'],
  ['ready', 'offline'],
  ['ringing', 'talking'],
  ['ringing', 'ready'],
  ['ringing', 'not-ready'],
  ['ringing', 'offline'],
  ['talking', 'wrap-up'],
  ['wrap-up', 'ready'],
  ['wrap-up', 'not-ready'],
  ['wrap-up', 'offline'],
  ['wrap-up', 'wrap-up'],
  ['not-ready', 'ready'],
  ['not-ready', 'not-ready'],
  ['not-ready', 'offline'],
];

const isAllowed = (from: SeatStateKind, to: SeatStateKind) => ALLOWED.some(([f, t]) => f === from && t === to);
const REFUSED = KINDS.flatMap((from) => KINDS.filter((to) => !isAllowed(from, to)).map((to) => [from, to] as const));

describe('seat state machine', () => {
  it.each(ALLOWED)('when a seat moves from %s to %s, should allow it', (from, to) => {
    expect(canMove(from, to)).toBe(true);
    expect(() => assertSeatMove('s1', from, to)).not.toThrow();
  });

  it.each(REFUSED)('when a seat moves from %s to %s, should refuse it with INVALID_TRANSITION', (from, to) => {
    const err = thrown(() => assertSeatMove('s1', from, to));

    expect(canMove(from, to)).toBe(false);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.details).toEqual({ seatId: 's1', from, to });
  });

  it.each([
    ['talking', 'ready', /每通电话结束后都要先进入话后整理/],
    ['talking', 'offline', /通话中不能下线,请先挂断/],
    ['talking', 'not-ready', /通话结束后会先进入话后整理/],
    ['offline', 'ringing', /只有就绪的坐席才能分配来电/],
    ['not-ready', 'ringing', /只有就绪的坐席才能分配来电/],
    ['wrap-up', 'ringing', /仍在话后整理/],
    ['ready', 'talking', /来电须先在坐席振铃才能接听/],
    ['ready', 'wrap-up', /当前没有可整理的通话/],
  ] as const)('when a seat tries %s to %s, should explain what it probably meant', (from, to, hint) => {
    const err = thrown(() => assertSeatMove('s7', from, to));

    expect(err.message).toMatch(`坐席 s7 不能从「${SEAT_STATE_LABELS[from]}」变为「${SEAT_STATE_LABELS[to]}」`);
    expect(err.message).toMatch(hint);
  });

  it('when a move has no specific hint, should list the moves allowed from the current state', () => {
    const err = thrown(() => assertSeatMove('s1', 'offline', 'talking'));

    expect(err.message).toBe('坐席 s1 不能从「离线」变为「通话」:「离线」时只能切换为「就绪」、「示忙」。');
  });
});

describe('engine seat commands', () => {
  const setup = () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });
    return h;
  };

  it('when a talking seat asks to go ready, should refuse and explain that wrap-up comes first', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    const err = thrown(() => h.engine.setSeatReady('s1'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toMatch(/话后整理/);
    expect(h.seatState('s1').kind).toBe('talking');
  });

  it('when a talking seat asks to log out, should refuse and say to hang up first', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    const err = thrown(() => h.engine.setSeatOffline('s1'));

    expect(err.message).toMatch(/请先挂断/);
    expect(h.seatState('s1').kind).toBe('talking');
  });

  it('when a talking seat asks to go not-ready, should refuse it', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    const err = thrown(() => h.engine.setSeatNotReady('s1', 'meal'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(h.seatState('s1').kind).toBe('talking');
  });

  it('when a ringing seat asks to go not-ready, should refuse and say to answer or decline', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');

    const err = thrown(() => h.engine.setSeatNotReady('s1', 'meal'));

    expect(err.message).toMatch(/请先接听或拒接/);
    expect(h.ringingAt('c1')).toBe('s1');
  });

  it('when a ringing seat asks to log out, should refuse and say to answer or decline', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');

    const err = thrown(() => h.engine.setSeatOffline('s1'));

    expect(err.message).toMatch(/请先接听或拒接/);
    expect(h.seatState('s1').kind).toBe('ringing');
  });

  it('when a ringing seat asks to go ready, should refuse it and keep the ring (no second call on one seat)', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.call('c2');

    const err = thrown(() => h.engine.setSeatReady('s1'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(h.seatState('s1')).toMatchObject({ kind: 'ringing', callId: 'c1' });
    expect(h.state('c2').kind).toBe('queued');
  });

  it('when a seat that is already ready asks to go ready, should keep its idle time', () => {
    const h = setup();
    h.readyInOrder('s1');
    const since = h.seatState('s1').since;
    h.advanceS(30);

    h.engine.setSeatReady('s1');

    expect(h.seatState('s1')).toEqual({ kind: 'ready', since });
  });

  it('when a seat not in wrap-up asks to end wrap-up, should refuse it naming its state', () => {
    const h = setup();
    h.readyInOrder('s1');

    const err = thrown(() => h.engine.endWrapUp('s1'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toBe('坐席 s1 不在话后整理中(当前:就绪)。');
  });

  it('when a seat not in wrap-up asks to extend it, should refuse it', () => {
    const h = setup();

    const err = thrown(() => h.engine.extendWrapUp('s1'));

    expect(err.message).toBe('坐席 s1 不在话后整理中(当前:离线),无法延长。');
  });

  it('when an unknown seat is asked for, should answer NOT_FOUND', () => {
    const h = setup();

    const err = thrown(() => h.engine.setSeatReady('nobody'));

    expect(err.code).toBe('NOT_FOUND');
  });

  it('when a seat logs in not-ready, should not be offered a waiting call', () => {
    const h = setup();
    h.busy('s1');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
    expect(h.seatState('s1')).toMatchObject({ kind: 'not-ready', reason: 'meal', autoReadyAt: null });
  });
});
