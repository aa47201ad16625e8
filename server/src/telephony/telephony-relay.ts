import type { Call } from '../domain/call.js';
import type { TelephonyPort } from '../domain/engine.js';
import type { OverflowTrigger } from '../domain/policy.js';
import type { SipRevocationGate } from '../features/auth/sip-credentials-service.js';
import type { ConsultGate } from '../features/transfers/transfer-service.js';
import { DomainError } from '../domain/errors.js';
import type { CallControl } from './dialog-control.js';

type Target = TelephonyPort & ConsultGate & SipRevocationGate & { dialogs: CallControl };

/**
 * Breaks the one construction cycle, explicitly: the engine is built with a
 * TelephonyPort, and the Kamailio adapter is built with the engine. The composition
 * gives the engine this relay, builds the adapter, then points the relay at it
 * (once). What the engine asks before that (restoring calls at start-up can ring a
 * seat) is kept and passed on in order: the adapter parks such decisions in their
 * legs until Kamailio is in sync, exactly as it would had it been there already.
 */
export class TelephonyRelay implements TelephonyPort, ConsultGate, CallControl {
  private target: Target | null = null;
  private early: ((t: Target) => void)[] = [];

  /** Points the relay at the adapter and passes on what waited for it. */
  connect(target: Target): void {
    if (this.target) throw new Error('TelephonyRelay is already connected');
    this.target = target;
    for (const f of this.early.splice(0)) f(target);
  }

  ring(call: Call, seatId: string, ringMs: number): void {
    this.to((t) => t.ring(call, seatId, ringMs));
  }

  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void {
    this.to((t) => t.overflow(call, target, trigger));
  }

  cancelRing(call: Call, seatId: string): void {
    this.to((t) => t.cancelRing(call, seatId));
  }

  /** Before the adapter exists no link is up either: a consultation cannot be opened (as when the link is down). */
  allowConsult(fromSeatId: string, toSeatId: string, ttlMs: number): void {
    this.target?.allowConsult(fromSeatId, toSeatId, ttlMs);
  }

  armSurvey(callId: string, on: boolean): boolean {
    return this.target?.dialogs.armSurvey(callId, on) ?? false;
  }

  surveyArmed(callId: string): boolean | null {
    return this.target?.dialogs.surveyArmed(callId) ?? null;
  }

  endCall(callId: string): Promise<void> {
    if (!this.target) return Promise.reject(new DomainError('UNAVAILABLE', '尚未连接 SIP 服务器,通话未能结束', { callId }));
    return this.target.dialogs.endCall(callId);
  }

  /** Kept until the adapter exists, which sends it (again) whenever its link is up. */
  revokeSeat(seatId: string, untilS: number): void {
    this.to((t) => t.revokeSeat(seatId, untilS));
  }

  private to(f: (t: Target) => void): void {
    if (this.target) f(this.target);
    else this.early.push(f);
  }
}
