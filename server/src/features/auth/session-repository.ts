import type { Db } from '../../store/db.js';

/** Sessions (sessions table), keyed by the SHA-256 of their token. */
export class SessionRepository {
  // Prepared once: every authenticated request reads its session.
  private readonly selectStmt;
  private readonly extendStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Db) {
    this.selectStmt = db.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?');
    this.extendStmt = db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?');
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  }

  create(tokenHash: string, userId: number, now: number, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, now, expiresAt);
  }

  /**
   * The user of a live session and when it now expires, extending it (sliding
   * expiry; written only when it moves by more than a minute).
   */
  touch(tokenHash: string, now: number, expiresAt: number): { userId: number; expiresAt: number } | null {
    const row = this.selectStmt.get(tokenHash) as { user_id: number; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at <= now) {
      this.delete(tokenHash);
      return null;
    }
    if (expiresAt - row.expires_at > 60_000) {
      this.extendStmt.run(expiresAt, tokenHash);
      return { userId: row.user_id, expiresAt };
    }
    return { userId: row.user_id, expiresAt: row.expires_at };
  }

  delete(tokenHash: string): void {
    this.deleteStmt.run(tokenHash);
  }

  purgeExpired(now: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }
}
