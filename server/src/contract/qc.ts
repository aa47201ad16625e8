/** Quality inspection (质检): the sample, the scoring form, scores, reviews and their views. */
import { z } from 'zod';
import { text } from './fields.js';
import type { CallRecordView } from './calls.js';
import type { CallSummaryView } from './summaries.js';

/** The form's items, named once; an administrator sets each one's weight and maximum. */
export const QC_ITEM_KEYS = ['greeting', 'understanding', 'legalAccuracy', 'basis', 'attitude', 'summary'] as const;
export type QcItemKey = (typeof QC_ITEM_KEYS)[number];
export const QC_ITEM_LABELS: Record<QcItemKey, string> = {
  greeting: '问候规范',
  understanding: '问题理解',
  legalAccuracy: '法律准确',
  basis: '依据引用',
  attitude: '服务态度',
  summary: '小结质量',
};

/** Why a call is in the worklist (a call may have several reasons). */
export const QC_REASONS = ['sample', 'dissatisfied', 'complaint', 'major'] as const;
export type QcReason = (typeof QC_REASONS)[number];
export const QC_REASON_LABELS: Record<QcReason, string> = {
  sample: '随机抽检',
  dissatisfied: '不满意评价',
  complaint: '投诉',
  major: '重大事项',
};

/** pending 待质检 → scored 已评分 → review 复核中 → final 已复核. */
export const QC_STATUSES = ['pending', 'scored', 'review', 'final'] as const;
export type QcStatus = (typeof QC_STATUSES)[number];
export const QC_STATUS_LABELS: Record<QcStatus, string> = {
  pending: '待质检',
  scored: '已评分',
  review: '复核中',
  final: '已复核',
};

export const QC_DECISIONS = ['upheld', 'rescored'] as const;
export type QcDecision = (typeof QC_DECISIONS)[number];
export const QC_DECISION_LABELS: Record<QcDecision, string> = { upheld: '维持原分', rescored: '改分' };

/** One item of the form: its weight in the total and the highest score an inspector may give. */
export interface QcFormItem {
  key: QcItemKey;
  label: string;
  weight: number;
  max: number;
}

export interface QcConfigView {
  /** Share of answered calls drawn at random into the worklist, in percent. */
  samplePercent: number;
  /** Days after scoring in which the seat may ask for a review. */
  reviewDays: number;
  formVersion: number;
  items: QcFormItem[];
}

/** PUT /api/qc/config (admin): the sample, the review window and the form's weights and maxima. */
export const QcConfigInputSchema = z
  .object({
    samplePercent: z.number({ error: '抽检比例须为数字' }).min(0, '抽检比例不能为负').max(100, '抽检比例最多 100%'),
    reviewDays: z.number().int('复核期限须为整数天').min(1, '复核期限至少 1 天').max(90, '复核期限最多 90 天'),
    items: z
      .array(
        z.object({
          key: z.enum(QC_ITEM_KEYS, { error: '未知的评分项' }),
          weight: z.number().int('权重须为整数').min(0, '权重不能为负').max(100, '权重最多 100'),
          max: z.number().int('满分须为整数').min(1, '满分至少为 1').max(100, '满分最多 100'),
        }),
      )
      .length(QC_ITEM_KEYS.length, `评分表须包含全部 ${QC_ITEM_KEYS.length} 项`),
  })
  .strict()
  .superRefine((c, ctx) => {
    const keys = new Set(c.items.map((i) => i.key));
    if (keys.size !== QC_ITEM_KEYS.length) ctx.addIssue({ code: 'custom', path: ['items'], message: '评分项不能重复' });
    if (c.items.every((i) => i.weight === 0)) ctx.addIssue({ code: 'custom', path: ['items'], message: '至少一项的权重须大于 0' });
  });
export type QcConfigInput = z.infer<typeof QcConfigInputSchema>;

export const QC_COMMENT_MAX = 1000;

/** POST /api/qc/items/:callId/score: a score for every item of the current form, and a comment. */
export const QcScoreInputSchema = z
  .object({
    scores: z.partialRecord(z.enum(QC_ITEM_KEYS), z.number({ error: '得分须为数字' }).int('得分须为整数').min(0, '得分不能为负')),
    comment: text('评语', QC_COMMENT_MAX).default(''),
    /** The form version the inspector saw; a form changed meanwhile is refused. */
    formVersion: z.number().int().positive(),
  })
  .strict();
export type QcScoreInput = z.infer<typeof QcScoreInputSchema>;

/** POST /api/qc/items/:callId/review (the seat): 申请复核 with a reason. */
export const QcReviewRequestSchema = z.object({ reason: text('复核理由', 500).min(4, '请填写复核理由(至少 4 个字)') }).strict();

/** POST /api/qc/items/:callId/decision (staff): 维持 or 改分 (with new scores), with a comment. */
export const QcDecisionInputSchema = z
  .object({
    decision: z.enum(QC_DECISIONS, { error: '请选择维持原分或改分' }),
    scores: z.partialRecord(z.enum(QC_ITEM_KEYS), z.number().int('得分须为整数').min(0, '得分不能为负')).optional(),
    comment: text('复核意见', QC_COMMENT_MAX).min(2, '请填写复核意见'),
  })
  .strict()
  .refine((d) => d.decision !== 'rescored' || d.scores !== undefined, { path: ['scores'], message: '改分须填写各项得分' });
export type QcDecisionInput = z.infer<typeof QcDecisionInputSchema>;

/** GET /api/qc/items?status=&limit= */
export const QcListQuerySchema = z.object({
  status: z.enum([...QC_STATUSES, 'all'], { error: '未知的质检状态' }).default('pending'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** One scored item, as stored with the score (the form as it was then). */
export interface QcScoredItem extends QcFormItem {
  score: number;
}

/** A score's total, 0–100 to one decimal: Σ(score/max × weight) ÷ Σweight × 100 (0 when every weight is 0). The form shows it live; the server stores it. */
export function qcTotal(items: readonly QcScoredItem[]): number {
  const weights = items.reduce((n, i) => n + i.weight, 0);
  if (weights === 0) return 0;
  const sum = items.reduce((n, i) => n + (i.score / i.max) * i.weight, 0);
  return Math.round((sum / weights) * 1000) / 10;
}

export interface QcScoreView {
  formVersion: number;
  items: QcScoredItem[];
  /** 0–100, one decimal: Σ(score/max × weight) ÷ Σweight × 100. */
  total: number;
  comment: string;
  inspector: string;
  scoredAt: number;
}

export interface QcReviewView {
  reason: string;
  requestedAt: number;
  decision: QcDecision | null;
  decisionComment: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
  /** The score before the decision (the current score is the item's `score`). */
  originalTotal: number;
}

/** A worklist row. */
export interface QcItemView {
  callId: string;
  seatId: string | null;
  seatName: string | null;
  centreId: string;
  categoryId: string;
  enqueuedAt: number;
  answeredAt: number | null;
  reasons: QcReason[];
  status: QcStatus;
  selectedAt: number;
  total: number | null;
  /** The seat may still ask for a review (its own scored item, within the window). */
  reviewable: boolean;
  reviewDeadline: number | null;
}

export interface QcTimelineEntry {
  at: number;
  kind: string;
  label: string;
}

/** GET /api/qc/items/:callId: everything the inspector (or the seat, its own) reads. */
export interface QcDetailView {
  item: QcItemView;
  record: CallRecordView;
  timeline: QcTimelineEntry[];
  summary: CallSummaryView | null;
  score: QcScoreView | null;
  review: QcReviewView | null;
  /** The form to score with now (the inspector's), with its version. */
  form: QcConfigView;
}
