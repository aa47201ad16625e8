import type { CallFact } from '../../domain/stats/call-fact.js';
import type { ReportFilter } from '../../domain/stats/report.js';
import type { SeatEventRow } from '../../domain/stats/seat-time.js';
import type { CallResult } from '../../vocabulary/call-results.js';
import type { Db } from '../../store/db.js';

/** States of a call still in progress (its fact is not final yet). */
const ACTIVE_STATES = ['queued', 'ringing', 'talking', 'wrap-up'];
const WATERMARK_KEY = 'reports.facts.rowid';

/** A call of the calls table the fact catch-up looks at. */
export interface PendingCall {
  rowid: number;
  id: string;
  active: boolean;
  enqueuedAt: number;
  /** Its fact is written already (in the commit that ended the call). */
  hasFact: boolean;
}

/** One 话单 row as the exports read it (the caller's number in full: mask it). */
export interface ExportRow {
  callId: string;
  caller: string;
  enqueuedAt: number;
  centreId: string;
  categoryId: string;
  seatId: string | null;
  result: CallResult;
  waitMs: number;
  talkMs: number;
  holdMs: number;
  wrapMs: number | null;
  hungUpBy: string | null;
  overflowTrigger: string | null;
  missedBy: string;
  /** The filed summary's fields (null, 0: no summary, or the field is empty). */
  disposition: string | null;
  topic: string | null;
  question: string | null;
  answer: string | null;
  referral: string | null;
  /** 重大事项 (the summary's risk flag) 1/0, and its note. */
  major: number;
  riskNote: string | null;
  /** 保密: the caller's number and the summary's text never leave (1), else 0 or null. */
  confidential: number | null;
  /** The score of the call's first phone or SMS rating (the one 满意率 counts), or null. */
  rating: number | null;
  /** The QC total in force (the review's when a review changed it), or null. */
  qcScore: number | null;
}

/** A row of EXPORT_SQL, in its column order (ExportRow's fields). */
export type ExportTuple = [
  callId: string,
  caller: string,
  enqueuedAt: number,
  centreId: string,
  categoryId: string,
  seatId: string | null,
  result: CallResult,
  waitMs: number,
  talkMs: number,
  holdMs: number,
  wrapMs: number | null,
  hungUpBy: string | null,
  overflowTrigger: string | null,
  missedBy: string,
  disposition: string | null,
  topic: string | null,
  question: string | null,
  answer: string | null,
  referral: string | null,
  major: number,
  riskNote: string | null,
  confidential: number | null,
  rating: number | null,
  qcScore: number | null,
];

/**
 * The SELECT behind the 话单 export (bench/ runs the same text through `sqlite3 -csv`): the facts
 * of the calls of [from, to) by arrival, oldest first, each carrying its caller, summary fields,
 * rating and QC score (copied in by the triggers of schema version 19, in the transaction that
 * changes them), so the export reads call_facts alone, no look-up into another table per row;
 * read in pages after the key (enqueued_at, call_id) of the last row, so no statement stays open
 * while the response waits for the network.
 */
export const EXPORT_SQL = `SELECT call_id, IFNULL(caller, ''), enqueued_at, centre_id, category_id, seat_id, result, wait_ms,
  talk_ms, hold_ms, wrap_ms, hung_up_by, overflow_trigger, missed_by, disposition, topic, question, answer, referral, major,
  risk_note, confidential, rating, qc_score
  FROM call_facts WHERE enqueued_at < ? AND (enqueued_at, call_id) > (?, ?) ORDER BY enqueued_at, call_id LIMIT ?`;

const FACT_SQL = `SELECT call_id, enqueued_at, centre_id, category_id, seat_id, answered_at, ended_at, result,
  wait_ms, talk_ms, hold_ms, holds, wrap_ms, offers, overflow_trigger, overflow_target, hung_up_by,
  missed_by, transferred_from, disposition, major
  FROM call_facts WHERE enqueued_at < ? AND (enqueued_at, call_id) > (?, ?) ORDER BY enqueued_at, call_id LIMIT ?`;
/** Facts read per page (statements never stay open between pages). */
const FACT_PAGE = 20_000;
const SUMMARY_WATERMARK_KEY = 'reports.facts.summaries';

type FactTuple = [
  string,
  number,
  string,
  string,
  string | null,
  number | null,
  number | null,
  CallResult,
  number,
  number,
  number,
  number,
  number | null,
  number,
  CallFact['overflowTrigger'],
  CallFact['overflowTarget'],
  CallFact['hungUpBy'],
  string,
  string | null,
  string | null,
  number | null,
];

function factOf(r: FactTuple): CallFact {
  return {
    callId: r[0],
    enqueuedAt: r[1],
    homeCentreId: r[2],
    categoryId: r[3],
    seatId: r[4],
    answeredAt: r[5],
    endedAt: r[6],
    result: r[7],
    waitMs: r[8],
    talkMs: r[9],
    holdMs: r[10],
    holds: r[11],
    wrapUpMs: r[12],
    offers: r[13],
    overflowTrigger: r[14],
    overflowTarget: r[15],
    hungUpBy: r[16],
    missedBy: r[17] ? r[17].split(',') : [],
    transferredFrom: r[18],
    disposition: r[19],
    major: r[20] === 1,
  };
}

