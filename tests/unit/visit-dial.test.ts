/** Click-to-call's rules without telephony: who may dial, a link that is down, and Kamailio's reports applied once. */
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import type { SessionUser } from '../../server/src/features/auth/auth-service.js';
import type { AuditInput } from '../../server/src/features/audit/audit-service.js';
import { RatingRepository } from '../../server/src/features/satisfaction/rating-repository.js';
import { VisitDialRepository } from '../../server/src/features/satisfaction/visit-dial-repository.js';
import { dialResultOf, VisitDialService, type OutboundPort } from '../../server/src/features/satisfaction/visit-dial-service.js';
import { VisitRepository } from '../../server/src/features/satisfaction/visit-repository.js';
import { VisitService } from '../../server/src/features/satisfaction/visit-service.js';
import { openDatabase, type Db } from '../../server/src/store/db.js';
import { parseOutboundState } from '../../server/src/telephony/outbound-line.js';
import { dialFigures } from '../../server/src/domain/stats/satisfaction.js';

const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const seat: SessionUser = { id: 4, username: 'seat04', displayName: '刘洋', role: 'seat', seatId: 's04' };
const supervisor: SessionUser = { id: 20, username: 'supervisor', displayName: '班长', role: 'supervisor', seatId: null };
const SETTINGS = { trunkAddr: '10.0.0.1:5060', callerId: '12348', ringS: 30, sipDomain: '12348.local' };

/** A fake line: answers `allow` as told and keeps what it was asked. */
class FakeLine implements OutboundPort {
  asked: Parameters<OutboundPort['allow']>[0][] = [];
  up = true;
  allow(a: Parameters<OutboundPort['allow']>[0]) {
    this.asked.push(a);
    return Promise.resolve(this.up);
  }
  listen() {}
}

let db: Db;
let clock: VirtualClock;
let line: FakeLine;
let audit: AuditInput[];
let visits: VisitService;
let dials: VisitDialRepository;

let seatState: string | null = 'not-ready';

function service(l: OutboundPort | null = line, settings = SETTINGS) {
  return new VisitDialService({
    repo: dials,
    visits,
    line: l,
    settings,
    clock,
    logger: pino({ level: 'silent' }),
    audit: (e) => audit.push(e),
    seatState: () => seatState,
  });
}

function task(caller = '13800001111', assignee: string | null = 's04'): number {
  const id = visits['o'].repo.insert({
    source: 'dissatisfied',
    sourceRef: `t-${caller}-${Math.random()}`,
    callId: null,
    caller,
    categoryId: 'labor',
    centreId: 'city',
    seatId: 's04',
    createdAt: T0,
    dueAt: T0 + 3600_000,
    note: null,
  }).id;
  if (assignee) visits['o'].repo.assign(id, assignee, T0);
  return id;
}

beforeEach(() => {
  seatState = 'not-ready';
  db = openDatabase(':memory:');
  clock = new VirtualClock(T0);
  line = new FakeLine();
  audit = [];
  dials = new VisitDialRepository(db);
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
});

