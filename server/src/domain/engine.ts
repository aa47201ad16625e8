import type { Call, HangupSide } from './call.js';
import type { Clock } from './clock.js';
import type { CallerFlag, NotReadyReason, SeatProfile } from './model.js';
import type { RoutingConfig } from './policy.js';
import type { Seat, SeatState } from './seat.js';
import { DomainError } from './errors.js';
import type { Acd } from './engine/acd.js';
import * as calls from './engine/call-commands.js';
import { EngineCore } from './engine/core.js';
import { EngineIndexes } from './engine/indexes.js';
import * as lifecycle from './engine/lifecycle.js';
import { seatCouldEverTake } from './engine/routing.js';
import type { EngineListener, EngineOptions, IncomingCall } from './engine/ports.js';
import * as seats from './engine/seat-commands.js';
import * as supervisor from './engine/supervisor-commands.js';
import { EngineTimers } from './engine/timers.js';
import { UnitOfWork } from './engine/unit-of-work.js';

export type {
  Acd,
  AcdAdmin,
  AcdCallCommands,
  AcdForTelephony,
  AcdQueries,
  AcdSeatCommands,
  AcdSupervisorCommands,
  AcdUnitOfWork,
} from './engine/acd.js';
export { OrderedMap } from './engine/indexes.js';
export type { StoredEngineState } from './engine/lifecycle.js';
export {
  CONSULT_HOLD_MS,
  TRANSFER_PRIORITY,
  type EngineListener,
  type EngineOptions,
  type EngineStore,
  type IncomingCall,
  type TelephonyPort,
} from './engine/ports.js';

/**
 * The ACD engine: seats, the queue and the routing policy. It knows no transport
 * and no storage: it talks to the world through its ports (engine/ports.ts) and
 * reads time from an injected Clock, so the same engine runs live, in tests and in
 * the queue simulator.
 *
 * This class is a facade: every command runs as one unit of work
 * (engine/unit-of-work.ts: one transaction, then telephony and listeners) over the
 * state moves of engine/core.ts; routing is pure (engine/routing.ts) over the
 * indexes (engine/indexes.ts); timers are in engine/timers.ts. The rest of the
 * router depends on the Acd interfaces (engine/acd.ts), not on this class.
 */
