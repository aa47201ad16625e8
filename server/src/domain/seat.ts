import { DomainError } from './errors.js';
import type { NotReadyReason, SeatProfile } from './model.js';

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

export type SeatStateKind = SeatState['kind'];

const ALLOWED: Record<SeatStateKind, readonly SeatStateKind[]> = {
  offline: ['ready', 'not-ready'],
  ready: ['ringing', 'not-ready', 'offline'],
  ringing: ['talking', 'ready', 'not-ready', 'offline'],
  talking: ['wrap-up'],
  'wrap-up': ['ready', 'not-ready', 'offline', 'wrap-up'],
  'not-ready': ['ready', 'not-ready', 'offline'],
};

const HINTS: Partial<Record<`${SeatStateKind}->${SeatStateKind}`, string>> = {
  'talking->ready': 'finish the call first: a seat goes through wrap-up (话后整理) after every call',
  'talking->offline': 'a seat cannot log out during a call; hang up first',
  'talking->not-ready': 'a seat cannot go not-ready during a call; the wrap-up comes first',
  'offline->ringing': 'only a ready seat can be offered a call',
  'not-ready->ringing': 'only a ready seat can be offered a call',
  'wrap-up->ringing': 'the seat is still in wrap-up; finish it before taking the next call',
  'ready->talking': 'a call must ring at the seat before it can be answered',
  'ready->wrap-up': 'wrap-up follows a call; there is no call to wrap up',
};

export function canMove(from: SeatStateKind, to: SeatStateKind): boolean {
  return ALLOWED[from].includes(to);
}

export function assertSeatMove(seatId: string, from: SeatStateKind, to: SeatStateKind): void {
  if (canMove(from, to)) return;
  const hint = HINTS[`${from}->${to}`] ?? `allowed from ${from}: ${ALLOWED[from].join(', ') || 'nothing'}`;
  throw new DomainError('INVALID_TRANSITION', `Seat ${seatId} cannot go from ${from} to ${to}: ${hint}.`, {
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
