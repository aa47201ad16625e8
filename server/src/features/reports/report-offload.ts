import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Writable } from 'node:stream';
import type { ReportQuery, ReportTable, ReportView, RiskHitView, TrendsView } from '../../contract/index.js';
import type { AcdQueries } from '../../domain/engine.js';
import type { CallFact } from '../../domain/stats/call-fact.js';
import type { RoutingConfig } from '../../domain/policy.js';
import type { Seat } from '../../domain/seat.js';
import { DomainError } from '../../domain/errors.js';
import type { DomainErrorCode } from '../../vocabulary/error-codes.js';
import type { AuditInput } from '../audit/audit-service.js';
import { runnableEntry } from '../shared/process-entry.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { ScopeService } from '../users/scope-service.js';
import type { ExportService } from './export-service.js';
import type { ReportService, StaffingView } from './report-service.js';
import type { TrendsService } from './trends-service.js';

/** What the router holds in memory that a job needs: the worker has only the database. */
export interface Snapshot {
  now: number;
  config: RoutingConfig;
  seats: Seat[];
  /** The user's centres (null: all). */
  scope: string[] | null;
  /** Facts of the calls in progress. */
  active: CallFact[];
}

export type StaffingQuery = { weeks: number; targetSL: number; centres: string[] | null; categories?: string[] | null };

export type Job =
  | { kind: 'report'; user: SessionUser; q: ReportQuery }
  | { kind: 'staffing'; user: SessionUser; q: StaffingQuery }
  | { kind: 'calls'; user: SessionUser; q: ReportQuery; format: 'csv' | 'xlsx'; unmask: boolean }
  | { kind: 'table'; user: SessionUser; q: ReportQuery; table: ReportTable; format: 'csv' | 'xlsx' }
  | { kind: 'monthly'; user: SessionUser; month: string; centres: string[] | null }
  | { kind: 'trends'; user: SessionUser; q: Pick<ReportQuery, 'from' | 'to' | 'centres'> }
  | { kind: 'risk-hits'; user: SessionUser };

export type ToWorker = { id: number; job: Job; snap: Snapshot } | { id: number; ack: true } | { id: number; cancel: true };
export type ToMain =
  | { id: number; chunk: Uint8Array }
  | { id: number; audit: AuditInput }
  | { id: number; result: unknown }
  | { id: number; error: { code?: DomainErrorCode; message: string } };

export interface ReportOffloadDeps {
  reports: ReportService;
  exports: ExportService;
  engine: Pick<AcdQueries, 'config' | 'listSeats'>;
  scope: Pick<ScopeService, 'centreList'>;
  clock: { now(): number };
  audit: (entry: AuditInput) => void;
  /** Trends on this thread (when the database is in memory). */
  trends: TrendsService;
  /** The router's database file; null (an in-memory database) runs the jobs on this thread. */
  dbPath: string | null;
}

/** A chunk is acknowledged at once while the response holds less than this unsent. */
const ACK_BELOW = 2 << 20;
/**
 * The worker's CPU priority (nice): below the router's, so on a busy machine call routing and the
 * live figures come first and an export takes what the router leaves.
 */
const WORKER_NICE = 10;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  out?: Writable;
}

/**
 * Runs reports, staffing plans and exports in the report worker (report-worker.ts, a child
 * process) so they never hold the router's event loop nor grow its memory: the router does only
 * what needs its memory or a write (catching the facts up, checking scope and dates, the audit),
 * then streams the worker's bytes to the response with backpressure (acknowledged once written).
 */
export class ReportOffload {
  private worker: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Jobs handed to the worker so far (tests and benches look at it). */
  started = 0;

  constructor(private readonly deps: ReportOffloadDeps) {}

