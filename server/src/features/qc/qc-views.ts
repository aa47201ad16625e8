import {
  HUNG_UP_BY_LABELS,
  type CallRecordView,
  type CallSummaryView,
  type QcConfigView,
  type QcDetailView,
  type QcItemView,
  type QcReviewView,
  type QcScoreView,
  type QcTimelineEntry,
} from '../../contract/index.js';
import type { Call, CallEvent } from '../../domain/call.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { QcItemRecord, QcScoreRecord } from './qc-repository.js';
import { reviewDeadline } from './qc-rules.js';
import type { QcItemState } from './qc-service.js';

/** What the inspector reads of one event of the call (null: not shown on the timeline). */
function eventLabel(e: CallEvent, seatName: (id: string) => string): string | null {
  switch (e.type) {
    case 'enqueued':
      return '来电进入排队';
    case 'offered':
      return `分配给 ${seatName(e.seatId)}`;
    case 'ring-timeout':
      return `${seatName(e.seatId)} 未接`;
    case 'declined':
      return `${seatName(e.seatId)} 拒接`;
    case 'answered':
      return `${seatName(e.seatId)} 接听`;
    case 'held':
      return '通话保持';
    case 'resumed':
      return '恢复通话';
    case 'hung-up':
      return `${HUNG_UP_BY_LABELS[e.by]}挂断`;
    case 'transferred-in':
      return `由 ${seatName(e.fromSeatId)} 转入`;
    case 'transfer-fallback':
      return '转接目标无法接听,回到排队';
    case 'recategorized':
      return '班长调整类别';
    case 'summary-filed':
      return '提交小结';
    case 'wrap-up-ended':
      return '话后整理结束';
    default:
      return null;
  }
}

export function timelineOf(call: Call, seatName: (id: string) => string): QcTimelineEntry[] {
  const out: QcTimelineEntry[] = [];
  for (const e of call.events) {
    const label = eventLabel(e, seatName);
    if (label) out.push({ at: e.at, kind: e.type, label });
  }
  return out;
}

export function qcItemView(
  i: QcItemRecord,
  o: { seatName: (id: string) => string | null; reviewDays: number; viewer: SessionUser; now: number },
): QcItemView {
  const deadline = i.scoredAt === null ? null : reviewDeadline(i.scoredAt, o.reviewDays);
  return {
    callId: i.callId,
    seatId: i.seatId,
    seatName: i.seatId ? o.seatName(i.seatId) : null,
    centreId: i.centreId,
    categoryId: i.categoryId,
    enqueuedAt: i.enqueuedAt,
    answeredAt: i.answeredAt,
    reasons: i.reasons,
    status: i.status,
    selectedAt: i.selectedAt,
    total: i.reviewTotal ?? i.inspectionTotal,
    reviewable: i.status === 'scored' && o.viewer.seatId !== null && o.viewer.seatId === i.seatId && deadline !== null && o.now <= deadline,
    reviewDeadline: deadline,
  };
}

export const qcScoreView = (s: QcScoreRecord): QcScoreView => ({
  formVersion: s.formVersion,
  items: s.items,
  total: s.total,
  comment: s.comment,
  inspector: s.userName,
  scoredAt: s.at,
});

export function qcDetailView(
  state: QcItemState,
  o: {
    seatName: (id: string) => string | null;
    viewer: SessionUser;
    now: number;
    record: CallRecordView;
    timeline: QcTimelineEntry[];
    summary: CallSummaryView | null;
    form: QcConfigView;
  },
): QcDetailView {
  const { inspection, reviewScore, review } = state;
  const current = reviewScore ?? inspection;
  const reviewView: QcReviewView | null = review
    ? {
        reason: review.reason,
        requestedAt: review.requestedAt,
        decision: review.decision,
        decisionComment: review.decisionComment,
        decidedBy: review.decidedByName,
        decidedAt: review.decidedAt,
        originalTotal: inspection?.total ?? 0,
      }
    : null;
  return {
    item: qcItemView(state.item, { seatName: o.seatName, reviewDays: state.reviewDays, viewer: o.viewer, now: o.now }),
    record: o.record,
    timeline: o.timeline,
    summary: o.summary,
    score: current ? qcScoreView(current) : null,
    review: reviewView,
    form: o.form,
  };
}
