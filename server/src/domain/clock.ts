/**
 * Time is injected: the domain never reads the wall clock itself. The live server
 * uses SystemClock; tests and the queue simulator use VirtualClock, whose
 * `advance(ms)` fires due timers in time order, so ring timeouts, skill expansion
 * and wrap-up timers run in microseconds of real time.
 */
export type TimerHandle = { readonly __timer: true };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const SystemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = globalThis.setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return t as unknown as TimerHandle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as unknown as NodeJS.Timeout),
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
  readonly __timer: true;
}

/** A deterministic clock with a binary-heap timer queue. */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private heap: VirtualTimer[] = [];
  private cancelled = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = {
      at: this.current + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
      __timer: true,
    };
    this.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const t = handle as VirtualTimer;
    if (t.cancelled) return;
    t.cancelled = true;
    this.cancelled++;
    // Cancelled timers normally leave when they reach the top; compact when they dominate.
    if (this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.compact();
  }

  private compact(): void {
    const live = this.heap.filter((t) => !t.cancelled);
    this.heap = [];
    this.cancelled = 0;
    for (const t of live) this.push(t);
  }

  /** Time of the next live timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      this.dropCancelled();
      const next = this.heap[0];
      if (!next || next.at > target) break;
      this.pop();
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = Math.max(this.current, target);
  }

  /** Fires the next pending timer (moving time to it); false when none is left. */
  step(): boolean {
    const at = this.nextAt();
    if (at === undefined) return false;
    this.advanceTo(at);
    return true;
  }

  pendingCount(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) {
      this.pop();
      this.cancelled--;
    }
  }

  private less(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: VirtualTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): VirtualTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
