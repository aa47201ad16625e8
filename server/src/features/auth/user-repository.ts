import type { Role } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

/** An account as stored. */
export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  seatId: string | null;
  disabled: boolean;
  /** Centres a supervisor or manager sees; null = every centre (the city's staff, administrators). */
  centres: string[] | null;
  /** Set by an administrator's reset: the password is one-time and must be changed at sign-in. */
  mustChangePassword: boolean;
  /** When the password was last set (null: at creation, before this was recorded). */
  passwordChangedAt: number | null;
  createdAt: number;
}

type RawUser = {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  display_name: string;
  seat_id: string | null;
  disabled: number;
  centres_json: string | null;
  must_change_password: number;
  password_changed_at: number | null;
  created_at: number;
};

const toUser = (r: RawUser): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  displayName: r.display_name,
  seatId: r.seat_id,
  disabled: r.disabled === 1,
  centres: r.centres_json === null ? null : (JSON.parse(r.centres_json) as string[]),
  mustChangePassword: r.must_change_password === 1,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
});

/** What creating an account takes. */
export type NewUser = Pick<UserRecord, 'username' | 'passwordHash' | 'role' | 'displayName' | 'seatId'> &
  Partial<Pick<UserRecord, 'centres' | 'mustChangePassword'>>;

/** Accounts (users table). */
export class UserRepository {
  // Prepared once: every authenticated request reads its user.
  private readonly byIdStmt;
  private readonly byUsernameStmt;

  constructor(private readonly db: Db) {
    this.byIdStmt = db.prepare('SELECT * FROM users WHERE id = ?');
    this.byUsernameStmt = db.prepare('SELECT * FROM users WHERE username = ?');
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  byUsername(username: string): UserRecord | null {
    const r = this.byUsernameStmt.get(username) as RawUser | undefined;
    return r ? toUser(r) : null;
  }

  byId(id: number): UserRecord | null {
    const r = this.byIdStmt.get(id) as RawUser | undefined;
    return r ? toUser(r) : null;
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as RawUser[]).map(toUser);
  }

  create(u: NewUser, at: number): number {
    const res = this.db
      .prepare(
        `INSERT INTO users (username, password_hash, role, display_name, seat_id, created_at, centres_json, must_change_password, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.username,
        u.passwordHash,
        u.role,
        u.displayName,
        u.seatId,
        at,
        u.centres ? JSON.stringify(u.centres) : null,
        u.mustChangePassword ? 1 : 0,
        at,
      );
    return Number(res.lastInsertRowid);
  }

  /** Changes an account's role, name, seat and centres. */
  update(id: number, u: Pick<UserRecord, 'role' | 'displayName' | 'seatId' | 'centres'>): void {
    this.db
      .prepare('UPDATE users SET role = ?, display_name = ?, seat_id = ?, centres_json = ? WHERE id = ?')
      .run(u.role, u.displayName, u.seatId, u.centres ? JSON.stringify(u.centres) : null, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  setPassword(id: number, passwordHash: string, mustChange: boolean, at: number): void {
    this.db
      .prepare('UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ? WHERE id = ?')
      .run(passwordHash, mustChange ? 1 : 0, at, id);
  }

  /** Ends every session of the account (disabled, or its password was reset). */
  endSessions(id: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
  }
}
