import crypto from 'node:crypto';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { storageFailureKind } from '../../store/db.js';
import type { AuthEvents, SessionEndReason } from './auth-events.js';
export type { AuthEvents, SessionEndReason } from './auth-events.js';
import { BrakeHeld, type LoginBrake, type LoginLock } from './login-brake.js';
import { dummyHash, verifyPassword } from './passwords.js';
import type { SessionRecord, SessionRepository } from './session-repository.js';
import type { UserRecord, UserRepository } from './user-repository.js';

/** The signed-in user: an account without its password hash. */
export type SessionUser = Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'seatId'>;

/** A live session as the transports see it. */
export interface LiveSession {
  user: SessionUser;
  /** The session's absolute end (it never moves; the idle timeout may end it sooner). */
  expiresAt: number;
  /** SHA-256 of the token: how the socket layer recognises the session's sockets. */
  tokenHash: string;
}

/** What the HTTP middleware and the socket layer need: the user behind a token. */
export interface SessionLookup {
  /** The live session of a token; `touch: false` reads it without counting as activity. */
  sessionForToken(token: string | undefined, opts?: { touch?: boolean }): LiveSession | null;
  userForToken(token: string | undefined): SessionUser | null;
}

/** The seat of a seat account (the seat console's actions need one). */
export function seatOfUser(user: SessionUser): string {
  if (!user.seatId) throw new DomainError('FORBIDDEN', '当前账号没有绑定坐席');
  return user.seatId;
}

export const hashToken = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

const sessionUser = (u: UserRecord): SessionUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  seatId: u.seatId,
});

export interface AuthOptions {
  /** The sign-in brake (always given by the composition root; a unit test may leave it out). */
  brake?: LoginBrake | null;
  /** A session with no activity for this long ends (0: no idle timeout). */
  idleMs?: number;
  /** At most this many sessions per user: a new sign-in ends the oldest. */
  maxSessionsPerUser?: number;
  /** A user busy on a call or in wrap-up is never idle. */
  isBusy?: (user: SessionUser) => boolean;
  /** Sign-in, failure, lock and sign-out, for the audit log (features/auth/auth-events.ts). */
  events?: AuthEvents;
  /**
   * Called with the token hashes of sessions that ended (the socket layer closes their sockets)
   * and their users' ids (a seat whose last session ended loses its phone: see sessionsLeft).
   */
  onSessionsEnded?: (tokenHashes: string[], reason: SessionEndReason, userIds: number[]) => void;
}

/** How often the sweep looks for sessions that ran out: their sockets close within a minute. */
export const SESSION_SWEEP_MS = 30_000;
/** The sign-in brake's old counters are purged by the sweep at least this often. */
const BRAKE_PURGE_MS = 3600_000;
/** Activity is written at most this often per session. */
const SEEN_RESOLUTION_MS = 30_000;

/**
 * Sign-in (behind the durable brake), sessions with an absolute lifetime and an idle timeout, a
 * bounded number per user, and a sweep that ends them as they run out.
 */
