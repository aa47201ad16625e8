import crypto from 'node:crypto';
import type { PasswordStatus, UserCreate, UserUpdate } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { AuditActor, AuditService } from '../audit/audit-service.js';
import type { AccountService, UserRecord } from '../auth/accounts-service.js';
import { ValidationError } from '../shared/validation.js';

/**
 * The sign-in brake around one check of a user's current password (the auth feature's brake):
 * the attempt is counted before the hash is checked (RATE_LIMITED while the account is held at
 * this address), then settled.
 */
export type PasswordAttempt = (username: string) => { succeeded(): void; failed(): { scope: string; until: number } | null };

/** The sign-in brake's side of "unlock" (the auth feature's brake provides it). */
export interface SignInLocks {
  /** Clears the account's sign-in failures; returns how many locks it cleared. */
  unlock(username: string): number;
}

export interface UserServiceDeps {
  db: Db;
  users: AccountService;
  audit: AuditService;
  clock: Clock;
  /** Seats and centres the configuration knows. */
  seatExists: (seatId: string) => boolean;
  centreExists: (centreId: string) => boolean;
  /** The brake's unlock; null until the brake offers one. */
  locks: SignInLocks | null;
  /** Passwords older than this must be changed (0: no expiry). */
  maxPasswordAgeMs: number;
  /** Guesses of the current password in a change count as failed sign-ins (none counted when absent). */
  passwordAttempt?: PasswordAttempt;
  /** Ends the account's sessions with their sockets and phone (the auth feature); the bare table delete when absent. */
  endSessions?: (id: number, reason: 'disabled' | 'password-changed') => void;
  /** Ends the account's sessions except the one that changed its own password. */
  endOtherSessions?: (id: number, keepTokenHash: string) => void;
  /** After an account's role, seat or centres changed: its open sockets are refreshed (and a seat it left loses its phone). */
  onAccountChanged?: (id: number, leftSeatId: string | null) => void;
}

/** What the audit log keeps of an account: never the hash. */
const auditedUser = (u: UserRecord) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  seatId: u.seatId,
  centres: u.centres,
  disabled: u.disabled,
});

/** A one-time password that meets the policy: 4 kinds, 16 characters, no look-alikes. */
export function oneTimePassword(): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#%+=@'];
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = sets.map(pick);
  const all = sets.join('');
  while (chars.length < 16) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * Accounts (用户管理): administrators create accounts (role, bound seat, centres in scope),
 * change, disable and enable them, reset a password (one-time: changed at the next sign-in) and
 * unlock a sign-in lock; everyone changes their own password. Every change is in the audit log,
 * in the same transaction.
 */
export class UserService {
  constructor(private readonly o: UserServiceDeps) {}

  list(): UserRecord[] {
    return this.o.users.list();
  }

  get(id: number): UserRecord {
    const u = this.o.users.byId(id);
    if (!u) throw new DomainError('NOT_FOUND', `没有编号为 ${id} 的用户`);
    return u;
  }

  async create(actor: AuditActor, input: UserCreate): Promise<UserRecord> {
    this.checkShape(input);
    this.checkPassword(input.password, input.username);
    if (this.o.users.byUsername(input.username)) throw new ValidationError({ username: [`用户名 ${input.username} 已被使用`] });
    const passwordHash = await this.o.users.hash(input.password);
    const { users, audit, clock } = this.o;
    return immediateTransaction(this.o.db, () => {
      if (users.byUsername(input.username)) throw new ValidationError({ username: [`用户名 ${input.username} 已被使用`] });
      const id = users.create(
        { ...input, centres: this.centresFor(input), passwordHash, mustChangePassword: actor.role !== 'system' },
        clock.now(),
      );
      const created = users.byId(id)!;
      audit.record({ actor, action: 'user.create', target: `user:${id}`, after: auditedUser(created) });
      return created;
    });
  }

