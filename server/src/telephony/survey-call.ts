import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { SurveyMachine, type SurveyPrompt, type SurveyRules } from '../domain/survey.js';
import type { DtmfDigit, DtmfLog } from './dtmf-log.js';
import { playMedia, type RtpengineNg } from './rtpengine-ng.js';

/** The dialog's tags: the caller's From tag and the seat's To tag. */
export interface DialogTags {
  ftag: string;
  ttag: string;
}

export interface SurveyCallsOptions {
  ng: RtpengineNg;
  dtmf: DtmfLog;
  clock: Clock;
  logger: Logger;
  rules: SurveyRules;
  /** The WAV file of each prompt (sip-config/prompts/). */
  files: Record<SurveyPrompt, string>;
  /** Stores the outcome against the call (score null: not rated). */
  record: (callId: string, score: number | null) => void;
  /** Hangs up on the caller through Kamailio's dialog module. */
  hangUp: (callId: string, tags: DialogTags) => void;
}

interface Running {
  callId: string;
  tags: DialogTags;
  machine: SurveyMachine;
  /** Bumped by every play: a late answer from rtpengine for an older prompt is ignored. */
  play: number;
}

/**
 * The survey's telephony side: the seat has hung up, Kamailio kept the caller (SURVEY_BYE) and
 * the caller's media is still anchored in rtpengine. Prompts are played to the caller with
 * rtpengine's `play media`, the caller's keys come from rtpengine's DTMF log, and the call is
 * ended with the dialog module's BYE to the caller. The rules are the domain's SurveyMachine.
 */
export class SurveyCalls {
  private readonly running = new Map<string, Running>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: SurveyCallsOptions) {
    this.unsubscribe = o.dtmf.subscribe((d) => this.onDigit(d));
  }

  start(callId: string, tags: DialogTags): void {
    if (this.running.has(callId)) return;
    const r: Running = { callId, tags, play: 0, machine: null as unknown as SurveyMachine };
    r.machine = new SurveyMachine(this.o.rules, this.o.clock, {
      play: (prompt) => void this.play(r, prompt),
      rate: (score) => this.record(callId, score),
      end: () => this.o.hangUp(callId, tags),
    });
    this.running.set(callId, r);
    this.o.logger.info({ callId }, 'survey started');
    r.machine.start();
  }

  /** The caller hung up during the survey (Kamailio answered the BYE and deleted the media). */
  callerHungUp(callId: string): void {
    const r = this.running.get(callId);
    if (!r) return;
    r.machine.hungUp();
    this.running.delete(callId);
  }

  /** Kamailio sent the BYE to the caller (or could not: the caller is gone either way). */
  ended(callId: string): void {
    const r = this.running.get(callId);
    if (!r) return;
    this.running.delete(callId);
    void this.o.ng.command({ command: 'delete', 'call-id': callId }).catch(() => undefined);
  }

  isRunning(callId: string): boolean {
    return this.running.has(callId);
  }

  stop(): void {
    this.unsubscribe();
    for (const r of this.running.values()) r.machine.hungUp();
    this.running.clear();
  }

  private onDigit(d: DtmfDigit): void {
    const r = this.running.get(d.callId);
    // Only the caller's keys (rtpengine names the sending leg by its tag).
    if (!r || (d.sourceTag && d.sourceTag !== r.tags.ftag)) return;
    this.o.logger.info({ callId: d.callId, digit: d.digit }, 'survey key');
    r.machine.digit(d.digit);
  }

  private async play(r: Running, prompt: SurveyPrompt): Promise<void> {
    const n = ++r.play;
    let duration: number | null = null;
    try {
      if (n > 1) await this.o.ng.command({ command: 'stop media', 'call-id': r.callId, 'from-tag': r.tags.ftag }).catch(() => undefined);
      duration = await playMedia(this.o.ng, r.callId, r.tags.ftag, this.o.files[prompt]);
      this.o.logger.info({ callId: r.callId, prompt, durationMs: duration }, 'survey prompt playing');
    } catch (err) {
      this.o.logger.error({ err, callId: r.callId, prompt }, 'survey: rtpengine could not play the prompt');
    }
    if (n === r.play && this.running.get(r.callId) === r) r.machine.played(prompt, duration);
  }

  private record(callId: string, score: number | null): void {
    try {
      this.o.record(callId, score);
      this.o.logger.info({ callId, score }, score === null ? 'survey: not rated' : 'survey: rated');
    } catch (err) {
      this.o.logger.error({ err, callId, score }, 'survey: the rating could not be stored');
    }
  }
}