export class AuthService implements SessionLookup {
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private sweepTimer: TimerHandle | null = null;
  private sweepAt = Infinity;
  private sweeping = false;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    /** Absolute session lifetime (a shift). */
    readonly sessionMs: number,
    private readonly opts: AuthOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 0;
    this.maxSessions = opts.maxSessionsPerUser ?? 3;
  }

  /**
   * Returns a fresh session token (a new id at every sign-in; `previousToken`, the session the
   * browser still carried, ends). The same error whether the user exists or not.
   */
  async login(
    username: string,
    password: string,
    address: string,
    previousToken?: string,
  ): Promise<{ token: string; user: SessionUser; expiresAt: number }> {
    const events = this.opts.events;
    let reservation;
    try {
      reservation = this.opts.brake?.reserve(username, address) ?? null;
    } catch (err) {
      if (err instanceof BrakeHeld) {
        events?.signInRefused?.({
          username,
          address,
          userId: this.users.byUsername(username)?.id ?? null,
          scope: err.scope,
          until: err.until,
        });
      }
      throw err;
    }
    const user = this.users.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      const lock = reservation ? this.opts.brake!.failed(reservation) : null;
      events?.signInFailed?.({
        username,
        address,
        userId: user?.id ?? null,
        reason: user?.disabled && ok ? 'disabled' : 'bad-credentials',
      });
      if (lock) events?.signInLocked?.({ username, address, userId: user?.id ?? null, scope: lock.scope, until: lock.until });
      throw new DomainError('UNAUTHENTICATED', '用户名或密码错误');
    }
    if (reservation) this.opts.brake!.succeeded(reservation);
    if (previousToken) this.endSession(previousToken, 'replaced');
    const now = this.clock.now();
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = now + this.sessionMs;
    this.sessions.create(hashToken(token), user.id, now, expiresAt);
    this.sweepBy(this.idleMs > 0 ? Math.min(expiresAt, now + this.idleMs) : expiresAt);
    // the oldest sessions beyond the limit end
    const mine = this.sessions.ofUser(user.id);
    const evicted = mine.slice(0, Math.max(0, mine.length - this.maxSessions)).map((s) => s.tokenHash);
    for (const h of evicted) this.sessions.delete(h);
    const signedIn = sessionUser(user);
    if (evicted.length > 0) this.ended(evicted, 'replaced', signedIn, user.id);
    events?.signedIn?.({ user: signedIn, address });
    return { token, user: signedIn, expiresAt };
  }

  /** The user behind a session token, or null (expired, idle, unknown, disabled). */
  userForToken(token: string | undefined): SessionUser | null {
    return this.sessionForToken(token)?.user ?? null;
  }

  sessionForToken(token: string | undefined, opts: { touch?: boolean } = {}): LiveSession | null {
    if (!token) return null;
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const session = this.sessions.get(tokenHash);
    if (session === null) return null;
    const user = this.users.byId(session.userId);
    if (!user || user.disabled) return null;
    const su = sessionUser(user);
    const why = this.endReason(session, su, now);
    if (why) {
      this.sessions.delete(tokenHash);
      this.ended([tokenHash], why, su, session.userId);
      return null;
    }
    if (opts.touch !== false) {
      try {
        this.sessions.seen(tokenHash, now, SEEN_RESOLUTION_MS);
      } catch (err) {
        // A full disk must not lock everyone out of reading (the alarm, the live queue): the
        // activity mark is best effort, the next request writes it.
        if (!storageFailureKind(err)) throw err;
      }
    }
    return { user: su, expiresAt: session.expiresAt, tokenHash };
  }

  /** Sign-out: the session ends at once. */
  logout(token: string | undefined): void {
    if (token) this.endSession(token, 'logout');
  }

  /** Ends a user's sessions but `keepTokenHash` (their own password change): those sockets close. */
  endOtherSessionsOfUser(userId: number, keepTokenHash: string, reason: SessionEndReason): void {
    const hashes = this.sessions
      .ofUser(userId)
      .map((s) => s.tokenHash)
      .filter((h) => h !== keepTokenHash);
    for (const h of hashes) this.sessions.delete(h);
    if (hashes.length > 0) this.ended(hashes, reason, null, userId);
  }

  /** Ends every session of a user (disabled, password changed...); their sockets close. */
  endSessionsOfUser(userId: number, reason: SessionEndReason): void {
    const hashes = this.sessions.deleteOfUser(userId);
    if (hashes.length > 0) this.ended(hashes, reason, null, userId);
  }

  /** Ends sessions past their absolute end or idle too long; returns how many ended. */
  sweep(): number {
    const now = this.clock.now();
    const idleBefore = this.idleMs > 0 ? now - this.idleMs : -Infinity;
    const byReason = new Map<SessionEndReason, string[]>();
    const usersOf = new Map<SessionEndReason, Set<number>>();
    for (const s of this.sessions.endedOrIdle(now, idleBefore)) {
      const user = this.users.byId(s.userId);
      const su = user ? sessionUser(user) : null;
      const why = su ? this.endReason(s, su, now) : 'expired';
      if (!why) {
        // busy on a call or in wrap-up: that is activity
        this.sessions.seen(s.tokenHash, now, 0);
        continue;
      }
      this.sessions.delete(s.tokenHash);
      byReason.set(why, [...(byReason.get(why) ?? []), s.tokenHash]);
      usersOf.set(why, (usersOf.get(why) ?? new Set<number>()).add(s.userId));
      this.opts.events?.signedOut?.({ user: su, reason: why });
    }
    for (const [why, hashes] of byReason) this.opts.onSessionsEnded?.(hashes, why, [...(usersOf.get(why) ?? [])]);
    this.opts.brake?.purge();
    return [...byReason.values()].reduce((n, h) => n + h.length, 0);
  }

  /** Sign-in counters and running locks, for administrators. */
  listLoginLocks(): LoginLock[] {
    return this.opts.brake?.list() ?? [];
  }

  /** An administrator clears one counter (by id) or every counter of an account (by username). */
  clearLoginLocks(admin: SessionUser, target: { id: number } | { username: string }): number {
    const brake = this.opts.brake;
    if (!brake) return 0;
    if ('id' in target) {
      const c = brake.clear(target.id);
      if (!c) throw new DomainError('NOT_FOUND', '没有这条登录限制记录(可能已自动解除)');
      this.opts.events?.lockCleared?.({ admin, username: c.username, address: c.address, count: 1 });
      return 1;
    }
    const count = brake.clearAccount(target.username);
    this.opts.events?.lockCleared?.({ admin, username: target.username, address: null, count });
    return count;
  }

  /**
   * Starts the sweep after a first one for sessions that ran out while the server was down. The
   * next sweep is due when the earliest session could end (never sooner than SESSION_SWEEP_MS
   * apart, so a session is gone within a minute of its end); a sign-in brings it forward.
   */
  startSweeping(): void {
    this.sweeping = true;
    this.sweep();
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (!this.sweeping) return;
    const now = this.clock.now();
    const deadline = this.sessions.nextDeadline(this.idleMs) ?? now + BRAKE_PURGE_MS;
    this.scheduleSweepAt(Math.max(now + SESSION_SWEEP_MS, Math.min(deadline, now + BRAKE_PURGE_MS)));
  }

  private scheduleSweepAt(at: number): void {
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.sweepAt = at;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = null;
      try {
        this.sweep();
      } finally {
        this.scheduleSweep();
      }
    }, at - this.clock.now());
  }

  /** A new session's first possible end: brings the sweep forward when it is due later. */
  private sweepBy(deadline: number): void {
    if (!this.sweeping) return;
    const at = Math.max(this.clock.now() + SESSION_SWEEP_MS, deadline);
    if (at < this.sweepAt) this.scheduleSweepAt(at);
  }

  stopSweeping(): void {
    this.sweeping = false;
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** Why a stored session is over, or null while it is live. */
  private endReason(s: SessionRecord, user: SessionUser, now: number): SessionEndReason | null {
    if (s.expiresAt <= now) return 'expired';
    if (this.idleMs > 0 && now - s.lastSeenAt >= this.idleMs && !this.opts.isBusy?.(user)) return 'idle';
    return null;
  }

  private endSession(token: string, reason: SessionEndReason): void {
    const tokenHash = hashToken(token);
    const s = this.sessions.get(tokenHash);
    if (!s) return;
    this.sessions.delete(tokenHash);
    const user = this.users.byId(s.userId);
    this.ended([tokenHash], reason, user ? sessionUser(user) : null, s.userId);
  }

  private ended(hashes: string[], reason: SessionEndReason, user: SessionUser | null, userId: number): void {
    for (let i = 0; i < hashes.length; i++) this.opts.events?.signedOut?.({ user, reason });
    this.opts.onSessionsEnded?.(hashes, reason, [userId]);
  }

  /** How many live sessions the user still has (a seat's phone lives as long as one does). */
  sessionsLeft(userId: number): number {
    const now = this.clock.now();
    return this.sessions.ofUser(userId).filter((s) => s.expiresAt > now).length;
  }
}
