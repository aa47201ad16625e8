import { useCallback, useEffect, useState } from 'react';
import type { QcDetailView, QcItemView } from '../../contract';
import { qc } from '../../app/root';
import { formatDateTime } from '../../shared/format';
import { QcCallDetail } from './QcCallDetail';
import { QcList } from './QcList';
import './qc.css';

/** 申请复核: the seat's reason, at least four characters (the server checks the same). */
function ReviewRequest({ detail, onDone }: { detail: QcDetailView; onDone: (d: QcDetailView) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (reason.trim().length < 4) return setError('请填写复核理由(至少 4 个字)');
    const r = await qc.requestReview(detail.item.callId, reason.trim());
    if (!r.ok) return setError(r.error.message);
    onDone(r.data);
  };
  return (
    <section className="qc-block qc-actions" aria-label="申请复核">
      <h4>
        申请复核
        {detail.item.reviewDeadline && <span className="muted small"> · {formatDateTime(detail.item.reviewDeadline)} 前可申请</span>}
      </h4>
      <label className="qc-comment">
        复核理由
        <textarea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-small" onClick={() => void submit()}>
        申请复核
      </button>
    </section>
  );
}

/** 我的质检: the seat's scored calls, each with its score item by item, comments and review. */
export function MyQcPage() {
  const [items, setItems] = useState<QcItemView[] | null>(null);
  const [detail, setDetail] = useState<QcDetailView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    void qc.mine().then((r) => (r.ok ? setItems(r.data) : setNotice(r.error.message)));
  }, []);
  useEffect(load, [load]);
  const open = async (callId: string) => {
    const r = await qc.detail(callId);
    if (!r.ok) return setNotice(r.error.message);
    setNotice(null);
    setDetail(r.data);
  };
  return (
    <div className="qc-page">
      <section className="panel qc-list-panel" aria-label="我的质检结果">
        <h2 className="panel-title">
          我的质检 <span className="count-pill">{items?.length ?? 0}</span>
        </h2>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {items && items.length === 0 && <p className="muted">暂无质检结果</p>}
        {items && items.length > 0 && (
          <div className="qc-scroll">
            <QcList items={items} selected={detail?.item.callId ?? null} onOpen={(id) => void open(id)} showSeat={false} />
          </div>
        )}
      </section>
      <section className="panel qc-detail-panel" aria-label="质检结果详情">
        {detail ? (
          <QcCallDetail
            detail={detail}
            actions={
              detail.item.reviewable ? (
                <ReviewRequest
                  key={detail.item.callId}
                  detail={detail}
                  onDone={(d) => {
                    setDetail(d);
                    setNotice('已申请复核,请等待班长决定');
                    load();
                  }}
                />
              ) : null
            }
          />
        ) : (
          <p className="muted">在左侧选择一条质检结果查看评分和评语</p>
        )}
      </section>
    </div>
  );
}