describe('click-to-call (VisitDialService)', () => {
  it('maps final SIP codes to the visit: timeouts and cancels are no answer, 486/600/603 busy, the rest failed', () => {
    expect([408, 480, 487].map(dialResultOf)).toEqual(['no-answer', 'no-answer', 'no-answer']);
    expect([486, 600, 603].map(dialResultOf)).toEqual(['busy', 'busy', 'busy']);
    expect([404, 500, 503].map(dialResultOf)).toEqual(['failed', 'failed', 'failed']);
  });

  it('when the seat dials, should give it a one-time target without the number and give Kamailio the number, the seat and 12348', async () => {
    const id = task();
    const view = await service().dial(seat, id);
    expect(view.connected).toBe(true);
    expect(view.target).toMatch(/^sip:visit-[a-f0-9]{32}@12348\.local$/);
    expect(JSON.stringify(view)).not.toContain('13800001111');
    expect(line.asked[0]).toMatchObject({ seatId: 's04', uri: 'sip:13800001111@10.0.0.1:5060', callerId: '12348', ringS: 30 });
    expect(audit.map((a) => a.action)).toEqual(['visit.dial']);
    expect(JSON.stringify(audit)).not.toContain('13800001111');
  });

  it('when a supervisor without a seat dials, should refuse (the browser phone is a seat’s), and a seat not assigned gets 404', async () => {
    const id = task();
    await expect(service().dial(supervisor, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service().dial({ ...seat, id: 5, seatId: 's05' }, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(line.asked).toEqual([]);
  });

  it('when the seat is ready (calls would be offered to it) or on a call, should refuse to dial', async () => {
    const id = task();
    seatState = 'ready';
    await expect(service().dial(seat, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/请先示忙/) });
    seatState = 'talking';
    await expect(service().dial(seat, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/结束当前通话/) });
    expect(line.asked).toEqual([]);
  });

  it('when the link to Kamailio is down, should answer UNAVAILABLE and record the dial as failed', async () => {
    line.up = false;
    const id = task();
    await expect(service().dial(seat, id)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/外呼线路暂不可用/),
    });
    expect(dials.ofTask(id)).toMatchObject([{ result: 'failed' }]);
  });

  it('when no outbound trunk is configured, should say so instead of dialling', async () => {
    const view = await service(line, { ...SETTINGS, trunkAddr: '' }).dial(seat, task());
    expect(view).toMatchObject({ connected: false, target: null, message: expect.stringMatching(/未配置外呼中继/) });
  });

  it('when the number cannot be dialled, should refuse with a hint to record 号码错误', async () => {
    await expect(service().dial(seat, task('未知号码'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/号码错误/),
    });
  });

  it('when Kamailio reports busy twice for one call, should count one attempt; an answered call keeps its talk time', async () => {
    const svc = service();
    const id = task();
    const token = /visit-([a-f0-9]+)@/.exec((await svc.dial(seat, id)).target!)![1]!;
    svc.onReport({ event: 'outbound-start', token, callid: 'c-1' });
    svc.onReport({ event: 'outbound-failed', callid: 'c-1', code: 486 });
    svc.onReport({ event: 'outbound-failed', callid: 'c-1', code: 486 });
    expect(visits.taskFor(seat, id)).toMatchObject({ attempts: 1, status: 'open' });
    expect(dials.ofTask(id)).toMatchObject([{ result: 'busy', sipCode: 486 }]);

    clock.advance(31 * 60_000);
    const token2 = /visit-([a-f0-9]+)@/.exec((await svc.dial(seat, id)).target!)![1]!;
    svc.onReport({ event: 'outbound-start', token: token2, callid: 'c-2' });
    svc.onReport({ event: 'outbound-answered', callid: 'c-2' });
    clock.advance(95_000);
    svc.onReport({ event: 'outbound-bye', callid: 'c-2', by: 'callee' });
    expect(dials.ofTask(id)[1]).toMatchObject({ result: 'answered', talkMs: 95_000 });
    expect(visits.taskFor(seat, id)).toMatchObject({ attempts: 1, status: 'open' });
    // 回访外呼 in the reports: both dials placed, one answered with its talk time; other centres see none.
    expect(dialFigures(dials.facts(T0, clock.now() + 1, ['city']))).toEqual({ placed: 2, answered: 1, talkSeconds: 95 });
    expect(dialFigures(dials.facts(T0, clock.now() + 1, ['dongcheng']))).toEqual({ placed: 0, answered: 0, talkSeconds: 0 });
  });

  it('when a retry is dialled before its spacing, should refuse it', async () => {
    const svc = service();
    const id = task();
    const token = /visit-([a-f0-9]+)@/.exec((await svc.dial(seat, id)).target!)![1]!;
    svc.onReport({ event: 'outbound-start', token, callid: 'c-3' });
    svc.onReport({ event: 'outbound-failed', callid: 'c-3', code: 408 });
    await expect(svc.dial(seat, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/间隔不足/) });
    // The time a seat reads is China time (09:00 + 30 min spacing), not UTC's 01:30Z.
    await expect(svc.dial(seat, id)).rejects.toMatchObject({ message: '距上次未接通的间隔不足,请在 2026-03-02 09:30 之后再拨' });
  });

  it('when the task is dialled again while its call rings or talks (a second tab, a double click), should refuse until that call ends', async () => {
    const svc = service();
    const id = task();
    const token = /visit-([a-f0-9]+)@/.exec((await svc.dial(seat, id)).target!)![1]!;
    // The token not dialled yet is a call about to start.
    await expect(svc.dial(seat, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/正在外呼中/) });
    svc.onReport({ event: 'outbound-start', token, callid: 'c-4' });
    svc.onReport({ event: 'outbound-answered', callid: 'c-4' });
    clock.advance(5 * 60_000);
    await expect(svc.dial(seat, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/正在外呼中/) });
    expect(svc.inFlight(id)).toBe(true);
    expect(line.asked).toHaveLength(1);

    svc.onReport({ event: 'outbound-bye', callid: 'c-4', by: 'seat' });
    expect(svc.inFlight(id)).toBe(false);
    expect((await svc.dial(seat, id)).connected).toBe(true);
  });

  it('a token the browser never dialled stops counting as a call under way once it has expired', async () => {
    const svc = service();
    const id = task();
    await svc.dial(seat, id);
    clock.advance(61_000);
    expect(svc.inFlight(id)).toBe(false);
    expect((await svc.dial(seat, id)).connected).toBe(true);
  });
});

