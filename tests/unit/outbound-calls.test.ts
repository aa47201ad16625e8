/**
 * Outbound calls as call records: the figures' definitions (domain/stats/outbound.ts), and the
 * records Kamailio's reports leave behind, as the history, a seat's day and the views see them.
 */
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { outboundDurations, outboundReport, outboundResultOf, type OutboundFact } from '../../server/src/domain/stats/outbound.js';
import { dialFigures } from '../../server/src/domain/stats/satisfaction.js';
import type { SessionUser } from '../../server/src/features/auth/auth-service.js';
import { OutboundCallService } from '../../server/src/features/satisfaction/outbound-call-service.js';
import { outboundCallView } from '../../server/src/features/satisfaction/outbound-call-views.js';
import { RatingRepository } from '../../server/src/features/satisfaction/rating-repository.js';
import { VisitDialRepository } from '../../server/src/features/satisfaction/visit-dial-repository.js';
import { VisitDialService, type OutboundPort } from '../../server/src/features/satisfaction/visit-dial-service.js';
import { VisitRepository } from '../../server/src/features/satisfaction/visit-repository.js';
import { VisitService } from '../../server/src/features/satisfaction/visit-service.js';
import { migrate, openDatabase, type Db } from '../../server/src/store/db.js';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const DAY = '2026-03-02';
const OFFSET = 480;
const fact = (f: Partial<OutboundFact>): OutboundFact => ({
  seatId: 's04',
  startedAt: T0,
  answeredAt: null,
  endedAt: null,
  result: null,
  ...f,
});

describe('outbound figures (domain/stats/outbound.ts)', () => {
  it('maps final SIP codes: ring time over, unavailable and cancel are no answer; 486/600/603 busy; the rest failed', () => {
    expect([408, 480, 487].map(outboundResultOf)).toEqual(['no-answer', 'no-answer', 'no-answer']);
    expect([486, 600, 603].map(outboundResultOf)).toEqual(['busy', 'busy', 'busy']);
    expect([403, 404, 500, 503].map(outboundResultOf)).toEqual(['failed', 'failed', 'failed', 'failed']);
  });

  it('ring time runs to the answer (or the end of an unanswered call); talk time from the answer to the end', () => {
    expect(outboundDurations(fact({ answeredAt: T0 + 7000, endedAt: T0 + 67_000, result: 'answered' }))).toEqual({
      ringMs: 7000,
      talkMs: 60_000,
    });
    expect(outboundDurations(fact({ endedAt: T0 + 30_000, result: 'no-answer' }))).toEqual({ ringMs: 30_000, talkMs: 0 });
    expect(outboundDurations(fact({}))).toEqual({ ringMs: null, talkMs: null }); // still ringing
    expect(outboundDurations(fact({ answeredAt: T0 + 5000 }))).toEqual({ ringMs: 5000, talkMs: null }); // talking
  });

  it('counts calls by outcome in total and by seat; the answer rate is over ended calls; talk time only of ended answered calls', () => {
    const r = outboundReport([
      fact({ seatId: 's05', answeredAt: T0 + 5000, endedAt: T0 + 125_000, result: 'answered' }),
      fact({ answeredAt: T0 + 5000, endedAt: T0 + 65_000, result: 'answered' }),
      fact({ endedAt: T0 + 30_000, result: 'no-answer' }),
      fact({ endedAt: T0 + 2000, result: 'busy' }),
      fact({ endedAt: T0 + 100, result: 'failed' }),
      fact({ answeredAt: T0 + 3000 }), // talking now: placed and in progress, no talk time yet
    ]);
    expect(r.total).toEqual({
      placed: 6,
      answered: 2, // the call still talking is in progress until it ends
      noAnswer: 1,
      busy: 1,
      failed: 1,
      inProgress: 1,
      answerRate: 2 / 5,
      talkSeconds: 180,
      avgTalkSeconds: 90,
    });
    expect(r.bySeat.map((s) => [s.seatId, s.figures.placed, s.figures.answered, s.figures.talkSeconds])).toEqual([
      ['s04', 5, 1, 60],
      ['s05', 1, 1, 120],
    ]);
    expect(outboundReport([]).total).toMatchObject({ placed: 0, answerRate: null, avgTalkSeconds: null });
  });

  it('回访外呼 in the satisfaction figures is the same count (one definition)', () => {
    const facts = [fact({ answeredAt: T0 + 1, endedAt: T0 + 95_001, result: 'answered' }), fact({ endedAt: T0 + 9, result: 'busy' })];
    const t = outboundReport(facts).total;
    expect(dialFigures(facts)).toEqual({ placed: t.placed, answered: t.answered, talkSeconds: t.talkSeconds });
  });
});

