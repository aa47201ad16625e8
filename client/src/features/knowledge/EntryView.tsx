import { useEffect, useState } from 'react';
import type { KnowledgeEntry, ReferenceData } from '../../contract';
import { categoryName } from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { knowledge } from '../../app/root';

/** One entry as read: its answer, legal basis and keywords; 编辑 and 停用 for those who maintain them. */
export function EntryView(props: {
  entry: KnowledgeEntry;
  editable: boolean;
  reference: ReferenceData | null;
  onEdit: () => void;
  onRetired: () => void;
}) {
  const { entry, reference } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setConfirming(false);
    setError(null);
  }, [entry.id]);

  const retire = async () => {
    setBusy(true);
    const ack = await knowledge.retire(entry.id);
    setBusy(false);
    // Already retired elsewhere: the outcome is the same.
    if (ack.ok || ack.error.code === 'NOT_FOUND') {
      props.onRetired();
    } else if (ack.error.code === 'UNAUTHENTICATED') {
      // signed out by the controller
    } else {
      setError(errorMessage(ack.error));
    }
  };

  return (
    <article className="kb-entry" aria-labelledby={`kb-entry-${entry.id}`}>
      <div className="kb-entry-meta">
        <span className="badge badge-cat">{categoryName(entry.categoryId, reference)}</span>
        <span className="muted small">
          版本 {entry.version} · {entry.updatedBy} 更新于 {formatDateTime(entry.updatedAt)}
        </span>
      </div>
      <h2 id={`kb-entry-${entry.id}`} className="kb-entry-q">
        {entry.question}
      </h2>
      <h3>标准答复</h3>
      <p className="kb-text">{entry.answer}</p>
      <h3>法律依据</h3>
      <p className="kb-text kb-basis">{entry.legalBasis || <span className="muted">未填写</span>}</p>
      {entry.keywords.length > 0 && (
        <>
          <h3>关键词</h3>
          <div className="badges">
            {entry.keywords.map((k) => (
              <span key={k} className="badge">
                {k}
              </span>
            ))}
          </div>
        </>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {props.editable &&
        (confirming ? (
          <div className="kb-confirm" role="group" aria-label="确认停用">
            <p>停用后坐席将无法再搜索到此条目,已引用它的小结不受影响。确认停用?</p>
            <div className="kb-actions">
              <button type="button" className="btn btn-danger" onClick={() => void retire()} disabled={busy}>
                {busy ? '正在停用…' : '确认停用'}
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
                取消
              </button>
            </div>
          </div>
        ) : (
          <div className="kb-actions">
            <button type="button" className="btn btn-primary" onClick={props.onEdit}>
              编辑
            </button>
            <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirming(true)}>
              停用
            </button>
          </div>
        ))}
    </article>
  );
}
