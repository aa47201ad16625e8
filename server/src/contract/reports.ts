/** The duty manager's reports (统计报表), their exports and the live figures. */
import { z } from 'zod';
import { charCount, line } from './fields.js';
import type { OverflowTrigger } from '../vocabulary/index.js';
import type { OutboundReportView } from './outbound.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range a report covers (a year and a month). */
export const REPORT_MAX_DAYS = 400;

const list = (label: string) =>
  z
    .string({ error: `${label}须为逗号分隔的列表` })
    .optional()
    .transform((v) =>
      v && v.trim()
        ? [
            ...new Set(
              v
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            ),
          ]
        : null,
    );
const intList = (label: string, min: number, max: number) =>
  list(label).refine((v) => v === null || v.every((x) => /^\d+$/.test(x) && Number(x) >= min && Number(x) <= max), {
    message: `${label}须为 ${min}–${max} 之间的整数,逗号分隔`,
  });

/** GET /api/reports/figures and the exports: a range of local days (inclusive) and filters. */
export const ReportQuerySchema = z
  .object({
    from: z.string({ error: '请提供起始日期' }).regex(DATE, '起始日期的格式应为 YYYY-MM-DD'),
    to: z.string({ error: '请提供结束日期' }).regex(DATE, '结束日期的格式应为 YYYY-MM-DD'),
    centres: list('中心'),
    categories: list('类别'),
    seats: list('坐席'),
    hours: intList('到达时段(时)', 0, 23),
    weekdays: intList('星期', 1, 7),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: '结束日期不能早于起始日期' });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/**
 * A share (0–1) as a percentage rounded to one decimal: the reports page and the exports both
 * round through it, so the same figure reads the same on screen, in the CSV and in the XLSX.
 * Null (and a non-finite value) stays null: shown as "—", an empty cell in a file.
 */
export const percent1 = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 10);
/** A figure in seconds (or a score) rounded to one decimal, as the page and the exports show it. */
export const round1 = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);

export const REPORT_TABLES = [
  'total',
  'interval',
  'day',
  'week',
  'month',
  'seat',
  'category',
  'disposition',
  'wait',
  'qc',
  'satisfaction',
  'outbound',
  'callbacks',
] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];
export const REPORT_TABLE_LABELS: Record<ReportTable, string> = {
  total: '总览',
  interval: '按时段',
  day: '按日',
  week: '按周',
  month: '按月',
  seat: '按坐席',
  category: '按类别',
  disposition: '处理结果',
  wait: '应答时长分布',
  qc: '质检',
  satisfaction: '满意度与回访',
  outbound: '外呼',
  callbacks: '回访回电完成',
};
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** GET /api/reports/export/calls.(csv|xlsx): the 话单; unmask=1 asks for full numbers (audited, with a reason). */
export const CallExportQuerySchema = z
  .object({ unmask: z.enum(['0', '1']).optional(), reason: line('原因', 200).optional() })
  .refine((q) => q.unmask !== '1' || charCount(q.reason ?? '') >= 2, { path: ['reason'], message: '导出完整号码须填写原因(至少 2 个字)' });

/** GET /api/reports/export/monthly.xlsx?month=YYYY-MM */
export const MonthlyQuerySchema = z.object({
  month: z.string({ error: '请提供月份' }).regex(/^\d{4}-\d{2}$/, '月份的格式应为 YYYY-MM'),
  centres: list('中心'),
});

/** The figures of a set of calls (server/src/domain/stats/figures.ts; docs/definitions.md). */
export interface FiguresView {
  entered: number;
  offered: number;
  answered: number;
  answeredWithinT: number;
  abandoned: number;
  abandonedInQueue: number;
  abandonedWhileRinging: number;
  abandonedAfterT: number;
  shortAbandoned: number;
  shortAbandonedInQueue: number;
  shortAbandonedWhileRinging: number;
  overflowed: number;
  overflowedTo12345: number;
  overflowedToCallback: number;
  overflowByTrigger: Record<OverflowTrigger, number>;
  afterHours: number;
  afterHoursTo12345: number;
  afterHoursToCallback: number;
  timedOut: number;
  waiting: number;
  handled: number;
  transfers: number;
  missedOffers: number;
  dispositions: Record<string, number>;
  unfiled: number;
  major: number;
  answerRate: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  serviceLevelAnswered: number | null;
  asaSeconds: number | null;
  longestWaitSeconds: number | null;
  ahtSeconds: number | null;
  talkSeconds: number | null;
  holdSeconds: number | null;
  wrapUpSeconds: number | null;
  talkTotalSeconds: number;
  holdTotalSeconds: number;
  wrapUpTotalSeconds: number;
}

export interface ReportRowView {
  key: string;
  /** What the page shows for the key (a category's or a seat's name). */
  label: string;
  figures: FiguresView;
}

export interface SeatRowView extends ReportRowView {
  missedBySeat: number;
  transfersOut: number;
  occupancy: number | null;
}

export interface ReportView {
  from: string;
  to: string;
  /** The centres the report covers (the filter within the user's scope); null = every centre. */
  centres: string[] | null;
  /** The centres the user may pick in the filter (their scope, sorted); null = every centre. */
  scopeCentres: string[] | null;
  thresholdS: number;
  shortAbandonS: number;
  total: FiguresView;
  byInterval: ReportRowView[];
  byDay: ReportRowView[];
  byWeek: ReportRowView[];
  byMonth: ReportRowView[];
  byCategory: ReportRowView[];
  bySeat: SeatRowView[];
  /** Answered calls by wait: ≤ each bound in waitBucketsS, then the rest. */
  waitBucketsS: number[];
  waitDistribution: number[];
  occupancy: number | null;
  /** 满意率 over the report's answered calls and the 回访 figures of its period (docs/definitions.md). */
  satisfaction: SatisfactionReportView;
  /** Outbound calls (外呼) started in the period, in total and by seat: never in the inbound figures above. */
  outbound: OutboundReportView;
  /** 质检 figures of the calls in the range (server/src/domain/stats/qc-figures.ts); absent without the QC feature. */
  qc?: QcReportView;
  /** 回访/回电 completion of the tasks due in the range (server/src/domain/stats/callback-completion.ts). */
  callbacks?: CallbackCompletionReportView;
}

