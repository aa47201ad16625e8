import type { Role } from '../contract/index.js';
import { SeatProfileSchema, type SeatProfile } from '../domain/model.js';
import { RoutingConfigSchema, type RoutingConfig } from '../domain/policy.js';
import type { Db } from './db.js';

const ROUTING_KEY = 'routing_config';

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  getRoutingConfig(): RoutingConfig | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(ROUTING_KEY) as { value: string } | undefined;
    if (!row) return null;
    return RoutingConfigSchema.parse(JSON.parse(row.value));
  }

  saveRoutingConfig(cfg: RoutingConfig, at: number): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(ROUTING_KEY, JSON.stringify(cfg), at);
  }
}

export class SeatRepo {
  constructor(private readonly db: Db) {}

  list(): SeatProfile[] {
    const rows = this.db
      .prepare('SELECT id, name, staff_no, centre_id, skills_json, languages_json FROM seats WHERE active = 1 ORDER BY staff_no')
      .all() as { id: string; name: string; staff_no: string; centre_id: string; skills_json: string; languages_json: string }[];
    return rows.map((r) =>
      SeatProfileSchema.parse({
        id: r.id,
        name: r.name,
        staffNo: r.staff_no,
        centreId: r.centre_id,
        skills: JSON.parse(r.skills_json),
        languages: JSON.parse(r.languages_json),
      }),
    );
  }

  upsert(p: SeatProfile): void {
    this.db
      .prepare(
        `INSERT INTO seats (id, name, staff_no, centre_id, skills_json, languages_json) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, staff_no = excluded.staff_no, centre_id = excluded.centre_id,
           skills_json = excluded.skills_json, languages_json = excluded.languages_json, active = 1`,
      )
      .run(p.id, p.name, p.staffNo, p.centreId, JSON.stringify(p.skills), JSON.stringify(p.languages));
  }
}

export interface UserRow {
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

const toUser = (r: RawUser): UserRow => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  displayName: r.display_name,
  seatId: r.seat_id,
  disabled: r.disabled === 1,
});

export class UserRepo {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  byUsername(username: string): UserRow | null {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as RawUser | undefined;
    return r ? toUser(r) : null;
  }

  byId(id: number): UserRow | null {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as RawUser | undefined;
    return r ? toUser(r) : null;
  }

  create(u: Omit<UserRow, 'id' | 'disabled'>, at: number): number {
    const res = this.db
      .prepare('INSERT INTO users (username, password_hash, role, display_name, seat_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.username, u.passwordHash, u.role, u.displayName, u.seatId, at);
    return Number(res.lastInsertRowid);
  }
}

export class SessionRepo {
  constructor(private readonly db: Db) {}

  create(tokenHash: string, userId: number, now: number, expiresAt: number): void {
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, now, expiresAt);
  }

  /**
   * The user of a live session and when it now expires, extending it (sliding
   * expiry; written only when it moves by more than a minute).
   */
  touch(tokenHash: string, now: number, expiresAt: number): { userId: number; expiresAt: number } | null {
    const row = this.db.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { user_id: number; expires_at: number }
      | undefined;
    if (!row) return null;
    if (row.expires_at <= now) {
      this.delete(tokenHash);
      return null;
    }
    if (expiresAt - row.expires_at > 60_000) {
      this.db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(expiresAt, tokenHash);
      return { userId: row.user_id, expiresAt };
    }
    return { userId: row.user_id, expiresAt: row.expires_at };
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  purgeExpired(now: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }
}
