import { describe, expect, it } from 'vitest';
import type { Call, CallEvent } from '../../server/src/domain/call.js';
import { callFact, type CallFact } from '../../server/src/domain/stats/call-fact.js';
import { figuresOf, liveFigures } from '../../server/src/domain/stats/figures.js';
import { buildReport, isoWeek, NO_FILTER, type ReportOptions } from '../../server/src/domain/stats/report.js';

/**
 * A small fixed data set whose figures are computed by hand below. Times are seconds after
 * 2026-03-02 00:00 Beijing time (a Monday; UTC+8), so local hour = s / 3600.
 */
const DAY0 = Date.UTC(2026, 2, 1, 16, 0, 0); // 2026-03-02 00:00 +08:00
const at = (s: number) => DAY0 + s * 1000;
const H = 3600;

type Ev = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'at'> & { s: number } : never) : never;

function call(id: string, events: Ev[], o: Partial<Call> = {}): Call {
  const evs = events.map(({ s, ...e }) => ({ ...e, at: at(s) }));
  return {
    id,
    caller: '13800000000',
    dialed: '12348',
    trunk: null,
    categoryId: 'labor',
    homeCentreId: 'city',
    flags: [],
    priority: 0,
    ticket12345: null,
    enqueuedAt: evs[0]!.at,
    offers: 0,
    maxOffers: 8,
    sharedToCity: false,
    excludedSeats: [],
    state: { kind: 'ended', since: evs[evs.length - 1]!.at } as Call['state'],
    events: evs,
    ...o,
  };
}
const enq = (s: number, categoryId = 'labor', centreId = 'city') => ({ type: 'enqueued' as const, s, priority: 0, categoryId, centreId });
const offer = (s: number, seatId: string) => ({ type: 'offered' as const, s, seatId, attempt: 1, why: { rule: 'skill' } as never });

/** c1: 9:00, answered after 10 s by s1, 60 s talk with a 20 s hold, 30 s wrap-up. 当场解答. */
const c1 = call('c1', [
  enq(9 * H),
  offer(9 * H, 's1'),
  { type: 'answered', s: 9 * H + 10, seatId: 's1' },
  { type: 'held', s: 9 * H + 30 },
  { type: 'resumed', s: 9 * H + 50 },
  { type: 'hung-up', s: 9 * H + 90, by: 'caller' },
  { type: 'wrap-up-ended', s: 9 * H + 120, seatId: 's1' },
]);
/** c2: 9:10, s2 lets it ring out, answered by s1 after 40 s (beyond T), 100 s talk, 20 s wrap-up. */
const c2 = call('c2', [
  enq(9 * H + 600),
  offer(9 * H + 600, 's2'),
  { type: 'ring-timeout', s: 9 * H + 620, seatId: 's2', attempt: 1 },
  offer(9 * H + 620, 's1'),
  { type: 'answered', s: 9 * H + 640, seatId: 's1' },
  { type: 'hung-up', s: 9 * H + 740, by: 'seat' },
  { type: 'wrap-up-ended', s: 9 * H + 760, seatId: 's1' },
]);
/** c3: 9:20, short abandon in the queue after 3 s. */
const c3 = call('c3', [enq(9 * H + 1200), { type: 'abandoned', s: 9 * H + 1203, where: 'queue' }]);
/** c4: 9:25, abandoned while ringing s2 after 12 s (> S, ≤ T). */
const c4 = call('c4', [enq(9 * H + 1500), offer(9 * H + 1500, 's2'), { type: 'abandoned', s: 9 * H + 1512, where: 'ringing' }]);
/** c5: 9:40, abandoned in the queue after 50 s (> T). Category contract. */
const c5 = call('c5', [enq(9 * H + 2400, 'contract'), { type: 'abandoned', s: 9 * H + 2450, where: 'queue' }], { categoryId: 'contract' });
/** c6: 10:00, overflowed to 12345 by max-wait after 300 s. */
const c6 = call('c6', [enq(10 * H), { type: 'overflowed', s: 10 * H + 300, target: '12345', trigger: 'max-wait' }]);
/** c7: 03:00, after-hours overflow to a call-back: not entered. */
const c7 = call('c7', [enq(3 * H), { type: 'overflowed', s: 3 * H, target: 'callback', trigger: 'after-hours' }]);
/** c8: 23:59:00, across midnight: answered at 23:59:05 by s2 (county seat), talk until 00:04:05, wrap-up 60 s. 东城 caller. */
const c8 = call(
  'c8',
  [
    enq(24 * H - 60, 'labor', 'dongcheng'),
    offer(24 * H - 60, 's2'),
    { type: 'answered', s: 24 * H - 55, seatId: 's2' },
    { type: 'hung-up', s: 24 * H + 245, by: 'caller' },
    { type: 'wrap-up-ended', s: 24 * H + 305, seatId: 's2' },
  ],
  { homeCentreId: 'dongcheng' },
);
/** c9: 10:20, still talking at `now` (10:30): answered after 6 s by s1. */
const c9 = call('c9', [enq(10 * H + 1200), offer(10 * H + 1200, 's1'), { type: 'answered', s: 10 * H + 1206, seatId: 's1' }], {
  state: { kind: 'talking', since: at(10 * H + 1206) } as Call['state'],
});
/** c10: 10:25, still waiting in the queue at `now`. */
const c10 = call('c10', [enq(10 * H + 1500)], { state: { kind: 'queued', since: at(10 * H + 1500) } as Call['state'] });
/** c11: 10:05, transferred in from s2 to s1, answered at once, 30 s talk, 10 s wrap-up; 重大事项. */
const c11 = call('c11', [
  enq(10 * H + 300),
  { type: 'transferred-in', s: 10 * H + 300, fromCallId: 'cx', fromSeatId: 's2', targetSeatId: 's1' },
  offer(10 * H + 300, 's1'),
  { type: 'answered', s: 10 * H + 302, seatId: 's1' },
  { type: 'hung-up', s: 10 * H + 332, by: 'seat' },
  { type: 'wrap-up-ended', s: 10 * H + 342, seatId: 's1' },
]);

