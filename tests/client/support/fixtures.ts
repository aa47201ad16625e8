import type { CallView, QueueSnapshot, ReferenceData, SeatStateView, SeatView, UserView } from '../../../client/src/contract';

export const T0 = Date.UTC(2025, 0, 6, 1, 0, 0); // 09:00 in China

export function user(role: UserView['role'], over: Partial<UserView> = {}): UserView {
  return {
    id: 1,
    username: role === 'seat' ? 'seat01' : role,
    displayName: role === 'seat' ? '张律师' : '李班长',
    role,
    seatId: role === 'seat' ? 's01' : null,
    ...over,
  };
}

export function seat(state: SeatStateView, over: Partial<SeatView> = {}): SeatView {
  return {
    id: 's01',
    name: '张律师',
    staffNo: '1001',
    centreId: 'city',
    skills: { labor: 5, general: 3 },
    languages: ['zh'],
    registered: true,
    state,
    ...over,
  };
}

export function call(over: Partial<CallView> = {}): CallView {
  return {
    id: 'c1',
    callerMasked: '138****1234',
    categoryId: 'labor',
    homeCentreId: 'city',
    flags: [],
    priority: 0,
    ticket12345: null,
    enqueuedAt: T0,
    offers: 1,
    answeredAt: null,
    transferredFrom: null,
    hungUpBy: null,
    state: { kind: 'queued', since: T0 },
    ...over,
  };
}

export function snapshot(over: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    at: T0,
    service: { open: true, plannedSeats: 15, period: { from: '08:30', to: '18:00' }, holiday: null, answerTargetS: 15 },
    seats: [],
    calls: [],
    ...over,
  };
}

export const reference: ReferenceData = {
  categories: [
    { id: 'labor', name: '劳动与社会保障', ivrCodes: ['2'], general: false },
    { id: 'general', name: '综合咨询', ivrCodes: ['0'], general: true },
  ],
  centres: [
    { id: 'city', name: '市中心', level: 'city' },
    { id: 'east', name: '东区中心', level: 'county' },
  ],
  summaryRequired: true,
  notReadyReasons: [
    { id: 'meal', label: '用餐' },
    { id: 'training', label: '培训' },
    { id: 'meeting', label: '会议' },
    { id: 'rest', label: '小休' },
    { id: 'missed', label: '未接来电' },
  ],
};

/** The URL a `fetch` was called with, whichever form it came in (string, URL or Request). */
export const requestUrl = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