/** 回访/回电 completion (docs/definitions.md, *Callback completion*). */
export interface CallbackCompletionView {
  due: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  pending: number;
  onTimeRate: number | null;
}

export interface CallbackCompletionReportView {
  total: CallbackCompletionView;
  /** By task source (key: VisitSource), with its label. */
  bySource: { key: string; label: string; figures: CallbackCompletionView }[];
}

/** Quality-inspection figures (docs/definitions.md, 质检). */
export interface QcFiguresView {
  selected: number;
  sampled: number;
  inspected: number;
  averageScore: number | null;
  lowestScore: number | null;
  reviewsRequested: number;
  reviewsChanged: number;
}

export interface QcRowView {
  key: string;
  label: string;
  figures: QcFiguresView;
}

export interface QcReportView {
  total: QcFiguresView;
  bySeat: QcRowView[];
  byWeek: QcRowView[];
  byMonth: QcRowView[];
}

/** 满意率 over answered calls (domain/stats/satisfaction.ts SatisfactionTotals). */
export interface SatisfactionTotalsView {
  answered: number;
  rated: number;
  satisfied: number;
  dissatisfied: number;
  satisfactionRate: number | null;
  ratedShare: number | null;
}

/** The 回访 figures over the tasks created in the period (domain/stats/satisfaction.ts VisitFigures). */
export interface VisitFiguresView {
  created: number;
  closed: number;
  completionRate: number | null;
  overdue: number;
  dissatisfiedDue: number;
  dissatisfiedWithinDeadline: number;
  dissatisfiedCalledBackRate: number | null;
}

export interface SatisfactionReportView extends SatisfactionTotalsView {
  visits: VisitFiguresView;
  /** 回访外呼: click-to-call dials placed in the period, answered, and their talk time (seconds). */
  outbound: { placed: number; answered: number; talkSeconds: number };
}

/** The supervisor's live figures (GET /api/reports/live): since midnight and the last 15 / 30 min. */
export interface LiveFiguresView {
  at: number;
  centres: string[] | null;
  thresholdS: number;
  sinceMidnight: LiveWindowView;
  last15: LiveWindowView;
  last30: LiveWindowView;
  /** 满意率 of the calls since midnight (the same calls and code as a report of today). */
  satisfaction: SatisfactionTotalsView;
}

/** A live window's figures, and the occupancy of the seats that took or missed its calls (as a report's). */
export type LiveWindowView = FiguresView & { occupancy: number | null };

/** GET /api/reports/staffing: the last `weeks` whole weeks, the target share answered within T. */
export const StaffingQuerySchema = z.object({
  weeks: z.coerce.number({ error: '周数必须是整数' }).int('周数必须是整数').min(1, '周数至少为 1').max(26, '周数最多为 26').default(4),
  target: z.coerce
    .number({ error: '目标服务水平必须是数字' })
    .min(0.5, '目标服务水平至少 50%')
    .max(0.99, '目标服务水平最多 99%')
    .default(0.8),
  centres: list('中心'),
  /** A specialty (category group) staffed apart: the plan over these categories' calls only. */
  categories: list('类别'),
});

export interface StaffingSlotView {
  weekday: number;
  from: string;
  callsPerHour: number;
  ahtSeconds: number | null;
  required: number;
  predictedSL: number | null;
  /** Erlang A (callers hang up after the history's mean patience); null when nobody abandoned. */
  requiredA: number | null;
  predictedSLA: number | null;
  planned: number;
  signedIn: number;
}

export interface StaffingPlanView {
  from: string;
  to: string;
  weeks: number;
  targetSL: number;
  thresholdS: number;
  centres: string[] | null;
  /** The specialty's categories (null: every call). */
  categories: string[] | null;
  calls: number;
  /** Mean patience estimated from the history (waits ÷ abandons), null when nobody abandoned. */
  patienceSeconds: number | null;
  /** 336 half hours, Monday 00:00 first. */
  slots: StaffingSlotView[];
}

/** GET /api/reports/trends?from=&to=&centres= : the period against the one of the same length before it. */
export const TrendsQuerySchema = z
  .object({
    from: z.string({ error: '请提供起始日期' }).regex(DATE, '起始日期的格式应为 YYYY-MM-DD'),
    to: z.string({ error: '请提供结束日期' }).regex(DATE, '结束日期的格式应为 YYYY-MM-DD'),
    centres: list('中心'),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: '结束日期不能早于起始日期' });

/** PUT /api/reports/risk-words */
export const RiskWordsSchema = z.object({
  words: z.array(line('风险词', 20).min(1, '风险词不能为空')).min(1, '风险词表不能为空').max(200, '风险词最多 200 个'),
});

export interface RiskHitView {
  callId: string;
  at: number;
  seatId: string | null;
  categoryId: string;
  words: string[];
  /** The summary's topic ("(保密)" for a confidential caller). */
  topic: string;
}

export interface TrendsView {
  from: string;
  to: string;
  previousFrom: string;
  summaries: number;
  previousSummaries: number;
  rising: { term: string; count: number; previous: number; ratio: number }[];
  categories: { categoryId: string; count: number; previous: number; ratio: number }[];
  riskWords: string[];
  riskHits: RiskHitView[];
}
