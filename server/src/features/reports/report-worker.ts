/**
 * The report worker (a child process of the router, at a lower CPU priority): computes reports and
 * staffing plans and writes exports on its own read-only better-sqlite3 connection to the router's
 * WAL database, so the router's event loop keeps routing calls while a month's report or a
 * million-row export runs, and an export's memory is the worker's own. The router hands
 * each job over with a snapshot of what lives in its memory (configuration, seats, the user's
 * scope, the facts of the calls in progress, the time); the worker runs the same ReportService
 * and ExportService code on it. Protocol: report-offload.ts.
 */
import Database from 'better-sqlite3';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { ExportService } from './export-service.js';
import type { Job, Snapshot, ToMain, ToWorker } from './report-offload.js';
import { ReportRepository } from './report-repository.js';
import { ReportService } from './report-service.js';
import { segment, STOP_WORDS } from './segmenter.js';
import { TrendsService } from './trends-service.js';
import type { AuditInput } from '../audit/audit-service.js';
import { readQcFacts } from '../qc/qc-service.js';
import { satisfactionReportInputs } from '../satisfaction/satisfaction-service.js';

const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const repo = new ReportRepository(db);
const qcFacts = readQcFacts(db);
const post = (m: ToMain) => void process.send!(m);
// The router is gone (it exited or was killed): so is its worker.
process.on('disconnect', () => process.exit(0));

/** Bytes the router may hold unacknowledged per export (so formatting overlaps the network). */
const WINDOW = 4 << 20;

/** The export's bytes, posted to the router; writing waits while more than WINDOW are unacknowledged. */
class PortSink extends Writable {
  private inflight: number[] = [];
  private bytes = 0;
  private blocked: (() => void) | null = null;
  constructor(private readonly id: number) {
    super({ highWaterMark: 1 << 20, decodeStrings: true });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.inflight.push(chunk.byteLength);
    this.bytes += chunk.byteLength;
    post({ id: this.id, chunk });
    if (this.bytes < WINDOW) done();
    else this.blocked = () => done();
  }
  ack(): void {
    this.bytes -= this.inflight.shift() ?? 0;
    if (this.blocked && this.bytes < WINDOW) {
      const go = this.blocked;
      this.blocked = null;
      go();
    }
  }
}

const sinks = new Map<number, PortSink>();

function services(snap: Snapshot, id: number) {
  const seatCentre = new Map(snap.seats.map((s) => [s.profile.id, s.profile.centreId]));
  const clock: Clock = {
    now: () => snap.now,
    setTimeout: () => {
      throw new Error('no timers in the report worker');
    },
    clearTimeout: () => undefined,
  };
  const engine = { config: snap.config, listSeats: () => snap.seats, activeCalls: () => [] };
  const reports = new ReportService({
    repo,
    engine,
    loadCall: () => null,
    scope: { centreList: () => snap.scope, seatCentre: (s) => seatCentre.get(s) ?? null },
    clock,
    readOnly: { activeFacts: snap.active },
    qcFacts,
    satisfaction: satisfactionReportInputs(db, () => snap.now),
  });
  const audit = (entry: AuditInput) => post({ id, audit: entry });
  const exports = new ExportService({ repo, reports, engine, audit });
  const trends = new TrendsService({ db, reports, segment, stopWords: STOP_WORDS, clock, audit });
  return { reports, exports, trends };
}

async function run(id: number, job: Job, snap: Snapshot): Promise<unknown> {
  const { reports, exports, trends } = services(snap, id);
  switch (job.kind) {
    case 'trends':
      return trends.trends(job.user, job.q);
    case 'risk-hits':
      return trends.todaysRiskHits(job.user);
    case 'report':
      return reports.report(job.user, job.q);
    case 'staffing':
      return reports.staffing(job.user, job.q);
    default: {
      const sink = new PortSink(id);
      sinks.set(id, sink);
      try {
        let rows: number | undefined;
        if (job.kind === 'calls') {
          rows =
            job.format === 'csv'
              ? await exports.callsCsv(job.user, job.q, job.unmask, sink)
              : await exports.callsXlsx(job.user, job.q, job.unmask, sink);
        } else if (job.kind === 'table') await exports.table(job.user, job.q, job.table, job.format, sink);
        else await exports.monthly(job.user, job.month, job.centres, sink);
        if (!sink.writableEnded) sink.end();
        await finished(sink);
        return rows ?? null;
      } finally {
        sinks.delete(id);
      }
    }
  }
}

process.on('message', (m: ToWorker) => {
  if ('ack' in m) return sinks.get(m.id)?.ack();
  if ('cancel' in m) return void sinks.get(m.id)?.destroy(new Error('cancelled'));
  run(m.id, m.job, m.snap).then(
    (result) => post({ id: m.id, result }),
    (err: unknown) =>
      post({
        id: m.id,
        error:
          err instanceof DomainError
            ? { code: err.code, message: err.message }
            : { message: err instanceof Error ? err.message : String(err) },
      }),
  );
});
