import type { SeatTodayView } from '../../contract/index.js';
import { callRecord } from '../../domain/call-record.js';
import type { Clock } from '../../domain/clock.js';
import type { Acd } from '../../domain/engine.js';
import type { CallService } from '../calls/call-service.js';
import { dayBounds, localDay } from '../shared/local-day.js';
import type { SeatDayRepository } from './seat-day-repository.js';

/**
 * What a seat sees of its queue and its own day on the workbench: the callers waiting in its
 * specialties that the routing rules could give it (not the general fallback of every call;
 * a call transferred to a named seat counts for that seat only), and today's answered calls,
 * missed and declined offers, and talk time.
 */
export class SeatDayService {
  constructor(
    private readonly engine: Acd,
    private readonly calls: CallService,
    private readonly repo: SeatDayRepository,
    private readonly clock: Clock,
  ) {}

  today(seatId: string): SeatTodayView {
    const now = this.clock.now();
    const skills = this.engine.getSeat(seatId).profile.skills; // NOT_FOUND for a seat the engine does not know
    const offset = this.engine.config.utcOffsetMinutes;
    const day = localDay(now, offset);
    const bounds = dayBounds(day, offset)!;
    const waiting = this.engine
      .waitingCalls()
      .filter((c) => c.state.kind === 'queued')
      .filter((c) => (c.target ? c.target.seatId === seatId : c.categoryId in skills && this.engine.seatCouldEverTake(seatId, c)));
    const answered = this.calls.answeredOn(seatId, day);
    const talkMs = answered.reduce((sum, c) => sum + callRecord(c, now).talkMs, 0);
    return {
      at: now,
      day,
      queue: {
        waiting: waiting.length,
        oldestEnqueuedAt: waiting.length === 0 ? null : Math.min(...waiting.map((c) => c.enqueuedAt)),
      },
      answered: answered.length,
      ...this.repo.failedOffers(seatId, bounds.from, bounds.to),
      talkMs,
    };
  }
}
