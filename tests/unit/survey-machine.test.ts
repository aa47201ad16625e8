/**
 * The post-call survey's rules (server/src/domain/survey.ts) with the virtual clock: a key on the
 * scale rates, one off it asks again, no key repeats the question once then ends not rated,
 * the thanks always comes before the hang-up, and a caller hanging up ends it not rated.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { DEFAULT_SURVEY_RULES, parseSurveyKeys, SurveyMachine, type SurveyPrompt } from '../../server/src/domain/survey.js';

const QUESTION_MS = 8000;
const THANKS_MS = 3000;

function survey(rules = DEFAULT_SURVEY_RULES) {
  const clock = new VirtualClock(1_000_000);
  const log: string[] = [];
  const m = new SurveyMachine(rules, clock, {
    play: (p: SurveyPrompt) => log.push(`play ${p}`),
    rate: (s) => log.push(`rate ${s}`),
    end: () => log.push('end'),
  });
  /** rtpengine's answer to the last play: the prompt's length. */
  const played = (p: SurveyPrompt) => m.played(p, p === 'thanks' ? THANKS_MS : QUESTION_MS);
  return { clock, log, m, played };
}

describe('the survey machine', () => {
  it('a key on the scale is the rating; the caller is thanked, then hung up on once the thanks has played', () => {
    const { clock, log, m, played } = survey();
    m.start();
    played('question');
    clock.advance(2000); // during the question (barge-in)
    m.digit('4');
    expect(log).toEqual(['play question', 'rate 4', 'play thanks']);
    played('thanks');
    clock.advance(THANKS_MS - 1);
    expect(log.at(-1)).toBe('play thanks');
    clock.advance(1);
    expect(log).toEqual(['play question', 'rate 4', 'play thanks', 'end']);
    expect(m.state).toEqual({ kind: 'done', score: 4, by: 'survey' });
  });

  it('a key off the scale asks again; the right key then rates', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    m.digit('9');
    expect(log).toEqual(['play question', 'play invalid']);
    played('invalid');
    clock.advance(QUESTION_MS + 1000);
    m.digit('2');
    played('thanks');
    clock.advance(THANKS_MS);
    expect(log).toEqual(['play question', 'play invalid', 'rate 2', 'play thanks', 'end']);
  });

  it('keys off the scale past the limit end the survey as not rated', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    m.digit('9');
    m.digit('0');
    m.digit('#');
    played('thanks');
    clock.advance(THANKS_MS);
    expect(log).toEqual(['play question', 'play invalid', 'play invalid', 'rate null', 'play thanks', 'end']);
  });

  it('no key: the question is repeated once after the wait, then the call ends as not rated', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    clock.advance(QUESTION_MS + DEFAULT_SURVEY_RULES.noInputMs - 1);
    expect(log).toEqual(['play question']);
    clock.advance(1);
    expect(log).toEqual(['play question', 'play question']);
    played('question');
    clock.advance(QUESTION_MS + DEFAULT_SURVEY_RULES.noInputMs);
    expect(log).toEqual(['play question', 'play question', 'rate null', 'play thanks']);
    played('thanks');
    clock.advance(THANKS_MS);
    expect(log.at(-1)).toBe('end');
    expect(m.state).toEqual({ kind: 'done', score: null, by: 'survey' });
  });

  it('the wait for a key starts when the question has played, not when it started', () => {
    const { log, m, clock } = survey();
    m.start();
    clock.advance(5000); // rtpengine answered late
    m.played('question', QUESTION_MS);
    clock.advance(QUESTION_MS + DEFAULT_SURVEY_RULES.noInputMs - 1);
    expect(log).toEqual(['play question']);
  });

  it('keys after the rating are ignored, and the rating is given once', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    m.digit('1');
    m.digit('4');
    played('thanks');
    clock.advance(THANKS_MS);
    expect(log).toEqual(['play question', 'rate 1', 'play thanks', 'end']);
  });

  it('the caller hanging up before a key is not rated, and nothing more is played or hung up', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    m.hungUp();
    clock.advance(60_000);
    expect(log).toEqual(['play question', 'rate null']);
    expect(m.state).toEqual({ kind: 'done', score: null, by: 'caller' });
  });

  it('the caller hanging up during the thanks keeps the rating given', () => {
    const { log, m, played, clock } = survey();
    m.start();
    played('question');
    m.digit('3');
    played('thanks');
    m.hungUp();
    clock.advance(THANKS_MS);
    expect(log).toEqual(['play question', 'rate 3', 'play thanks']);
    expect(m.state).toEqual({ kind: 'done', score: 3, by: 'caller' });
  });

  it('a prompt rtpengine could not play still leads on (the wait starts at once)', () => {
    const { log, m, clock } = survey();
    m.start();
    m.played('question', null);
    clock.advance(DEFAULT_SURVEY_RULES.noInputMs);
    expect(log).toEqual(['play question', 'play question']);
  });

  it('a configured scale maps other digits', () => {
    const keys = parseSurveyKeys('5=1,4=2,3=3,1=4', [1, 2, 3, 4]);
    const { log, m, played } = survey({ ...DEFAULT_SURVEY_RULES, keys });
    m.start();
    played('question');
    m.digit('5');
    expect(log).toEqual(['play question', 'rate 1', 'play thanks']);
  });

  it('a scale with an unknown score or a digit twice is refused', () => {
    expect(() => parseSurveyKeys('1=1,2=7', [1, 2, 3, 4])).toThrow(/score/);
    expect(() => parseSurveyKeys('1=1,1=2', [1, 2, 3, 4])).toThrow(/twice/);
    expect(() => parseSurveyKeys('x', [1, 2, 3, 4])).toThrow();
  });
});
