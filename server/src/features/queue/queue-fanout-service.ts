import type { QueueDelta, QueueSnapshot, SeatWallView } from '../../contract/index.js';
import { ROOMS } from '../../transport/socket-handlers.js';
import { queueSnapshot, SCOPED_ROOM_PREFIX, SeatWallViews, type LiveQueue } from './queue-views.js';

/** Room of the supervisors of a scope ('' = every centre, else sorted centre ids) who asked for deltas. */
export const DELTA_ROOM_PREFIX = 'queue-deltas:';
export const deltaRoom = (centres: readonly string[] | null) =>
  `${DELTA_ROOM_PREFIX}${centres === null ? '' : [...centres].sort().join(',')}`;

/** How often a push compares every seat's reused view with a fresh one (SeatWallViews.recheck). */
const RECHECK_MS = 10_000;

/**
 * What a scope's delta subscribers were last sent: each seat's view (the same object while the
 * seat is unchanged), each call's JSON, and the snapshot they came from.
 */
interface ScopeState {
  seq: number;
  last: QueueSnapshot;
  seats: Map<string, SeatWallView>;
  calls: Map<string, string>;
  service: string;
  alerts: string;
}

/** Where one push goes: the transport's rooms and emitters. */
export interface QueuePushTarget {
  /** Every room with members, and how many. */
  rooms: ReadonlyMap<string, { size: number }>;
  /** A whole snapshot to `room`'s members that are not in `except`. */
  snapshot(room: string, except: string, snapshot: QueueSnapshot): void;
  delta(room: string, delta: QueueDelta): void;
}

const keyOf = (centres: ReadonlySet<string> | null) => (centres === null ? '' : [...centres].sort().join(','));
const centresOfKey = (key: string): ReadonlySet<string> | null => (key === '' ? null : new Set(key.split(',')));

/**
 * The live queue's fan-out: each push builds every scope's snapshot once (not per socket);
 * supervisors who asked for deltas get only what changed since the previous push of their scope,
 * numbered (`seq`, `base`), others the whole snapshot. A delta subscriber starts from the scope's
 * last pushed snapshot, so the next delta applies to it exactly.
 */
export class QueueFanoutService {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly views = new SeatWallViews();
  private checkedAt = -Infinity;

  constructor(private readonly live: LiveQueue) {}

  /** The snapshot a delta subscriber starts from: its scope's last pushed one (built now if none). */
  subscribe(centres: ReadonlySet<string> | null, now: number): QueueSnapshot {
    const key = keyOf(centres);
    let state = this.scopes.get(key);
    if (!state) {
      const snap = queueSnapshot(this.live, now, centres, this.views);
      state = { seq: 0, last: snap, seats: new Map(), calls: new Map(), service: '', alerts: '' };
      this.remember(state, snap);
      this.scopes.set(key, state);
    }
    return { ...state.last, seq: state.seq };
  }

  /** One push to every supervisor room (coalesced by the caller). */
  push(now: number, target: QueuePushTarget): void {
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      this.views.recheck();
    }
    const built = new Map<string, QueueSnapshot>();
    const snapshotOf = (key: string) => {
      let snap = built.get(key);
      if (!snap) built.set(key, (snap = queueSnapshot(this.live, now, centresOfKey(key), this.views)));
      return snap;
    };
    const deltaKeys = new Set<string>();
    for (const [room, { size }] of target.rooms) {
      if (room.startsWith(DELTA_ROOM_PREFIX)) {
        const key = room.slice(DELTA_ROOM_PREFIX.length);
        deltaKeys.add(key);
        const delta = this.advance(key, snapshotOf(key));
        if (delta) target.delta(room, delta);
        continue;
      }
      const key = room === ROOMS.supervisors ? '' : room.startsWith(SCOPED_ROOM_PREFIX) ? room.slice(SCOPED_ROOM_PREFIX.length) : null;
      if (key === null) continue;
      const deltas = DELTA_ROOM_PREFIX + key;
      if (size > (target.rooms.get(deltas)?.size ?? 0)) target.snapshot(room, deltas, snapshotOf(key));
    }
    for (const key of this.scopes.keys()) if (!deltaKeys.has(key)) this.scopes.delete(key);
    this.views.done();
  }

  /** The delta from the scope's last push to `snap` (null when nothing changed), remembered as pushed. */
  private advance(key: string, snap: QueueSnapshot): QueueDelta | null {
    const state = this.scopes.get(key);
    if (!state) return null;
    const delta: QueueDelta = {
      seq: state.seq + 1,
      base: state.seq,
      at: snap.at,
      seats: [],
      calls: [],
      removedSeats: [],
      removedCalls: [],
    };
    const seats = new Map<string, SeatWallView>();
    const calls = new Map<string, string>();
    for (const s of snap.seats) {
      seats.set(s.id, s);
      if (state.seats.get(s.id) !== s) delta.seats.push(s);
    }
    for (const c of snap.calls) {
      const json = JSON.stringify(c);
      calls.set(c.id, json);
      if (state.calls.get(c.id) !== json) delta.calls.push(c);
    }
    for (const id of state.seats.keys()) if (!seats.has(id)) delta.removedSeats.push(id);
    for (const id of state.calls.keys()) if (!calls.has(id)) delta.removedCalls.push(id);
    const service = JSON.stringify(snap.service);
    const alerts = JSON.stringify(snap.alerts ?? []);
    if (service !== state.service) delta.service = snap.service;
    if (alerts !== state.alerts) delta.alerts = snap.alerts ?? [];
    const empty =
      delta.seats.length + delta.calls.length + delta.removedSeats.length + delta.removedCalls.length === 0 &&
      delta.service === undefined &&
      delta.alerts === undefined;
    if (empty) return null;
    Object.assign(state, { seq: delta.seq, last: snap, seats, calls, service, alerts });
    return delta;
  }

  private remember(state: ScopeState, snap: QueueSnapshot): void {
    state.last = snap;
    state.seats = new Map(snap.seats.map((s) => [s.id, s]));
    state.calls = new Map(snap.calls.map((c) => [c.id, JSON.stringify(c)]));
    state.service = JSON.stringify(snap.service);
    state.alerts = JSON.stringify(snap.alerts ?? []);
  }
}
