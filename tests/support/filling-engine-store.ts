import type { Call, CallEvent } from '../../server/src/domain/call.js';
import type { Seat } from '../../server/src/domain/seat.js';
import { MemoryEngineStore } from './memory-engine-store.js';

/**
 * An in-memory engine store whose disk can fill: while `full`, a transaction writes nothing and
 * then fails as SQLite's commit does (an error with code SQLITE_FULL), so nothing of it is kept.
 */
export class FillingEngineStore extends MemoryEngineStore {
  full = false;

  override transaction<T>(fn: () => T): T {
    const r = super.transaction(fn);
    if (this.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    return r;
  }

  override saveCall(call: Call, events: readonly CallEvent[]): void {
    if (!this.full) super.saveCall(call, events);
  }

  override saveSeatState(s: Seat): void {
    if (!this.full) super.saveSeatState(s);
  }
}
