import { hashPassword, isDemoPasswordHash, passwordProblems, verifyPassword } from './passwords.js';
import type { NewUser, UserRecord, UserRepository } from './user-repository.js';

export type { NewUser, UserRecord } from './user-repository.js';

/**
 * The accounts as other features (用户管理, scope, the production check) reach them: the users
 * table, password hashing and the password policy, without the sessions or the sign-in brake.
 */
export class AccountService {
  constructor(
    private readonly repo: UserRepository,
    /** How a password is hashed (tests pass a cheaper one). */
    private readonly hashFn: (password: string) => Promise<string> = hashPassword,
  ) {}

  byId(id: number): UserRecord | null {
    return this.repo.byId(id);
  }
  byUsername(username: string): UserRecord | null {
    return this.repo.byUsername(username);
  }
  list(): UserRecord[] {
    return this.repo.list();
  }
  count(): number {
    return this.repo.count();
  }
  create(u: NewUser, at: number): number {
    return this.repo.create(u, at);
  }
  update(id: number, u: Pick<UserRecord, 'role' | 'displayName' | 'seatId' | 'centres'>): void {
    this.repo.update(id, u);
  }
  setDisabled(id: number, disabled: boolean): void {
    this.repo.setDisabled(id, disabled);
  }
  setPassword(id: number, passwordHash: string, mustChange: boolean, at: number): void {
    this.repo.setPassword(id, passwordHash, mustChange, at);
  }
  endSessions(id: number): void {
    this.repo.endSessions(id);
  }
  hash(password: string): Promise<string> {
    return this.hashFn(password);
  }
  verify(password: string, stored: string): Promise<boolean> {
    return verifyPassword(password, stored);
  }
  /** What is wrong with a new password (the policy in passwords.ts); empty when acceptable. */
  problems(password: string, username: string): string[] {
    return passwordProblems(password, username);
  }
  /** The accounts whose password is still a demo password (a production start refuses them). */
  async withDemoPassword(): Promise<UserRecord[]> {
    // scrypt runs on libuv's thread pool: check the accounts side by side.
    const users = this.repo.list();
    const demo = await Promise.all(users.map((u) => isDemoPasswordHash(u.passwordHash)));
    return users.filter((_, i) => demo[i]);
  }
}
