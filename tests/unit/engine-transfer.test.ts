import { describe, expect, it } from 'vitest';
import { CONSULT_HOLD_MS, TRANSFER_PRIORITY } from '../../server/src/domain/engine.js';
import { createHarness, seat, thrown } from './support/engine-harness.js';

/*
 * Transfers (转接): a seat REFERs its caller back to 12348 with a transfer token; the new call
 * names the target (a category's queue or a named seat) and goes ahead of fresh callers.
 * Ring timeout is 20 s in the harness config.
 */

const setup = () => {
  const h = createHarness({
    seats: [seat('a', { labor: 5 }), seat('b', { 'contract-debt': 5 }), seat('c', { 'contract-debt': 4 }), seat('d', { labor: 3 })],
  });
  return h;
};

const transferIn = (h: ReturnType<typeof setup>, id: string, o: { category?: string; target?: string | null; flags?: [] } = {}) =>
  h.engine.offerCall({
    id,
    caller: '13812341234',
    dialed: '12348',
    categoryId: o.category ?? 'contract-debt',
    priority: TRANSFER_PRIORITY,
    transfer: { fromCallId: 'orig', fromSeatId: 'a', targetSeatId: o.target ?? null },
  });

describe('transfers (转接)', () => {
  it('when a call is transferred to a category, should go ahead of callers already waiting there', () => {
    const h = setup();
    h.busy('b', 'c');
    h.call('w1', { category: 'contract-debt' });
    transferIn(h, 't1');

    h.engine.setSeatReady('c');

    expect(h.ringingAt('t1')).toBe('c');
    expect(h.ringingAt('w1')).toBeNull();
    expect(h.events('t1', 'transferred-in')).toEqual([
      expect.objectContaining({ fromCallId: 'orig', fromSeatId: 'a', targetSeatId: null }),
    ]);
  });

  it('when a call is transferred to a named seat that is ready, should ring that seat only, even if another has waited longer', () => {
    const h = setup();
    h.readyInOrder('b', 'c');

    transferIn(h, 't1', { target: 'c' });

    expect(h.ringingAt('t1')).toBe('c');
    expect(h.offers('t1')[0]!.why.rule).toBe('transfer');
  });

  it('when the named seat is busy, should wait for it and not be taken by another ready seat', () => {
    const h = setup();
    h.readyInOrder('b');
    h.busy('c');

    transferIn(h, 't1', { target: 'c' });
    expect(h.state('t1').kind).toBe('queued');

    h.engine.setSeatReady('c');
    expect(h.ringingAt('t1')).toBe('c');
  });

  it('when the named seat does not become free within the ring timeout, should join its category queue', () => {
    const h = setup();
    h.busy('b', 'c');
    transferIn(h, 't1', { target: 'c' });

    h.advanceS(20);
    expect(h.events('t1', 'transfer-fallback')).toEqual([expect.objectContaining({ seatId: 'c' })]);
    h.engine.setSeatReady('b');

    expect(h.ringingAt('t1')).toBe('b');
  });

  it('when the named seat declines, should go to the category queue and not ring that seat again', () => {
    const h = setup();
    h.readyInOrder('b', 'c');
    transferIn(h, 't1', { target: 'c' });

    h.engine.declined('t1', 'c');

    expect(h.ringingAt('t1')).toBe('b');
  });

  it('when the named seat is offline, should go straight to the category queue', () => {
    const h = setup();
    h.readyInOrder('b');

    transferIn(h, 't1', { target: 'c' });

    expect(h.ringingAt('t1')).toBe('b');
    expect(h.events('t1', 'transfer-fallback')).toHaveLength(1);
  });

  it('when a seat is held for a consultation, should get no queue calls but the transfer that names it', () => {
    const h = setup();
    h.readyInOrder('c');
    h.engine.reserveForConsult('c');
    expect(h.seatState('c')).toMatchObject({ kind: 'not-ready', reason: 'consult' });

    h.call('w1', { category: 'contract-debt' });
    expect(h.state('w1').kind).toBe('queued');

    transferIn(h, 't1', { target: 'c' });
    expect(h.ringingAt('t1')).toBe('c');
  });

  it('when a consultation is released, should make the seat ready and give it waiting calls', () => {
    const h = setup();
    h.readyInOrder('c');
    h.engine.reserveForConsult('c');
    h.call('w1', { category: 'contract-debt' });

    h.engine.releaseConsult('c');

    expect(h.ringingAt('w1')).toBe('c');
  });

  it('when a consultation is never completed nor cancelled, should free the seat by itself', () => {
    const h = setup();
    h.readyInOrder('c');
    h.engine.reserveForConsult('c');

    h.clock.advance(CONSULT_HOLD_MS);

    expect(h.seatState('c').kind).toBe('ready');
  });

  it('when the seat to consult is not ready, should refuse with a sentence and change nothing', () => {
    const h = setup();
    h.busy('c');

    const err = thrown(() => h.engine.reserveForConsult('c'));

    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('不能接受咨询转接');
    expect(h.seatState('c')).toMatchObject({ kind: 'not-ready', reason: 'meal' });
  });

  it('when the transferred caller hangs up while waiting for the named seat, should be abandoned', () => {
    const h = setup();
    h.busy('c');
    transferIn(h, 't1', { target: 'c' });

    h.engine.hangup('t1', 'caller');
    h.engine.setSeatReady('c');

    expect(h.state('t1').kind).toBe('abandoned');
    expect(h.seatState('c').kind).toBe('ready');
  });

  it('when the engine restarts with a call waiting for its named seat, should still keep it for that seat', () => {
    const h = setup();
    h.readyInOrder('b');
    h.busy('c');
    transferIn(h, 't1', { target: 'c' });
    const h2 = createHarness({
      seats: [seat('a', { labor: 5 }), seat('b', { 'contract-debt': 5 }), seat('c', { 'contract-debt': 4 }), seat('d', { labor: 3 })],
      clock: h.clock,
    });
    h2.engine.restore(
      [structuredClone(h.callById('t1'))],
      h.engine.listSeats().map((x) => ({ id: x.profile.id, state: x.state, registered: x.registered, missedAt: x.missedAt })),
    );

    expect(h2.state('t1').kind).toBe('queued');
    h2.engine.setSeatReady('c');
    expect(h2.ringingAt('t1')).toBe('c');
  });
});
