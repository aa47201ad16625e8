/** The 回访 worklist a seat reads: its own tasks, however many other seats' tasks there are. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import type { SessionUser } from '../../server/src/features/auth/auth-service.js';
import { RatingRepository } from '../../server/src/features/satisfaction/rating-repository.js';
import { VisitRepository } from '../../server/src/features/satisfaction/visit-repository.js';
import { VisitService } from '../../server/src/features/satisfaction/visit-service.js';
import { openDatabase } from '../../server/src/store/db.js';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const seat: SessionUser = { id: 4, username: 'seat04', displayName: '刘洋', role: 'seat', seatId: 's04' };
const supervisor: SessionUser = { id: 20, username: 'supervisor', displayName: '班长', role: 'supervisor', seatId: null };

describe('the 回访 worklist of a seat', () => {
  it('lists the seat’s closed tasks even when over 5000 other tasks closed after them, and only its own', () => {
    const db = openDatabase(':memory:');
    const repo = new VisitRepository(db);
    const visits = new VisitService({
      db,
      repo,
      ratings: new RatingRepository(db),
      clock: new VirtualClock(T0 + 10_000_000),
      logger: pino({ level: 'silent' }),
      policy: {
        dissatisfiedDueH: 24,
        callbackDueH: 24,
        ticketCentreId: 'city',
        samplePercent: 0,
        sampleDueH: 72,
        retrySpacingMin: 30,
        maxAttempts: 3,
      },
    });
    const insert =
      db.prepare(`INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, assignee_seat_id,
      created_at, due_at, next_attempt_at, attempts, status, outcome, closed_at, updated_at)
      VALUES ('quality-sample', ?, NULL, '13800001111', 'labor', 'city', NULL, ?, ?, ?, ?, 1, 'closed', 'reached', ?, ?)`);
    db.transaction(() => {
      // The seat's task closed first, then 5001 tasks of other seats.
      insert.run('mine', 's04', T0, T0, T0, T0 + 1, T0 + 1);
      for (let i = 0; i < 5001; i++) insert.run(`other-${i}`, 's05', T0, T0, T0, T0 + 2 + i, T0 + 2 + i);
    })();

    const mine = visits.list(seat, 'closed', 200);

    expect(mine.map((t) => [t.sourceRef, t.assigneeSeatId])).toEqual([['mine', 's04']]);
    expect(visits.list(supervisor, 'closed', 200)).toHaveLength(200);
    expect(visits.list({ ...seat, seatId: null }, 'closed', 200)).toEqual([]);
  });
});
