import { describe, expect, it } from 'vitest';
import type { QueueSnapshot } from '../../../server/src/contract/index.js';
import { strandedBy } from '../../../client/src/features/admin/strand-check';

const seat = (id: string, skills: Record<string, number>, kind: 'ready' | 'offline' = 'ready') => ({
  id,
  name: id,
  staffNo: id,
  centreId: 'city',
  skills,
  languages: ['zh'],
  registered: true,
  state: { kind, since: 0 } as never,
});
const call = (id: string, categoryId: string) => ({
  id,
  callerMasked: '138****0000',
  categoryId,
  homeCentreId: 'city',
  flags: [],
  priority: 0,
  ticket12345: null,
  hungUpBy: null,
  enqueuedAt: 0,
  offers: 0,
  answeredAt: null,
  transferredFrom: null,
  state: { kind: 'queued' as const, since: 0 },
});
const snap = (seats: ReturnType<typeof seat>[], calls: ReturnType<typeof call>[]): QueueSnapshot => ({
  at: 0,
  service: { open: true, plannedSeats: 1, period: null, holiday: null, answerTargetS: 15 },
  seats,
  calls,
});

describe('a seat change that would strand waiting calls', () => {
  it('warns when the seat was the last signed-in one with a specialty that has calls waiting', () => {
    const s = snap([seat('a', { labor: 5 }), seat('b', { labor: 3 }, 'offline')], [call('c1', 'labor'), call('c2', 'labor')]);
    expect(strandedBy(s, 'a', ['labor'])).toEqual([{ categoryId: 'labor', waiting: 2 }]);
  });

  it('says nothing when another signed-in seat has it, or nobody waits for it', () => {
    expect(strandedBy(snap([seat('a', { labor: 5 }), seat('b', { labor: 1 })], [call('c1', 'labor')]), 'a', ['labor'])).toEqual([]);
    expect(strandedBy(snap([seat('a', { labor: 5 })], [call('c1', 'medical')]), 'a', ['labor'])).toEqual([]);
    expect(strandedBy(null, 'a', ['labor'])).toEqual([]);
  });
});
