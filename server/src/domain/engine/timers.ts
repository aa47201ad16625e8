import type { Clock, TimerHandle } from '../clock.js';
import type { SeatState } from '../seat.js';

/** What a due timer asks of the engine. Each handler gets ids (and the attempt or state it was armed for). */
export interface TimerHandlers {
  /** An expansion step, the maximum wait or a transfer target's end came due. */
  callDue(callId: string): void;
  /** A ring ran past its timeout (the handler ignores it when that attempt is over). */
  ringDue(callId: string, seatId: string, attempt: number): void;
  /** A wrap-up ended or a missed-offer not-ready runs out; not called when the seat moved on since. */
  seatDue(seatId: string, armedFor: SeatState): void;
}

/**
 * The engine's three kinds of timers: one per waiting call, one per ring, one per
 * seat. Arming a timer replaces the one before; a due timer forgets itself first.
 */
export class EngineTimers {
  private readonly callTimers = new Map<string, TimerHandle>();
  private readonly ringTimers = new Map<string, TimerHandle>();
  private readonly seatTimers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly handlers: TimerHandlers,
  ) {}

  armCall(callId: string, at: number): void {
    this.clearCall(callId);
    this.callTimers.set(
      callId,
      this.clock.setTimeout(() => {
        this.callTimers.delete(callId);
        this.handlers.callDue(callId);
      }, at - this.clock.now()),
    );
  }

  clearCall(callId: string): void {
    clear(this.clock, this.callTimers, callId);
  }

  armRing(callId: string, seatId: string, attempt: number, due: number): void {
    this.clearRing(callId);
    this.ringTimers.set(
      callId,
      this.clock.setTimeout(() => {
        this.ringTimers.delete(callId);
        this.handlers.ringDue(callId, seatId, attempt);
      }, due - this.clock.now()),
    );
  }

  clearRing(callId: string): void {
    clear(this.clock, this.ringTimers, callId);
  }

  /** Arms the seat's timer for `state` at `at`, or only clears it when `at` is null. */
  armSeat(seatId: string, state: SeatState, at: number | null): void {
    clear(this.clock, this.seatTimers, seatId);
    if (at === null) return;
    this.seatTimers.set(
      seatId,
      this.clock.setTimeout(() => {
        this.seatTimers.delete(seatId);
        this.handlers.seatDue(seatId, state);
      }, at - this.clock.now()),
    );
  }

  /** Stops every timer. */
  clearAll(): void {
    for (const timers of [this.callTimers, this.ringTimers, this.seatTimers]) {
      for (const t of timers.values()) this.clock.clearTimeout(t);
      timers.clear();
    }
  }
}

function clear(clock: Clock, timers: Map<string, TimerHandle>, id: string): void {
  const t = timers.get(id);
  if (t) clock.clearTimeout(t);
  timers.delete(id);
}
