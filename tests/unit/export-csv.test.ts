import { describe, expect, it } from 'vitest';
import { callCsvWriter, Utf8Chunker } from '../../server/src/features/reports/export-csv.js';
import { callCells, csvLine, type CallRowContext } from '../../server/src/features/reports/export-format.js';
import type { ExportRow, ExportTuple } from '../../server/src/features/reports/report-repository.js';
import { parseCsv } from '../support/csv.js';

const ctx = (unmask: boolean): CallRowContext => ({
  utcOffsetMinutes: 480,
  unmask,
  centre: (id) => ({ city: '市中心', dc: '=东城' })[id] ?? id,
  category: (id) => ({ labor: '劳动与社会保障', odd: '合同,"债务"' })[id] ?? id,
  seat: (id) => ({ s01: '王芳(1001)', s02: '-李"四"(1002)' })[id] ?? id,
});

const AT = Date.UTC(2026, 10, 23, 1, 2, 3, 450); // 09:02:03 +08:00
/** A filed summary as the seat wrote it; the 话单 row carries its fields (schema version 17). */
type Summary = Record<string, unknown> & { disposition: string };
const tuple = (over: Partial<ExportRow> & { summary?: Summary }): ExportTuple => {
  const { summary: s, ...rest } = over;
  const text = (k: string) => (typeof s?.[k] === 'string' ? s[k] : null);
  const r: ExportRow = {
    callId: 'c-1',
    caller: '13800138001',
    enqueuedAt: AT,
    centreId: 'city',
    categoryId: 'labor',
    seatId: 's01',
    result: 'answered',
    waitMs: 5_049,
    talkMs: 120_000,
    holdMs: 0,
    wrapMs: 30_000,
    hungUpBy: 'caller',
    overflowTrigger: null,
    missedBy: '',
    disposition: s?.disposition ?? null,
    topic: text('topic'),
    question: text('question'),
    answer: text('answer'),
    referral: text('referral'),
    major: s?.riskFlag === true ? 1 : 0,
    riskNote: text('riskNote'),
    confidential: s?.confidential === true ? 1 : 0,
    rating: null,
    qcScore: null,
    ...rest,
  };
  return [
    r.callId,
    r.caller,
    r.enqueuedAt,
    r.centreId,
    r.categoryId,
    r.seatId,
    r.result,
    r.waitMs,
    r.talkMs,
    r.holdMs,
    r.wrapMs,
    r.hungUpBy,
    r.overflowTrigger,
    r.missedBy,
    r.disposition,
    r.topic,
    r.question,
    r.answer,
    r.referral,
    r.major,
    r.riskNote,
    r.confidential,
    r.rating,
    r.qcScore,
  ];
};
const row = (t: ExportTuple): ExportRow => ({
  callId: t[0],
  caller: t[1],
  enqueuedAt: t[2],
  centreId: t[3],
  categoryId: t[4],
  seatId: t[5],
  result: t[6],
  waitMs: t[7],
  talkMs: t[8],
  holdMs: t[9],
  wrapMs: t[10],
  hungUpBy: t[11],
  overflowTrigger: t[12],
  missedBy: t[13],
  disposition: t[14],
  topic: t[15],
  question: t[16],
  answer: t[17],
  referral: t[18],
  major: t[19],
  riskNote: t[20],
  confidential: t[21],
  rating: t[22],
  qcScore: t[23],
});