  update(actor: AuditActor, id: number, input: UserUpdate): UserRecord {
    this.checkShape(input);
    const { users, audit } = this.o;
    const changed = immediateTransaction(this.o.db, () => {
      const before = this.get(id);
      if (before.id === actor.id && input.role !== before.role) throw new DomainError('CONFLICT', '不能修改自己的角色');
      users.update(id, { ...input, centres: this.centresFor(input) });
      const after = users.byId(id)!;
      this.keepAnAdministrator(before, after, `不能把 ${before.username} 改为其他角色`);
      audit.record({ actor, action: 'user.update', target: `user:${id}`, before: auditedUser(before), after: auditedUser(after) });
      return { before, after };
    });
    const { before, after } = changed;
    const moved = before.role !== after.role || before.seatId !== after.seatId;
    if (moved || JSON.stringify(before.centres) !== JSON.stringify(after.centres)) {
      this.o.onAccountChanged?.(id, before.seatId !== after.seatId ? before.seatId : null);
    }
    return after;
  }

  setDisabled(actor: AuditActor, id: number, disabled: boolean): UserRecord {
    const { users, audit } = this.o;
    return immediateTransaction(this.o.db, () => {
      const before = this.get(id);
      if (before.id === actor.id) throw new DomainError('CONFLICT', '不能停用自己的账号');
      users.setDisabled(id, disabled);
      this.keepAnAdministrator(before, users.byId(id)!, `不能停用 ${before.username}`);
      if (disabled) this.endSessions(id, 'disabled');
      audit.record({
        actor,
        action: disabled ? 'user.disable' : 'user.enable',
        target: `user:${id}`,
        before: { disabled: before.disabled },
        after: { disabled },
      });
      return users.byId(id)!;
    });
  }

  /** A new one-time password (returned once); the account's sessions end, and it must be changed at sign-in. */
  async resetPassword(actor: AuditActor, id: number): Promise<{ user: UserRecord; oneTimePassword: string }> {
    this.get(id);
    const password = oneTimePassword();
    const passwordHash = await this.o.users.hash(password);
    const { users, audit, clock } = this.o;
    const user = immediateTransaction(this.o.db, () => {
      this.get(id);
      users.setPassword(id, passwordHash, true, clock.now());
      this.endSessions(id, 'password-changed');
      audit.record({ actor, action: 'user.password-reset', target: `user:${id}`, after: { mustChangePassword: true } });
      return users.byId(id)!;
    });
    return { user, oneTimePassword: password };
  }

  /** Clears the account's sign-in lock through the brake. */
  unlock(actor: AuditActor, id: number): number {
    const user = this.get(id);
    if (!this.o.locks) throw new DomainError('UNAVAILABLE', '登录锁定由登录限速模块管理,当前版本尚未提供解锁接口');
    const locks = this.o.locks;
    return immediateTransaction(this.o.db, () => {
      const cleared = locks.unlock(user.username);
      this.o.audit.record({ actor, action: 'user.unlock', target: `user:${id}`, after: { cleared } });
      return cleared;
    });
  }