describe('outbound calls after a resync (the router was away, or Kamailio restarted)', () => {
  const tokenOf = async (svc: VisitDialService, id: number) => /visit-([a-f0-9]+)@/.exec((await svc.dial(seat, id)).target!)![1]!;

  it('applies what the router missed at Kamailio’s times, once: a start, an answer and a BYE; a busy dial counts its attempt', async () => {
    const svc = service();
    const answered = task('13800002222');
    const busy = task('13800003333');
    const t1 = await tokenOf(svc, answered);
    const t2 = await tokenOf(svc, busy);
    svc.onReport({ event: 'outbound-start', token: t1, callid: 'c-a' }); // seen live; then the router went away
    clock.advance(600_000);
    const calls = [
      {
        callid: 'c-a',
        token: t1,
        startedAt: T0,
        answeredAt: T0 + 5_000,
        end: { kind: 'bye' as const, by: 'callee' as const },
        endedAt: T0 + 65_000,
      },
      {
        callid: 'c-b',
        token: t2,
        startedAt: T0 + 1_000,
        answeredAt: null,
        end: { kind: 'failed' as const, code: 486 },
        endedAt: T0 + 9_000,
      },
    ];
    svc.onReport({ event: 'outbound-sync-begin' });
    svc.onReport({ event: 'outbound-synced', calls });
    svc.onReport({ event: 'outbound-sync-begin' });
    svc.onReport({ event: 'outbound-synced', calls }); // a second resync changes nothing
    expect(dials.ofTask(answered)).toMatchObject([
      { callId: 'c-a', answeredAt: T0 + 5_000, endedAt: T0 + 65_000, result: 'answered', talkMs: 60_000, hungUpBy: 'callee' },
    ]);
    expect(dials.ofTask(busy)).toMatchObject([{ callId: 'c-b', startedAt: T0 + 1_000, endedAt: T0 + 9_000, result: 'busy', sipCode: 486 }]);
    expect(visits.taskFor(seat, busy)).toMatchObject({ attempts: 1, status: 'open' });
    expect(audit.filter((a) => a.action === 'visit.dial-result')).toHaveLength(2);
  });

  it('closes a dial Kamailio no longer knows of (it restarted): answered up to now, or not connected; a dial started during the resync stays open', async () => {
    const svc = service();
    const talking = task('13800004444');
    const ringing = task('13800005555');
    const later = task('13800006666');
    const t1 = await tokenOf(svc, talking);
    const t2 = await tokenOf(svc, ringing);
    const t3 = await tokenOf(svc, later);
    svc.onReport({ event: 'outbound-start', token: t1, callid: 'c-t' });
    svc.onReport({ event: 'outbound-answered', callid: 'c-t' });
    svc.onReport({ event: 'outbound-start', token: t2, callid: 'c-r' });
    clock.advance(120_000);
    svc.onReport({ event: 'outbound-sync-begin' });
    clock.advance(10);
    svc.onReport({ event: 'outbound-start', token: t3, callid: 'c-l' }); // after the sync began: not in its list
    svc.onReport({ event: 'outbound-synced', calls: [] });
    expect(dials.ofTask(talking)).toMatchObject([{ result: 'answered', talkMs: 120_010, hungUpBy: null, endedAt: T0 + 120_010 }]);
    expect(dials.ofTask(ringing)).toMatchObject([{ result: 'failed', sipCode: null, endedAt: T0 + 120_010 }]);
    expect(dials.ofTask(later)).toMatchObject([{ callId: 'c-l', endedAt: null, result: null }]);
  });

  it('reads Kamailio’s outcalls entry (times in seconds) and skips an unreadable one', () => {
    expect(parseOutboundState('c1', 'abc|1765000000.250000|1765000004.5|bye:seat|1765000064.75')).toEqual({
      callid: 'c1',
      token: 'abc',
      startedAt: 1765000000250,
      answeredAt: 1765000004500,
      end: { kind: 'bye', by: 'seat' },
      endedAt: 1765000064750,
    });
    expect(parseOutboundState('c2', 'abc|1765000000.1|||')).toMatchObject({ answeredAt: null, end: null, endedAt: null });
    expect(parseOutboundState('c3', 'abc|1765000000.1||failed:486|1765000009.0')).toMatchObject({ end: { kind: 'failed', code: 486 } });
    expect(parseOutboundState('c4', 'garbage')).toBeNull();
  });
});
