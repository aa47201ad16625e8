import type { Call, CallEvent } from '../domain/call.js';
import type { EngineStore } from '../domain/engine.js';
import type { Seat, SeatState } from '../domain/seat.js';
import type { Db } from './db.js';

const ACTIVE = ['queued', 'ringing', 'talking', 'wrap-up'];

export interface StoredSeatState {
  id: string;
  state: SeatState;
  registered: boolean;
  missedAt: number[];
}

/** The engine's durable state in SQLite: call snapshots, call events, seat states. */
export class SqliteEngineStore implements EngineStore {
  private readonly upsertCall;
  private readonly upsertAnsweredCall;
  private readonly insertEvent;
  private readonly upsertSeat;
  private readonly insertSeatEvent;
  private readonly lastSeat;
  private readonly selectEvents;
  private readonly selectEnqueued;
  private readonly selectEventsOf;
  private readonly lastSeatKind = new Map<string, string>();
  /** One transaction function for every unit (better-sqlite3 builds its wrappers once, not per call). */
  private readonly runInTransaction;

  constructor(private readonly db: Db) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.upsertCall = db.prepare(upsertCallSql(false));
    this.upsertAnsweredCall = db.prepare(upsertCallSql(true));
    this.insertEvent = db.prepare('INSERT INTO call_events (call_id, at, type, data_json) VALUES (?, ?, ?, ?)');
    this.upsertSeat = db.prepare(`
      INSERT INTO seat_states (seat_id, state_json, registered, missed_json, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(seat_id) DO UPDATE SET state_json = excluded.state_json, registered = excluded.registered,
        missed_json = excluded.missed_json, updated_at = excluded.updated_at`);
    this.insertSeatEvent = db.prepare('INSERT INTO seat_events (seat_id, at, kind, reason, call_id) VALUES (?, ?, ?, ?, ?)');
    this.selectEvents = db.prepare('SELECT at, type, data_json FROM call_events WHERE call_id = ? ORDER BY id');
    this.selectEnqueued = db.prepare(
      'SELECT id, snapshot_json FROM calls WHERE enqueued_at >= ? AND enqueued_at < ? ORDER BY enqueued_at DESC, rowid DESC LIMIT ?',
    );
    this.selectEventsOf = db.prepare(
      'SELECT call_id, at, type, data_json FROM call_events WHERE call_id IN (SELECT value FROM json_each(?)) ORDER BY call_id, id',
    );
    this.lastSeat = db.prepare('SELECT seat_id FROM calls WHERE caller = ? AND answered_at >= ? ORDER BY answered_at DESC LIMIT 1');
  }

  /**
   * One IMMEDIATE transaction, or, when one is already open on this database, part of it:
   * the engine's unit of work joins the rows its caller writes (SIP legs, later summaries)
   * into one commit, made by whoever opened the transaction.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.runInTransaction.immediate(fn) as T;
  }

  saveCall(call: Call, newEvents: readonly CallEvent[]): void {
    const { events: _events, ...snapshot } = call;
    const answered = call.events.find((e) => e.type === 'answered');
    const st = call.state;
    const terminal = !ACTIVE.includes(st.kind);
    // seat_id and answered_at change once, with the answer: other saves leave them (and their indexes) alone.
    const upsert = newEvents.some((e) => e.type === 'answered') ? this.upsertAnsweredCall : this.upsertCall;
    upsert.run({
      id: call.id,
      caller: call.caller,
      dialed: call.dialed,
      trunk: call.trunk,
      categoryId: call.categoryId,
      homeCentreId: call.homeCentreId,
      priority: call.priority,
      enqueuedAt: call.enqueuedAt,
      stateKind: st.kind,
      seatId: answered && answered.type === 'answered' ? answered.seatId : null,
      answeredAt: answered ? answered.at : null,
      endedAt: terminal ? st.since : null,
      snapshot: JSON.stringify(snapshot),
      updatedAt: st.since,
    });
    for (const e of newEvents) {
      const { type, at, ...data } = e;
      this.insertEvent.run(call.id, at, type, JSON.stringify(data));
    }
  }

  saveSeatState(seat: Seat): void {
    const st = seat.state;
    this.upsertSeat.run(seat.profile.id, JSON.stringify(st), seat.registered ? 1 : 0, JSON.stringify(seat.missedAt), st.since);
    const key = `${st.kind}|${st.since}`;
    if (this.lastSeatKind.get(seat.profile.id) !== key) {
      this.lastSeatKind.set(seat.profile.id, key);
      const reason = st.kind === 'not-ready' ? st.reason : null;
      const callId = 'callId' in st ? st.callId : null;
      this.insertSeatEvent.run(seat.profile.id, st.since, st.kind, reason, callId);
    }
  }

  lastAnsweringSeat(caller: string, since: number): string | null {
    const row = this.lastSeat.get(caller, since) as { seat_id: string } | undefined;
    return row?.seat_id ?? null;
  }

  /** Calls still in progress, with their full event logs, oldest first. */
  loadActiveCalls(): Call[] {
    const rows = this.db
      .prepare(`SELECT snapshot_json FROM calls WHERE state_kind IN (${ACTIVE.map(() => '?').join(',')}) ORDER BY enqueued_at`)
      .all(...ACTIVE) as { snapshot_json: string }[];
    return rows.map((r) => this.withEvents(r.snapshot_json));
  }

  loadSeatStates(): StoredSeatState[] {
    const rows = this.db.prepare('SELECT seat_id, state_json, registered, missed_json FROM seat_states').all() as {
      seat_id: string;
      state_json: string;
      registered: number;
      missed_json: string;
    }[];
    return rows.map((r) => ({
      id: r.seat_id,
      state: JSON.parse(r.state_json) as SeatState,
      registered: r.registered === 1,
      missedAt: JSON.parse(r.missed_json) as number[],
    }));
  }

  /** A finished or active call with its events (for supervisors' "why"). */
  loadCall(id: string): Call | null {
    const row = this.db.prepare('SELECT snapshot_json FROM calls WHERE id = ?').get(id) as { snapshot_json: string } | undefined;
    return row ? this.withEvents(row.snapshot_json) : null;
  }

  /**
   * Calls enqueued in [from, to), newest first (then the latest written first), with
   * their event logs: two queries whatever the count (calls_enqueued, call_events_call).
   */
  listCallsEnqueued(from: number, to: number, limit: number): Call[] {
    const rows = this.selectEnqueued.all(from, to, limit) as { id: string; snapshot_json: string }[];
    if (rows.length === 0) return [];
    const events = new Map<string, CallEvent[]>(rows.map((r) => [r.id, []]));
    const eventRows = this.selectEventsOf.all(JSON.stringify(rows.map((r) => r.id))) as {
      call_id: string;
      at: number;
      type: string;
      data_json: string;
    }[];
    for (const e of eventRows) events.get(e.call_id)?.push(toEvent(e));
    return rows.map((r) => ({ ...(JSON.parse(r.snapshot_json) as Omit<Call, 'events'>), events: events.get(r.id)! }));
  }

  /** A stored call snapshot joined with its event log, in the order written. */
  private withEvents(snapshotJson: string): Call {
    const snapshot = JSON.parse(snapshotJson) as Omit<Call, 'events'>;
    const rows = this.selectEvents.all(snapshot.id) as { at: number; type: string; data_json: string }[];
    return { ...snapshot, events: rows.map(toEvent) };
  }
}