const NOW = at(10 * H + 1800);
const summaries: Record<string, { disposition: string; major: boolean }> = {
  c1: { disposition: 'answered', major: false },
  c2: { disposition: 'legal-aid', major: false },
  c11: { disposition: 'major-report', major: true },
};
const facts: CallFact[] = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11].map((c) => callFact(c, NOW, summaries[c.id]));
const opts: ReportOptions = {
  serviceLevelThresholdS: 15,
  shortAbandonS: 5,
  utcOffsetMinutes: 480,
  seatCentre: (s) => (s === 's2' ? 'dongcheng' : 'city'),
};

describe('figures over the fixed data set (hand-computed)', () => {
  const f = figuresOf(facts, opts);

  it('counts arrivals: after-hours apart, short abandons apart, in-progress calls entered', () => {
    expect(f.afterHours).toBe(1); // c7
    expect(f.entered).toBe(10); // all but c7
    expect(f.shortAbandoned).toBe(1); // c3
    expect(f.shortAbandonedInQueue).toBe(1);
    expect(f.offered).toBe(9);
    expect(f.answered).toBe(5); // c1 c2 c8 c9 c11
    expect(f.answeredWithinT).toBe(4); // c1 (10) c8 (5) c9 (6) c11 (2); c2 waited 40
    expect(f.abandoned).toBe(2); // c4 c5
    expect(f.abandonedInQueue).toBe(1);
    expect(f.abandonedWhileRinging).toBe(1);
    expect(f.abandonedAfterT).toBe(1); // c5
    expect(f.overflowed).toBe(1);
    expect(f.overflowedTo12345).toBe(1);
    expect(f.overflowByTrigger['max-wait']).toBe(1);
    expect(f.overflowByTrigger['after-hours']).toBe(0);
    expect(f.waiting).toBe(1); // c10
    expect(f.transfers).toBe(1);
    expect(f.missedOffers).toBe(1);
    expect(f.major).toBe(1);
    expect(f.dispositions).toEqual({ answered: 1, 'legal-aid': 1, 'major-report': 1 });
    expect(f.unfiled).toBe(1); // c8 answered and ended with no summary; c9 still talking
  });

  it('computes the rates and the times', () => {
    expect(f.answerRate).toBeCloseTo(5 / 9, 12);
    expect(f.abandonRate).toBeCloseTo(2 / 9, 12);
    expect(f.serviceLevel).toBeCloseTo(4 / 6, 12); // 4 ÷ (5 answered + 1 abandoned after T)
    expect(f.serviceLevelAnswered).toBeCloseTo(4 / 5, 12);
    expect(f.asaSeconds).toBeCloseTo((10 + 40 + 5 + 6 + 2) / 5, 12);
    expect(f.longestWaitSeconds).toBe(40);
    // Handled (wrap-up ended): c1, c2, c8, c11. Talk 60, 100, 300, 30; hold 20, 0, 0, 0; wrap 30, 20, 60, 10.
    expect(f.handled).toBe(4);
    expect(f.talkSeconds).toBeCloseTo(490 / 4, 12);
    expect(f.holdSeconds).toBeCloseTo(20 / 4, 12);
    expect(f.wrapUpSeconds).toBeCloseTo(120 / 4, 12);
    expect(f.ahtSeconds).toBeCloseTo(630 / 4, 12);
  });

  it('a report groups by arrival: the call across midnight is in the day it arrived', () => {
    const r = buildReport(facts, opts);
    expect(r.byDay.map((d) => [d.key, d.figures.entered])).toEqual([['2026-03-02', 10]]);
    expect(r.byWeek.map((w) => w.key)).toEqual(['2026-W10']);
    expect(r.byMonth.map((m) => m.key)).toEqual(['2026-03']);
    const slots = Object.fromEntries(r.byInterval.map((i) => [i.key, i.figures.entered]));
    // c7 (03:00, after hours) has a row that counts it under after-hours only.
    expect(slots).toEqual({ '03:00': 0, '09:00': 4, '09:30': 1, '10:00': 4, '23:30': 1 });
  });

  it('per seat: answered, missed offers, transfers out, talk and wrap-up time', () => {
    const r = buildReport(facts, opts);
    const s1 = r.bySeat.find((s) => s.seatId === 's1')!;
    const s2 = r.bySeat.find((s) => s.seatId === 's2')!;
    expect(s1.answered).toBe(4); // c1 c2 c9 c11
    expect(s1.missedBySeat).toBe(0);
    expect(s2.answered).toBe(1); // c8
    expect(s2.missedBySeat).toBe(1); // c2 rang out at s2 (c4's caller hung up while ringing: not a miss)
    expect(s2.transfersOut).toBe(1);
    expect(s2.talkTotalSeconds).toBe(300);
    expect(s2.wrapUpTotalSeconds).toBe(60);
  });

  it('per category and filters: category, centre (home or answering seat), hour, weekday', () => {
    const r = buildReport(facts, opts);
    expect(r.byCategory.map((c) => [c.key, c.figures.entered])).toEqual([
      ['contract', 1],
      ['labor', 9],
    ]);
    const only = (filter: Partial<typeof NO_FILTER>) => buildReport(facts, opts, { ...NO_FILTER, ...filter }).total;
    expect(only({ categories: new Set(['contract']) }).abandonedAfterT).toBe(1);
    // 东城: c8 (its caller, its seat s2). c2 was answered by s1, the city: not in.
    expect(only({ centres: new Set(['dongcheng']) }).entered).toBe(1);
    expect(only({ hours: new Set([10]) }).entered).toBe(4); // c6 c9 c10 c11
    expect(only({ weekdays: new Set([1]) }).entered).toBe(10); // Monday
    expect(only({ weekdays: new Set([2]) }).entered).toBe(0);
    // s2: c2 (it let the offer ring out) and c8 (it answered). c4's caller hung up while s2 rang: not a miss.
    expect(only({ seats: new Set(['s2']) }).entered).toBe(2);
  });

  it('the answer-time distribution buckets answered waits', () => {
    // Waits 10, 40, 5, 6, 2 → ≤5: 2 (5, 2), ≤10: 2 (10, 6), ≤60: 1 (40).
    expect(buildReport(facts, opts).waitDistribution).toEqual([2, 2, 0, 0, 0, 1, 0, 0]);
  });

  it('live figures: since midnight and the last 15 and 30 minutes by arrival', () => {
    const day = facts.filter((x) => x.callId !== 'c8'); // c8 is tonight, after now
    const live = liveFigures(day, NOW, DAY0, opts);
    expect(live.sinceMidnight.entered).toBe(9);
    // Last 30 min (10:00–10:30]: c6 (10:00:00 is exactly 30 min before now: in), c9, c10, c11.
    expect(live.last30.entered).toBe(4);
    // Last 15 min (10:15–10:30]: c9, c10.
    expect(live.last15.entered).toBe(2);
    expect(live.last15.answered).toBe(1);
    expect(live.last15.waiting).toBe(1);
  });

  it('ISO weeks at year ends', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
  });
});
