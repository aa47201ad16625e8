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
