import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { KamailioCommand } from './kamailio-protocol.js';
import type { DialogTags } from './survey-call.js';

/** What the dialog side tells the survey (SurveyCalls). */
export interface SurveyHooks {
  /** Starts the survey (nothing when it already runs for this call). */
  start(callId: string, tags: DialogTags): void;
  callerHungUp(callId: string): void;
  ended(callId: string): void;
}

/** Ending calls through Kamailio's dialog module: the survey's arming and 强拆. */
export interface CallControl {
  /** Keep (or not) the caller for the survey when the seat hangs up; false when the call's dialog is unknown. */
  armSurvey(callId: string, on: boolean): boolean;
  /** Whether Kamailio keeps the caller for the survey, as last sent or reported by the resync; null: not known. */
  surveyArmed(callId: string): boolean | null;
  /** BYE to both sides (强拆); rejects with a DomainError when Kamailio cannot. */
  endCall(callId: string): Promise<void>;
}

/**
 * The router's side of Kamailio's dialog module (sip-config: SURVEY_BYE, DIALOG_CMD): the tags of
 * every answered call, arming the survey, and `end` commands with Kamailio's answer (`ended` or
 * `end-failed`) settling the caller's promise. The Kamailio adapter feeds it the events.
 */
export class DialogControl implements CallControl {
  /** survey: the caller armed for the survey in Kamailio (the last arming sent, or the resync's report). */
  private readonly tags = new Map<string, DialogTags & { answeredAt: number; survey?: boolean }>();
  private readonly ending = new Map<
    string,
    { resolve: () => void; reject: (e: Error) => void; timer: TimerHandle; side: 'caller' | 'all'; retry?: TimerHandle }
  >();

  constructor(
    private readonly o: {
      send: (cmd: KamailioCommand) => boolean;
      surveys: SurveyHooks | null;
      logger: Logger;
      /** How long an end waits for Kamailio's answer. */
      endTimeoutMs?: number;
      /** The router's clock: the end's time limit, its retries, how long ago a call was answered. */
      clock: Clock;
      /** A 强拆 of a call answered this recently is asked again when Kamailio is not ready for it. */
      settleMs?: number;
      /** How long to wait before asking again. */
      retryMs?: number;
    },
  ) {}

  armSurvey(callId: string, on: boolean): boolean {
    const t = this.tags.get(callId);
    if (!t) return false;
    const sent = this.o.send({ cmd: on ? 'survey-arm' : 'survey-disarm', callid: callId, ftag: t.ftag });
    if (sent) t.survey = on;
    return sent;
  }

  surveyArmed(callId: string): boolean | null {
    return this.tags.get(callId)?.survey ?? null;
  }

  endCall(callId: string): Promise<void> {
    return this.end(callId, 'all');
  }

  /** Asks the dialog module for the BYE(s); resolves on `ended`, rejects on `end-failed` or silence. */
  end(callId: string, side: 'caller' | 'all'): Promise<void> {
    const t = this.tags.get(callId);
    // No tags (from `answered`, or from the resync after a restart): the call has ended, or the link is not synced yet.
    if (!t) return Promise.reject(new DomainError('CONFLICT', '无法结束这通电话:它已经结束,或尚未与 SIP 服务器同步', { callId }));
    if (this.ending.has(callId)) return Promise.reject(new DomainError('CONFLICT', '这通电话正在结束', { callId }));
    return new Promise<void>((resolve, reject) => {
      const timer = this.o.clock.setTimeout(
        () => this.settle(callId, new DomainError('UNAVAILABLE', 'SIP 服务器没有回应,通话未能结束', { callId })),
        this.o.endTimeoutMs ?? 10_000,
      );
      this.ending.set(callId, { resolve, reject, timer, side });
      this.sendEnd(callId);
    });
  }

  private sendEnd(callId: string): void {
    const t = this.tags.get(callId);
    const p = this.ending.get(callId);
    if (!t || !p) return;
    if (!this.o.send({ cmd: 'end', callid: callId, ftag: t.ftag, ttag: t.ttag, side: p.side })) {
      this.settle(callId, new DomainError('UNAVAILABLE', '与 SIP 服务器的连接已断开,通话未能结束', { callId }));
    }
  }

