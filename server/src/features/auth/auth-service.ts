import crypto from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { dummyHash, verifyPassword } from './passwords.js';
import type { SessionRepository } from './session-repository.js';
import type { UserRecord, UserRepository } from './user-repository.js';

/** The signed-in user: an account without its password hash. */
export type SessionUser = Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'seatId'>;

/** What the HTTP middleware and the socket layer need: the user behind a token. */
export interface SessionLookup {
  sessionForToken(token: string | undefined): { user: SessionUser; expiresAt: number } | null;
  userForToken(token: string | undefined): SessionUser | null;
}

/** The seat of a seat account (the seat console's actions need one). */
export function seatOfUser(user: SessionUser): string {
  if (!user.seatId) throw new DomainError('FORBIDDEN', '当前账号没有绑定坐席');
  return user.seatId;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

const sessionUser = (u: UserRecord): SessionUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  seatId: u.seatId,
});

/** Logins, sessions (sliding expiry) and a per-account/per-address brake on password guessing. */
export class AuthService implements SessionLookup {
  private readonly failures = new Map<string, number[]>();
  private static readonly MAX_FAILURES = 5;
  private static readonly WINDOW_MS = 5 * 60_000;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    readonly sessionMs: number,
  ) {}

  /** Returns a session token; the same error whether the user exists or not. */
  async login(username: string, password: string, address: string): Promise<{ token: string; user: SessionUser }> {
    const now = this.clock.now();
    const keys = [`u:${username.toLowerCase()}`, `a:${address}`];
    if (keys.some((k) => this.recentFailures(k, now) >= AuthService.MAX_FAILURES * (k.startsWith('a:') ? 4 : 1))) {
      throw new DomainError('RATE_LIMITED', '登录失败次数过多,请 5 分钟后再试');
    }
    const user = this.users.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      for (const k of keys) this.failures.set(k, [...this.recentFailuresList(k, now), now]);
      throw new DomainError('UNAUTHENTICATED', '用户名或密码错误');
    }
    for (const k of keys) this.failures.delete(k);
    const token = crypto.randomBytes(32).toString('base64url');
    this.sessions.create(sha256(token), user.id, now, now + this.sessionMs);
    return { token, user: sessionUser(user) };
  }

  /** The user behind a session token, or null (expired, unknown, disabled). */
  userForToken(token: string | undefined): SessionUser | null {
    return this.sessionForToken(token)?.user ?? null;
  }

  /** The user behind a session token and when the session (just extended) expires, or null. */
  sessionForToken(token: string | undefined): { user: SessionUser; expiresAt: number } | null {
    if (!token) return null;
    const now = this.clock.now();
    const session = this.sessions.touch(sha256(token), now, now + this.sessionMs);
    if (session === null) return null;
    const user = this.users.byId(session.userId);
    return user && !user.disabled ? { user: sessionUser(user), expiresAt: session.expiresAt } : null;
  }

  logout(token: string | undefined): void {
    if (token) this.sessions.delete(sha256(token));
  }

  /** At start: sessions that ran out while the server was down. */
  purgeExpiredSessions(): void {
    this.sessions.purgeExpired(this.clock.now());
  }

  private recentFailuresList(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < AuthService.WINDOW_MS);
  }

  private recentFailures(key: string, now: number): number {
    return this.recentFailuresList(key, now).length;
  }
}
