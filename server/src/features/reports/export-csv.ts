import { CALL_RESULT_LABELS, DISPOSITION_LABELS, HUNG_UP_BY_LABELS, maskNumber, OVERFLOW_TRIGGER_LABELS } from '../../contract/index.js';
import { csvCell, localTime, ratingLabel, secs, type CallRowContext } from './export-format.js';
import type { ExportTuple } from './report-repository.js';

/** A cache of cells by key: each centre, category, seat and label is named and escaped once. */
function cached(cell: (key: string) => string): (key: string) => string {
  const m = new Map<string, string>();
  return (key) => {
    let v = m.get(key);
    if (v === undefined) {
      v = cell(key);
      m.set(key, v);
    }
    return v;
  };
}

const num = (ms: number | null) => csvCell(secs(ms));

/**
 * The 话单 CSV writer's fast path: EXPORT_SQL's tuples straight to CSV text, with no object or
 * cell array per row. It writes exactly `csvLine(callCells(row))` (export-format.ts; the
 * equivalence is tested): the same masking, 保密 rule, labels and cell escaping (csvCell).
 */
export function callCsvWriter(ctx: CallRowContext): (rows: readonly ExportTuple[]) => string {
  const centre = cached((id) => csvCell(ctx.centre(id)));
  const category = cached((id) => csvCell(ctx.category(id)));
  const seat = cached((id) => csvCell(ctx.seat(id)));
  const seatName = cached((id) => ctx.seat(id));
  const result = cached((r) => csvCell(CALL_RESULT_LABELS[r as keyof typeof CALL_RESULT_LABELS] ?? r));
  const hungUp = cached((h) => csvCell(HUNG_UP_BY_LABELS[h as keyof typeof HUNG_UP_BY_LABELS] ?? h));
  const overflow = cached((t) => csvCell(OVERFLOW_TRIGGER_LABELS[t as keyof typeof OVERFLOW_TRIGGER_LABELS] ?? t));
  const disposition = cached((d) => csvCell(DISPOSITION_LABELS[d as keyof typeof DISPOSITION_LABELS] ?? d));
  const missed = cached((list) => csvCell(list.split(',').map(seatName).join('、')));
  const offset = ctx.utcOffsetMinutes * 60_000;
  const rating = cached((score) => csvCell(ratingLabel(Number(score))));
  const secret = ',(保密),(保密),(保密),';
  return (rows) => {
    let out = '';
    for (const r of rows) {
      const hidden = r[21] === 1;
      let line = csvCell(r[0]) + ',' + localTime(r[2] + offset) + ',';
      line += hidden ? '保密' : csvCell(ctx.unmask ? r[1] : maskNumber(r[1]));
      line += ',' + centre(r[3]) + ',' + category(r[4]) + ',' + (r[5] ? seat(r[5]) : '') + ',' + result(r[6]);
      line += ',' + num(r[7]) + ',' + num(r[8]) + ',' + num(r[9]) + ',' + num(r[10]);
      line += ',' + (r[11] ? hungUp(r[11]) : '') + ',' + (r[12] ? overflow(r[12]) : '') + ',' + (r[13] ? missed(r[13]) : '');
      line += ',' + (r[14] ? disposition(r[14]) : '');
      line += hidden ? secret : ',' + csvCell(r[15] ?? '') + ',' + csvCell(r[16] ?? '') + ',' + csvCell(r[17] ?? '') + ',';
      line += csvCell(r[18] ?? '') + ',';
      if (r[19] === 1) line += hidden ? '是' : csvCell(`是:${r[20] ?? ''}`);
      line += ',' + (r[22] === null ? '' : rating(String(r[22]))) + ',' + csvCell(r[23]);
      out += line + '\r\n';
    }
    return out;
  };
}

/** Rows formatted into one string before it is encoded (keeps each string well under V8's large-object size). */
export const CSV_ROWS_PER_STRING = 64;
/** Bytes per encoded chunk handed to the sink. */
const CHUNK_BYTES = 256 << 10;

/**
 * Encodes text into UTF-8 chunks of about CHUNK_BYTES through one reused scratch buffer, so a
 * long export makes no large strings or buffers for the garbage collector to sweep in bulk (a
 * page's text as one string was a large object: the heap grew by ~85 MB between collections).
 * Each chunk is its own ArrayBuffer of exactly its length, so the report worker transfers it to
 * the router without a copy.
 */
export class Utf8Chunker {
  private readonly scratch = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;

  /** Adds text; returns a full chunk when the scratch buffer had to be emptied first, else null. */
  push(text: string): Buffer | null {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const worst = text.length * 3;
    let full: Buffer | null = null;
    if (this.used + worst > CHUNK_BYTES) full = this.take();
    if (worst > CHUNK_BYTES) {
      // A text longer than a chunk (a very long summary line): encoded on its own.
      const own = Buffer.from(text, 'utf8');
      return full ? Buffer.concat([full, own]) : own;
    }
    this.used += this.scratch.write(text, this.used, 'utf8');
    return full;
  }

  /** The text pushed since the last chunk (null when none). */
  take(): Buffer | null {
    if (this.used === 0) return null;
    const chunk = Buffer.allocUnsafeSlow(this.used);
    this.scratch.copy(chunk, 0, 0, this.used);
    this.used = 0;
    return chunk;
  }
}
