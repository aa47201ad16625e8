import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import {
  REPORT_TABLE_LABELS,
  REPORT_TABLES,
  reportDefinitions,
  type ReportQuery,
  type ReportTable,
  type ReportView,
} from '../../contract/index.js';
import { can } from '../../contract/permissions.js';
import type { AcdQueries } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { CallFact } from '../../domain/stats/call-fact.js';
import { factFilter } from '../../domain/stats/report.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { SessionUser } from '../auth/auth-service.js';
import { callCsvWriter, CSV_ROWS_PER_STRING, Utf8Chunker } from './export-csv.js';
import { BOM, CALL_COLUMNS, callCells, csvLine, tableRows, type Cell } from './export-format.js';
import type { ReportRepository } from './report-repository.js';
import type { ReportService } from './report-service.js';
import { labels } from './report-views.js';
import { OUTBOUND_CALL_COLUMNS, outboundCallCells } from './export-outbound.js';

/** Rows read from SQLite per page (no statement stays open across a wait for the network). */
const PAGE = 1000;
/** Excel's last row is 1,048,576: a 话单 sheet holds at most this many calls, then the next sheet starts. */
export const XLSX_SHEET_ROWS = 1_000_000;

export interface ExportServiceDeps {
  repo: ReportRepository;
  reports: ReportService;
  engine: Pick<AcdQueries, 'config' | 'listSeats'>;
  audit: (entry: AuditInput) => void;
}

/** Where an export is written: an HTTP response or a file stream. */
export type Sink = Writable;

async function write(out: Sink, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Buffers pending in the process above which an XLSX export waits for its zip stage. */
const XLSX_PENDING_BYTES = 48 * 1048576;

/**
 * Waits while the sink's buffer is full, and while the zip stage lags: ExcelJS's streaming writer
 * hands each row to its zip stream without waiting for it (no backpressure), so rows produced
 * faster than they are compressed pile up as buffers. Yielding until they are written keeps an
 * export of a million rows within a few hundred MB.
 */
async function drained(out: Sink, baseline: number): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
  for (let i = 0; i < 200 && process.memoryUsage().arrayBuffers > baseline + XLSX_PENDING_BYTES; i++) await delay(2);
}

/**
 * The exports (导出): the 话单 and every aggregate table as CSV (UTF-8 with BOM, formula cells
 * neutralised) or XLSX (ExcelJS's streaming writer), and the monthly workbook. Every export is in
 * the audit log; full numbers only for users with `calls:unmask`, with a reason, audited apart.
 */
