import type { CallView, QueueCallView, QueueSnapshot, SeatWallView } from '../../contract';
import type { SeatStateKind } from '../../shared/labels';

/** Call states in which the caller is still waiting for a lawyer. */
const WAITING_KINDS: readonly string[] = ['queued', 'ringing'];

export function isWaiting(call: CallView): boolean {
  return WAITING_KINDS.includes(call.state.kind);
}

export interface QueueCounts {
  /** 排队: callers waiting, including those whose offer is ringing at a seat. */
  waiting: number;
  ready: number;
  ringing: number;
  talking: number;
  wrapUp: number;
  notReady: number;
  offline: number;
  /** Seats logged in (not offline). */
  staffed: number;
}

export function queueCounts(snapshot: QueueSnapshot | null): QueueCounts {
  const bySeat: Record<SeatStateKind, number> = {
    offline: 0,
    ready: 0,
    ringing: 0,
    talking: 0,
    'wrap-up': 0,
    'not-ready': 0,
  };
  for (const seat of snapshot?.seats ?? []) bySeat[seat.state.kind] += 1;
  const seats = snapshot?.seats.length ?? 0;
  return {
    waiting: (snapshot?.calls ?? []).filter(isWaiting).length,
    ready: bySeat.ready,
    ringing: bySeat.ringing,
    talking: bySeat.talking,
    wrapUp: bySeat['wrap-up'],
    notReady: bySeat['not-ready'],
    offline: bySeat.offline,
    staffed: seats - bySeat.offline,
  };
}

/** Waiting calls in service order: higher priority first, then longest wait. */
export function waitingCalls(snapshot: QueueSnapshot | null): QueueCallView[] {
  return (snapshot?.calls ?? [])
    .filter(isWaiting)
    .sort((a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || a.id.localeCompare(b.id));
}

/** Seats by centre, then staff number; offline seats last so the working floor reads first. */
export function sortedSeats(snapshot: QueueSnapshot | null): SeatWallView[] {
  return [...(snapshot?.seats ?? [])].sort(
    (a, b) =>
      Number(a.state.kind === 'offline') - Number(b.state.kind === 'offline') ||
      a.centreId.localeCompare(b.centreId) ||
      a.staffNo.localeCompare(b.staffNo, 'zh-CN', { numeric: true }),
  );
}

/** Skills as "劳动与社会保障 5 · 综合咨询 3", strongest first. */
export function skillList(skills: Record<string, number>): { id: string; level: number }[] {
  return Object.entries(skills)
    .map(([id, level]) => ({ id, level }))
    .sort((a, b) => b.level - a.level || a.id.localeCompare(b.id));
}
