import type { QueueSnapshot } from '../../contract';

/**
 * Categories whose waiting calls would be left with no signed-in seat able to take them if this
 * seat lost those skills (the engine then overflows them): the admin is told before saving.
 * Only the plain specialty is looked at, not expansion to general seats or other centres.
 */
export function strandedBy(snapshot: QueueSnapshot | null, seatId: string, removed: string[]): { categoryId: string; waiting: number }[] {
  if (!snapshot || removed.length === 0) return [];
  const others = snapshot.seats.filter((s) => s.id !== seatId && s.state.kind !== 'offline');
  return removed
    .map((categoryId) => ({
      categoryId,
      waiting: snapshot.calls.filter((c) => c.categoryId === categoryId && (c.state.kind === 'queued' || c.state.kind === 'ringing'))
        .length,
      covered: others.some((s) => (s.skills[categoryId] ?? 0) > 0),
    }))
    .filter((x) => x.waiting > 0 && !x.covered)
    .map(({ categoryId, waiting }) => ({ categoryId, waiting }));
}