  /** The dialog's tags of an answered call (监听 subscribes to both sides by them); null when unknown. */
  tagsOf(callId: string): DialogTags | null {
    return this.tags.get(callId) ?? null;
  }

  // ------------------------------------------------------------ events from Kamailio

  answered(callId: string, ftag: string, ttag: string): void {
    if (ftag && ttag) this.tags.set(callId, { ftag, ttag, answeredAt: this.o.clock.now() });
  }

  /**
   * The resync found this call talking in Kamailio, with its dialog's tags (sip-config: htable
   * `dlgtags`): a router restarted since the answer (or that missed it) learns them here. Tags
   * already known (from `answered`) are kept, with their time. survey: whether Kamailio keeps the
   * caller for the survey (htable `survey`; null: not said), the seat's choice a restarted router
   * lost with its memory.
   */
  talking(callId: string, ftag: string, ttag: string, survey: boolean | null = null): void {
    if (!this.tags.has(callId)) this.answered(callId, ftag, ttag);
    const t = this.tags.get(callId);
    if (t && survey !== null) t.survey = survey;
  }

  /** A BYE passed Kamailio; survey: the seat's, and Kamailio kept the caller for the survey. */
  bye(callId: string, survey: boolean): void {
    const tags = this.tags.get(callId);
    if (!survey || !tags) {
      this.tags.delete(callId);
      return;
    }
    if (this.o.surveys) this.o.surveys.start(callId, tags);
    else void this.end(callId, 'caller').catch(() => undefined); // nobody to survey with: hang up
  }

  /**
   * The resync found a caller Kamailio keeps for the survey (the router restarted during it, or
   * the link dropped): the survey starts again unless it is running here.
   */
  surveying(callId: string, ftag: string, ttag: string): void {
    if (!ftag || !ttag) return;
    const known = this.tags.has(callId);
    this.tags.set(callId, { ftag, ttag, answeredAt: this.o.clock.now() });
    if (!known) this.bye(callId, true);
  }

  surveyBye(callId: string): void {
    this.tags.delete(callId);
    this.o.surveys?.callerHungUp(callId);
  }

  ended(callId: string): void {
    this.tags.delete(callId);
    this.settle(callId, null);
    this.o.surveys?.ended(callId);
  }

  endFailed(callId: string, why: string): void {
    // Just answered: Kamailio tells the router of the 200 from its reply route, before the dialog
    // module has confirmed the dialog, so for a moment it is not found or not confirmed. The end
    // is asked again until it can be or the end's own time runs out.
    const t = this.tags.get(callId);
    const p = this.ending.get(callId);
    const settling = t !== undefined && this.o.clock.now() - t.answeredAt < (this.o.settleMs ?? 5000);
    if (p && t && (why === 'not-confirmed' || (why === 'no-dialog' && settling))) {
      this.o.logger.info({ callId, why }, 'the dialog is not ready yet: asking Kamailio to end the call again shortly');
      if (p.retry) this.o.clock.clearTimeout(p.retry);
      p.retry = this.o.clock.setTimeout(() => this.sendEnd(callId), this.o.retryMs ?? 200);
      return;
    }
    this.o.logger.warn({ callId, why }, 'Kamailio could not end the call');
    this.tags.delete(callId);
    this.settle(callId, new DomainError('CONFLICT', '这通电话已经结束,无法强拆', { callId, why }));
    this.o.surveys?.ended(callId);
  }

  forget(callId: string): void {
    this.tags.delete(callId);
  }

  /** Whether an end of this call waits for Kamailio's answer (it has not timed out). */
  isEnding(callId: string): boolean {
    return this.ending.has(callId);
  }

  stop(): void {
    for (const id of [...this.ending.keys()]) this.settle(id, new DomainError('UNAVAILABLE', '路由服务正在停止', { callId: id }));
  }

  private settle(callId: string, err: Error | null): void {
    const p = this.ending.get(callId);
    if (!p) return;
    this.ending.delete(callId);
    this.o.clock.clearTimeout(p.timer);
    if (p.retry) this.o.clock.clearTimeout(p.retry);
    if (err) p.reject(err);
    else p.resolve();
  }
}
