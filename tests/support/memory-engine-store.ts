import type { Call, CallEvent } from '../../server/src/domain/call.js';
import { isTerminal } from '../../server/src/domain/call.js';
import type { EngineStore } from '../../server/src/domain/engine.js';
import type { Seat, SeatState } from '../../server/src/domain/seat.js';

/**
 * In-memory EngineStore for unit tests and the simulator. `onCallFinished` lets a
 * caller stream finished calls (e.g. into a KPI accumulator) instead of keeping them.
 */
export class MemoryEngineStore implements EngineStore {
  readonly calls = new Map<string, Call>();
  readonly events = new Map<string, CallEvent[]>();
  readonly seatStates = new Map<string, { state: SeatState; registered: boolean; missedAt: number[] }>();
  private readonly lastSeat = new Map<string, { seatId: string; at: number }>();
  transactions = 0;

  constructor(private readonly opts: { keepFinished?: boolean; onCallFinished?: (call: Call) => void } = {}) {}

  transaction<T>(fn: () => T): T {
    this.transactions++;
    return fn();
  }

  saveCall(call: Call, newEvents: readonly CallEvent[]): void {
    for (const e of newEvents) {
      if (e.type === 'answered') this.lastSeat.set(call.caller, { seatId: e.seatId, at: e.at });
    }
    const done = isTerminal(call.state.kind);
    if (done && this.opts.onCallFinished) this.opts.onCallFinished(call);
    if (done && this.opts.keepFinished === false) {
      this.calls.delete(call.id);
      this.events.delete(call.id);
      return;
    }
    this.calls.set(call.id, structuredClone(call));
    const log = this.events.get(call.id) ?? [];
    log.push(...newEvents.map((e) => structuredClone(e)));
    this.events.set(call.id, log);
  }

  saveSeatState(seat: Seat): void {
    this.seatStates.set(seat.profile.id, {
      state: structuredClone(seat.state),
      registered: seat.registered,
      missedAt: [...seat.missedAt],
    });
  }

  lastAnsweringSeat(caller: string, since: number): string | null {
    const last = this.lastSeat.get(caller);
    return last && last.at >= since ? last.seatId : null;
  }

  /** What a restarted engine would read back. */
  snapshot(): { calls: Call[]; seats: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[] } {
    return {
      calls: [...this.calls.values()].filter((c) => !isTerminal(c.state.kind)).map((c) => structuredClone(c)),
      seats: [...this.seatStates.entries()].map(([id, s]) => ({ id, ...structuredClone(s) })),
    };
  }
}
