/**
 * The survey's policy and a seat's choice (server/src/features/satisfaction/survey-service.ts):
 * which answered calls are armed in Kamailio, who may switch a call's survey on or off, and what
 * a seat is told when it may not. The engine and Kamailio are fakes; the rating goes to rate().
 */
import { describe, expect, it } from 'vitest';
import type { SurveyPolicy } from '../../server/src/contract/index.js';
import type { Call } from '../../server/src/domain/call.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { SurveyService } from '../../server/src/features/satisfaction/survey-service.js';

const talking = (id: string, seatId: string) => ({ id, state: { kind: 'talking', since: 0, seatId } }) as unknown as Call;
const wrapUp = (id: string, seatId: string) => ({ id, state: { kind: 'wrap-up', since: 0, seatId, hungUpBy: 'seat' } }) as unknown as Call;

/** reported: what Kamailio's resync said of a call's arming (a call answered before the router restarted). */
function service(policy: SurveyPolicy, o: { known?: boolean; connected?: boolean; reported?: Map<string, boolean> } = {}) {
  const calls = new Map<string, Call>();
  const armed: [string, boolean][] = [];
  const rated: [string, string, number | null][] = [];
  const s = new SurveyService({
    policy,
    arming:
      o.connected === false
        ? null
        : {
            armSurvey: (callId, on) => {
              armed.push([callId, on]);
              return o.known !== false;
            },
            surveyArmed: (callId) => o.reported?.get(callId) ?? null,
          },
    engine: { getCall: (id) => calls.get(id) },
    satisfaction: {
      rate: (callId, source, score) => (rated.push([callId, source, score]), { ratingId: 1, created: true, visitTaskId: null }),
    },
    clock: new VirtualClock(5000),
  });
  const answer = (id: string, seat: string) => {
    const c = talking(id, seat);
    calls.set(id, c);
    s.callChanged(c);
  };
  const hangUp = (id: string, seat: string) => {
    const c = wrapUp(id, seat);
    calls.set(id, c);
    s.callChanged(c);
  };
  /** A talking call put back from the store at start-up: the engine tells no listener. */
  const restore = (id: string, seat: string) => calls.set(id, talking(id, seat));
  return { s, armed, rated, answer, hangUp, restore };
}

