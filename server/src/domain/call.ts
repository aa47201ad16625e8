import type { CallStateKind } from '../vocabulary/call-states.js';
import type { HangupSide } from '../vocabulary/hangup.js';
import { DomainError } from './errors.js';
import type { CallerFlag } from './model.js';
import type { OverflowReason } from '../vocabulary/overflow.js';
import type { OverflowTarget, OverflowTrigger } from './policy.js';

/**
 * Call state machine.
 *
 *  queued ──offer──► ringing ──answer──► talking ──hang-up──► wrap-up ──► ended
 *    ▲  │              │ no answer / declined (keeps its place)
 *    │  │              └───────────────► queued
 *    │  ├─ caller hangs up ─► abandoned (where: queue | ringing)
 *    │  ├─ policy ─────────► overflowed (target: 12345 | callback)
 *    │  └─ telephony timer ► timed-out
 */
export type CallState =
  | { kind: 'queued'; since: number }
  | { kind: 'ringing'; since: number; seatId: string; attempt: number }
  | { kind: 'talking'; since: number; seatId: string }
  | { kind: 'wrap-up'; since: number; seatId: string; hungUpBy: HangupSide }
  | { kind: 'ended'; since: number; seatId: string }
  | { kind: 'abandoned'; since: number; where: 'queue' | 'ringing' }
  | { kind: 'overflowed'; since: number; target: Exclude<OverflowTarget, 'city'>; trigger: OverflowTrigger }
  | { kind: 'timed-out'; since: number };

/** The state kinds and the hang-up sides are named once, in the vocabulary. */
export type { CallStateKind, HangupSide };

export const TERMINAL_CALL_STATES: readonly CallStateKind[] = ['ended', 'abandoned', 'overflowed', 'timed-out'];

const ALLOWED: Record<CallStateKind, readonly CallStateKind[]> = {
  queued: ['ringing', 'abandoned', 'overflowed', 'timed-out'],
  ringing: ['talking', 'queued', 'abandoned', 'overflowed', 'timed-out'],
  talking: ['wrap-up'],
  'wrap-up': ['ended'],
  ended: [],
  abandoned: [],
  overflowed: [],
  'timed-out': [],
};

export function isTerminal(kind: CallStateKind): boolean {
  return TERMINAL_CALL_STATES.includes(kind);
}

export function assertCallMove(callId: string, from: CallStateKind, to: CallStateKind): void {
  if (ALLOWED[from].includes(to)) return;
  const hint = isTerminal(from) ? 'the call is already over' : `allowed from ${from}: ${ALLOWED[from].join(', ')}`;
  throw new DomainError('INVALID_TRANSITION', `Call ${callId} cannot go from ${from} to ${to}: ${hint}.`, {
    callId,
    from,
    to,
  });
}

/** Why a decision was made: enough for a supervisor to understand it later. */
export interface RoutingReason {
  /**
   * A call routed to a seat: transfer, sticky, skill, expanded-proficiency, general, city (a
   * county call at a city seat), county (a city call at a county specialist). A seat that
   * became ready and took a waiting call: oldest-eligible-call (the oldest call of the highest
   * priority it may take, which was also its best match or the only one), best-match (a younger
   * call it is better qualified for, before older ones it could take by a weaker match),
   * fairness-bound (the oldest call past `pairing.fairnessBoundS`, although the seat was
   * better qualified for another).
   */
  rule:
    | 'transfer'
    | 'sticky'
    | 'skill'
    | 'expanded-proficiency'
    | 'general'
    | 'city'
    | 'county'
    | 'oldest-eligible-call'
    | 'best-match'
    | 'fairness-bound';
  /** Expansion step in force for the call: 0 initial, 1 lower proficiency, 2 general, 3 the other centre (city for a county call, county specialists for a city call). */
  step: number;
  proficiency: number | null;
  /** How many ready seats (or waiting calls) were considered. */
  considered: number;
  /** The runners-up, best first (at most a few): seats for a call; for a seat, the best call of each other queue it could take. */
  alternatives: string[];
  /** The seat had missed or declined this call before and was offered it again (ready again, no other seat free). */
  reoffer?: true;
}

/** Every step of a call, with its time. The single source of every KPI. */
export type CallEvent =
  | { type: 'enqueued'; at: number; priority: number; categoryId: string; centreId: string; language?: string }
  | { type: 'offered'; at: number; seatId: string; attempt: number; why: RoutingReason }
  | { type: 'ring-timeout'; at: number; seatId: string; attempt: number }
  | { type: 'declined'; at: number; seatId: string; attempt: number }
  | { type: 'answered'; at: number; seatId: string }
  | { type: 'held'; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'hung-up'; at: number; by: HangupSide }
  | { type: 'wrap-up-ended'; at: number; seatId: string }
  /** The seat filed the call's summary (小结); the wrap-up gate opens. */
  | { type: 'summary-filed'; at: number; seatId: string }
  | { type: 'expanded'; at: number; step: number }
  | { type: 'shared-to-city'; at: number; trigger: OverflowTrigger }
  | { type: 'abandoned'; at: number; where: 'queue' | 'ringing' }
  | {
      type: 'overflowed';
      at: number;
      target: Exclude<OverflowTarget, 'city'>;
      trigger: OverflowTrigger;
      /** What made the trigger fire, when it was more than the trigger says (no seat speaks the caller's language). */
      reason?: OverflowReason;
    }
  | { type: 'timed-out'; at: number }
  | { type: 'recategorized'; at: number; categoryId: string }
  /** The call came back in by a seat's transfer (REFER) of an earlier call. */
  | { type: 'transferred-in'; at: number; fromCallId: string; fromSeatId: string; targetSeatId: string | null }
  /** A transfer to a named seat that seat could not take: the call joined its category's queue. */
  | { type: 'transfer-fallback'; at: number; seatId: string };

export interface Call {
  id: string;
  /** Caller number as received (masked only when shown). */
  caller: string;
  dialed: string;
  trunk: string | null;
  categoryId: string;
  homeCentreId: string;
  flags: CallerFlag[];
  priority: number;
  ticket12345: string | null;
  /**
   * The caller's language when it is not the default (Mandarin): only seats that speak it are
   * offered the call, by the same rules. null or absent: any seat.
   */
  language?: string | null;
  /** Original enqueue time: the caller's place in line, kept across re-offers. */
  enqueuedAt: number;
  /** Offers made so far. */
  offers: number;
  /** Most offers this call may get (config cap, lowered by the telephony branch budget). */
  maxOffers: number;
  /** County call shared to the city centre by overflow (not only by expansion time). */
  sharedToCity: boolean;
  /**
   * Seats that missed or declined this call: offered it again only once ready again since
   * (a later ready period than the one it failed in) and no other seat is free for it.
   */
  excludedSeats: string[];
  /** A transfer to a named seat: only that seat is offered the call until `until`, then its queue. */
  target?: { seatId: string; until: number } | null;
  /** The earlier call this one was transferred from. */
  transferredFrom?: { callId: string; seatId: string; seatName: string } | null;
  state: CallState;
  events: CallEvent[];
}
