/**
 * The rules of quality inspection (质检), pure: the default form, a score's total, the sampling
 * draw, and the item's state machine (pending → scored → review → final). No storage, no clock:
 * callers pass `now` and the random source.
 */
import {
  QC_ITEM_KEYS,
  QC_ITEM_LABELS,
  qcTotal,
  type QcFormItem,
  type QcItemKey,
  type QcReason,
  type QcScoredItem,
  type QcStatus,
} from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';

const DAY = 86_400_000;

/** The form a new database starts with: weights add up to 100, every item scored 0–10. */
export const DEFAULT_QC_WEIGHTS: Record<QcItemKey, number> = {
  greeting: 10,
  understanding: 20,
  legalAccuracy: 30,
  basis: 15,
  attitude: 15,
  summary: 10,
};
export const DEFAULT_QC_MAX = 10;
export const DEFAULT_SAMPLE_PERCENT = 5;
export const DEFAULT_REVIEW_DAYS = 7;

export function defaultForm(): QcFormItem[] {
  return QC_ITEM_KEYS.map((key) => ({ key, label: QC_ITEM_LABELS[key], weight: DEFAULT_QC_WEIGHTS[key], max: DEFAULT_QC_MAX }));
}

/** The form in the contract's order, labelled (an admin sets weights and maxima only). */
export function formFrom(items: readonly { key: QcItemKey; weight: number; max: number }[]): QcFormItem[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  return QC_ITEM_KEYS.map((key) => {
    const i = byKey.get(key);
    if (!i) throw new DomainError('VALIDATION', `评分表缺少「${QC_ITEM_LABELS[key]}」`);
    return { key, label: QC_ITEM_LABELS[key], weight: i.weight, max: i.max };
  });
}

/** Σ(score/max × weight) ÷ Σweight × 100, to one decimal (the contract's rule, shared with the form). */
export const totalOf = qcTotal;

/** The inspector's scores against a form: every item, a whole number from 0 to its maximum. */
export function scoreAgainst(form: readonly QcFormItem[], scores: Partial<Record<QcItemKey, number>>): QcScoredItem[] {
  const problems: string[] = [];
  const out = form.map((item) => {
    const score = scores[item.key];
    if (score === undefined) problems.push(`请为「${item.label}」打分`);
    else if (!Number.isInteger(score) || score < 0 || score > item.max) problems.push(`「${item.label}」的得分须在 0–${item.max} 之间`);
    return { ...item, score: score ?? 0 };
  });
  if (problems.length > 0) throw new DomainError('VALIDATION', problems.join(';'));
  return out;
}

/** The sampling draw: in the sample when the random source's number in [0, 1) is below the share. */
export function drawSample(random: () => number, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return random() < percent / 100;
}

/** What a filed summary (any revision) says about a call, for the worklist's reasons. */
export function reasonsOfSummary(s: { disposition?: unknown; categoryId?: unknown; riskFlag?: unknown }): QcReason[] {
  const out: QcReason[] = [];
  // A complaint: the seat filed it as 投诉受理, or the call is about 投诉建议.
  if (s.disposition === 'complaint' || s.categoryId === 'complaint') out.push('complaint');
  if (s.riskFlag === true || s.disposition === 'major-report') out.push('major');
  return out;
}

/** The last moment the seat may ask for a review of a score given at `scoredAt`. */
export const reviewDeadline = (scoredAt: number, reviewDays: number): number => scoredAt + reviewDays * DAY;

export type QcAction = 'score' | 'request-review' | 'decide';

const TRANSITIONS: Record<QcAction, { from: QcStatus; to: QcStatus; refusal: Partial<Record<QcStatus, string>> }> = {
  score: {
    from: 'pending',
    to: 'scored',
    refusal: { scored: '该来电已评分,如有异议请走复核', review: '该来电已评分并在复核中', final: '该来电已复核完毕' },
  },
  'request-review': {
    from: 'scored',
    to: 'review',
    refusal: { pending: '该来电尚未评分', review: '已申请复核,请等待班长决定', final: '复核已有结果,不能再次申请' },
  },
  decide: {
    from: 'review',
    to: 'final',
    refusal: { pending: '该来电尚未评分', scored: '坐席没有申请复核', final: '复核已有结果' },
  },
};

/** The status after `action`, or a CONFLICT saying why it cannot happen now. */
export function transition(status: QcStatus, action: QcAction): QcStatus {
  const t = TRANSITIONS[action];
  if (status !== t.from) throw new DomainError('CONFLICT', t.refusal[status] ?? '当前状态不允许此操作');
  return t.to;
}

/** A review request: the state allows it, and it comes within the window. */
export function checkReviewRequest(status: QcStatus, scoredAt: number, reviewDays: number, now: number): QcStatus {
  const next = transition(status, 'request-review');
  if (now > reviewDeadline(scoredAt, reviewDays)) {
    throw new DomainError('CONFLICT', `评分后 ${reviewDays} 天内可以申请复核,已超过期限`);
  }
  return next;
}

/** A decision: the state allows it, and the decider did not give the score under review. */
export function checkDecision(status: QcStatus, inspectorId: number | null, deciderId: number): QcStatus {
  const next = transition(status, 'decide');
  if (inspectorId !== null && inspectorId === deciderId) {
    throw new DomainError('FORBIDDEN', '复核须由评分人以外的班长或负责人决定');
  }
  return next;
}
