import { useState } from 'react';
import { qcTotal, type QcFormItem, type QcItemKey } from '../../contract';

export interface ScoreFormValue {
  scores: Partial<Record<QcItemKey, number>>;
  comment: string;
}

/**
 * The scoring form (评分表): one whole-number score per item, 0 to its maximum, with its weight
 * beside it, the total as the server will compute it (the contract's `qcTotal`), and a comment.
 * Used to score a call and, with the original form, to change a score on review.
 */
export function ScoreForm({
  items,
  initial,
  commentLabel,
  submitLabel,
  onSubmit,
}: {
  items: readonly QcFormItem[];
  initial?: Partial<Record<QcItemKey, number>>;
  commentLabel: string;
  submitLabel: string;
  onSubmit: (v: ScoreFormValue) => Promise<string | null>;
}) {
  const [scores, setScores] = useState<Partial<Record<QcItemKey, string>>>(() =>
    Object.fromEntries(items.map((i) => [i.key, initial?.[i.key] === undefined ? '' : String(initial[i.key])])),
  );
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = items.map((i) => ({ ...i, raw: scores[i.key] ?? '', score: Number(scores[i.key]) }));
  const complete = parsed.every((i) => i.raw !== '' && Number.isInteger(i.score) && i.score >= 0 && i.score <= i.max);
  const total = complete ? qcTotal(parsed) : null;

  const submit = async () => {
    const missing = parsed.find((i) => i.raw === '');
    if (missing) return setError(`请为「${missing.label}」打分`);
    const bad = parsed.find((i) => !Number.isInteger(i.score) || i.score < 0 || i.score > i.max);
    if (bad) return setError(`「${bad.label}」的得分须在 0–${bad.max} 之间`);
    setBusy(true);
    const err = await onSubmit({ scores: Object.fromEntries(parsed.map((i) => [i.key, i.score])), comment: comment.trim() });
    setBusy(false);
    setError(err);
  };

  return (
    <form
      className="qc-score-form"
      aria-label="评分表"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="qc-score-grid">
        {parsed.map((i) => (
          <div className="qc-score-item" key={i.key}>
            <label htmlFor={`qc-${i.key}`}>{i.label}</label>
            <span className="muted small">权重 {i.weight}</span>
            <span>
              <input
                id={`qc-${i.key}`}
                className="input-small qc-score-input"
                type="number"
                inputMode="numeric"
                min={0}
                max={i.max}
                step={1}
                value={i.raw}
                onChange={(e) => setScores((s) => ({ ...s, [i.key]: e.target.value }))}
              />
              <span className="muted small"> / {i.max}</span>
            </span>
          </div>
        ))}
      </div>
      <label className="qc-comment">
        {commentLabel}
        <textarea rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="qc-submit-row">
        <p className="qc-total" aria-live="polite">
          总分 <strong>{total === null ? '—' : total}</strong> / 100
        </p>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
