import type { Call, CallEvent } from '../call.js';
import type { Clock } from '../clock.js';
import type { CallerFlag, SeatProfile } from '../model.js';
import type { OverflowTrigger, RoutingConfig } from '../policy.js';
import type { Seat } from '../seat.js';

/**
 * The engine's ports: how it reaches storage, telephony and listeners, what a
 * new call looks like, and how it is constructed.
 */

/**
 * Durable storage of the engine's state. One transaction per engine command;
 * `transaction` joins a transaction already open on the same database (the outer
 * caller's commit is then the one that counts: see Acd.unitOfWork).
 */
export interface EngineStore {
  transaction<T>(fn: () => T): T;
  saveCall(call: Call, newEvents: readonly CallEvent[]): void;
  saveSeatState(seat: Seat): void;
  /** The seat that last answered this caller at or after `since`, if any. */
  lastAnsweringSeat(caller: string, since: number): string | null;
}

/** What the engine asks telephony to do. Called only after the state is durable. */
export interface TelephonyPort {
  ring(call: Call, seatId: string, ringMs: number): void;
  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void;
  /** A ring the engine gave up on (timeout, or the caller left): stop ringing that seat. */
  cancelRing(call: Call, seatId: string): void;
}

export interface EngineListener {
  seatChanged?(seat: Seat): void;
  callChanged?(call: Call): void;
  /**
   * Inside the unit's transaction, as each changed call is stored (before the commit): rows
   * written here commit with the engine's decision (a callback request with its overflow).
   * A throw rolls the whole unit back. The pushes belong in callChanged, after the commit.
   */
  callStored?(call: Call, newEvents: readonly CallEvent[]): void;
}

export interface IncomingCall {
  id: string;
  caller: string;
  dialed: string;
  trunk?: string | null;
  /** IVR menu digits the caller chose (e.g. "3"); unknown or none → the general category. */
  ivrCode?: string | null;
  categoryId?: string | null;
  flags?: CallerFlag[];
  ticket12345?: string | null;
  /** The caller's language (X-Caller-Language); the IVR code may also select one (RoutingConfig.callerLanguages). */
  language?: string | null;
  /** Offers the telephony side can still afford for this call (its branch budget). */
  offerBudget?: number;
  /** Overrides the priority the flags give (a transferred caller goes ahead). */
  priority?: number;
  /** The call comes back in by a seat's transfer of an earlier call (REFER). */
  transfer?: { fromCallId: string; fromSeatId: string; targetSeatId: string | null };
}

/** Priority of a transferred call: above every caller flag (flag priorities are at most 100). */
export const TRANSFER_PRIORITY = 101;
/** Longest a seat stays held for a consultation (咨询转接) before it is ready again by itself. */
export const CONSULT_HOLD_MS = 5 * 60_000;
/** Milliseconds per second (the configuration counts in seconds, the clock in ms). */
export const S = 1000;

export interface EngineOptions {
  clock: Clock;
  store: EngineStore;
  telephony: TelephonyPort;
  config: RoutingConfig;
  seats: SeatProfile[];
  /** When true, only seats whose softphone is registered are offered calls. */
  requireRegistration?: boolean;
  /** Extra ms the engine waits beyond the ring timeout before it declares no answer itself. */
  ringGraceMs?: number;
  /**
   * Called once when a command's transaction fails for a reason other than a domain
   * rule (the disk is full, the database is gone). The engine's memory may then differ
   * from what is stored, so it refuses every later command: the process should exit
   * and a new one restore the last committed state (crash-only recovery).
   */
  onStorageFailure?: (err: unknown) => void;
}
