import type { SeatStateKind } from '../seat.js';
import type { SeatTime } from './report.js';

/** One seat state change (seat_events): from `at` the seat was in `kind`. */
export interface SeatEventRow {
  seat_id: string;
  at: number;
  kind: string;
}

/**
 * Time each seat spent in each state within [from, to), from its state changes ordered by seat
 * and time (the last change before `from` included, so the range starts in a known state).
 * A state still open at `to` (or at `now`, when the range runs into the future) ends there.
 */
export function seatTimeFrom(rows: readonly SeatEventRow[], from: number, to: number): SeatTime {
  const out: SeatTime = new Map();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const next = rows[i + 1];
    const end = next && next.seat_id === r.seat_id ? Math.min(next.at, to) : to;
    const start = Math.max(r.at, from);
    if (end <= start) continue;
    let t = out.get(r.seat_id);
    if (!t) out.set(r.seat_id, (t = {}));
    const k = r.kind as SeatStateKind;
    t[k] = (t[k] ?? 0) + (end - start);
  }
  return out;
}
