import crypto from 'node:crypto';

/** The hash the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit entry as stored (before/after as the JSON text written, so verifying never re-serialises). */
export interface AuditEntryRecord {
  id: number;
  at: number;
  userId: number | null;
  username: string;
  role: string;
  address: string;
  action: string;
  target: string;
  beforeJson: string | null;
  afterJson: string | null;
  reason: string;
  prevHash: string;
  hash: string;
}

/** The canonical text of an entry: its fields (not its hashes) as JSON in a fixed key order. */
export function canonicalEntry(e: Omit<AuditEntryRecord, 'prevHash' | 'hash'>): string {
  return JSON.stringify([e.id, e.at, e.userId, e.username, e.role, e.address, e.action, e.target, e.beforeJson, e.afterJson, e.reason]);
}

/** SHA-256 over the previous entry's hash and this entry's canonical text. */
export function entryHash(prevHash: string, e: Omit<AuditEntryRecord, 'prevHash' | 'hash'>): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(e)).digest('hex');
}

export type ChainVerdict =
  { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; firstBadId: number; problem: string };

/** Walks the entries in id order and names the first that does not fit the chain. */
export function verifyChain(entries: Iterable<AuditEntryRecord>): ChainVerdict {
  let prev = GENESIS_HASH;
  let n = 0;
  for (const e of entries) {
    n += 1;
    if (e.prevHash !== prev) {
      return {
        ok: false,
        entries: n,
        firstBadId: e.id,
        problem: `entry ${e.id} does not follow the entry before it (an entry was removed, inserted or reordered)`,
      };
    }
    if (entryHash(prev, e) !== e.hash) {
      return {
        ok: false,
        entries: n,
        firstBadId: e.id,
        problem: `entry ${e.id} was changed after it was written (its hash does not match its content)`,
      };
    }
    prev = e.hash;
  }
  return { ok: true, entries: n, lastHash: prev };
}
