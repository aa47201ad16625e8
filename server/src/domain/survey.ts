import type { Clock, TimerHandle } from './clock.js';

/**
 * The post-call survey by phone (满意度回访 by keypad), one caller at a time: the caller hears the
 * question, presses a key on the scale; a key off the scale asks again; no key within the wait
 * after the question repeats it once, then the call ends as not rated; every ending thanks the
 * caller before the call is hung up. Pure: the prompts, the rating and the hang-up are effects
 * the telephony side performs (telephony/survey-call.ts), time is the injected clock.
 */
export type SurveyPrompt = 'question' | 'invalid' | 'thanks';

export interface SurveyRules {
  /** The keypad digit → the score it means (e.g. 1 非常满意 … 4 不满意). */
  keys: Readonly<Record<string, number>>;
  /** How long after the question has played the caller may still answer. */
  noInputMs: number;
  /** The question is repeated this many times when no key comes (then: not rated). */
  noInputRepeats: number;
  /** Keys off the scale asked again this many times (then: not rated). */
  invalidRepeats: number;
}

export const DEFAULT_SURVEY_RULES: SurveyRules = {
  keys: { '1': 1, '2': 2, '3': 3, '4': 4 },
  noInputMs: 5000,
  noInputRepeats: 1,
  invalidRepeats: 2,
};

export interface SurveyEffects {
  /** Play this prompt to the caller (replacing any prompt playing); answer with played(). */
  play(prompt: SurveyPrompt): void;
  /** The survey's outcome: a score, or null for not rated. Called once. */
  rate(score: number | null): void;
  /** Hang up on the caller. Called once, after the thanks. */
  end(): void;
}

export type SurveyState =
  | { kind: 'asking'; noInput: number; invalid: number; playing: SurveyPrompt }
  | { kind: 'thanking'; score: number | null }
  | { kind: 'done'; score: number | null; by: 'survey' | 'caller' };

export class SurveyMachine {
  private s: SurveyState = { kind: 'asking', noInput: 0, invalid: 0, playing: 'question' };
  private timer: TimerHandle | null = null;
  private rated = false;

  constructor(
    private readonly rules: SurveyRules,
    private readonly clock: Clock,
    private readonly fx: SurveyEffects,
  ) {}

  get state(): SurveyState {
    return this.s;
  }

  start(): void {
    this.fx.play('question');
  }

  /**
   * A prompt has started; durationMs is how long it lasts (null: unknown, or it could not be
   * played). After the question the wait for a key starts when it ends; after the thanks, the
   * hang-up.
   */
  played(prompt: SurveyPrompt, durationMs: number | null): void {
    const ms = Math.max(0, durationMs ?? 0);
    if (this.s.kind === 'asking' && prompt === this.s.playing) {
      // (the invalid-key prompt says so and asks the question again)
      this.wait(ms + this.rules.noInputMs, () => this.noInput());
    } else if (this.s.kind === 'thanking' && prompt === 'thanks') {
      this.wait(ms, () => this.finish());
    }
  }

  digit(d: string): void {
    if (this.s.kind !== 'asking') return;
    const score = this.rules.keys[d];
    if (score !== undefined) {
      this.thank(score);
      return;
    }
    if (this.s.invalid >= this.rules.invalidRepeats) {
      this.thank(null);
      return;
    }
    this.s = { ...this.s, invalid: this.s.invalid + 1, playing: 'invalid' };
    this.clear();
    this.fx.play('invalid');
  }

  /** The caller hung up: not rated unless a key was pressed already. */
  hungUp(): void {
    if (this.s.kind === 'done') return;
    this.clear();
    const score = this.s.kind === 'thanking' ? this.s.score : null;
    this.rate(score);
    this.s = { kind: 'done', score, by: 'caller' };
  }

  private noInput(): void {
    if (this.s.kind !== 'asking') return;
    if (this.s.noInput >= this.rules.noInputRepeats) {
      this.thank(null);
      return;
    }
    this.s = { ...this.s, noInput: this.s.noInput + 1, playing: 'question' };
    this.fx.play('question');
  }

  private thank(score: number | null): void {
    this.clear();
    this.rate(score);
    this.s = { kind: 'thanking', score };
    this.fx.play('thanks');
  }

  private finish(): void {
    if (this.s.kind !== 'thanking') return;
    this.s = { kind: 'done', score: this.s.score, by: 'survey' };
    this.fx.end();
  }

  private rate(score: number | null): void {
    if (this.rated) return;
    this.rated = true;
    this.fx.rate(score);
  }

  private wait(ms: number, fn: () => void): void {
    this.clear();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  private clear(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Reads a scale like "1=1,2=2,3=3,4=4" (digit=score); throws on anything else. */
export function parseSurveyKeys(text: string, scores: readonly number[]): Record<string, number> {
  const keys: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([0-9*#])=(\d+)$/.exec(part);
    if (!m || !scores.includes(Number(m[2])))
      throw new Error(`survey key "${part}": expected digit=score with a score of ${scores.join('/')}`);
    if (m[1]! in keys) throw new Error(`survey key ${m[1]} given twice`);
    keys[m[1]!] = Number(m[2]);
  }
  return keys;
}
