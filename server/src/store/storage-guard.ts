import path from 'node:path';
import type { Logger } from 'pino';
import { freeBytes } from './db-file.js';
import { storageFailureKind, storageFailureMessage, type Db } from './db.js';

export interface StorageOutage {
  kind: 'full' | 'io';
  since: number;
  /** The zh-CN sentence for refusals and the supervisors' alarm. */
  message: string;
  /** SQLite's or the system's code, e.g. SQLITE_FULL. */
  code: string;
}

export interface StorageGuardOptions {
  db: Db;
  /** The database file (free space is read from its file system); ':memory:' reads none. */
  file: string;
  logger: Logger;
  /** How often a degraded router tries a small write. */
  probeEveryMs: number;
  /** Free space the file system must have again (besides a successful write) before work resumes. */
  resumeFreeBytes: number;
  /** Bytes the probe writes (and deletes again): room for a few commits, not just one page. */
  probeBytes?: number;
  /** Wall clock for `since` (real time: the outage is about the machine, not the engine's clock). */
  now?: () => number;
}

type Listener = (outage: StorageOutage | null) => void;

/**
 * Degraded mode when the database's disk is full (or fails): instead of exiting (a restart
 * cannot write either, so start.sh would restart it in a loop), the router keeps serving reads,
 * refuses new work with STORAGE_FULL, and raises one alarm. Every `probeEveryMs` it tries a small
 * real write (a row with `probeBytes` of padding, then its deletion) and reads the file system's
 * free space; once both are fine it leaves degraded mode by itself.
 *
 * `report(err)` is the one entry: every place that sees a failed write hands the error here; a
 * storage error starts the outage (logged once, as one error line), anything else is not ours.
 */
export class StorageGuard {
  private current: StorageOutage | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners: Listener[] = [];
  private probes = 0;
  private readonly now: () => number;

  constructor(private readonly o: StorageGuardOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The outage in progress, or null while the database can be written. */
  get outage(): StorageOutage | null {
    return this.current;
  }

  /** `fn` hears every change: an outage starting (with it) and ending (null). */
  subscribe(fn: Listener): void {
    this.listeners.push(fn);
  }

  /** Hands a failed write over; true when it was a storage failure (the router is then degraded). */
  report(err: unknown): boolean {
    const kind = storageFailureKind(err);
    if (!kind) return false;
    if (this.current) return true;
    const code = String((err as { code?: unknown }).code);
    this.current = { kind, since: this.now(), message: storageFailureMessage(kind), code };
    this.o.logger.error(
      { code, db: this.o.file, free: this.freeBytes(), probeEveryS: this.o.probeEveryMs / 1000 },
      `STORAGE ${kind === 'full' ? 'FULL' : 'I/O ERROR'}: the database cannot be written; new calls are relayed to 12345 and API writes refused (503 STORAGE_FULL) until a probe write succeeds; the last committed state is kept`,
    );
    this.schedule();
    this.tell();
    return true;
  }

  /** One probe now (the timer calls it; tests may too). True when the outage is over. */
  probe(): boolean {
    if (!this.current) return true;
    this.probes++;
    const free = this.freeBytes();
    if (free !== null && free < this.o.resumeFreeBytes) return false;
    try {
      const pad = this.o.probeBytes ?? 256 * 1024;
      this.o.db.transaction(() => {
        this.o.db.prepare('INSERT OR REPLACE INTO storage_probe (id, at, pad) VALUES (1, ?, zeroblob(?))').run(this.now(), pad);
      })();
      this.o.db.prepare('DELETE FROM storage_probe WHERE id = 1').run();
    } catch (err) {
      if (storageFailureKind(err)) return false;
      throw err;
    }
    const was = this.current;
    this.current = null;
    this.stop();
    this.o.logger.info(
      { db: this.o.file, free, outageS: Math.round((this.now() - was.since) / 1000), probes: this.probes },
      'storage writable again: the router takes new work again (alarm cleared)',
    );
    this.probes = 0;
    this.tell();
    return true;
  }

  /** Stops probing (the router is stopping). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = null;
      let over = false;
      try {
        over = this.probe();
      } catch (err) {
        this.o.logger.error({ err }, 'storage probe failed for another reason; probing again');
      }
      if (!over) this.schedule();
    }, this.o.probeEveryMs);
    this.timer.unref();
  }

  private tell(): void {
    for (const l of this.listeners) l(this.current);
  }

  /** Bytes an unprivileged writer can still use on the database's file system (null: unknown). */
  private freeBytes(): number | null {
    return this.o.file === ':memory:' ? null : freeBytes(path.dirname(path.resolve(this.o.file)));
  }
}
