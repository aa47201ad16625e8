import crypto from 'node:crypto';
import type { PhoneClaimResult, PhoneOwnerView } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';

/** A console claiming the seat's phone: its page id and the sign-in session it runs in. */
export interface PhoneClaimant {
  consoleId: string;
  /** The session token of the request (never stored: only its hash). */
  token: string;
  /** When that session ends (sliding; renewed with every request of it). */
  sessionExpiresAt: number;
}

export interface PhoneOwnershipDeps {
  clock: Clock;
  /** The seat is in a call: another computer may not take the phone then (it would cut the call). */
  inCall: (seatId: string) => boolean;
  /** After every change of owner: push it to the seat's consoles. */
  onChange: (owner: PhoneOwnerView) => void;
}

interface Owner {
  consoleId: string;
  /** sha256 of the session token. */
  session: string;
  since: number;
  sessionExpiresAt: number;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
/** A short, one-way tag of a session: tells consoles "same browser" without revealing anything. */
const browserTag = (sessionHash: string) => sessionHash.slice(0, 12);

export const PHONE_ELSEWHERE = '此坐席已在另一台电脑登录,电话正在那台电脑使用';
export const PHONE_ELSEWHERE_IN_CALL = '此坐席正在另一台电脑通话,通话结束后才能在此电脑使用电话';

/**
 * One phone per seat across computers: which console's softphone may register. Kept in memory
 * (a restarted router starts with no owner, and the first console to claim gets the phone).
 *
 * - A claim succeeds when nobody holds the phone, when the holder is the same console or a tab of
 *   the same browser (same sign-in session: the tabs settle it among themselves with Web Locks),
 *   or when the holder's session has ended.
 * - Otherwise only a claim with `take` succeeds (a new sign-in, 在此电脑使用电话), and not while the
 *   seat is in a call, which taking the phone would cut.
 * - A holder releases the phone when its page closes or it signs out; a logout releases whatever
 *   its session held.
 */
export class PhoneOwnershipService {
  private readonly owners = new Map<string, Owner>();

  constructor(private readonly deps: PhoneOwnershipDeps) {}

  claim(seatId: string, who: PhoneClaimant, take: boolean): PhoneClaimResult {
    const now = this.deps.clock.now();
    const session = sha256(who.token);
    const current = this.owners.get(seatId);
    const free = !current || current.consoleId === who.consoleId || current.session === session || current.sessionExpiresAt <= now;
    if (!free && !take) return this.refused(seatId, session, PHONE_ELSEWHERE);
    if (!free && this.deps.inCall(seatId)) return this.refused(seatId, session, PHONE_ELSEWHERE_IN_CALL);
    if (current?.consoleId === who.consoleId) {
      current.sessionExpiresAt = who.sessionExpiresAt;
      current.session = session;
    } else {
      this.owners.set(seatId, { consoleId: who.consoleId, session, since: now, sessionExpiresAt: who.sessionExpiresAt });
      this.deps.onChange(this.view(seatId));
    }
    return { owned: true, owner: this.view(seatId), browser: browserTag(session), reason: null };
  }

  /**
   * A refused claim also re-announces the holder: a console that missed the change (offline for a
   * while) and registered again meanwhile replaced the holder's contact at the registrar; the
   * holder registers again when it hears it still holds the phone.
   */
  private refused(seatId: string, session: string, reason: string): PhoneClaimResult {
    const owner = this.view(seatId);
    this.deps.onChange(owner);
    return { owned: false, owner, browser: browserTag(session), reason };
  }

  /** Whether this console may register the seat's phone now. */
  owns(seatId: string, consoleId: string): boolean {
    return this.owners.get(seatId)?.consoleId === consoleId;
  }

  /** The console gives the phone up (page closed, signed out); a console that does not hold it changes nothing. */
  release(seatId: string, consoleId: string): void {
    if (!this.owns(seatId, consoleId)) return;
    this.owners.delete(seatId);
    this.deps.onChange(this.view(seatId));
  }

  /** A logout: the phone held by any console of that session is free again. */
  releaseSession(token: string): void {
    const session = sha256(token);
    for (const [seatId, owner] of this.owners) {
      if (owner.session !== session) continue;
      this.owners.delete(seatId);
      this.deps.onChange(this.view(seatId));
    }
  }

  view(seatId: string): PhoneOwnerView {
    const o = this.owners.get(seatId);
    return o
      ? { seatId, consoleId: o.consoleId, browser: browserTag(o.session), since: o.since }
      : { seatId, consoleId: null, browser: null, since: null };
  }
}
