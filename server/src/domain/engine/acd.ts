import type { Call, HangupSide } from '../call.js';
import type { NotReadyReason, SeatProfile } from '../model.js';
import type { RoutingConfig } from '../policy.js';
import type { Seat, SeatState } from '../seat.js';
import type { EngineListener, IncomingCall } from './ports.js';

/**
 * What the rest of the router may ask of the ACD engine: telephony, transport and
 * the simulator depend on these interfaces, never on the AcdEngine class. Split by
 * role so that a caller can ask for only what it uses.
 */

/** Reading the engine's state (never changes it). */
export interface AcdQueries {
  readonly config: RoutingConfig;
  subscribe(listener: EngineListener): () => void;
  /** Throws NOT_FOUND for an unknown seat. */
  getSeat(id: string): Seat;
  listSeats(): Seat[];
  getCall(id: string): Call | undefined;
  /** Calls not yet ended (queued, ringing, talking, wrap-up), oldest first. */
  activeCalls(): Call[];
  /** Queued and ringing calls in the order they will be served. */
  waitingCalls(): Call[];
  /** Whether calls can be offered to this seat's phone (registered, when registration is required). */
  isReachable(seatId: string): boolean;
  /** Whether the seat may leave the wrap-up of this call (the summary gate). */
  summaryMissing(callId: string): boolean;
  /** Whether the routing rules would ever offer this seat a call of this category from this home centre. */
  seatCouldEverTake(seatId: string, call: { categoryId: string; homeCentreId: string }): boolean;
  /** Whether commands are refused after a storage failure (a full disk: until the store can be written). */
  readonly suspended: boolean;
}

/** What telephony reports about calls. */
export interface AcdCallCommands {
  offerCall(input: IncomingCall): Call;
  answered(callId: string, seatId: string): Call;
  ringTimeout(callId: string, seatId: string, attempt?: number): Call | undefined;
  /** A ring whose end was lost in a restart: the call is queued again, the seat ready (no missed offer). */
  ringLost(callId: string, seatId: string): Call | undefined;
  declined(callId: string, seatId: string): Call;
  hangup(callId: string, by: HangupSide): Call;
  timedOut(callId: string): Call;
  hold(callId: string): Call;
  resume(callId: string): Call;
}

/** What seats (their consoles and phones) and the system ask of the engine. */
export interface AcdSeatCommands {
  setSeatReady(seatId: string): Seat;
  setSeatNotReady(seatId: string, reason: NotReadyReason): Seat;
  setSeatOffline(seatId: string, opts?: { bySeat?: boolean }): Seat;
  extendWrapUp(seatId: string): Seat;
  endWrapUp(seatId: string): Seat;
  summaryFiled(callId: string, seatId: string): Call | undefined;
  reserveForConsult(seatId: string): Seat;
  releaseConsult(seatId: string): Seat;
  setRegistered(seatId: string, registered: boolean): Seat;
}

/** A supervisor's changes to a waiting call (engine/supervisor-commands.ts). */
export interface AcdSupervisorCommands {
  reprioritize(callId: string, priority: number): Call;
  recategorize(callId: string, categoryId: string): Call;
  /** Rings the waiting call at this ready seat now. */
  assignCall(callId: string, seatId: string): Call;
}

/** Administration: seats, the routing configuration, restart. */
export interface AcdAdmin {
  upsertSeat(profile: SeatProfile): Seat;
  updateConfig(cfg: RoutingConfig): void;
  restore(calls: Call[], seatStates: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[]): void;
  dispose(): void;
}

/** Joining the engine's unit of work (one commit for a caller's rows and the engine's decision). */
export interface AcdUnitOfWork {
  /**
   * Runs `fn` as one unit with every engine command it calls: one store transaction
   * (rows `fn` writes itself on the engine's database commit with the engine's state),
   * then, after that commit and only then, telephony actions and listener pushes.
   * Nothing goes out if `fn` throws (the transaction rolls back). Calls nest: an inner
   * unitOfWork or command joins the outer one.
   */
  unitOfWork<T>(fn: () => T): T;
}

/** Everything: what the composition root holds. */
export interface Acd extends AcdQueries, AcdCallCommands, AcdSeatCommands, AcdSupervisorCommands, AcdAdmin, AcdUnitOfWork {}

/** What the telephony adapter needs: call events in, registrations, one commit per event. */
export type AcdForTelephony = Pick<AcdQueries, 'getCall' | 'listSeats' | 'activeCalls'> &
  AcdCallCommands &
  Pick<AcdSeatCommands, 'setRegistered'> &
  AcdUnitOfWork;
