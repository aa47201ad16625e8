import { describe, expect, it } from 'vitest';
import { SEC, createHarness, makeConfig, seat, thrown } from './support/engine-harness.js';

/* The wrap-up gate: with wrapUp.requireSummary a seat leaves wrap-up only after filing its summary. */

const talking = () => {
  const h = createHarness({
    seats: [seat('s1', { labor: 5 })],
    config: makeConfig({ wrapUp: { seconds: 60, extendS: 60, maxExtensions: 3, requireSummary: true } }),
  });
  h.readyInOrder('s1');
  h.call('c1');
  h.answer('c1');
  h.advanceS(30);
  return h;
};

describe('wrap-up summary gate (小结必填)', () => {
  it('when the wrap-up time runs out with no summary, should keep the seat in wrap-up (overdue)', () => {
    const h = talking();
    h.engine.hangup('c1', 'caller');

    h.clock.advance(61 * SEC);

    expect(h.seatState('s1').kind).toBe('wrap-up');
    expect(h.state('c1').kind).toBe('wrap-up');
  });

  it.each([
    ['end wrap-up', (h: ReturnType<typeof talking>) => h.engine.endWrapUp('s1')],
    ['go ready', (h: ReturnType<typeof talking>) => h.engine.setSeatReady('s1')],
    ['go not-ready', (h: ReturnType<typeof talking>) => h.engine.setSeatNotReady('s1', 'meal')],
    ['sign off', (h: ReturnType<typeof talking>) => h.engine.setSeatOffline('s1', { bySeat: true })],
  ])('when the seat asks to %s without a summary, should refuse with a sentence and keep the wrap-up', (_name, act) => {
    const h = talking();
    h.engine.hangup('c1', 'seat');

    const err = thrown(() => act(h));

    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('小结');
    expect(h.seatState('s1').kind).toBe('wrap-up');
  });

  it('when the summary is filed after the time ran out, should make the seat ready at once', () => {
    const h = talking();
    h.engine.hangup('c1', 'caller');
    h.clock.advance(90 * SEC);

    h.engine.summaryFiled('c1', 's1');

    expect(h.seatState('s1').kind).toBe('ready');
    expect(h.events('c1', 'summary-filed')).toHaveLength(1);
  });

  it('when the summary is filed during the call, should let the wrap-up run its time and then end it', () => {
    const h = talking();
    h.engine.summaryFiled('c1', 's1');
    h.engine.hangup('c1', 'caller');

    expect(h.seatState('s1').kind).toBe('wrap-up');
    h.clock.advance(60 * SEC);
    expect(h.seatState('s1').kind).toBe('ready');
  });

  it('when the summary is filed, should let the seat end wrap-up early', () => {
    const h = talking();
    h.engine.hangup('c1', 'caller');
    h.engine.summaryFiled('c1', 's1');

    expect(h.engine.endWrapUp('s1').state.kind).toBe('ready');
  });

  it('when the console is gone for good, should let the system sign the seat off without a summary', () => {
    const h = talking();
    h.engine.hangup('c1', 'caller');

    expect(h.engine.setSeatOffline('s1').state.kind).toBe('offline');
  });

  it('when a summary names a call the engine no longer holds, should change nothing', () => {
    const h = talking();
    expect(h.engine.summaryFiled('gone', 's1')).toBeUndefined();
    expect(h.seatState('s1').kind).toBe('talking');
  });
});