export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  /** Checks the request and records it; returns the row count to announce. */
  prepareCalls(user: SessionUser, q: ReportQuery, format: string, unmask: boolean, reason: string): { rows: number; name: string } {
    if (unmask && !can(user.role, 'calls:unmask')) throw new DomainError('FORBIDDEN', '只有系统管理员可以导出完整号码');
    this.deps.reports.catchUp();
    const r = this.deps.reports.resolve(user, q);
    // The rows the export will hold: the filter's and the user's scope's, not the whole hotline's.
    const { seatCentre, utcOffsetMinutes } = this.deps.reports.options();
    const centreSeats = r.filter.centres
      ? this.deps.engine
          .listSeats()
          .map((s) => s.profile.id)
          .filter((id) => r.filter.centres!.has(seatCentre(id) ?? ''))
      : [];
    const rows = this.deps.repo.countExportRowsMatching(r.from, r.to, r.filter, { utcOffsetMinutes, centreSeats });
    this.deps.audit({
      actor: user,
      action: unmask ? 'report.export-unmasked' : 'report.export',
      target: `calls:${q.from}..${q.to}`,
      after: { table: 'calls', format, centres: r.centres, filter: q, unmask },
      reason: unmask ? reason : '',
    });
    return { rows, name: `话单_${q.from}_${q.to}.${format}` };
  }

  private callPages(user: SessionUser, q: ReportQuery, unmask: boolean) {
    const { repo, reports, engine } = this.deps;
    const r = reports.resolve(user, q);
    const opts = reports.options();
    const keep = factFilter(r.filter, opts);
    const l = labels(engine.config, engine.listSeats());
    const ctx = { utcOffsetMinutes: opts.utcOffsetMinutes, unmask, ...l };
    return function* pages(): Generator<Cell[][]> {
      let after: { enqueuedAt: number; callId: string } | null = null;
      for (;;) {
        const page = repo.exportPage(r.from, r.to, after, PAGE);
        if (page.length === 0) return;
        const last = page[page.length - 1]!;
        after = { enqueuedAt: last.enqueuedAt, callId: last.callId };
        const out: Cell[][] = [];
        const all = !r.filter.centres && !r.filter.categories && !r.filter.seats && !r.filter.hours && !r.filter.weekdays;
        for (const row of page) {
          if (all) {
            out.push(callCells(row, ctx));
            continue;
          }
          if (keep(probe(row.centreId, row.seatId, row.categoryId, row.enqueuedAt, row.missedBy))) out.push(callCells(row, ctx));
        }
        yield out;
        if (page.length < PAGE) return;
      }
    };
  }

  /**
   * Streams the 话单 as CSV; resolves with the rows written. Rows go from SQLite's tuples to text
   * without an object per row (export-csv.ts), a page at a time, waiting while the sink is full.
   */
  async callsCsv(user: SessionUser, q: ReportQuery, unmask: boolean, out: Sink): Promise<number> {
    const { repo, reports, engine } = this.deps;
    const r = reports.resolve(user, q);
    const opts = reports.options();
    const keep = factFilter(r.filter, opts);
    const all = !r.filter.centres && !r.filter.categories && !r.filter.seats && !r.filter.hours && !r.filter.weekdays;
    const lines = callCsvWriter({ utcOffsetMinutes: opts.utcOffsetMinutes, unmask, ...labels(engine.config, engine.listSeats()) });
    await write(out, BOM + csvLine(CALL_COLUMNS));
    const chunker = new Utf8Chunker();
    let n = 0;
    let after: { enqueuedAt: number; callId: string } | null = null;
    for (;;) {
      const page = repo.exportTuples(r.from, r.to, after, PAGE);
      if (page.length === 0) break;
      const last = page[page.length - 1]!;
      after = { enqueuedAt: last[2], callId: last[0] };
      const rows = all ? page : page.filter((t) => keep(probe(t[3], t[5], t[4], t[2], t[13])));
      n += rows.length;
      for (let i = 0; i < rows.length; i += CSV_ROWS_PER_STRING) {
        const chunk = chunker.push(lines(rows.slice(i, i + CSV_ROWS_PER_STRING)));
        if (chunk) await write(out, chunk);
      }
      if (page.length < PAGE) break;
    }
    const rest = chunker.take();
    if (rest) await write(out, rest);
    out.end();
    return n;
  }

  /** Streams the 话单 as XLSX, a new sheet every XLSX_SHEET_ROWS rows; resolves with the rows written. */
  async callsXlsx(user: SessionUser, q: ReportQuery, unmask: boolean, out: Sink): Promise<number> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    let sheet: ExcelJS.Worksheet | null = null;
    let inSheet = 0;
    let sheets = 0;
    let n = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    for (const page of this.callPages(user, q, unmask)()) {
      for (const cells of page) {
        if (!sheet || inSheet === XLSX_SHEET_ROWS) {
          sheet?.commit();
          sheets++;
          sheet = wb.addWorksheet(sheets === 1 ? '话单' : `话单(${sheets})`);
          sheet.addRow([...CALL_COLUMNS]).commit();
          inSheet = 0;
        }
        sheet.addRow(cells).commit();
        inSheet++;
        n++;
      }
      await drained(out, baseline);
    }
    if (!sheet)
      wb.addWorksheet('话单')
        .addRow([...CALL_COLUMNS])
        .commit();
    else sheet.commit();
    // Outbound calls on their own sheet: the inbound 话单's columns and figures stay as they are.
    addSheet(wb, '外呼话单', [...OUTBOUND_CALL_COLUMNS], this.outboundRows(user, q, unmask));
    await wb.commit();
    return n;
  }

  private outboundRows(user: SessionUser, q: ReportQuery, unmask: boolean): Cell[][] {
    const { reports, engine } = this.deps;
    const ctx = { utcOffsetMinutes: reports.options().utcOffsetMinutes, unmask, ...labels(engine.config, engine.listSeats()) };
    return reports.outboundCalls(reports.resolve(user, q)).map((r) => outboundCallCells(r, ctx));
  }

  /**
   * The 外呼话单 (outbound call records of the range and filter) as CSV or XLSX, audited like the
   * 话单; full numbers only with `calls:unmask` and a reason. Resolves with the rows written.
   */
  async outboundCalls(
    user: SessionUser,
    q: ReportQuery,
    a: { format: 'csv' | 'xlsx'; unmask: boolean; reason: string },
    out: Sink,
  ): Promise<number> {
    const rows = this.outboundRows(user, q, a.unmask);
    if (a.format === 'csv') {
      await write(out, BOM + csvLine(OUTBOUND_CALL_COLUMNS) + rows.map(csvLine).join(''));
      out.end();
      return rows.length;
    }
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    addSheet(wb, '外呼话单', [...OUTBOUND_CALL_COLUMNS], rows);
    await wb.commit();
    return rows.length;
  }

  /** Checks an outbound export request and records it (before the download starts). */
  prepareOutbound(user: SessionUser, q: ReportQuery, format: string, unmask: boolean, reason: string): { name: string } {
    if (unmask && !can(user.role, 'calls:unmask')) throw new DomainError('FORBIDDEN', '只有系统管理员可以导出完整号码');
    const r = this.deps.reports.resolve(user, q);
    this.deps.audit({
      actor: user,
      action: unmask ? 'report.export-unmasked' : 'report.export',
      target: `outbound-calls:${q.from}..${q.to}`,
      after: { table: 'outbound-calls', format, centres: r.centres, filter: q, unmask },
      reason: unmask ? reason : '',
    });
    return { name: `外呼话单_${q.from}_${q.to}.${format}` };
  }

  /** An aggregate table of a report: audited, then written whole (tables are small). */
  async table(user: SessionUser, q: ReportQuery, table: ReportTable, format: 'csv' | 'xlsx', out: Sink): Promise<void> {
    const report = this.deps.reports.report(user, q);
    this.deps.audit({
      actor: user,
      action: 'report.export',
      target: `${table}:${q.from}..${q.to}`,
      after: { table, format, centres: report.centres, filter: q },
    });
    const { header, rows } = tableRows(report, table);
    if (format === 'csv') {
      await write(out, BOM + csvLine(header) + rows.map(csvLine).join(''));
      out.end();
      return;
    }
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    addSheet(wb, REPORT_TABLE_LABELS[table], header, rows);
    await wb.commit();
  }

  /** The month's report as one workbook: a sheet per table, then the definitions. */
  async monthly(user: SessionUser, month: string, centres: string[] | null, out: Sink): Promise<void> {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const q: ReportQuery = {
      from: `${month}-01`,
      to: `${month}-${String(lastDay).padStart(2, '0')}`,
      centres,
      categories: null,
      seats: null,
      hours: null,
      weekdays: null,
    };
    const report: ReportView = this.deps.reports.report(user, q);
    this.deps.audit({
      actor: user,
      action: 'report.export',
      target: `monthly:${month}`,
      after: { table: 'monthly', format: 'xlsx', centres: report.centres },
    });
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    for (const t of REPORT_TABLES) {
      const { header, rows } = tableRows(report, t);
      addSheet(wb, REPORT_TABLE_LABELS[t], header, rows);
    }
    addSheet(
      wb,
      '口径说明',
      ['项目', '说明'],
      [['统计范围', `${q.from} 至 ${q.to}(按来电到达时间)`], ...reportDefinitions(report.thresholdS, report.shortAbandonS)],
    );
    await wb.commit();
  }
}

/** What the report filter reads of a 话单 row. */
function probe(centreId: string, seatId: string | null, categoryId: string, enqueuedAt: number, missedBy: string): CallFact {
  const p: Pick<CallFact, 'homeCentreId' | 'seatId' | 'categoryId' | 'enqueuedAt' | 'missedBy'> = {
    homeCentreId: centreId,
    seatId,
    categoryId,
    enqueuedAt,
    missedBy: missedBy ? missedBy.split(',') : [],
  };
  return p as CallFact;
}

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, header: string[], rows: Cell[][]): void {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
}
