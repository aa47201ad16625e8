import type { QueueCallView, QueueSnapshot, SeatWallView } from '../../contract';
import type { SeatStateKind } from '../../shared/labels';
import { isWaiting, sortedSeats } from './selectors';

/** Expansion steps as the supervisor reads them (server/src/domain/engine/routing.ts). */
export const STEP_LABELS: Record<number, string> = {
  0: '本专业',
  1: '放宽熟练度',
  2: '综合咨询',
  3: '跨中心',
};
export const stepLabel = (step: number | undefined) => STEP_LABELS[step ?? 0] ?? `第 ${step} 步`;

/** Why a seat was offered a call (the offer's recorded rule). */
export const RULE_LABELS: Record<string, string> = {
  transfer: '转接或班长指派',
  sticky: '回头客优先上次接听的坐席',
  skill: '专业匹配',
  'expanded-proficiency': '放宽熟练度后匹配',
  general: '综合咨询坐席',
  city: '区县来电由市中心承接',
  county: '市级来电由区县专业坐席承接',
  'oldest-eligible-call': '坐席就绪,接等待最久的来电',
  'best-match': '坐席就绪,接其最擅长的来电',
  'fairness-bound': '等待超过公平上限,优先接听',
};
export const ruleLabel = (rule: string) => RULE_LABELS[rule] ?? rule;

export interface CategoryQueue {
  categoryId: string;
  waiting: number;
  oldestAt: number;
}

/** Waiting calls per category, the longest queue first. */
export function categoryQueues(snapshot: QueueSnapshot | null): CategoryQueue[] {
  const by = new Map<string, CategoryQueue>();
  for (const c of snapshot?.calls ?? []) {
    if (!isWaiting(c)) continue;
    const q = by.get(c.categoryId) ?? { categoryId: c.categoryId, waiting: 0, oldestAt: c.enqueuedAt };
    q.waiting += 1;
    q.oldestAt = Math.min(q.oldestAt, c.enqueuedAt);
    by.set(c.categoryId, q);
  }
  return [...by.values()].sort((a, b) => b.waiting - a.waiting || a.oldestAt - b.oldestAt);
}

export interface SeatFilter {
  centreId: string;
  specialty: string;
  state: SeatStateKind | '';
}
export const NO_FILTER: SeatFilter = { centreId: '', specialty: '', state: '' };

/** The seats shown on the wall under the chosen filters, in wall order. */
export function filteredSeats(snapshot: QueueSnapshot | null, f: SeatFilter): SeatWallView[] {
  return sortedSeats(snapshot).filter(
    (s) =>
      (!f.centreId || s.centreId === f.centreId) &&
      (!f.specialty || (s.skills[f.specialty] ?? 0) > 0) &&
      (!f.state || s.state.kind === f.state),
  );
}

/** The call a seat is ringing with, talking on or wrapping up. */
export function currentCall(snapshot: QueueSnapshot | null, seat: SeatWallView): QueueCallView | null {
  const st = seat.state;
  if (!('callId' in st)) return null;
  return snapshot?.calls.find((c) => c.id === st.callId) ?? null;
}

/** Wrap-up past its time (the seat has not filed its summary or not come back). */
export function wrapUpOverdue(seat: SeatWallView, now: number): boolean {
  return seat.state.kind === 'wrap-up' && seat.state.until < now;
}

/** Seats a waiting call may be given to now: ready ones, by name. */
export function readySeats(snapshot: QueueSnapshot | null): SeatWallView[] {
  return sortedSeats(snapshot).filter((s) => s.state.kind === 'ready');
}

export function seatName(snapshot: QueueSnapshot | null, seatId: string): string {
  return snapshot?.seats.find((s) => s.id === seatId)?.name ?? seatId;
}

/**
 * A category's name for a one-line seat card: the part before its first 与 or bracket
 * (婚姻家庭与继承 → 婚姻家庭, 行政(复议/诉讼) → 行政); a name without either stays whole.
 */
export function shortCategoryName(name: string): string {
  const short = name.split(/[与(（]/)[0]!.trim();
  return short || name;
}