  /**
   * Everyone's own password: the current one, then a new one that meets the policy and differs
   * from it. Every other session of the account ends (whoever knew the old password is out); the
   * session that changed it (`keepTokenHash`) goes on.
   */
  async changeOwnPassword(actor: AuditActor, currentPassword: string, newPassword: string, keepTokenHash?: string): Promise<void> {
    if (actor.id === null) throw new DomainError('UNAUTHENTICATED', '请先登录');
    const user = this.get(actor.id);
    // Whoever holds a session (a console left signed in) must not guess the password unbraked.
    let attempt: ReturnType<PasswordAttempt> | null;
    try {
      attempt = this.o.passwordAttempt?.(user.username) ?? null;
    } catch (err) {
      // held by the brake: refused before any hash, and on record like a refused sign-in
      if (err instanceof DomainError && err.code === 'RATE_LIMITED') {
        this.o.audit.record({ actor, action: 'user.password-change-failed', target: `user:${user.id}`, reason: 'locked' });
      }
      throw err;
    }
    if (!(await this.o.users.verify(currentPassword, user.passwordHash))) {
      const lock = attempt?.failed() ?? null;
      this.o.audit.record({
        actor,
        action: 'user.password-change-failed',
        target: `user:${user.id}`,
        reason: 'bad-current-password',
        after: lock ?? undefined,
      });
      throw new ValidationError({ currentPassword: ['当前密码不正确'] });
    }
    attempt?.succeeded();
    this.checkPassword(newPassword, user.username, 'newPassword');
    if (newPassword === currentPassword) throw new ValidationError({ newPassword: ['新密码不能与当前密码相同'] });
    const passwordHash = await this.o.users.hash(newPassword);
    const { users, audit, clock } = this.o;
    immediateTransaction(this.o.db, () => {
      users.setPassword(user.id, passwordHash, false, clock.now());
      audit.record({ actor, action: 'user.password-change', target: `user:${user.id}` });
    });
    if (keepTokenHash) this.o.endOtherSessions?.(user.id, keepTokenHash);
  }

  /**
   * Inside the change's transaction, after the write: when the change took an enabled
   * administrator away and none is left enabled, it is refused (the transaction rolls back). The
   * count is of the committed state plus this change, so two administrators demoting or disabling
   * each other at the same instant cannot both succeed.
   */
  private keepAnAdministrator(before: UserRecord, after: UserRecord, refused: string): void {
    const enabledAdmin = (u: UserRecord) => u.role === 'admin' && !u.disabled;
    if (!enabledAdmin(before) || enabledAdmin(after)) return;
    if (this.o.users.list().some(enabledAdmin)) return;
    throw new DomainError('CONFLICT', `${refused}:系统须至少保留一名启用的系统管理员`);
  }

  private endSessions(id: number, reason: 'disabled' | 'password-changed'): void {
    if (this.o.endSessions) this.o.endSessions(id, reason);
    else this.o.users.endSessions(id);
  }

  /** Whether the user must change the password before doing anything else. */
  passwordStatus(userId: number): PasswordStatus {
    const u = this.o.users.byId(userId);
    const maxAge = this.o.maxPasswordAgeMs;
    const expiresAt = u && maxAge > 0 ? (u.passwordChangedAt ?? u.createdAt) + maxAge : null;
    if (u?.mustChangePassword) return { mustChange: true, reason: 'reset', expiresAt };
    if (expiresAt !== null && expiresAt <= this.o.clock.now()) return { mustChange: true, reason: 'expired', expiresAt };
    return { mustChange: false, reason: null, expiresAt };
  }

  private checkPassword(password: string, username: string, field = 'password'): void {
    const problems = this.o.users.problems(password, username);
    if (problems.length) throw new ValidationError({ [field]: problems });
  }

  private checkShape(input: { role: string; seatId: string | null; centres: string[] | null }): void {
    const fields: Record<string, string[]> = {};
    if (input.role === 'seat' && !input.seatId) fields.seatId = ['坐席账号须绑定一个坐席'];
    if (input.seatId && !this.o.seatExists(input.seatId)) fields.seatId = [`没有坐席 ${input.seatId}`];
    if (input.role !== 'seat' && input.seatId) fields.seatId = ['只有坐席账号绑定坐席'];
    for (const c of input.centres ?? []) if (!this.o.centreExists(c)) (fields.centres ??= []).push(`未知的中心 ${c}`);
    if (input.centres && input.centres.length === 0) fields.centres = ['请至少选择一个中心,或选择全部中心'];
    if (Object.keys(fields).length) throw new ValidationError(fields);
  }

  /** Only supervisors and managers are scoped by centre. */
  private centresFor(input: { role: string; centres: string[] | null }): string[] | null {
    return input.role === 'supervisor' || input.role === 'manager' ? input.centres : null;
  }
}
