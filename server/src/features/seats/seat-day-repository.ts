import type { Db } from '../../store/db.js';

/** The longest a call can ring at a seat after it was enqueued, for bounding the events looked at (a day). */
const LOOKBACK_MS = 86_400_000;

/** A seat's missed and declined offers, from the calls' event log. */
export class SeatDayRepository {
  private readonly countOffersFailed;

  constructor(db: Db) {
    // Through calls_enqueued and call_events_call: only the events of calls enqueued around the day.
    this.countOffersFailed = db.prepare(`
      SELECT type, COUNT(*) AS n FROM call_events
      WHERE call_id IN (SELECT id FROM calls WHERE enqueued_at >= ? AND enqueued_at < ?)
        AND type IN ('ring-timeout', 'declined') AND at >= ? AND at < ?
        AND json_extract(data_json, '$.seatId') = ?
      GROUP BY type`);
  }

  /** Offers to the seat in [from, to) that rang out (missed) or that it declined. */
  failedOffers(seatId: string, from: number, to: number): { missed: number; declined: number } {
    const rows = this.countOffersFailed.all(from - LOOKBACK_MS, to, from, to, seatId) as { type: string; n: number }[];
    const n = (type: string) => rows.find((r) => r.type === type)?.n ?? 0;
    return { missed: n('ring-timeout'), declined: n('declined') };
  }
}
