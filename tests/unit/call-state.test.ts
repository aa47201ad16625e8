import { describe, expect, it } from 'vitest';
import { assertCallMove, isTerminal, type CallStateKind } from '../../server/src/domain/call.js';
import { DomainError } from '../../server/src/domain/errors.js';
import { createHarness, seat, thrown } from './support/engine-harness.js';

const KINDS: CallStateKind[] = ['queued', 'ringing', 'talking', 'wrap-up', 'ended', 'abandoned', 'overflowed', 'timed-out'];
const TERMINAL: CallStateKind[] = ['ended', 'abandoned', 'overflowed', 'timed-out'];

const ALLOWED: [CallStateKind, CallStateKind][] = [
  ['queued', 'ringing'],
  ['queued', 'abandoned'],
  ['queued', 'overflowed'],
  ['queued', 'timed-out'],
  ['ringing', 'talking'],
  ['ringing', 'queued'],
  ['ringing', 'abandoned'],
  ['ringing', 'overflowed'],
  ['ringing', 'timed-out'],
  ['talking', 'wrap-up'],
  ['wrap-up', 'ended'],
];
const isAllowed = (from: CallStateKind, to: CallStateKind) => ALLOWED.some(([f, t]) => f === from && t === to);
const REFUSED = KINDS.flatMap((from) => KINDS.filter((to) => !isAllowed(from, to)).map((to) => [from, to] as const));

describe('call state machine', () => {
  it.each(ALLOWED)('when a call moves from %s to %s, should allow it', (from, to) => {
    expect(() => assertCallMove('c1', from, to)).not.toThrow();
  });

  it.each(REFUSED)('when a call moves from %s to %s, should refuse it with INVALID_TRANSITION', (from, to) => {
    const err = thrown(() => assertCallMove('c1', from, to));

    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.details).toEqual({ callId: 'c1', from, to });
  });

  it.each(TERMINAL)('when a %s call is moved anywhere, should say the call is already over', (from) => {
    const err = thrown(() => assertCallMove('c9', from, 'queued'));

    expect(err.message).toBe(`Call c9 cannot go from ${from} to queued: the call is already over.`);
  });

  it('when a talking call is sent back to the queue, should list the moves allowed from talking', () => {
    const err = thrown(() => assertCallMove('c1', 'talking', 'queued'));

    expect(err.message).toBe('Call c1 cannot go from talking to queued: allowed from talking: wrap-up.');
  });

  it.each(KINDS.map((k) => [k, TERMINAL.includes(k)] as const))('when the state is %s, isTerminal should be %s', (kind, terminal) => {
    expect(isTerminal(kind)).toBe(terminal);
  });
});

describe('engine call commands', () => {
  const setup = () => createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })] });

  it('when a call id is offered twice, should refuse the second with CONFLICT', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');

    const err = thrown(() => h.call('c1'));

    expect(err.code).toBe('CONFLICT');
  });

  it('when a seat answers a call that rings elsewhere, should refuse it as too late', () => {
    const h = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');

    const err = thrown(() => h.engine.answered('c1', 's2'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toBe('Call c1 is not ringing at seat s2 (it is ringing); the answer came too late.');
    expect(h.ringingAt('c1')).toBe('s1');
  });

  it('when a queued call is declined, should refuse it: nothing rings', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');

    const err = thrown(() => h.engine.declined('c1', 's1'));

    expect(err.message).toBe('Call c1 is not ringing at seat s1; nothing to decline.');
  });

  it('when a queued call is put on hold, should refuse it: only a call in progress can be held', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');

    const err = thrown(() => h.engine.hold('c1'));

    expect(err.message).toMatch(/only a call in progress can be put on hold/);
  });

  it('when a talking call is held and resumed, should record both events in order', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    h.engine.hold('c1');
    h.advanceS(10);
    h.engine.resume('c1');

    expect(
      h
        .callById('c1')
        .events.map((e) => e.type)
        .slice(-2),
    ).toEqual(['held', 'resumed']);
  });

  it('when a call in wrap-up is hung up again, should refuse it as already hung up', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.serve('c1');

    const err = thrown(() => h.engine.hangup('c1', 'seat'));

    expect(err.code).toBe('INVALID_TRANSITION');
    expect(err.message).toBe('Call c1 has already been hung up (wrap-up).');
  });

  it('when a finished call is hung up, should answer NOT_FOUND saying it may have ended', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');
    h.engine.hangup('c1', 'caller');

    const err = thrown(() => h.engine.hangup('c1', 'caller'));

    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/it may have ended already/);
  });

  it('when the caller hangs up while queued, should record an abandon in the queue', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');
    h.advanceS(12);

    h.engine.hangup('c1', 'caller');

    expect(h.state('c1')).toEqual({ kind: 'abandoned', since: h.now(), where: 'queue' });
    expect(h.events('c1', 'abandoned')).toEqual([{ type: 'abandoned', at: h.now(), where: 'queue' }]);
  });

  it('when telephony times out a queued call, should end it as timed-out and leave the queue', () => {
    const h = setup();
    h.busy('s1');
    h.call('c1');

    h.engine.timedOut('c1');
    h.engine.setSeatReady('s1');

    expect(h.state('c1').kind).toBe('timed-out');
    expect(h.seatState('s1').kind).toBe('ready');
  });

  it('when the seat hangs up a talking call, should put the call in wrap-up recording who hung up', () => {
    const h = setup();
    h.readyInOrder('s1');
    h.call('c1');
    h.answer('c1');

    h.engine.hangup('c1', 'seat');

    expect(h.state('c1')).toMatchObject({ kind: 'wrap-up', seatId: 's1', hungUpBy: 'seat' });
    expect(h.events('c1', 'hung-up')).toEqual([{ type: 'hung-up', at: h.now(), by: 'seat' }]);
  });
});
