import { useState } from 'react';
import { DISPOSITION_LABELS, type CallSummaryView, type SummaryDraft } from '../../contract';
import { categoryName } from '../../shared/labels';
import { formatClock } from '../../shared/format';
import { useAppStore } from '../../app/store';
import { formatDateTime } from '../../shared/format';
import { summary as controller } from '../../app/root';
import { createEditStore } from './storage';
import type { FieldErrors } from './validate';
import { SummaryForm } from './SummaryForm';

/** A filed summary, read-only: what the seat wrote and when. */
export function FiledSummaryView({ summary, compact = false }: { summary: CallSummaryView; compact?: boolean }) {
  const reference = useAppStore((s) => s.reference);
  return (
    <dl className={compact ? 'summary-view compact' : 'summary-view'}>
      <dt>咨询类别</dt>
      <dd>{categoryName(summary.categoryId, reference)}</dd>
      <dt>处理结果</dt>
      <dd>
        {DISPOSITION_LABELS[summary.disposition]}
        {summary.riskFlag && <span className="badge badge-risk">重大事项</span>}
      </dd>
      {summary.referral && (
        <>
          <dt>转介去向</dt>
          <dd>{summary.referral}</dd>
        </>
      )}
      {summary.followUpAt !== null && (
        <>
          <dt>回电时间</dt>
          <dd>{formatDateTime(summary.followUpAt)}</dd>
        </>
      )}
      {summary.topic && (
        <>
          <dt>主题</dt>
          <dd>{summary.topic}</dd>
        </>
      )}
      {summary.question && (
        <>
          <dt>来电问题</dt>
          <dd className="prewrap">{summary.question}</dd>
        </>
      )}
      {summary.answer && (
        <>
          <dt>解答内容</dt>
          <dd className="prewrap">{summary.answer}</dd>
        </>
      )}
      {summary.riskFlag && summary.riskNote && (
        <>
          <dt>上报说明</dt>
          <dd className="prewrap">{summary.riskNote}</dd>
        </>
      )}
    </dl>
  );
}

/** "已提交 14:05:10 · 第 2 版" */
export function revisionLine(summary: CallSummaryView): string {
  const at = formatClock(summary.updatedAt);
  return summary.revision > 1 ? `已修改 ${at} · 第 ${summary.revision} 版` : `已提交 ${formatClock(summary.filedAt)} · 第 1 版`;
}

export interface SummaryEditorProps {
  idPrefix: string;
  callId: string;
  initial: SummaryDraft;
  /** amend: 修改 a filed summary (PUT); late: 补写 a missing one (POST). */
  mode: 'amend' | 'late';
  onCancel: () => void;
  onSaved: (summary: CallSummaryView) => void;
}

const edits = createEditStore(
  typeof window === 'undefined' ? { getItem: () => null, setItem: () => {}, removeItem: () => {} } : window.localStorage,
);

/** The summary form editing outside the live call: 修改 or 补写. Every change is kept in the browser until saved. */
export function SummaryEditor(props: SummaryEditorProps) {
  const categories = useAppStore((s) => s.reference?.categories ?? []);
  const owner = useAppStore((s) => String(s.user?.id ?? ''));
  const [restored] = useState(() => edits.read(owner, props.mode, props.callId));
  const [draft, setDraft] = useState<SummaryDraft>(restored ?? props.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [focusKey, setFocusKey] = useState(0);

  const save = async () => {
    if (saving) return;
    setSaving(true);
    setMessage(null);
    const result = props.mode === 'amend' ? await controller.amend(props.callId, draft) : await controller.fileLate(props.callId, draft);
    setSaving(false);
    if (result.ok) {
      edits.remove(owner, props.mode, props.callId);
      props.onSaved(result.summary);
      return;
    }
    setErrors(result.fields);
    setMessage(result.message);
    setFocusKey((k) => k + 1);
  };

  return (
    <SummaryForm
      idPrefix={props.idPrefix}
      className="summary-editor"
      draft={draft}
      onChange={(patch) => {
        const next = { ...draft, ...patch };
        setDraft(next);
        edits.write(owner, props.mode, props.callId, next);
        setErrors((e) => {
          const next = { ...e };
          for (const k of Object.keys(patch)) delete next[k];
          return next;
        });
      }}
      onSubmit={() => void save()}
      errors={errors}
      categories={categories}
      disabled={saving}
      focusErrorsKey={focusKey}
      footer={
        <>
          {restored && !message && (
            <p className="muted small" role="status">
              已恢复上次未保存的修改
            </p>
          )}
          {message && (
            <div className="alert alert-error" role="alert">
              {message}
            </div>
          )}
          <div className="summary-actions">
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? '保存中…' : props.mode === 'amend' ? '保存修改' : '提交小结'}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                edits.remove(owner, props.mode, props.callId);
                props.onCancel();
              }}
              disabled={saving}
            >
              取消
            </button>
          </div>
        </>
      }
    />
  );
}