  /** The worker's process id while one runs (benches read its memory). */
  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  private spawn(): ChildProcess {
    if (this.worker) return this.worker;
    const entry = runnableEntry(new URL(import.meta.url.endsWith('.ts') ? './report-worker.ts' : './report-worker.js', import.meta.url));
    const w = fork(entry, [this.deps.dbPath!], {
      serialization: 'advanced',
      execArgv: ['--enable-source-maps'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      if (w.pid) os.setPriority(w.pid, WORKER_NICE);
    } catch {
      // Not allowed here: the worker runs at the router's priority.
    }
    w.on('message', (m: ToMain) => this.onMessage(w, m));
    w.on('error', (err: unknown) => this.fail(w, err instanceof Error ? err : new Error(String(err))));
    w.on('exit', (code, signal) => this.fail(w, new Error(`report worker exited (${signal ?? code})`)));
    this.hold(w, false);
    this.worker = w;
    return w;
  }

  /** An idle worker does not keep the router's process alive; one with a job does. */
  private hold(w: ChildProcess, busy: boolean): void {
    if (busy) {
      w.ref();
      w.channel?.ref();
    } else {
      w.unref();
      w.channel?.unref();
    }
  }

  private send(w: ChildProcess, m: ToWorker): void {
    if (w.connected) w.send(m);
  }

  private fail(w: ChildProcess, err: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private onMessage(w: ChildProcess, m: ToMain): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('chunk' in m) {
      const out = p.out!;
      const buf = Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength);
      if (out.destroyed) return;
      // Acknowledged once the response has taken it (at once while its buffer is short).
      if (out.write(buf) || out.writableLength < ACK_BELOW) this.send(w, { id: m.id, ack: true });
      else out.once('drain', () => this.send(w, { id: m.id, ack: true }));
    } else if ('audit' in m) {
      try {
        this.deps.audit(m.audit);
      } catch (err) {
        // No export leaves without its audit entry.
        this.send(w, { id: m.id, cancel: true });
        this.pending.delete(m.id);
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    } else {
      this.pending.delete(m.id);
      if ('error' in m) p.reject(m.error.code ? new DomainError(m.error.code, m.error.message) : new Error(m.error.message));
      else p.resolve(m.result);
    }
  }

  private snapshot(user: SessionUser): Snapshot {
    return {
      now: this.deps.clock.now(),
      config: this.deps.engine.config,
      seats: [...this.deps.engine.listSeats()],
      scope: this.deps.scope.centreList(user),
      active: this.deps.reports.activeFacts(),
    };
  }

  private run<T>(job: Job, out?: Writable): Promise<T> {
    const w = this.spawn();
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, out });
    });
    // The client went away: stop the worker's export.
    out?.once('close', () => {
      if (this.pending.has(id)) this.send(w, { id, cancel: true });
    });
    this.send(w, { id, job, snap: this.snapshot(job.user) });
    this.started++;
    this.hold(w, true);
    return done.finally(() => {
      if (this.pending.size === 0 && this.worker) this.hold(this.worker, false);
    });
  }

  private get inline(): boolean {
    return this.deps.dbPath === null;
  }

  /** A report (checked and caught up here, computed in the worker). */
  async report(user: SessionUser, q: ReportQuery): Promise<ReportView> {
    if (this.inline) return this.deps.reports.report(user, q);
    this.deps.reports.catchUp();
    this.deps.reports.resolve(user, q);
    return this.run<ReportView>({ kind: 'report', user, q });
  }

  /** 舆情/风险预警 of a period (segmenting every summary of two periods: worker work). */
  async trends(user: SessionUser, q: Pick<ReportQuery, 'from' | 'to' | 'centres'>): Promise<TrendsView> {
    if (this.inline) return this.deps.trends.trends(user, q);
    this.deps.reports.catchUp();
    this.deps.reports.resolve(user, { ...q, categories: null, seats: null, hours: null, weekdays: null });
    return this.run<TrendsView>({ kind: 'trends', user, q });
  }

  /** Today's risk-word hits in the user's scope (the monitor polls them). */
  async riskHits(user: SessionUser): Promise<RiskHitView[]> {
    if (this.inline) return this.deps.trends.todaysRiskHits(user);
    this.deps.reports.catchUp();
    return this.run<RiskHitView[]>({ kind: 'risk-hits', user });
  }

  async staffing(user: SessionUser, q: StaffingQuery): Promise<StaffingView> {
    if (this.inline) return this.deps.reports.staffing(user, q);
    this.deps.reports.catchUp();
    return this.run<StaffingView>({ kind: 'staffing', user, q });
  }

  /** The 话单 after ExportService.prepareCalls (audit, count) on this thread; resolves with the rows written. */
  async calls(user: SessionUser, q: ReportQuery, format: 'csv' | 'xlsx', unmask: boolean, out: Writable): Promise<number> {
    if (this.inline)
      return format === 'csv' ? this.deps.exports.callsCsv(user, q, unmask, out) : this.deps.exports.callsXlsx(user, q, unmask, out);
    const rows = await this.run<number>({ kind: 'calls', user, q, format, unmask }, out);
    out.end();
    return rows;
  }

  async table(user: SessionUser, q: ReportQuery, table: ReportTable, format: 'csv' | 'xlsx', out: Writable): Promise<void> {
    if (this.inline) return this.deps.exports.table(user, q, table, format, out);
    this.deps.reports.catchUp();
    await this.run({ kind: 'table', user, q, table, format }, out);
    out.end();
  }

  async monthly(user: SessionUser, month: string, centres: string[] | null, out: Writable): Promise<void> {
    if (this.inline) return this.deps.exports.monthly(user, month, centres, out);
    this.deps.reports.catchUp();
    await this.run({ kind: 'monthly', user, month, centres }, out);
    out.end();
  }

  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.fail(w, new Error('report worker closed'));
    if (w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise((resolve) => w.once('exit', resolve));
    w.kill();
    await exited;
  }
}