/** The facts of finished calls, the rows of the exports and seat state time, in SQLite. */
export class ReportRepository {
  private readonly insertFact;
  private readonly selectSummaryOf;
  private readonly selectSummariesSince;
  private readonly updateFactSummary;
  private readonly selectPending;
  private readonly selectFacts;
  private readonly selectExport;
  private readonly countExport;
  private readonly selectSeatEvents;
  private readonly getSetting;
  private readonly putSetting;

  constructor(private readonly db: Db) {
    this.insertFact = db.prepare(`INSERT OR REPLACE INTO call_facts (call_id, enqueued_at, centre_id, category_id, seat_id,
      answered_at, ended_at, result, wait_ms, talk_ms, hold_ms, holds, wrap_ms, offers, overflow_trigger, overflow_target,
      hung_up_by, missed_by, transferred_from, disposition, major)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectSummaryOf = db.prepare(
      "SELECT json_extract(json, '$.disposition') AS d, json_extract(json, '$.riskFlag') AS m FROM call_summaries WHERE call_id = ?",
    );
    this.selectSummariesSince = db.prepare(
      `SELECT call_id, updated_at, json_extract(json, '$.disposition') AS d, json_extract(json, '$.riskFlag') AS m
         FROM call_summaries WHERE updated_at > ? ORDER BY updated_at LIMIT ?`,
    );
    this.updateFactSummary = db.prepare('UPDATE call_facts SET disposition = ?, major = ? WHERE call_id = ?');
    this.selectPending =
      db.prepare(`SELECT c.rowid, c.id, c.state_kind, c.enqueued_at, EXISTS (SELECT 1 FROM call_facts f WHERE f.call_id = c.id) AS has_fact
      FROM calls c WHERE c.rowid > ? ORDER BY c.rowid LIMIT ?`);
    this.selectFacts = db.prepare(FACT_SQL).raw(true);
    this.selectExport = db.prepare(EXPORT_SQL).raw(true);
    this.countExport = db.prepare('SELECT COUNT(*) AS n FROM call_facts WHERE enqueued_at >= ? AND enqueued_at < ?');
    // Each seat's last state before the range, then its changes within it.
    this.selectSeatEvents = db.prepare(`
      SELECT seat_id, at, kind FROM seat_events e
        WHERE e.id IN (SELECT MAX(id) FROM seat_events WHERE at < ? GROUP BY seat_id)
      UNION ALL
      SELECT seat_id, at, kind FROM seat_events WHERE at >= ? AND at < ?
      ORDER BY seat_id, at`);
    this.getSetting = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.putSetting = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  /** The calls table's rowid up to which every call has its fact (or was given up on). */
  watermark(): number {
    const row = this.getSetting.get(WATERMARK_KEY) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  setWatermark(rowid: number, now: number): void {
    this.putSetting.run(WATERMARK_KEY, String(rowid), now);
  }

  /** The filed summary's disposition and 重大事项 flag of a call (null when none is filed). */
  summaryOf(callId: string): { disposition: string | null; major: boolean } | undefined {
    const r = this.selectSummaryOf.get(callId) as { d: string | null; m: number | null } | undefined;
    return r ? { disposition: r.d, major: r.m === 1 } : undefined;
  }

  /**
   * Copies the disposition of summaries filed or amended since the last pass into the facts
   * (a summary filed after its call's fact was written, or amended later). Returns how many.
   */
  syncSummaries(now: number, limit: number): number {
    const row = this.getSetting.get(SUMMARY_WATERMARK_KEY) as { value: string } | undefined;
    const since = row ? Number(row.value) : 0;
    const rows = this.selectSummariesSince.all(since, limit) as {
      call_id: string;
      updated_at: number;
      d: string | null;
      m: number | null;
    }[];
    for (const r of rows) this.updateFactSummary.run(r.d, r.m === 1 ? 1 : 0, r.call_id);
    if (rows.length > 0) this.putSetting.run(SUMMARY_WATERMARK_KEY, String(rows[rows.length - 1]!.updated_at), now);
    return rows.length;
  }

  /** Marks every summary so far as copied (the history generator writes facts with theirs). */
  markSummariesSynced(now: number): void {
    const r = this.db.prepare('SELECT MAX(updated_at) AS m FROM call_summaries').get() as { m: number | null };
    this.putSetting.run(SUMMARY_WATERMARK_KEY, String(r.m ?? 0), now);
  }

  pendingCalls(afterRowid: number, limit: number): PendingCall[] {
    const rows = this.selectPending.all(afterRowid, limit) as {
      rowid: number;
      id: string;
      state_kind: string;
      enqueued_at: number;
      has_fact: number;
    }[];
    return rows.map((r) => ({
      rowid: r.rowid,
      id: r.id,
      active: ACTIVE_STATES.includes(r.state_kind),
      enqueuedAt: r.enqueued_at,
      hasFact: r.has_fact === 1,
    }));
  }

  saveFact(f: CallFact): void {
    this.insertFact.run(
      f.callId,
      f.enqueuedAt,
      f.homeCentreId,
      f.categoryId,
      f.seatId,
      f.answeredAt,
      f.endedAt,
      f.result,
      f.waitMs,
      f.talkMs,
      f.holdMs,
      f.holds,
      f.wrapUpMs,
      f.offers,
      f.overflowTrigger,
      f.overflowTarget,
      f.hungUpBy,
      f.missedBy.join(','),
      f.transferredFrom,
      f.disposition,
      f.major ? 1 : 0,
    );
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** The facts of the calls that arrived in [from, to), oldest first, read in pages. */
  *facts(from: number, to: number): Generator<CallFact> {
    let after: [number, string] = [from, ''];
    for (;;) {
      const page = this.selectFacts.all(to, after[0], after[1], FACT_PAGE) as FactTuple[];
      for (const r of page) yield factOf(r);
      if (page.length < FACT_PAGE) return;
      const last = page[page.length - 1]!;
      after = [last[1], last[0]];
    }
  }

  countExportRows(from: number, to: number): number {
    return (this.countExport.get(from, to) as { n: number }).n;
  }

  /**
   * The 话单 rows of [from, to) that pass a report's filter: factFilter's rules (domain/stats/
   * report.ts) in SQL, for the row count announced before an export streams. `centreSeats` are
   * the seats of the filter's centres (a call answered by one of them is in).
   */
  countExportRowsMatching(
    from: number,
    to: number,
    f: ReportFilter,
    opts: { utcOffsetMinutes: number; centreSeats: readonly string[] },
  ): number {
    const where = ['enqueued_at >= ?', 'enqueued_at < ?'];
    const args: (string | number)[] = [from, to];
    const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(',');
    if (f.centres) {
      const centres = [...f.centres];
      where.push(`(centre_id IN (${marks(centres)}) OR seat_id IN (${marks(opts.centreSeats)}))`);
      args.push(...centres, ...opts.centreSeats);
    }
    if (f.categories) {
      const categories = [...f.categories];
      where.push(`category_id IN (${marks(categories)})`);
      args.push(...categories);
    }
    if (f.seats) {
      const seats = [...f.seats];
      const missed = seats.map(() => "(',' || IFNULL(missed_by, '') || ',') LIKE ? ESCAPE '\\'").join(' OR ');
      where.push(`(seat_id IN (${marks(seats)}) OR ${missed})`);
      args.push(...seats, ...seats.map((s) => `%,${s.replace(/[\\%_]/g, '\\$&')},%`));
    }
    const local = `(enqueued_at + ${Math.trunc(opts.utcOffsetMinutes) * 60_000})`;
    if (f.hours) {
      const hours = [...f.hours];
      where.push(`((${local} % 86400000) / 3600000) IN (${marks(hours)})`);
      args.push(...hours);
    }
    if (f.weekdays) {
      // Day 0 of the epoch was a Thursday: ISO weekday = (days + 3) % 7 + 1.
      const weekdays = [...f.weekdays];
      where.push(`((${local} / 86400000 + 3) % 7 + 1) IN (${marks(weekdays)})`);
      args.push(...weekdays);
    }
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM call_facts WHERE ${where.join(' AND ')}`).get(...args) as { n: number }).n;
  }

  /** One page of 话单 rows as EXPORT_SQL's tuples (no object per row: the CSV writer's fast path). */
  exportTuples(from: number, to: number, after: { enqueuedAt: number; callId: string } | null, limit: number): ExportTuple[] {
    // A row at exactly `from` with call id '' cannot exist, so (from, '') is "from the start".
    return this.selectExport.all(to, after?.enqueuedAt ?? from, after?.callId ?? '', limit) as ExportTuple[];
  }

  /** One page of 话单 rows of [from, to) after `after` (null: from the start), oldest first. */
  exportPage(from: number, to: number, after: { enqueuedAt: number; callId: string } | null, limit: number): ExportRow[] {
    return this.exportTuples(from, to, after, limit).map((r) => ({
      callId: r[0],
      caller: r[1],
      enqueuedAt: r[2],
      centreId: r[3],
      categoryId: r[4],
      seatId: r[5],
      result: r[6],
      waitMs: r[7],
      talkMs: r[8],
      holdMs: r[9],
      wrapMs: r[10],
      hungUpBy: r[11],
      overflowTrigger: r[12],
      missedBy: r[13],
      disposition: r[14],
      topic: r[15],
      question: r[16],
      answer: r[17],
      referral: r[18],
      major: r[19],
      riskNote: r[20],
      confidential: r[21],
      rating: r[22],
      qcScore: r[23],
    }));
  }

  seatEvents(from: number, to: number): SeatEventRow[] {
    return this.selectSeatEvents.all(from, from, to) as SeatEventRow[];
  }
}
