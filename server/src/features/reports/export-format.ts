import {
  CALL_RESULT_LABELS,
  DISPOSITION_LABELS,
  HUNG_UP_BY_LABELS,
  maskNumber,
  OVERFLOW_TRIGGER_LABELS,
  percent1,
  RATING_SCALE,
  round1,
  type CallbackCompletionView,
  type Disposition,
  type FiguresView,
  type OutboundFiguresView,
  type QcFiguresView,
  type ReportView,
} from '../../contract/index.js';
import type { HangupSide } from '../../vocabulary/hangup.js';
import type { ExportRow } from './report-repository.js';

/** Excel opens a CSV as UTF-8 only with a byte order mark. */
export const BOM = '\uFEFF';

export type Cell = string | number | null;

/** First characters that make a spreadsheet read a cell as a formula (CSV injection): = + - @ tab CR. */
const FORMULA_START = new Set([61, 43, 45, 64, 9, 13]);
const NEEDS_QUOTES = /[",\n\r]/;

/**
 * One CSV cell: text that a spreadsheet would read as a formula (starting with = + - @, a tab or
 * a carriage return) gets a leading apostrophe, as OWASP advises; quotes, commas and line breaks
 * are quoted. Numbers are written as they are.
 */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v === '') return '';
  const s = FORMULA_START.has(v.charCodeAt(0)) ? `'${v}` : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly Cell[]): string => cells.map(csvCell).join(',') + '\r\n';

/** The 话单 columns, in order. */
export const CALL_COLUMNS = [
  '通话编号',
  '来电时间',
  '来电号码',
  '所属中心',
  '咨询类别',
  '接听坐席',
  '结果',
  '等待(秒)',
  '通话(秒)',
  '保持(秒)',
  '话后整理(秒)',
  '挂断方',
  '溢出原因',
  '未接坐席',
  '处理结果',
  '主题',
  '来电问题',
  '解答内容',
  '转介去向',
  '重大事项',
  '满意度评价',
  '质检得分',
] as const;

/** The label of a rating's score (非常满意 … 不满意), '' for none. */
export const ratingLabel = (score: number | null): string =>
  score === null ? '' : (RATING_SCALE.find((r) => r.score === score)?.label ?? String(score));