/**
 * Inserts a call or updates what changes as it moves. `answered`: also seat_id and answered_at
 * (only the save holding the answer); SQLite rewrites an index entry whenever an UPDATE sets one
 * of its columns, even to the same value, so the other saves do not name them.
 */
function upsertCallSql(answered: boolean): string {
  return `
      INSERT INTO calls (id, caller, dialed, trunk, category_id, home_centre_id, priority, enqueued_at, state_kind,
                         seat_id, answered_at, ended_at, snapshot_json, updated_at)
      VALUES (@id, @caller, @dialed, @trunk, @categoryId, @homeCentreId, @priority, @enqueuedAt, @stateKind,
              @seatId, @answeredAt, @endedAt, @snapshot, @updatedAt)
      ON CONFLICT(id) DO UPDATE SET category_id = excluded.category_id, priority = excluded.priority,
        state_kind = excluded.state_kind,${answered ? ' seat_id = excluded.seat_id, answered_at = excluded.answered_at,' : ''}
        ended_at = excluded.ended_at, snapshot_json = excluded.snapshot_json, updated_at = excluded.updated_at`;
}

const toEvent = (e: { at: number; type: string; data_json: string }): CallEvent =>
  ({ type: e.type, at: e.at, ...JSON.parse(e.data_json) }) as CallEvent;
