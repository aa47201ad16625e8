import type { Clock, TimerHandle } from './clock.js';
import type { SeatState } from './seat.js';

/**
 * What the router does with a seat whose every console has been gone for the disconnect grace:
 * nothing (already offline), wait another grace (a call is ringing there: it re-offers itself),
 * end its call (talking or the caller on hold: the caller must not be left in silence; the
 * call is ended as a 强拆 is, recorded as 坐席掉线, and the seat then goes offline), or set it
 * offline.
 */
export type ConsoleGoneStep = { kind: 'nothing' } | { kind: 'wait' } | { kind: 'end-call'; callId: string } | { kind: 'offline' };

export function consoleGoneStep(state: SeatState): ConsoleGoneStep {
  switch (state.kind) {
    case 'offline':
      return { kind: 'nothing' };
    case 'ringing':
      return { kind: 'wait' };
    case 'talking':
      return { kind: 'end-call', callId: state.callId };
    default:
      return { kind: 'offline' };
  }
}

/**
 * The disconnect grace of every seat: `gone` when a seat's last console disconnects starts its
 * timer (once), `back` when a console connects cancels it. A page reload or a short network blip
 * reconnects within the grace and nothing happens; otherwise `expired` runs, and when it answers
 * `again` (the seat is still busy, or the step failed) the grace starts over.
 */
export class ConsoleWatch {
  private readonly timers = new Map<string, TimerHandle>();
  private closed = false;

  constructor(
    private readonly o: {
      clock: Clock;
      /** 0: consoles are not watched (seats stay as they are). */
      graceMs: number;
      /** The grace ran out with no console back; `again` starts another grace. */
      expired: (seatId: string) => 'done' | 'again';
    },
  ) {}

  gone(seatId: string): void {
    if (this.o.graceMs <= 0 || this.closed || this.timers.has(seatId)) return;
    this.timers.set(
      seatId,
      this.o.clock.setTimeout(() => {
        this.timers.delete(seatId);
        if (this.closed) return;
        if (this.o.expired(seatId) === 'again') this.gone(seatId);
      }, this.o.graceMs),
    );
  }

  back(seatId: string): void {
    const t = this.timers.get(seatId);
    if (t) this.o.clock.clearTimeout(t);
    this.timers.delete(seatId);
  }

  watching(seatId: string): boolean {
    return this.timers.has(seatId);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) this.o.clock.clearTimeout(t);
    this.timers.clear();
  }
}
