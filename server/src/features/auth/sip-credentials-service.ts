import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { SessionUser } from './auth-service.js';
import type { PhoneOwnershipService } from '../seats/phone-ownership-service.js';
import { issueSipCredentials, type SipCredentialsIssued } from './sip-credentials.js';

/** The SIP AOR of a user's listening phone (监听); sip-config's LISTEN_START accepts only this shape. */
export const listenAor = (userId: number): string => `listen-u${userId}`;

/** Kamailio's side of ending a seat's phone with its session (the telephony adapter). */
export interface SipRevocationGate {
  /** Unregisters the seat and refuses its credentials expiring at or before `untilS` (unix s). */
  revokeSeat(seatId: string, untilS: number): void;
}

/** SIP settings for seat softphones. */
export interface SoftphoneSettings {
  secret: string;
  domain: string;
  wsUrl: string;
  credentialMs: number;
}

/** What a seat's softphone needs to register. */
export interface SoftphoneCredentials extends SipCredentialsIssued {
  seatId: string;
  domain: string;
  uri: string;
  wsUrl: string;
}

/**
 * Time-limited SIP credentials for the seat's softphone (auth_ephemeral). Only a seat user gets
 * them, only for its own seat, and they live at most SIP_CREDENTIAL_HOURS and never past the
 * session's end. When a session ends early (sign-out, disabled, password reset, idle) and the
 * user has no other session, `revoke` unregisters the seat at Kamailio and has it refuse every
 * credential issued until then; credentials issued afterwards expire later, so they still work.
 * The console renews its credentials before they expire; a shorter SIP_CREDENTIAL_HOURS also
 * bounds what a restart of both the router and Kamailio (which forget revocations) lets through.
 *
 * A seat console asks with its console id and gets credentials only while it holds the seat's
 * phone (seats/phone-ownership-service.ts): a console whose phone moved to another computer is
 * refused at its next renewal. A SIP phone that asks without a console id (a desk phone, the test
 * phones) is not arbitrated; Kamailio keeps one contact per seat, so the last REGISTER wins.
 */
export class SipCredentialService {
  constructor(
    /** Null when no telephony is configured. */
    private readonly sip: SoftphoneSettings | null,
    private readonly clock: Clock,
    private readonly sessionMs: number,
    private readonly phones: Pick<PhoneOwnershipService, 'owns'> | null = null,
    private readonly gate: SipRevocationGate | null = null,
  ) {}

  /** Seat (or listening AOR) => the unix s up to which its credentials are refused (new ones must expire later). */
  private readonly revokedUntil = new Map<string, number>();
  /** Users given listening-phone credentials since the start (their phone ends with their last session). */
  private readonly listeners = new Set<number>();

  /** Whether this user was given a listening phone (监听) since the router started. */
  hadListener(userId: number): boolean {
    return this.listeners.has(userId);
  }

  /** The seat's session ended: its phone is unregistered and every credential issued so far refused. */
  revoke(seatId: string): void {
    if (!this.sip) return;
    const untilS = Math.ceil((this.clock.now() + this.sip.credentialMs) / 1000);
    this.revokedUntil.set(seatId, untilS);
    this.gate?.revokeSeat(seatId, untilS);
  }

  issue(user: SessionUser, sessionExpiresAt: number | undefined, consoleId?: string): SoftphoneCredentials {
    const seatId = user.role === 'seat' ? user.seatId : null;
    if (!seatId) throw new DomainError('FORBIDDEN', '只有绑定了坐席的坐席账号可以使用软电话');
    if (!this.sip) throw new DomainError('UNAVAILABLE', '电话系统未接入(TELEPHONY=none),软电话暂不可用');
    if (consoleId !== undefined && this.phones && !this.phones.owns(seatId, consoleId)) {
      throw new DomainError('CONFLICT', '此坐席的电话已转到另一台电脑,本机不再登记');
    }
    const now = this.clock.now();
    const sessionLeftMs = (sessionExpiresAt ?? now + this.sessionMs) - now;
    const issued = issueSipCredentials({
      seatId,
      nowMs: now,
      lifetimeMs: Math.max(Math.min(this.sip.credentialMs, sessionLeftMs), this.afterRevocationMs(seatId, now)),
      secret: this.sip.secret,
    });
    return { ...issued, seatId, domain: this.sip.domain, uri: `sip:${seatId}@${this.sip.domain}`, wsUrl: this.sip.wsUrl };
  }

  /**
   * Credentials for a supervisor's listening phone (监听) on the monitor page: AOR `listen-u<user
   * id>`, which the router never offers a queued call to (only seats are rung) and which only
   * ever answers the listening legs the router starts for that user. Same lifetime rules as a
   * seat's; `listenAor` names the AOR for the supervisor feature.
   */
  issueListener(user: SessionUser, sessionExpiresAt: number | undefined): SoftphoneCredentials {
    if (!this.sip) throw new DomainError('UNAVAILABLE', '电话系统未接入(TELEPHONY=none),无法监听');
    const aor = listenAor(user.id);
    this.listeners.add(user.id);
    const now = this.clock.now();
    const sessionLeftMs = (sessionExpiresAt ?? now + this.sessionMs) - now;
    const issued = issueSipCredentials({
      seatId: aor,
      nowMs: now,
      lifetimeMs: Math.max(Math.min(this.sip.credentialMs, sessionLeftMs), this.afterRevocationMs(aor, now)),
      secret: this.sip.secret,
    });
    return { ...issued, seatId: aor, domain: this.sip.domain, uri: `sip:${aor}@${this.sip.domain}`, wsUrl: this.sip.wsUrl };
  }

  /** The shortest lifetime that ends after the seat's last revocation (0 when none is running). */
  private afterRevocationMs(seatId: string, now: number): number {
    const until = this.revokedUntil.get(seatId);
    if (until === undefined) return 0;
    if (until * 1000 <= now) {
      this.revokedUntil.delete(seatId);
      return 0;
    }
    return (until + 1) * 1000 - now;
  }
}
