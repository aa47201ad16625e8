import type { SurveyChoiceView, SurveyPolicy } from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import type { AcdQueries } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { SatisfactionService } from './satisfaction-service.js';

/** Kamailio's side: keep the caller for the survey when the seat hangs up (false: the call's dialog is unknown). */
export interface SurveyArming {
  armSurvey(callId: string, on: boolean): boolean;
  /**
   * Whether Kamailio keeps the caller of this call for the survey, as its resync reported it for a
   * call answered before the router (re)started; null when not known.
   */
  surveyArmed(callId: string): boolean | null;
}

/**
 * The post-call survey's policy (SURVEY_POLICY): always, never, or the seat's choice per call (on
 * unless the seat switches it off). The choice is made while the call is talking and armed in
 * Kamailio, which then keeps the caller when the seat hangs up (telephony/survey-call.ts runs the
 * survey); the outcome is stored as a phone rating through SatisfactionService.rate.
 */
export class SurveyService {
  /**
   * The choice of every talking call (forgotten when the call leaves talking). A call answered
   * before the router restarted has none in memory: Kamailio's arming (its resync) is taken as it.
   */
  private readonly choices = new Map<string, boolean>();
  /** Talking calls a transfer is under way for: the caller goes on to another seat, not to the survey. */
  private readonly transferring = new Set<string>();

  constructor(
    private readonly o: {
      policy: SurveyPolicy;
      arming: SurveyArming | null;
      engine: Pick<AcdQueries, 'getCall'>;
      satisfaction: Pick<SatisfactionService, 'rate'>;
      clock: Clock;
    },
  ) {}

  /** Engine listener (after the commit): a call answered gets its initial choice; one that left talking is forgotten. */
  callChanged(call: Call): void {
    if (call.state.kind === 'talking') {
      if (this.choiceOf(call.id) !== undefined) return;
      const on = this.o.policy !== 'never';
      // Kamailio has no dialog for it (a call restored at start-up, changed before the resync):
      // no choice is kept, the resync's report of its arming is taken instead.
      if (on && this.o.arming && !this.o.arming.armSurvey(call.id, true)) return;
      this.choices.set(call.id, on);
    } else {
      this.choices.delete(call.id);
      this.transferring.delete(call.id);
    }
  }

  /** A seat's transfer of a call: no survey while it is pending; the seat's choice again if it fails. */
  transferChanged(callId: string, state: 'pending' | 'completed' | 'refused' | 'cancelled' | 'expired'): void {
    if (this.choiceOf(callId) === undefined) return;
    if (state === 'pending') {
      this.transferring.add(callId);
      this.o.arming?.armSurvey(callId, false);
    } else if (state !== 'completed' && this.transferring.delete(callId) && this.choices.get(callId)) {
      this.o.arming?.armSurvey(callId, true);
    }
  }

  view(seatId: string | null, callId: string): SurveyChoiceView {
    const call = this.talkingCallOf(seatId, callId);
    return this.viewOf(call.id);
  }

  /** The answering seat switches the survey on or off for its call (policy `seat`). */
  choose(seatId: string | null, callId: string, enabled: boolean): SurveyChoiceView {
    const call = this.talkingCallOf(seatId, callId);
    if (this.o.policy !== 'seat') {
      throw new DomainError(
        'CONFLICT',
        this.o.policy === 'always' ? '本热线每通电话都转满意度评价,坐席不能关闭' : '本热线不做电话满意度评价',
      );
    }
    if (enabled && !this.o.arming) throw new DomainError('UNAVAILABLE', '未连接 SIP 服务器,无法转满意度评价');
    // While a transfer is pending Kamailio stays disarmed; the choice applies if the transfer fails.
    const arm = enabled && !this.transferring.has(call.id);
    // Not sent (the link to Kamailio is down, or it has no dialog for the call yet): refused either
    // way, so the switch never shows off while Kamailio still keeps the caller for the survey.
    if (this.o.arming && !this.o.arming.armSurvey(call.id, arm)) {
      throw new DomainError(
        'UNAVAILABLE',
        arm
          ? '这通电话无法转满意度评价(SIP 服务器没有它的对话信息)'
          : '没能关闭满意度评价:暂时联系不上 SIP 服务器,或它还没有这通电话的对话信息,请稍后再试',
      );
    }
    this.choices.set(call.id, enabled);
    return this.viewOf(call.id);
  }

  /** The survey's outcome (score null: not rated), stored as a phone rating. */
  record(callId: string, score: number | null): void {
    this.o.satisfaction.rate(callId, 'phone', score, null, this.o.clock.now());
  }

  private viewOf(callId: string): SurveyChoiceView {
    return { callId, policy: this.o.policy, enabled: this.choiceOf(callId) ?? false, changeable: this.o.policy === 'seat' };
  }

  /**
   * The call's choice; for a talking call answered before a router restart (none in memory), what
   * Kamailio reported at the resync (the caller armed or not), kept from then on. undefined: not known.
   */
  private choiceOf(callId: string): boolean | undefined {
    const known = this.choices.get(callId);
    if (known !== undefined) return known;
    if (this.o.engine.getCall(callId)?.state.kind !== 'talking') return undefined;
    const armed = this.o.arming?.surveyArmed(callId) ?? null;
    if (armed === null) return undefined;
    this.choices.set(callId, armed);
    return armed;
  }

  private talkingCallOf(seatId: string | null, callId: string): Call {
    const call = this.o.engine.getCall(callId);
    if (!call || call.state.kind !== 'talking') throw new DomainError('CONFLICT', '这通电话不在通话中');
    if (!seatId || call.state.seatId !== seatId) throw new DomainError('FORBIDDEN', '只有接听这通电话的坐席可以选择是否转满意度评价');
    return call;
  }
}
