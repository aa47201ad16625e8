import crypto from 'node:crypto';
import type { UserView } from '../contract/index.js';
import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { SessionRepo, UserRepo, UserRow } from '../store/repos.js';
import { dummyHash, verifyPassword } from './passwords.js';

export const SESSION_COOKIE = 'hotline_sid';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export function toUserView(u: UserRow): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, seatId: u.seatId };
}

/** Logins, sessions and a per-account/per-address brake on password guessing. */
export class AuthService {
  private readonly failures = new Map<string, number[]>();
  private static readonly MAX_FAILURES = 5;
  private static readonly WINDOW_MS = 5 * 60_000;

  constructor(
    private readonly users: UserRepo,
    private readonly sessions: SessionRepo,
    private readonly clock: Clock,
    private readonly sessionMs: number,
  ) {}

  /** Returns a session token; the same error whether the user exists or not. */
  async login(username: string, password: string, address: string): Promise<{ token: string; user: UserView }> {
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
    return { token, user: toUserView(user) };
  }

  /** The user behind a session token, or null (expired, unknown, disabled). */
  userForToken(token: string | undefined): UserView | null {
    return this.sessionForToken(token)?.user ?? null;
  }

  /** The user behind a session token and when the session (just extended) expires, or null. */
  sessionForToken(token: string | undefined): { user: UserView; expiresAt: number } | null {
    if (!token) return null;
    const now = this.clock.now();
    const session = this.sessions.touch(sha256(token), now, now + this.sessionMs);
    if (session === null) return null;
    const user = this.users.byId(session.userId);
    return user && !user.disabled ? { user: toUserView(user), expiresAt: session.expiresAt } : null;
  }

  logout(token: string | undefined): void {
    if (token) this.sessions.delete(sha256(token));
  }

  private recentFailuresList(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < AuthService.WINDOW_MS);
  }

  private recentFailures(key: string, now: number): number {
    return this.recentFailuresList(key, now).length;
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