class FakeLine implements OutboundPort {
  allow() {
    return Promise.resolve(true);
  }
  listen() {}
}

const seat04: SessionUser = { id: 4, username: 'seat04', displayName: '刘洋', role: 'seat', seatId: 's04' };
const seat05: SessionUser = { id: 5, username: 'seat05', displayName: '王芳', role: 'seat', seatId: 's05' };
const cityManager: SessionUser = { id: 30, username: 'manager', displayName: '值班长', role: 'manager', seatId: null };
const dcManager: SessionUser = { id: 31, username: 'dc-manager', displayName: '东城值班长', role: 'manager', seatId: null };
const SEAT_CENTRE: Record<string, string> = { s04: 'city', s05: 'city' };

describe('outbound call records (visit_dials, OutboundCallService)', () => {
  let db: Db;
  let clock: VirtualClock;
  let visits: VisitService;
  let repo: VisitDialRepository;
  let dial: VisitDialService;
  let records: OutboundCallService;

  function task(caller: string, centreId: string, assignee: string): number {
    const id = visits['o'].repo.insert({
      source: 'callback',
      sourceRef: `t-${caller}`,
      callId: null,
      caller,
      categoryId: 'labor',
      centreId,
      seatId: null,
      createdAt: T0,
      dueAt: T0 + 3600_000,
      note: null,
    }).id;
    visits['o'].repo.assign(id, assignee, T0);
    return id;
  }

  async function place(user: SessionUser, taskId: number, callid: string): Promise<void> {
    const token = /visit-([a-f0-9]+)@/.exec((await dial.dial(user, taskId)).target!)![1]!;
    clock.advance(200);
    dial.onReport({ event: 'outbound-start', token, callid });
  }

  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = new VirtualClock(T0);
    repo = new VisitDialRepository(db);
    visits = new VisitService({
      db,
      repo: new VisitRepository(db),
      ratings: new RatingRepository(db),
      clock,
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
    dial = new VisitDialService({
      repo,
      visits,
      line: new FakeLine(),
      settings: { trunkAddr: '10.0.0.1:5060', callerId: '12348', ringS: 30, sipDomain: '12348.local' },
      clock,
      logger: pino({ level: 'silent' }),
      audit: () => undefined,
      seatState: () => 'not-ready',
    });
    records = new OutboundCallService({
      repo,
      scope: {
        centreList: (u) => (u.id === dcManager.id ? ['dongcheng'] : null),
        seatCentre: (s) => SEAT_CENTRE[s] ?? null,
      },
      clock,
      utcOffsetMinutes: () => OFFSET,
    });
  });

  it('an answered and an unanswered dial are records with their outcome, times and durations; the number is masked', async () => {
    await place(seat04, task('13800001111', 'city', 's04'), 'c-answer');
    clock.advance(4000);
    dial.onReport({ event: 'outbound-answered', callid: 'c-answer' });
    clock.advance(61_000);
    dial.onReport({ event: 'outbound-bye', callid: 'c-answer', by: 'callee' });
    await place(seat04, task('13800003333', 'city', 's04'), 'c-silent');
    clock.advance(30_000);
    dial.onReport({ event: 'outbound-failed', callid: 'c-silent', code: 408 });
    // A dial whose INVITE never reached Kamailio is no call record.
    await dial.dial(seat04, task('13800005555', 'city', 's04'));

    const mine = records.mine('s04', undefined);
    expect(mine.day).toBe(DAY);
    const views = mine.records.map(outboundCallView);
    expect(views).toMatchObject([
      {
        direction: 'outbound',
        purpose: 'visit',
        seatId: 's04',
        calleeMasked: '138****1111',
        startedAt: T0 + 200,
        answeredAt: T0 + 4200,
        endedAt: T0 + 65_200,
        result: 'answered',
        sipCode: 200,
        ringMs: 4000,
        talkMs: 61_000,
        hungUpBy: 'callee',
      },
      { calleeMasked: '138****3333', result: 'no-answer', sipCode: 408, answeredAt: null, ringMs: 30_000, talkMs: 0, hungUpBy: null },
    ]);
    expect(JSON.stringify(views)).not.toMatch(/13800001111|13800003333/);
    expect(records.get(cityManager, views[1]!.id)).toMatchObject({ result: 'no-answer' });
    // Another seat's day, another day: none.
    expect(records.mine('s05', undefined).records).toEqual([]);
    expect(records.mine('s04', '2026-03-03').records).toEqual([]);
  });

  it('staff see the calls of their centres (the task’s or the seat’s); others are not found', async () => {
    await place(seat04, task('13800001111', 'city', 's04'), 'c-1');
    await place(seat05, task('13800002222', 'dongcheng', 's05'), 'c-2');
    expect(records.list(cityManager, DAY, DAY).map((r) => r.callee)).toEqual(['13800002222', '13800001111']); // newest first
    const dc = records.list(dcManager, DAY, DAY);
    expect(dc.map((r) => r.callee)).toEqual(['13800002222']);
    const cityCall = records.list(cityManager, DAY, DAY)[1]!;
    expect(() => records.get(dcManager, cityCall.id)).toThrow(/没有找到编号为/);
    expect(() => records.get(cityManager, 9999)).toThrow(/没有找到编号为/);
    expect(() => records.list(cityManager, '2026-02-30', DAY)).toThrow(/日期不存在/);
    // An in-progress call is a record too.
    expect(outboundCallView(cityCall)).toMatchObject({ result: 'in-progress', endedAt: null, ringMs: null, talkMs: null });
  });
});