export class AcdEngine implements Acd {
  private readonly clock: Clock;
  private readonly listeners: EngineListener[] = [];
  private readonly ix: EngineIndexes;
  private readonly uow: UnitOfWork;
  private readonly timers: EngineTimers;
  private readonly core: EngineCore;

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.ix = new EngineIndexes(opts.config, opts.requireRegistration ?? false);
    this.uow = new UnitOfWork({
      store: opts.store,
      telephony: opts.telephony,
      listeners: this.listeners,
      calls: this.ix.calls,
      onStorageFailure: opts.onStorageFailure,
      halt: () => this.timers.clearAll(),
    });
    this.timers = new EngineTimers(this.clock, {
      callDue: (callId) => {
        const c = this.ix.calls.get(callId);
        if (c) this.command(() => this.core.onCallTimer(c));
      },
      ringDue: (callId, seatId, attempt) => this.ringTimeout(callId, seatId, attempt),
      seatDue: (seatId, armedFor) => {
        const seat = this.ix.seats.get(seatId);
        if (!seat || seat.state !== armedFor) return; // stale: the seat moved on
        this.command(() => this.core.onSeatTimer(seat));
      },
    });
    this.core = new EngineCore(this.clock, opts.store, this.ix, this.uow, this.timers, opts.ringGraceMs ?? 0);
    for (const p of opts.seats) {
      this.ix.seats.set(p.id, { profile: p, state: { kind: 'offline', since: this.clock.now() }, registered: false, missedAt: [] });
    }
  }

  // ------------------------------------------------------------------ queries

  get config(): RoutingConfig {
    return this.ix.cfg;
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  getSeat(id: string): Seat {
    return this.core.getSeat(id);
  }

  listSeats(): Seat[] {
    return [...this.ix.seats.values()];
  }

  getCall(id: string): Call | undefined {
    return this.ix.calls.get(id);
  }

  /** Calls not yet ended (queued, ringing, talking, wrap-up), oldest first. */
  activeCalls(): Call[] {
    return [...this.ix.calls.values()].sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  /** Queued and ringing calls in the order they will be served. */
  waitingCalls(): Call[] {
    return this.ix.waitingCalls();
  }

  resolveCategory(ivrCode: string | null | undefined): string {
    return calls.resolveCategory(this.core, ivrCode);
  }

  resolveHomeCentre(trunk: string | null | undefined, dialed: string): string {
    return calls.resolveHomeCentre(this.core, trunk, dialed);
  }

  priorityOf(flags: readonly CallerFlag[]): number {
    return calls.priorityOf(this.core, flags);
  }

  /** Whether calls can be offered to this seat's phone (registered, when registration is required). */
  isReachable(seatId: string): boolean {
    return this.ix.seatUsable(this.getSeat(seatId));
  }

  /** Whether the seat may leave the wrap-up of this call (the summary gate). */
  summaryMissing(callId: string): boolean {
    return this.core.summaryMissing(callId);
  }

  /** Whether the routing rules would ever offer this seat a call of this category from this home centre. */
  seatCouldEverTake(seatId: string, call: { categoryId: string; homeCentreId: string }): boolean {
    return seatCouldEverTake(this.ix, call, this.getSeat(seatId));
  }

  // ------------------------------------------------------------------ calls

  /** A call arrives for 12348. Returns the call as it stands after routing. */
  offerCall(input: IncomingCall): Call {
    if (this.ix.calls.has(input.id)) {
      throw new DomainError('CONFLICT', `Call ${input.id} is already in the system.`, { callId: input.id });
    }
    return this.command(() => calls.offerCall(this.core, input));
  }

  /** The seat answered (telephony saw the 200 OK). */
  answered(callId: string, seatId: string): Call {
    return this.command(() => calls.answered(this.core, callId, seatId));
  }

  /** The seat let the offer ring out (telephony's timer) or the engine's own timer fired. */
  ringTimeout(callId: string, seatId: string, attempt?: number): Call | undefined {
    return this.command(() => calls.ringTimeout(this.core, callId, seatId, attempt));
  }

  /** A ring whose end was lost in a restart: the call is queued again, the seat ready (no missed offer). */
  ringLost(callId: string, seatId: string): Call | undefined {
    return this.command(() => calls.ringLost(this.core, callId, seatId));
  }

  /** The seat declined the offer: the call goes back to the queue keeping its place. */
  declined(callId: string, seatId: string): Call {
    return this.command(() => calls.declined(this.core, callId, seatId));
  }

  /** Either side hung up, or the caller gave up waiting. */
  hangup(callId: string, by: HangupSide): Call {
    return this.command(() => calls.hangup(this.core, callId, by));
  }

  /** Telephony gave up on a queued call (its own queue timer or branch budget). */
  timedOut(callId: string): Call {
    return this.command(() => calls.timedOut(this.core, callId));
  }

  hold(callId: string): Call {
    return this.command(() => calls.talkingEvent(this.core, callId, 'held'));
  }

  resume(callId: string): Call {
    return this.command(() => calls.talkingEvent(this.core, callId, 'resumed'));
  }

  // ------------------------------------------------------------------ seats

  setSeatReady(seatId: string): Seat {
    return this.command(() => seats.setSeatReady(this.core, seatId));
  }

  setSeatNotReady(seatId: string, reason: NotReadyReason): Seat {
    return this.command(() => seats.setSeatNotReady(this.core, seatId, reason));
  }

  /**
   * Signs the seat off. `bySeat` is the seat's own request, which waits for an unfiled
   * summary like any other way out of wrap-up; the system (a console gone for good) does not.
   */
  setSeatOffline(seatId: string, opts: { bySeat?: boolean } = {}): Seat {
    return this.command(() => seats.setSeatOffline(this.core, seatId, opts));
  }

  extendWrapUp(seatId: string): Seat {
    return this.command(() => seats.extendWrapUp(this.core, seatId));
  }

  /** The seat finished its wrap-up early: it becomes ready. */
  endWrapUp(seatId: string): Seat {
    return this.command(() => seats.endWrapUp(this.core, seatId));
  }

  /** The seat filed the call's summary (see seat-commands.ts). */
  summaryFiled(callId: string, seatId: string): Call | undefined {
    return this.command(() => seats.summaryFiled(this.core, callId, seatId));
  }

  /** Holds a ready seat for a consultation (咨询转接) for at most CONSULT_HOLD_MS. */
  reserveForConsult(seatId: string): Seat {
    return this.command(() => seats.reserveForConsult(this.core, seatId));
  }

  /** Ends a consultation hold: the seat is ready again (nothing happens if it moved on). */
  releaseConsult(seatId: string): Seat {
    return this.command(() => seats.releaseConsult(this.core, seatId));
  }

  setRegistered(seatId: string, registered: boolean): Seat {
    return this.command(() => seats.setRegistered(this.core, seatId, registered));
  }

  // ------------------------------------------------------------------ supervisor

  reprioritize(callId: string, priority: number): Call {
    return this.command(() => supervisor.reprioritize(this.core, callId, priority));
  }

  recategorize(callId: string, categoryId: string): Call {
    return this.command(() => supervisor.recategorize(this.core, callId, categoryId));
  }

  /** Rings the waiting call at this ready seat now (a supervisor's choice). */
  assignCall(callId: string, seatId: string): Call {
    return this.command(() => supervisor.assignCall(this.core, callId, seatId));
  }

  // ------------------------------------------------------------------ administration

  /** Adds a seat or changes its profile (skills, centre). */
  upsertSeat(profile: SeatProfile): Seat {
    return this.command(() => seats.upsertSeat(this.core, profile));
  }

  /** New routing configuration: waiting calls keep their places; timers and matches are redone. */
  updateConfig(cfg: RoutingConfig): void {
    this.command(() => lifecycle.updateConfig(this.core, cfg));
  }

  /**
   * Restart: puts back the calls and seat states read from the store and re-arms
   * every timer relative to the recorded times.
   */
  restore(calls: Call[], seatStates: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[]): void {
    this.command(() => lifecycle.restore(this.core, calls, seatStates));
  }

  /**
   * The store cannot be written (a full disk): every command is refused with `why` until `resumeFromStore`,
   * no timer runs, and memory is put back to `load()`, the store's last committed state (at once,
   * or after the command in progress if one is). Queries keep answering from that state.
   */
  suspend(why: DomainError, load: () => lifecycle.StoredEngineState): void {
    this.timers.clearAll();
    this.uow.refuse(why, () => lifecycle.reset(this.core, load()));
  }

  /** The store can be written again: state read back once more, timers re-armed, waiting calls routed. */
  resumeFromStore(load: () => lifecycle.StoredEngineState): void {
    this.uow.refuse(null, () => {
      lifecycle.reset(this.core, load());
      try {
        this.command(() => lifecycle.rearm(this.core));
      } catch {
        // The disk filled again at once: reported through onStorageFailure, suspended again.
      }
    });
  }

  /** Whether commands are refused after a storage failure (suspended or stopped). */
  get suspended(): boolean {
    return this.uow.refused;
  }

  /** Stops every timer; the engine must not be used afterwards. */
  dispose(): void {
    this.timers.clearAll();
    this.listeners.length = 0;
  }

  /** Joins the caller's writes and the engine commands `fn` runs into one commit (see Acd.unitOfWork). */
  unitOfWork<T>(fn: () => T): T {
    return this.command(fn);
  }

  private command<T>(fn: () => T): T {
    return this.uow.run(fn);
  }
}
