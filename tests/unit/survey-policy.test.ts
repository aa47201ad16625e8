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

function service(policy: SurveyPolicy, o: { known?: boolean; connected?: boolean } = {}) {
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
  return { s, armed, rated, answer, hangUp };
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
