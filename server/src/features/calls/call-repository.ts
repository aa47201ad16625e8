import type { Call } from '../../domain/call.js';
import type { Db } from '../../store/db.js';

/** The engine's durable call log (store/engine-store.ts) as the calls feature reads it. */
export interface CallLog {
  loadCall(id: string): Call | null;
  listCallsEnqueued(from: number, to: number, limit: number): Call[];
}

/** Calls as stored: the engine's log, and the look-ups of the seat console over the calls table. */
export class CallRepository {
  private readonly selectEarlier;
  private readonly countEarlier;
  private readonly selectAnsweredBy;
  private readonly selectEnqueuedIn;
  private readonly selectUnfiled;

  constructor(
    db: Db,
    private readonly log: CallLog,
  ) {
    this.selectEarlier = db.prepare(
      'SELECT id FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ? ORDER BY enqueued_at DESC, rowid DESC LIMIT ?',
    );
    this.countEarlier = db.prepare('SELECT COUNT(*) AS n FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ?');
    this.selectEnqueuedIn = db.prepare(
      `SELECT id FROM calls WHERE enqueued_at >= ? AND enqueued_at < ?
         AND (home_centre_id IN (SELECT value FROM json_each(?)) OR seat_id IN (SELECT value FROM json_each(?)))
       ORDER BY enqueued_at DESC, rowid DESC LIMIT ?`,
    );
    // 小结未填: answered, over (the seat's wrap-up ended, e.g. it went offline), and no summary on file.
    this.selectUnfiled = db.prepare(
      `SELECT c.id FROM calls c WHERE c.state_kind = 'ended' AND c.answered_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM call_summaries s WHERE s.call_id = c.id)
         AND (? IS NULL OR c.seat_id = ?)
       ORDER BY c.answered_at DESC LIMIT ?`,
    );
    this.selectAnsweredBy = db.prepare(
      'SELECT id FROM calls WHERE seat_id = ? AND answered_at >= ? AND answered_at < ? ORDER BY answered_at DESC, rowid DESC',
    );
  }

  load(id: string): Call | null {
    return this.log.loadCall(id);
  }

  /** Calls enqueued in [from, to), newest first. */
  listEnqueued(from: number, to: number, limit: number): Call[] {
    return this.log.listCallsEnqueued(from, to, limit);
  }

  /** Ids of the caller's calls enqueued before `before` (other than `callId`), newest first, and how many there are. */
  earlierCalls(caller: string, before: number, callId: string, limit: number): { ids: string[]; total: number } {
    const ids = (this.selectEarlier.all(caller, before, callId, limit) as { id: string }[]).map((r) => r.id);
    const { n } = this.countEarlier.get(caller, before, callId) as { n: number };
    return { ids, total: n };
  }

  /** Calls enqueued in [from, to) whose home centre is one of `centres` or that a seat of `seatIds` took, newest first. */
  listEnqueuedIn(from: number, to: number, limit: number, centres: readonly string[], seatIds: readonly string[]): Call[] {
    const ids = this.selectEnqueuedIn.all(from, to, JSON.stringify(centres), JSON.stringify(seatIds), limit) as { id: string }[];
    return ids.map((r) => this.log.loadCall(r.id)).filter((c): c is Call => c !== null);
  }

  /** Ids of answered calls that ended without a summary (of one seat, or of every seat), newest first. */
  unfiled(seatId: string | null, limit: number): string[] {
    return (this.selectUnfiled.all(seatId, seatId, limit) as { id: string }[]).map((r) => r.id);
  }

  /** Ids of the calls the seat answered in [from, to) (answer time), newest first. */
  answeredBy(seatId: string, from: number, to: number): string[] {
    return (this.selectAnsweredBy.all(seatId, from, to) as { id: string }[]).map((r) => r.id);
  }
}
