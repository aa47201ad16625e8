import { SEAT_STATE_LABELS, type SeatStateKind } from '../vocabulary/seat-states.js';
import { DomainError } from './errors.js';
import type { NotReadyReason, SeatProfile } from './model.js';

/** The state kinds and their zh-CN names are named once, in the vocabulary. */
export { SEAT_STATE_LABELS, type SeatStateKind };

/**
 * Seat state machine.
 *
 *            login                offer             answer
 *  offline ────────► ready ───────────► ringing ───────────► talking
 *     ▲  ◄────────── │  ▲ ◄──────────── │  (caller gone)       │ hang-up
 *     │   logout     │  │               │ missed/declined      ▼
 *     │              ▼  │               ▼                   wrap-up ──► ready
 *     └──────────── not-ready ◄────────────────────────────────┘
 *
 * Each state carries only its own fields.
 */
export type SeatState =
  | { kind: 'offline'; since: number }
  | { kind: 'ready'; since: number }
  | { kind: 'ringing'; since: number; callId: string; attempt: number; idleSince: number }
  | { kind: 'talking'; since: number; callId: string }
  | { kind: 'wrap-up'; since: number; callId: string; until: number; extensions: number }
  | { kind: 'not-ready'; since: number; reason: NotReadyReason; autoReadyAt: number | null };

const ALLOWED: Record<SeatStateKind, readonly SeatStateKind[]> = {
  offline: ['ready', 'not-ready'],
  ready: ['ringing', 'not-ready', 'offline'],
  ringing: ['talking', 'ready', 'not-ready', 'offline'],
  talking: ['wrap-up'],
  'wrap-up': ['ready', 'not-ready', 'offline', 'wrap-up'],
  'not-ready': ['ready', 'not-ready', 'offline'],
};

/** What the seat probably meant, in the words the seat reads (zh-CN). */
const HINTS: Partial<Record<`${SeatStateKind}->${SeatStateKind}`, string>> = {
  'talking->ready': '请先结束通话:每通电话结束后都要先进入话后整理',
  'talking->offline': '通话中不能下线,请先挂断',
  'talking->not-ready': '通话中不能示忙,通话结束后会先进入话后整理',
  'offline->ringing': '只有就绪的坐席才能分配来电',
  'not-ready->ringing': '只有就绪的坐席才能分配来电',
  'wrap-up->ringing': '坐席仍在话后整理,完成后才能接下一通电话',
  'ready->talking': '来电须先在坐席振铃才能接听',
  'ready->wrap-up': '话后整理在通话之后,当前没有可整理的通话',
};

export function canMove(from: SeatStateKind, to: SeatStateKind): boolean {
  return ALLOWED[from].includes(to);
}

export function assertSeatMove(seatId: string, from: SeatStateKind, to: SeatStateKind): void {
  if (canMove(from, to)) return;
  const L = SEAT_STATE_LABELS;
  const hint = HINTS[`${from}->${to}`] ?? `「${L[from]}」时只能切换为${ALLOWED[from].map((k) => `「${L[k]}」`).join('、')}`;
  throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 不能从「${L[from]}」变为「${L[to]}」:${hint}。`, {
    seatId,
    from,
    to,
  });
}

/** A seat as the engine holds it: profile plus live state. */
export interface Seat {
  profile: SeatProfile;
  state: SeatState;
  /** Whether its softphone is registered (the telephony adapter reports it). */
  registered: boolean;
  /** Times of recent missed offers, for the graduated missed-offer policy. */
  missedAt: number[];
}