export interface CallRowContext {
  utcOffsetMinutes: number;
  unmask: boolean;
  centre: (id: string) => string;
  category: (id: string) => string;
  seat: (id: string) => string;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
let cachedDay = -1;
let cachedDate = '';
/** "YYYY-MM-DD HH:MM:SS" of a local time in ms (the date formatted once per day). */
export function localTime(local: number): string {
  const day = Math.floor(local / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  const s = Math.floor((local - day * 86_400_000) / 1000);
  return `${cachedDate} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

export const secs = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

/** One 话单 row as cells: numbers masked unless `unmask`; a 保密 caller's number and summary text never leave. */
export function callCells(r: ExportRow, ctx: CallRowContext): Cell[] {
  const secret = r.confidential === 1;
  return [
    r.callId,
    localTime(r.enqueuedAt + ctx.utcOffsetMinutes * 60_000),
    secret ? '保密' : ctx.unmask ? r.caller : maskNumber(r.caller),
    ctx.centre(r.centreId),
    ctx.category(r.categoryId),
    r.seatId ? ctx.seat(r.seatId) : '',
    CALL_RESULT_LABELS[r.result] ?? r.result,
    secs(r.waitMs),
    secs(r.talkMs),
    secs(r.holdMs),
    secs(r.wrapMs),
    r.hungUpBy ? (HUNG_UP_BY_LABELS[r.hungUpBy as HangupSide] ?? r.hungUpBy) : '',
    r.overflowTrigger ? (OVERFLOW_TRIGGER_LABELS[r.overflowTrigger as keyof typeof OVERFLOW_TRIGGER_LABELS] ?? r.overflowTrigger) : '',
    r.missedBy ? r.missedBy.split(',').map(ctx.seat).join('、') : '',
    r.disposition ? (DISPOSITION_LABELS[r.disposition as Disposition] ?? r.disposition) : '',
    secret ? '(保密)' : (r.topic ?? ''),
    secret ? '(保密)' : (r.question ?? ''),
    secret ? '(保密)' : (r.answer ?? ''),
    r.referral ?? '',
    r.major === 1 ? (secret ? '是' : `是:${r.riskNote ?? ''}`) : '',
    ratingLabel(r.rating),
    r.qcScore,
  ];
}

// The page rounds through the same functions (client/src/features/reports/format.ts).
const pct = percent1;
const sec1 = round1;

/** The columns of every aggregate table (one row per key). */
export const FIGURE_COLUMNS: readonly [string, (f: FiguresView) => Cell][] = [
  ['呼入', (f) => f.offered],
  ['接通', (f) => f.answered],
  ['接通率(%)', (f) => pct(f.answerRate)],
  ['服务水平(%)', (f) => pct(f.serviceLevel)],
  ['平均应答(秒)', (f) => sec1(f.asaSeconds)],
  ['最长等待(秒)', (f) => sec1(f.longestWaitSeconds)],
  ['平均处理(秒)', (f) => sec1(f.ahtSeconds)],
  ['平均通话(秒)', (f) => sec1(f.talkSeconds)],
  ['平均保持(秒)', (f) => sec1(f.holdSeconds)],
  ['平均话后(秒)', (f) => sec1(f.wrapUpSeconds)],
  ['放弃', (f) => f.abandoned],
  ['排队中放弃', (f) => f.abandonedInQueue],
  ['振铃中放弃', (f) => f.abandonedWhileRinging],
  ['短时放弃', (f) => f.shortAbandoned],
  ['溢出', (f) => f.overflowed],
  ['溢出转12345', (f) => f.overflowedTo12345],
  ['溢出转回电', (f) => f.overflowedToCallback],
  ['非服务时间', (f) => f.afterHours],
  ['坐席间转接', (f) => f.transfers],
  ['未接振铃', (f) => f.missedOffers],
  ['重大事项', (f) => f.major],
  ['小结未填', (f) => f.unfiled],
];

/** An aggregate table of a report as a header and rows of cells. */
export function tableRows(report: ReportView, table: string): { header: string[]; rows: Cell[][] } {
  const figureHeader = FIGURE_COLUMNS.map(([h]) => h);
  const row = (key: string, f: FiguresView): Cell[] => [key, ...FIGURE_COLUMNS.map(([, get]) => get(f))];
  switch (table) {
    case 'total':
      return { header: ['范围', ...figureHeader], rows: [row(`${report.from} 至 ${report.to}`, report.total)] };
    case 'interval':
    case 'day':
    case 'week':
    case 'month':
    case 'category': {
      const src = {
        interval: report.byInterval,
        day: report.byDay,
        week: report.byWeek,
        month: report.byMonth,
        category: report.byCategory,
      }[table];
      const keyName = { interval: '时段', day: '日期', week: '周', month: '月份', category: '咨询类别' }[table];
      return { header: [keyName, ...figureHeader], rows: src.map((r) => row(r.label, r.figures)) };
    }
    case 'seat':
      return {
        header: ['坐席', '接通', '未接振铃', '转出', '通话总时长(秒)', '话后总时长(秒)', '平均处理(秒)', '占用率(%)'],
        rows: report.bySeat.map((s) => [
          s.label,
          s.figures.answered,
          s.missedBySeat,
          s.transfersOut,
          Math.round(s.figures.talkTotalSeconds),
          Math.round(s.figures.wrapUpTotalSeconds),
          sec1(s.figures.ahtSeconds),
          pct(s.occupancy),
        ]),
      };
    case 'disposition': {
      const d = report.total.dispositions;
      const rows: Cell[][] = Object.entries(DISPOSITION_LABELS).map(([k, label]) => [label, d[k] ?? 0]);
      rows.push(['小结未填', report.total.unfiled]);
      return { header: ['处理结果', '通数'], rows };
    }
    case 'wait': {
      const b = report.waitBucketsS;
      const rows: Cell[][] = report.waitDistribution.map((n, i) => [i < b.length ? `≤${b[i]} 秒` : `>${b[b.length - 1]} 秒`, n]);
      return { header: ['应答等待', '接通数'], rows };
    }
    case 'qc': {
      // 质检: the range, then each seat, week and month (docs/definitions.md, 质检).
      const qc = report.qc;
      if (!qc) return { header: [], rows: [] };
      const cells = (f: QcFiguresView): Cell[] => [
        f.selected,
        f.sampled,
        f.inspected,
        f.averageScore,
        f.lowestScore,
        f.reviewsRequested,
        f.reviewsChanged,
      ];
      return {
        header: ['分组', '名称', '入选质检', '随机抽检', '已评分', '平均得分', '最低得分', '申请复核', '复核改分'],
        rows: [
          ['合计', `${report.from} 至 ${report.to}`, ...cells(qc.total)],
          ...qc.bySeat.map((r): Cell[] => ['坐席', r.label, ...cells(r.figures)]),
          ...qc.byWeek.map((r): Cell[] => ['周', r.label, ...cells(r.figures)]),
          ...qc.byMonth.map((r): Cell[] => ['月份', r.label, ...cells(r.figures)]),
        ],
      };
    }
    case 'satisfaction': {
      const s = report.satisfaction;
      const v = s.visits;
      const rows: Cell[][] = [
        ['接通', s.answered],
        ['参评', s.rated],
        ['满意', s.satisfied],
        ['不满意', s.dissatisfied],
        ['满意率(%)', pct(s.satisfactionRate)],
        ['参评率(%)', pct(s.ratedShare)],
        ['回访任务', v.created],
        ['已完成回访', v.closed],
        ['回访完成率(%)', pct(v.completionRate)],
        ['逾期回访', v.overdue],
        ['不满意应回访', v.dissatisfiedDue],
        ['不满意按期回访', v.dissatisfiedWithinDeadline],
        ['不满意回访及时率(%)', pct(v.dissatisfiedCalledBackRate)],
        ['回访外呼', s.outbound.placed],
        ['回访外呼接通', s.outbound.answered],
        ['回访外呼通话(秒)', s.outbound.talkSeconds],
      ];
      return { header: ['指标', '数值'], rows };
    }
    case 'outbound':
      return outboundTableRows(report);
    case 'callbacks': {
      // 回访/回电 completion of the tasks due in the range (docs/definitions.md, Callback completion).
      const c = report.callbacks;
      if (!c) return { header: [], rows: [] };
      const cells = (f: CallbackCompletionView): Cell[] => [f.due, f.doneOnTime, f.doneLate, f.overdue, f.pending, pct(f.onTimeRate)];
      return {
        header: ['任务来源', '到期任务', '按期完成', '逾期完成', '逾期未完成', '未到期', '按期完成率(%)'],
        rows: [['合计', ...cells(c.total)], ...c.bySource.map((r): Cell[] => [r.label, ...cells(r.figures)])],
      };
    }
    default:
      return { header: [], rows: [] };
  }
}

const OUTBOUND_FIGURE_COLUMNS: readonly [string, (f: OutboundFiguresView) => Cell][] = [
  ['外呼量', (f) => f.placed],
  ['外呼接通', (f) => f.answered],
  ['无人接听', (f) => f.noAnswer],
  ['占线', (f) => f.busy],
  ['呼叫失败', (f) => f.failed],
  ['进行中', (f) => f.inProgress],
  ['外呼接通率(%)', (f) => pct(f.answerRate)],
  ['外呼通话总时长(秒)', (f) => f.talkSeconds],
  ['平均外呼通话(秒)', (f) => sec1(f.avgTalkSeconds)],
];

/** The 外呼 table of a report (docs/definitions.md, outbound calls): the total, then each seat. */
function outboundTableRows(report: ReportView): { header: string[]; rows: Cell[][] } {
  const o = report.outbound;
  const row = (label: string, f: OutboundFiguresView): Cell[] => [label, ...OUTBOUND_FIGURE_COLUMNS.map(([, get]) => get(f))];
  return {
    header: ['坐席', ...OUTBOUND_FIGURE_COLUMNS.map(([h]) => h)],
    rows: [row('合计', o.total), ...o.bySeat.map((s) => row(s.label, s.figures))],
  };
}