describe('migration 17 (visit_dials become outbound call records)', () => {
  it('keeps the dials of a version-16 database, numbers them in order and takes a started dial’s creation as its start', () => {
    const db = openDatabase(':memory:');
    db.prepare(
      `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, assignee_seat_id,
         created_at, due_at, next_attempt_at, updated_at) VALUES ('callback', 'm-1', NULL, '13800001111', 'labor', 'city', NULL, 's04', ?, ?, ?, ?)`,
    ).run(T0, T0 + 1, T0, T0);
    // The table as version 16 had it: one answered dial, one dial Kamailio never carried.
    db.exec(`DROP TABLE visit_dials;
      CREATE TABLE visit_dials (token TEXT PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES visit_tasks(id), user_id INTEGER NOT NULL,
        seat_id TEXT NOT NULL, call_id TEXT, created_at INTEGER NOT NULL, answered_at INTEGER, ended_at INTEGER, result TEXT,
        sip_code INTEGER, talk_ms INTEGER);
      INSERT INTO visit_dials VALUES ('t-b', 1, 4, 's04', NULL, ${T0 + 5000}, NULL, ${T0 + 5000}, 'failed', NULL, 0);
      INSERT INTO visit_dials VALUES ('t-a', 1, 4, 's04', 'c-a', ${T0}, ${T0 + 3000}, ${T0 + 63_000}, 'answered', 200, 60000);
      DELETE FROM schema_migrations WHERE version = 17;`);
    migrate(db);
    const repo = new VisitDialRepository(db);
    expect(repo.ofTask(1).map((d) => [d.token, d.startedAt, d.result])).toEqual([
      ['t-a', T0, 'answered'],
      ['t-b', null, 'failed'],
    ]);
    const [rec] = repo.records(T0, T0 + 86_400_000, null, null);
    expect(rec).toMatchObject({ id: 1, callee: '13800001111', answeredAt: T0 + 3000, endedAt: T0 + 63_000, result: 'answered' });
    expect(repo.record(2)).toBeNull(); // never carried: no call record
    expect(repo.byCallId('c-a')?.token).toBe('t-a');
  });
});