describe('the survey policy', () => {
  it('always: every answered call is armed once; the seat sees it on and cannot switch it off', () => {
    const { s, armed, answer } = service('always');
    answer('c1', 's01');
    answer('c1', 's01'); // a later change of the same talking call
    expect(armed).toEqual([['c1', true]]);
    expect(s.view('s01', 'c1')).toEqual({ callId: 'c1', policy: 'always', enabled: true, changeable: false });
    expect(() => s.choose('s01', 'c1', false)).toThrow(/不能关闭/);
  });

  it('never: nothing is armed, and the seat cannot switch it on', () => {
    const { s, armed, answer } = service('never');
    answer('c1', 's01');
    expect(armed).toEqual([]);
    expect(s.view('s01', 'c1')).toMatchObject({ enabled: false, changeable: false });
    expect(() => s.choose('s01', 'c1', true)).toThrow(/不做电话满意度评价/);
  });

  it('seat: on by default; the answering seat switches it off and on again, each change sent to Kamailio', () => {
    const { s, armed, answer } = service('seat');
    answer('c1', 's01');
    expect(s.choose('s01', 'c1', false)).toMatchObject({ enabled: false, changeable: true });
    expect(s.choose('s01', 'c1', true)).toMatchObject({ enabled: true });
    expect(armed).toEqual([
      ['c1', true],
      ['c1', false],
      ['c1', true],
    ]);
  });

  it('another seat, a call not talking, or an unknown call: refused with a clear error', () => {
    const { s, answer, hangUp } = service('seat');
    answer('c1', 's01');
    expect(() => s.choose('s02', 'c1', false)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => s.choose('s01', 'nope', false)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    hangUp('c1', 's01');
    expect(() => s.choose('s01', 'c1', false)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('switching it on for a call Kamailio has no dialog for, or without Kamailio, says it cannot', () => {
    const unknown = service('seat', { known: false });
    unknown.answer('c1', 's01');
    expect(() => unknown.s.choose('s01', 'c1', true)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    const none = service('seat', { connected: false });
    none.answer('c1', 's01');
    expect(() => none.s.choose('s01', 'c1', true)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(none.s.choose('s01', 'c1', false)).toMatchObject({ enabled: false });
  });

  it('switching it off while Kamailio cannot be told (link down) is refused, and the switch still shows on', () => {
    const link = { up: true };
    const call = talking('c1', 's01');
    const s = new SurveyService({
      policy: 'seat',
      arming: { armSurvey: () => link.up, surveyArmed: () => null },
      engine: { getCall: (id) => (id === 'c1' ? call : undefined) },
      satisfaction: { rate: () => ({ ratingId: 1, created: true, visitTaskId: null }) },
      clock: new VirtualClock(5000),
    });
    s.callChanged(call);
    link.up = false;
    expect(() => s.choose('s01', 'c1', false)).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringMatching(/没能关闭满意度评价/) }),
    );
    expect(s.view('s01', 'c1')).toMatchObject({ enabled: true });
    link.up = true;
    expect(s.choose('s01', 'c1', false)).toMatchObject({ enabled: false });
  });

  it('a pending transfer disarms the survey (the caller goes on to another seat); a failed one arms it again', () => {
    const { s, armed, answer } = service('seat');
    answer('c1', 's01');
    s.transferChanged('c1', 'pending');
    expect(s.choose('s01', 'c1', true)).toMatchObject({ enabled: true }); // stays disarmed meanwhile
    s.transferChanged('c1', 'refused');
    answer('c2', 's02');
    s.transferChanged('c2', 'pending');
    s.transferChanged('c2', 'completed');
    expect(armed).toEqual([
      ['c1', true],
      ['c1', false],
      ['c1', false],
      ['c1', true],
      ['c2', true],
      ['c2', false],
    ]);
  });

  it("a call answered before a router restart: the switch shows Kamailio's arming from the resync, and switches both ways", () => {
    const reported = new Map<string, boolean>();
    const { s, armed, answer, restore } = service('seat', { reported });
    restore('on', 's01');
    restore('off', 's02');
    // Before the resync nothing is known: shown off, not remembered.
    expect(s.view('s01', 'on')).toMatchObject({ enabled: false });
    reported.set('on', true).set('off', false);
    expect(s.view('s01', 'on')).toEqual({ callId: 'on', policy: 'seat', enabled: true, changeable: true });
    expect(s.view('s02', 'off')).toMatchObject({ enabled: false });
    // A later change of the call (hold, a category) keeps Kamailio's state: nothing re-armed.
    answer('on', 's01');
    answer('off', 's02');
    expect(armed).toEqual([]);
    expect(s.choose('s01', 'on', false)).toMatchObject({ enabled: false });
    expect(s.choose('s02', 'off', true)).toMatchObject({ enabled: true });
    // The seat's choice holds from then on, whatever the resync said.
    expect(s.view('s01', 'on')).toMatchObject({ enabled: false });
    expect(armed).toEqual([
      ['on', false],
      ['off', true],
    ]);
  });

  it('a call restored at start-up that changes before the resync (no dialog known yet) keeps no choice: the resync’s report is taken', () => {
    const reported = new Map<string, boolean>();
    const { s, armed, answer } = service('seat', { reported, known: false });
    answer('c1', 's01'); // e.g. put on hold before the resync
    expect(armed).toEqual([['c1', true]]);
    expect(s.view('s01', 'c1')).toMatchObject({ enabled: false });
    reported.set('c1', false);
    expect(s.view('s01', 'c1')).toMatchObject({ enabled: false });
    reported.set('c1', true);
    expect(s.view('s01', 'c1')).toMatchObject({ enabled: false }); // taken once, kept
  });

  it('a call answered before a router restart and armed in Kamailio: a pending transfer disarms it, a failed one arms it again', () => {
    const { s, armed, restore } = service('seat', { reported: new Map([['c1', true]]) });
    restore('c1', 's01');
    s.transferChanged('c1', 'pending');
    s.transferChanged('c1', 'cancelled');
    expect(armed).toEqual([
      ['c1', false],
      ['c1', true],
    ]);
  });

  it('the outcome is stored as a phone rating at the clock’s time (null: not rated)', () => {
    const { s, rated } = service('seat');
    s.record('c1', 4);
    s.record('c2', null);
    expect(rated).toEqual([
      ['c1', 'phone', 4],
      ['c2', 'phone', null],
    ]);
  });
});
