import type { QueueDelta, QueueSnapshot } from '../../contract';

/**
 * Applies a 'queue:changed' to the snapshot shown. `stale`: a push already applied (or older than
 * the snapshot); `gap`: one was missed, so the page subscribes again for a whole snapshot.
 */
export function applyQueueDelta(current: QueueSnapshot | null, delta: QueueDelta): QueueSnapshot | 'gap' | 'stale' {
  if (!current || current.seq === undefined) return 'gap';
  if (delta.seq <= current.seq) return 'stale';
  if (delta.base !== current.seq) return 'gap';
  return {
    ...current,
    at: delta.at,
    seq: delta.seq,
    service: delta.service ?? current.service,
    alerts: delta.alerts ?? current.alerts,
    seats: merge(current.seats, delta.seats, delta.removedSeats),
    calls: merge(current.calls, delta.calls, delta.removedCalls),
  };
}

/** Changed items replace theirs in place, new ones are appended, removed ones dropped. */
function merge<T extends { id: string }>(list: readonly T[], changed: readonly T[], removed: readonly string[]): T[] {
  if (changed.length === 0 && removed.length === 0) return list as T[];
  const byId = new Map(changed.map((x) => [x.id, x]));
  const gone = new Set(removed);
  const out: T[] = [];
  for (const x of list) {
    if (gone.has(x.id)) continue;
    const next = byId.get(x.id);
    out.push(next ?? x);
    byId.delete(x.id);
  }
  out.push(...byId.values());
  return out;
}
