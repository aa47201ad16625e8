import { isTerminal, type Call } from '../call.js';
import { DomainError, assertNever, describeError } from '../errors.js';
import type { OverflowTrigger } from '../policy.js';
import type { Seat } from '../seat.js';
import type { EngineListener, EngineStore, TelephonyPort } from './ports.js';

/** A telephony action decided inside a unit, sent once the unit is committed. */
export type Outbox =
  | { kind: 'ring'; call: Call; seatId: string; ringMs: number }
  | { kind: 'overflow'; call: Call; target: '12345' | 'callback'; trigger: OverflowTrigger }
  | { kind: 'cancel-ring'; call: Call; seatId: string };

export interface UnitOfWorkDeps {
  store: EngineStore;
  telephony: TelephonyPort;
  listeners: readonly EngineListener[];
  /** The engine's active calls: a call that ended is dropped from it after the commit. */
  calls: Map<string, Call>;
  onStorageFailure: ((err: unknown) => void) | undefined;
  /** Stops the engine (timers, listeners) after a storage failure. */
  halt: () => void;
}

/**
 * The engine's unit of work: a command's state moves are stored in one durable
 * transaction (dirty calls and seats are written at its end), then the telephony
 * actions and the listener pushes collected meanwhile go out, only after the commit.
 * A unit run inside another joins it: only the outermost one commits and flushes,
 * so a caller can write its own rows in the same commit as the engine's decision.
 */
export class UnitOfWork {
  private depth = 0;
  /** Set after a storage failure: every command is refused with it until `refuse(null)`. */
  private refusal: DomainError | null = null;
  /** Runs once the unit in progress has ended (see `refuse`). */
  private deferred: (() => void) | null = null;
  private outbox: Outbox[] = [];
  private readonly dirtyCalls = new Set<Call>();
  private readonly dirtySeats = new Set<Seat>();
  /** Events of each call already stored (the rest are new). */
  private readonly savedEventCount = new Map<string, number>();

  constructor(private readonly d: UnitOfWorkDeps) {}

  run<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    if (this.refusal !== null) throw this.refusal;
    this.depth++;
    try {
      let result: T;
      try {
        result = this.d.store.transaction(() => {
          const r = fn();
          this.persistDirty();
          return r;
        });
      } catch (err) {
        this.outbox = [];
        this.dirtyCalls.clear();
        this.dirtySeats.clear();
        if (!(err instanceof DomainError)) {
          // The transaction rolled back, but the command's state moves are still in memory: no
          // further command may build on them. onStorageFailure decides what happens next (exit
          // and restore in a new process, or suspend: memory read back from the store).
          this.refusal = new DomainError('UNAVAILABLE', '路由服务因存储故障已停止,正在等待重启恢复。', { cause: describeError(err) });
          this.d.halt();
          this.d.onStorageFailure?.(err);
        }
        throw err;
      } finally {
        this.depth--;
      }
      this.flush();
      return result;
    } finally {
      const then = this.deferred;
      this.deferred = null;
      then?.();
    }
  }

  /**
   * From now on every command is refused with `why` (null: accepted again). `then` runs once no
   * unit is in progress: at once, or when the current one has ended (committed or rolled back).
   */
  refuse(why: DomainError | null, then?: () => void): void {
    this.refusal = why;
    if (!then) return;
    if (this.depth === 0) then();
    else this.deferred = then;
  }

  /** Whether commands are refused (a storage failure). */
  get refused(): boolean {
    return this.refusal !== null;
  }

  /** Before calls are read back from the store: which events are stored is learnt again (`restored`). */
  forgetSaved(): void {
    this.savedEventCount.clear();
  }

  markCall(call: Call): void {
    this.dirtyCalls.add(call);
  }

  markSeat(seat: Seat): void {
    this.dirtySeats.add(seat);
  }

  send(o: Outbox): void {
    this.outbox.push(o);
  }

  /** A call read back from the store: its events so far are already stored. */
  restored(call: Call): void {
    this.savedEventCount.set(call.id, call.events.length);
  }

  private persistDirty(): void {
    for (const call of this.dirtyCalls) {
      const saved = this.savedEventCount.get(call.id) ?? 0;
      const newEvents = call.events.slice(saved);
      this.d.store.saveCall(call, newEvents);
      this.savedEventCount.set(call.id, call.events.length);
      for (const l of this.d.listeners) l.callStored?.(call, newEvents);
    }
    for (const seat of this.dirtySeats) this.d.store.saveSeatState(seat);
  }

  private flush(): void {
    const outbox = this.outbox;
    const calls = [...this.dirtyCalls];
    const seats = [...this.dirtySeats];
    this.outbox = [];
    this.dirtyCalls.clear();
    this.dirtySeats.clear();
    for (const call of calls) {
      if (isTerminal(call.state.kind)) {
        this.d.calls.delete(call.id);
        this.savedEventCount.delete(call.id);
      }
    }
    const telephony = this.d.telephony;
    for (const o of outbox) {
      switch (o.kind) {
        case 'ring':
          telephony.ring(o.call, o.seatId, o.ringMs);
          break;
        case 'overflow':
          telephony.overflow(o.call, o.target, o.trigger);
          break;
        case 'cancel-ring':
          telephony.cancelRing(o.call, o.seatId);
          break;
        default:
          assertNever(o, 'outbox entry');
      }
    }
    for (const l of this.d.listeners) {
      for (const s of seats) l.seatChanged?.(s);
      for (const c of calls) l.callChanged?.(c);
    }
  }
}
