import type { Call } from '../../domain/call.js';
import { dayBounds, localDay } from '../shared/local-day.js';

interface Contribution {
  answered: string[];
  missed: string[];
}

/**
 * Each seat's answered and missed offers since local midnight, for the seat wall. Kept from the
 * engine's call changes (each call's contribution is replaced whole, so a change seen twice
 * counts once), seeded from today's stored calls at startup, and cleared when the day changes.
 */
export class SeatDayCounts {
  private day = '';
  /** The current day's [from, to) and the offset they were computed with: `today()` is read per seat per push. */
  private from = Infinity;
  private to = -Infinity;
  private offset = NaN;
  private readonly byCall = new Map<string, Contribution>();
  private readonly answered = new Map<string, number>();
  private readonly missed = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly utcOffsetMinutes: () => number,
  ) {}

  /** A call changed (or was read from the store): recount its part. */
  observe(call: Call): void {
    const today = this.today();
    const next: Contribution = { answered: [], missed: [] };
    for (const e of call.events) {
      if (localDay(e.at, this.utcOffsetMinutes()) !== today) continue;
      if (e.type === 'answered') next.answered.push(e.seatId);
      else if (e.type === 'ring-timeout' || e.type === 'declined') next.missed.push(e.seatId);
    }
    const before = this.byCall.get(call.id);
    if (before) this.apply(before, -1);
    if (next.answered.length + next.missed.length === 0) {
      this.byCall.delete(call.id);
      return;
    }
    this.byCall.set(call.id, next);
    this.apply(next, 1);
  }

  counts(seatId: string): { answeredToday: number; missedToday: number } {
    this.today();
    return { answeredToday: this.answered.get(seatId) ?? 0, missedToday: this.missed.get(seatId) ?? 0 };
  }

  private apply(c: Contribution, sign: 1 | -1): void {
    for (const s of c.answered) this.answered.set(s, (this.answered.get(s) ?? 0) + sign);
    for (const s of c.missed) this.missed.set(s, (this.missed.get(s) ?? 0) + sign);
  }

  private today(): string {
    const now = this.now();
    const offset = this.utcOffsetMinutes();
    if (now >= this.from && now < this.to && offset === this.offset) return this.day;
    const day = localDay(now, offset);
    const bounds = dayBounds(day, offset);
    this.from = bounds?.from ?? Infinity;
    this.to = bounds?.to ?? -Infinity;
    this.offset = offset;
    if (day !== this.day) {
      this.day = day;
      this.byCall.clear();
      this.answered.clear();
      this.missed.clear();
    }
    return day;
  }
}
