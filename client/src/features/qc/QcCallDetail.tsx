import type { ReactNode } from 'react';
import { DISPOSITION_LABELS, QC_DECISION_LABELS, QC_REASON_LABELS, QC_STATUS_LABELS, type QcDetailView } from '../../contract';
import { useAppStore } from '../../app/store';
import { categoryName } from '../../shared/labels';
import { formatClock, formatDateTime, formatDuration } from '../../shared/format';
import { QcRecording } from './recording-slot';

/**
 * One inspected call as the inspector and the seat read it: the call, its recording (or why there is none),
 * the event timeline, the summary, the score item by item and the review; `actions` is the form
 * the page offers (score, decide, 申请复核).
 */
export function QcCallDetail({ detail, actions }: { detail: QcDetailView; actions?: ReactNode }) {
  const reference = useAppStore((s) => s.reference);
  const { item, record, summary, score, review } = detail;
  return (
    <article className="qc-detail" aria-label="质检详情">
      <header className="qc-detail-head">
        <h3>
          {formatDateTime(record.enqueuedAt)} · {item.seatName ?? '—'} · {record.callerMasked}
        </h3>
        <p className="muted small">
          {categoryName(item.categoryId, reference)} · 通话 {formatDuration(record.talkMs)} ·{' '}
          {item.reasons.map((r) => QC_REASON_LABELS[r]).join('、')} · <strong>{QC_STATUS_LABELS[item.status]}</strong>
        </p>
      </header>
      <section className="qc-block" aria-label="录音">
        <h4>录音</h4>
        <QcRecording callId={item.callId} />
      </section>
      <div className="qc-columns">
        <section className="qc-block" aria-label="通话经过">
          <h4>通话经过</h4>
          <ol className="qc-timeline">
            {detail.timeline.map((e, n) => (
              <li key={n}>
                <span className="qc-time">{formatClock(e.at)}</span> {e.label}
              </li>
            ))}
          </ol>
        </section>
        <section className="qc-block" aria-label="通话小结">
          <h4>通话小结</h4>
          {summary ? (
            <dl className="qc-summary">
              <dt>主题</dt>
              <dd>{summary.topic || '—'}</dd>
              <dt>来电问题</dt>
              <dd>{summary.question || '—'}</dd>
              <dt>解答内容</dt>
              <dd>{summary.answer || '—'}</dd>
              <dt>处理结果</dt>
              <dd>
                {DISPOSITION_LABELS[summary.disposition]}
                {summary.referral ? ` · ${summary.referral}` : ''}
              </dd>
              {summary.riskFlag && (
                <>
                  <dt>重大事项</dt>
                  <dd>{summary.riskNote || '已上报'}</dd>
                </>
              )}
            </dl>
          ) : (
            <p className="muted">未提交小结</p>
          )}
        </section>
      </div>
      {score && (
        <section className="qc-block" aria-label="质检得分">
          <h4>
            质检得分 <strong className="qc-score-total">{score.total}</strong> 分
            <span className="muted small">
              {' '}
              · {score.inspector} · {formatDateTime(score.scoredAt)}
            </span>
          </h4>
          <table className="grid qc-items">
            <thead>
              <tr>
                <th>评分项</th>
                <th>权重</th>
                <th>得分</th>
              </tr>
            </thead>
            <tbody>
              {score.items.map((i) => (
                <tr key={i.key}>
                  <td>{i.label}</td>
                  <td>{i.weight}</td>
                  <td>
                    {i.score} / {i.max}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {score.comment && <p className="qc-note">评语:{score.comment}</p>}
        </section>
      )}
      {review && (
        <section className="qc-block" aria-label="复核">
          <h4>复核</h4>
          <p>
            {formatDateTime(review.requestedAt)} 申请复核:{review.reason}
          </p>
          {review.decision ? (
            <p>
              {review.decidedBy} {review.decidedAt ? formatDateTime(review.decidedAt) : ''} 决定:
              <strong>{QC_DECISION_LABELS[review.decision]}</strong>(原分 {review.originalTotal})· {review.decisionComment}
            </p>
          ) : (
            <p className="muted">等待班长决定</p>
          )}
        </section>
      )}
      {actions}
    </article>
  );
}