const summary = (s: Record<string, unknown>): Summary => ({ disposition: 'answered', ...s });
const ROWS: ExportTuple[] = [
  tuple({}),
  tuple({
    callId: 'c-2',
    summary: summary({ topic: '=HYPERLINK("http://x","点我")', question: '+1 欠薪', answer: '-2 仲裁, "引号"\n换行', referral: '@律协' }),
  }),
  tuple({ callId: 'c-3', summary: summary({ topic: '讨薪', riskFlag: true, riskNote: '群体,上访', confidential: true }) }),
  tuple({
    callId: 'c-4',
    summary: summary({ topic: '\t制表', riskFlag: true, riskNote: '"极端"' }),
    centreId: 'dc',
    categoryId: 'odd',
    seatId: 's02',
  }),
  tuple({ callId: 'c-5', result: 'abandoned-in-queue', seatId: null, wrapMs: null, talkMs: 0, hungUpBy: null, missedBy: 's01,s02,s01' }),
  tuple({ callId: 'c-6', result: 'overflowed-12345', overflowTrigger: 'queue-full', caller: '+8613800138006', seatId: null }),
  tuple({
    callId: 'c-7',
    caller: '110',
    centreId: 'unknown-centre',
    categoryId: 'unknown',
    summary: summary({ disposition: 'legal-aid' }),
  }),
  tuple({ callId: 'c-8', enqueuedAt: AT + 15 * 3_600_000, caller: '138 0013 8008' }), // after local midnight
  tuple({ callId: 'c-9', summary: summary({ topic: '离婚' }), rating: 4, qcScore: 87.5 }),
  tuple({ callId: 'c-10', rating: 1, qcScore: 0 }),
];

describe('the 话单 CSV fast path', () => {
  it('writes exactly what csvLine(callCells(row)) writes, masked or not', () => {
    for (const unmask of [false, true]) {
      const expected = ROWS.map((t) => csvLine(callCells(row(t), ctx(unmask)))).join('');
      expect(callCsvWriter(ctx(unmask))(ROWS)).toBe(expected);
    }
  });

  it('keeps the escaping rules: formulas neutralised, quotes doubled, 保密 hidden, numbers masked', () => {
    const text = callCsvWriter(ctx(false))(ROWS);
    const cells = parseCsv(text);
    expect(cells[0]![1]).toBe('2026-11-23 09:02:03');
    expect(cells[0]![2]).toBe('138****8001');
    expect(cells[1]![15]).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(cells[1]![16]).toBe(`'+1 欠薪`);
    expect(cells[1]![17]).toBe(`'-2 仲裁, "引号"\n换行`);
    expect(cells[1]![18]).toBe(`'@律协`);
    expect(cells[2]!.slice(15, 18)).toEqual(['(保密)', '(保密)', '(保密)']);
    expect(cells[2]![2]).toBe('保密');
    expect(cells[2]![19]).toBe('是');
    expect(cells[3]![3]).toBe(`'=东城`);
    expect(cells[3]![5]).toBe(`'-李"四"(1002)`);
    expect(cells[3]![15]).toBe(`'\t制表`);
    expect(cells[4]![13]).toBe('王芳(1001)、-李"四"(1002)、王芳(1001)');
    expect(cells[5]![2]).toBe(`'+86****8006`);
    expect(text).not.toContain('13800138001');
    // 满意度评价 (the rating 满意率 counts) and 质检得分, the last two columns.
    expect(cells[8]!.slice(20)).toEqual(['不满意', '87.5']);
    expect(cells[9]!.slice(20)).toEqual(['非常满意', '0']);
    expect(cells[0]!.slice(20)).toEqual(['', '']);
  });
});

describe('Utf8Chunker (the 话单 CSV in bounded chunks)', () => {
  it('gives back exactly the UTF-8 of the text pushed, in chunks of at most 256 KiB that each own their memory', () => {
    const chunker = new Utf8Chunker();
    const texts: string[] = [];
    const chunks: Buffer[] = [];
    for (let i = 0; i < 5000; i++) {
      // ASCII, Chinese (3 bytes a character) and a surrogate pair (4 bytes), of varying lengths.
      const text = `${i},劳动争议 欠薪${'仲裁'.repeat(i % 37)},😀,"x"\r\n`;
      texts.push(text);
      const full = chunker.push(text);
      if (full) chunks.push(full);
    }
    const long = '很长的小结'.repeat(60_000); // longer than a chunk: encoded on its own
    texts.push(long, 'tail\r\n');
    for (const t of [long, 'tail\r\n']) {
      const full = chunker.push(t);
      if (full) chunks.push(full);
    }
    chunks.push(chunker.take()!);
    expect(chunker.take()).toBeNull();
    expect(Buffer.concat(chunks).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks.slice(0, -3)) {
      expect(c.byteLength).toBeLessThanOrEqual(256 << 10);
      expect(c.byteOffset).toBe(0);
      expect(c.buffer.byteLength).toBe(c.byteLength);
    }
  });
});
