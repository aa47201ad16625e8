import type { Db } from '../../store/db.js';

/** A stored session: when it began, its absolute end, and when its user last did something. */
export interface SessionRecord {
  tokenHash: string;
  userId: number;
  createdAt: number;
  /** The absolute end (created + lifetime): never moved. */
  expiresAt: number;
  lastSeenAt: number;
}

interface Row {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

const toRecord = (r: Row): SessionRecord => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastSeenAt: r.last_seen_at,
});

/** Sessions (sessions table), keyed by the SHA-256 of their token. */
export class SessionRepository {
  // Prepared once: every authenticated request reads its session.
  private readonly selectStmt;
  private readonly seenStmt;
  private readonly deleteStmt;

  constructor(private readonly db: Db) {
    this.selectStmt = db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
    this.seenStmt = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?');
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  }

  create(tokenHash: string, userId: number, now: number, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(tokenHash, userId, now, expiresAt, now);
  }

  get(tokenHash: string): SessionRecord | null {
    const row = this.selectStmt.get(tokenHash) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Records activity; written only when it moves by more than `resolutionMs` (one write per half minute at most). */
  seen(tokenHash: string, now: number, resolutionMs: number): void {
    this.seenStmt.run(now, tokenHash, now - resolutionMs);
  }

  /** A user's sessions, oldest first. */
  ofUser(userId: number): SessionRecord[] {
    return (this.db.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, rowid').all(userId) as Row[]).map(toRecord);
  }

  /** Sessions past their absolute end, or not seen since `idleBefore`. */
  endedOrIdle(now: number, idleBefore: number): SessionRecord[] {
    return (this.db.prepare('SELECT * FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').all(now, idleBefore) as Row[]).map(
      toRecord,
    );
  }

  /** The earliest moment a stored session could end (its absolute end, or idle since last seen); null when none. */
  nextDeadline(idleMs: number): number | null {
    const row = (
      idleMs > 0
        ? this.db.prepare('SELECT MIN(MIN(expires_at, last_seen_at + ?)) AS at FROM sessions').get(idleMs)
        : this.db.prepare('SELECT MIN(expires_at) AS at FROM sessions').get()
    ) as { at: number | null };
    return row.at;
  }

  delete(tokenHash: string): void {
    this.deleteStmt.run(tokenHash);
  }

  /** Ends every session of a user (an account disabled or its password changed). */
  deleteOfUser(userId: number): string[] {
    const hashes = this.ofUser(userId).map((s) => s.tokenHash);
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    return hashes;
  }
}
