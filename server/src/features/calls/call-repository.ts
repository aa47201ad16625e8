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

  constructor(
    db: Db,
    private readonly log: CallLog,
  ) {
    this.selectEarlier = db.prepare(
      'SELECT id FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ? ORDER BY enqueued_at DESC, rowid DESC LIMIT ?',
    );
    this.countEarlier = db.prepare('SELECT COUNT(*) AS n FROM calls WHERE caller = ? AND enqueued_at < ? AND id <> ?');
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

  /** Ids of the calls the seat answered in [from, to) (answer time), newest first. */
  answeredBy(seatId: string, from: number, to: number): string[] {
    return (this.selectAnsweredBy.all(seatId, from, to) as { id: string }[]).map((r) => r.id);
  }
}
