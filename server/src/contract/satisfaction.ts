/** Satisfaction (满意度): the rating scale, the external survey webhook's body, 回访 tasks and the figures. */
import { z } from 'zod';
import { line, scrubbed, text, queryTimestamp, timestamp } from './fields.js';

/** The keys of the rating scale and what each means; 1–3 count as satisfied (docs/definitions.md 满意率). */
export const RATING_SCALE = [
  { score: 1, label: '非常满意', satisfied: true },
  { score: 2, label: '满意', satisfied: true },
  { score: 3, label: '基本满意', satisfied: true },
  { score: 4, label: '不满意', satisfied: false },
] as const;
export type RatingScore = (typeof RATING_SCALE)[number]['score'];
export const isSatisfied = (score: number): boolean => RATING_SCALE.find((s) => s.score === score)?.satisfied ?? false;

export const RATING_SOURCES = ['phone', 'sms', 'visit'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];
export const RATING_SOURCE_LABELS: Record<RatingSource, string> = { phone: '电话评价', sms: '短信评价', visit: '回访评价' };

const scoreField = z
  .number({ error: 'score 须为 1–4 的整数' })
  .int('score 须为 1–4 的整数')
  .min(1, 'score 须为 1–4 的整数')
  .max(RATING_SCALE.length, 'score 须为 1–4 的整数');

/** One result the external survey provider posts (POST /api/satisfaction/webhook, signed). */
export const SurveyWebhookSchema = z.object({
  /** The provider's id of this result: a second delivery of the same id is not a second rating. */
  id: z.string({ error: 'id 必填' }).min(1, 'id 必填').max(100, 'id 最长 100 个字符'),
  callId: z.string({ error: 'callId 必填' }).min(1, 'callId 必填').max(100),
  score: scoreField,
  comment: scrubbed(500, { multiline: true }).optional(),
  /** Unix ms when the citizen answered. */
  ratedAt: timestamp('评价时间'),
});
export type SurveyWebhookBody = z.infer<typeof SurveyWebhookSchema>;

export interface SurveyWebhookResult {
  ratingId: number;
  /** True when this id was received before: nothing new was stored. */
  duplicate: boolean;
  /** The 回访 task a dissatisfied rating created (null otherwise). */
  visitTaskId: number | null;
}

// ------------------------------------------------------------------ 回访 tasks

export const VISIT_SOURCES = [
  'dissatisfied',
  'callback-request',
  'summary-callback',
  'ticket-12345',
  'quality-sample',
  'follow-up',
  'seat-lost',
] as const;
export type VisitSource = (typeof VISIT_SOURCES)[number];
export const VISIT_SOURCE_LABELS: Record<VisitSource, string> = {
  dissatisfied: '不满意回访',
  'callback-request': '回电请求',
  'summary-callback': '预约回电',
  'ticket-12345': '12345工单回电',
  'quality-sample': '质量抽样回访',
  'follow-up': '跟进回访',
  'seat-lost': '坐席掉线回电',
};

export const VISIT_OUTCOMES = ['reached', 'no-answer', 'busy', 'refused', 'wrong-number'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
export const VISIT_OUTCOME_LABELS: Record<VisitOutcome, string> = {
  reached: '已接通',
  'no-answer': '无人接听',
  busy: '占线',
  refused: '拒绝回访',
  'wrong-number': '号码错误',
};
/** Outcomes after which the task is tried again later (spaced, capped). */
export const RETRY_OUTCOMES: readonly VisitOutcome[] = ['no-answer', 'busy'];

export const VISIT_STATUSES = ['open', 'closed'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export interface VisitTaskView {
  id: number;
  source: VisitSource;
  callId: string | null;
  callerMasked: string;
  categoryId: string;
  centreId: string;
  /** The seat that took the original call. */
  seatId: string | null;
  assigneeSeatId: string | null;
  createdAt: number;
  dueAt: number;
  /** Not before this time (a retry's spacing). */
  nextAttemptAt: number;
  overdue: boolean;
  attempts: number;
  status: VisitStatus;
  outcome: VisitOutcome | null;
  closedAt: number | null;
  note: string | null;
}

export const VisitListQuerySchema = z.object({
  status: z.enum(VISIT_STATUSES, { error: '状态须为待回访或已结束' }).default('open'),
  limit: z.coerce.number({ error: '条数必须是整数' }).int('条数必须是整数').min(1, '条数至少为 1').max(500, '条数最多为 500').default(200),
  /** Paging: the tasks skipped before this page (in the list's order). */
  offset: z.coerce
    .number({ error: '起始位置必须是整数' })
    .int('起始位置必须是整数')
    .min(0, '起始位置不能为负')
    .max(1_000_000, '起始位置过大')
    .default(0),
});

export const VisitOutcomeSchema = z.object({
  outcome: z.enum(VISIT_OUTCOMES, { error: '请选择回访结果' }),
  /** The caller's rating given on the visit (only when reached). */
  score: scoreField.optional(),
  comment: text('评价内容', 500).optional(),
  /** A follow-up is needed: a new task due at followUpAt with this note. */
  followUp: z.object({ note: line('跟进事项', 200).min(1, '请填写跟进事项'), dueAt: timestamp('跟进时间') }).optional(),
});
export type VisitOutcomeInput = z.infer<typeof VisitOutcomeSchema>;

export const VisitAssignSchema = z.object({ seatId: z.string().min(1).max(40).nullable() });

/** POST /api/visits/:id/dial: what the browser dials; the server puts the real number in the INVITE. */
export interface VisitDialView {
  connected: boolean;
  /** sip:visit-<token>@domain: a one-time target the browser's JsSIP calls (null when not connected). */
  target: string | null;
  /** Why dialling is not available (zh-CN), when not connected. */
  message: string | null;
}

// ------------------------------------------------------------------ figures

export const FIGURE_GROUPS = ['seat', 'category', 'centre', 'day', 'month'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];
export const SatisfactionFiguresQuerySchema = z.object({
  from: queryTimestamp('起始时间'),
  to: queryTimestamp('结束时间'),
  groupBy: z.enum(FIGURE_GROUPS, { error: '分组方式须为按坐席、类别、中心、日或月' }).default('day'),
});

export interface SatisfactionRow {
  key: string;
  /** Answered calls in the group (the rated share's denominator). */
  answered: number;
  rated: number;
  satisfied: number;
  dissatisfied: number;
  /** satisfied / rated, null when nothing was rated. */
  satisfactionRate: number | null;
  /** rated / answered, null when no call was answered. */
  ratedShare: number | null;
}

export interface SatisfactionFigures {
  rows: SatisfactionRow[];
  total: SatisfactionRow;
  /** Dissatisfied ratings in the period whose visit reached the caller by its deadline. */
  dissatisfiedCalledBack: { due: number; withinDeadline: number; rate: number | null };
  /** Open visit tasks past their due time now. */
  overdueVisits: number;
}
