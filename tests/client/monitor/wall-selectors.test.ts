import { describe, expect, it } from 'vitest';
import type { QueueCallView, QueueSnapshot, SeatWallView } from '../../../server/src/contract/index.js';
import {
  categoryQueues,
  currentCall,
  filteredSeats,
  NO_FILTER,
  readySeats,
  shortCategoryName,
  stepLabel,
  wrapUpOverdue,
} from '../../../client/src/features/monitor/wall-selectors';

const seat = (id: string, centreId: string, skills: Record<string, number>, state: SeatWallView['state']): SeatWallView => ({
  id,
  name: id,
  staffNo: id,
  centreId,
  skills,
  languages: ['zh'],
  registered: true,
  state,
});
const call = (id: string, categoryId: string, enqueuedAt: number, state: QueueCallView['state']): QueueCallView => ({
  id,
  callerMasked: '138****0000',
  categoryId,
  homeCentreId: 'city',
  flags: [],
  priority: 0,
  ticket12345: null,
  hungUpBy: null,
  enqueuedAt,
  offers: 0,
  answeredAt: null,
  transferredFrom: null,
  state,
  step: 0,
  offeredTo: [],
});
const snapshot: QueueSnapshot = {
  at: 100_000,
  service: { open: true, plannedSeats: 3, period: null, holiday: null, answerTargetS: 15 },
  seats: [
    seat('a', 'city', { labor: 5 }, { kind: 'ready', since: 0 }),
    seat('b', 'dongcheng', { labor: 3, medical: 4 }, { kind: 'wrap-up', since: 0, callId: 'c3', until: 50_000, extensions: 0 }),
    seat('c', 'city', { medical: 5 }, { kind: 'offline', since: 0 }),
  ],
  calls: [
    call('c1', 'labor', 10_000, { kind: 'queued', since: 10_000 }),
    call('c2', 'labor', 5_000, { kind: 'ringing', since: 20_000, seatId: 'a' }),
    call('c4', 'medical', 30_000, { kind: 'queued', since: 30_000 }),
    call('c3', 'medical', 1_000, { kind: 'wrap-up', since: 40_000, seatId: 'b' }),
  ],
};

describe('the seat wall and live queue selectors', () => {
  it('counts waiting calls per category with the oldest, longest queue first (calls in progress not counted)', () => {
    expect(categoryQueues(snapshot)).toEqual([
      { categoryId: 'labor', waiting: 2, oldestAt: 5_000 },
      { categoryId: 'medical', waiting: 1, oldestAt: 30_000 },
    ]);
  });

  it('filters seats by centre, specialty and state together', () => {
    expect(filteredSeats(snapshot, NO_FILTER).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(filteredSeats(snapshot, { ...NO_FILTER, specialty: 'medical' }).map((s) => s.id)).toEqual(['b', 'c']);
    expect(filteredSeats(snapshot, { centreId: 'city', specialty: 'medical', state: '' }).map((s) => s.id)).toEqual(['c']);
    expect(filteredSeats(snapshot, { ...NO_FILTER, state: 'wrap-up' }).map((s) => s.id)).toEqual(['b']);
  });

  it("finds a seat's current call, whether its wrap-up is overdue, and the seats a call may be given to", () => {
    expect(currentCall(snapshot, snapshot.seats[1]!)?.id).toBe('c3');
    expect(currentCall(snapshot, snapshot.seats[0]!)).toBeNull();
    expect(wrapUpOverdue(snapshot.seats[1]!, 49_000)).toBe(false);
    expect(wrapUpOverdue(snapshot.seats[1]!, 51_000)).toBe(true);
    expect(readySeats(snapshot).map((s) => s.id)).toEqual(['a']);
    expect(stepLabel(3)).toBe('跨中心');
    expect(stepLabel(undefined)).toBe('本专业');
  });

  it("shortens a call's category for a one-line seat card to the part before 与 or a bracket", () => {
    expect(shortCategoryName('婚姻家庭与继承')).toBe('婚姻家庭');
    expect(shortCategoryName('交通事故与人身损害')).toBe('交通事故');
    expect(shortCategoryName('行政(复议/诉讼)')).toBe('行政');
    expect(shortCategoryName('行政（复议）')).toBe('行政');
    expect(shortCategoryName('医疗纠纷')).toBe('医疗纠纷');
    // nothing before the 与 or bracket: the whole name
    expect(shortCategoryName('(其他)')).toBe('(其他)');
  });
});
