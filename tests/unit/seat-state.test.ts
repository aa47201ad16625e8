import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/src/domain/errors.js';
import { assertSeatMove, canMove, type SeatStateKind } from '../../server/src/domain/seat.js';
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
    ['talking', 'ready', /wrap-up \(话后整理\) after every call/],
    ['talking', 'offline', /cannot log out during a call; hang up first/],
    ['talking', 'not-ready', /wrap-up comes first/],
    ['offline', 'ringing', /only a ready seat can be offered a call/],
    ['not-ready', 'ringing', /only a ready seat can be offered a call/],
    ['wrap-up', 'ringing', /still in wrap-up/],
    ['ready', 'talking', /must ring at the seat before it can be answered/],
    ['ready', 'wrap-up', /there is no call to wrap up/],
  ] as const)('when a seat tries %s to %s, should explain what it probably meant', (from, to, hint) => {
    const err = thrown(() => assertSeatMove('s7', from, to));

    expect(err.message).toMatch(`Seat s7 cannot go from ${from} to ${to}`);
    expect(err.message).toMatch(hint);
  });

  it('when a move has no specific hint, should list the moves allowed from the current state', () => {
    const err = thrown(() => assertSeatMove('s1', 'offline', 'talking'));

    expect(err.message).toBe('Seat s1 cannot go from offline to talking: allowed from offline: ready, not-ready.');
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
    expect(err.message).toMatch(/wrap-up \(话后整理\)/);
    expect(h.seatState('s1').kind).toBe('talking');
  });

  it('when a talking seat asks to log out, should refuse and say to hang up first', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    const err = thrown(() => h.engine.setSeatOffline('s1'));

    expect(err.message).toMatch(/hang up first/);
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

    expect(err.message).toMatch(/answer or decline it first/);
    expect(h.ringingAt('c1')).toBe('s1');
  });

  it('when a ringing seat asks to log out, should refuse and say to answer or decline', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');

    const err = thrown(() => h.engine.setSeatOffline('s1'));

    expect(err.message).toMatch(/answer or decline it first/);
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
    expect(err.message).toBe('Seat s1 is not in wrap-up (it is ready).');
  });

  it('when a seat not in wrap-up asks to extend it, should refuse it', () => {
    const h = setup();

    const err = thrown(() => h.engine.extendWrapUp('s1'));

    expect(err.message).toMatch(/is not in wrap-up \(it is offline\); nothing to extend/);
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
