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
}

type RawUser = {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  display_name: string;
  seat_id: string | null;
  disabled: number;
};

const toUser = (r: RawUser): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  displayName: r.display_name,
  seatId: r.seat_id,
  disabled: r.disabled === 1,
});

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

  create(u: Omit<UserRecord, 'id' | 'disabled'>, at: number): number {
    const res = this.db
      .prepare('INSERT INTO users (username, password_hash, role, display_name, seat_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.username, u.passwordHash, u.role, u.displayName, u.seatId, at);
    return Number(res.lastInsertRowid);
  }
}
