import { useCallback, useEffect, useState } from 'react';
import { QC_STATUS_LABELS, QC_STATUSES, type QcDetailView, type QcItemView, type QcStatus } from '../../contract';
import { qc } from '../../app/root';
import { can } from '../../contract';
import { useAppStore } from '../../app/store';
import { QcCallDetail } from './QcCallDetail';
import { QcConfigPanel } from './QcConfigPanel';
import { QcList } from './QcList';
import { ScoreForm } from './ScoreForm';
import './qc.css';

type Filter = QcStatus | 'all';
const FILTERS: [Filter, string][] = [...QC_STATUSES.map((s): [Filter, string] => [s, QC_STATUS_LABELS[s]]), ['all', '全部']];

/** 维持 or 改分 on a seat's review, with the reviewer's comment (改分 on the form the score was given with). */
function DecisionForm({ detail, onDone }: { detail: QcDetailView; onDone: (d: QcDetailView, msg: string) => void }) {
  const [mode, setMode] = useState<'upheld' | 'rescored'>('upheld');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const score = detail.score;
  if (!score) return null;
  const uphold = async () => {
    if (comment.trim().length < 2) return setError('请填写复核意见');
    const r = await qc.decide(detail.item.callId, { decision: 'upheld', comment: comment.trim() });
    if (!r.ok) return setError(r.error.message);
    onDone(r.data, '已维持原分');
  };
  return (
    <section className="qc-block qc-actions" aria-label="复核决定">
      <h4>复核决定</h4>
      <div className="qc-mode" role="radiogroup" aria-label="复核结果">
        <label>
          <input type="radio" name="qc-mode" checked={mode === 'upheld'} onChange={() => setMode('upheld')} /> 维持原分
        </label>
        <label>
          <input type="radio" name="qc-mode" checked={mode === 'rescored'} onChange={() => setMode('rescored')} /> 改分
        </label>
      </div>
      {mode === 'upheld' ? (
        <>
          <label className="qc-comment">
            复核意见
            <textarea rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="btn btn-primary btn-small" onClick={() => void uphold()}>
            维持原分
          </button>
        </>
      ) : (
        <ScoreForm
          items={score.items}
          initial={Object.fromEntries(score.items.map((i) => [i.key, i.score]))}
          commentLabel="复核意见"
          submitLabel="改分"
          onSubmit={async (v) => {
            if (v.comment.length < 2) return '请填写复核意见';
            const r = await qc.decide(detail.item.callId, { decision: 'rescored', scores: v.scores, comment: v.comment });
            if (!r.ok) return r.error.message;
            onDone(r.data, `已改分为 ${r.data.score?.total ?? '—'} 分`);
            return null;
          }}
        />
      )}
    </section>
  );
}

/**
 * 质检: the worklist of the inspector's centres (待质检 first: complaints, 重大事项 and
 * dissatisfied calls before the random sample), one call beside it with its recording, timeline
 * and summary, and the scoring form or the review decision.
 */
export function QcPage() {
  const role = useAppStore((s) => s.user?.role);
  const [settings, setSettings] = useState(false);
  const [filter, setFilter] = useState<Filter>('pending');
  const [items, setItems] = useState<QcItemView[] | null>(null);
  const [detail, setDetail] = useState<QcDetailView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    void qc.list(filter).then((r) => (r.ok ? setItems(r.data) : setNotice(r.error.message)));
  }, [filter]);
  useEffect(load, [load]);
  const open = async (callId: string) => {
    const r = await qc.detail(callId);
    if (!r.ok) return setNotice(r.error.message);
    setNotice(null);
    setDetail(r.data);
  };
  const done = (d: QcDetailView, msg: string) => {
    setDetail(d);
    setNotice(msg);
    load();
  };

  let actions = null;
  if (detail?.item.status === 'pending') {
    actions = (
      <section className="qc-block qc-actions" aria-label="评分">
        <h4>评分(评分表第 {detail.form.formVersion} 版)</h4>
        <ScoreForm
          key={detail.item.callId}
          items={detail.form.items}
          commentLabel="评语"
          submitLabel="提交评分"
          onSubmit={async (v) => {
            const r = await qc.score(detail.item.callId, { ...v, formVersion: detail.form.formVersion });
            if (!r.ok) return r.error.message;
            done(r.data, `已评分:${r.data.score?.total ?? '—'} 分`);
            return null;
          }}
        />
      </section>
    );
  } else if (detail?.item.status === 'review') {
    actions = <DecisionForm key={detail.item.callId} detail={detail} onDone={done} />;
  }

  return (
    <div className="qc-page">
      <section className="panel qc-list-panel" aria-label="质检清单">
        <h2 className="panel-title">
          质检清单 <span className="count-pill">{items?.length ?? 0}</span>
          <select aria-label="质检状态" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {FILTERS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          {role && can(role, 'qc:configure') && (
            <button type="button" className="btn btn-small" aria-expanded={settings} onClick={() => setSettings(!settings)}>
              质检设置
            </button>
          )}
        </h2>
        {settings && (
          <QcConfigPanel
            onSaved={(c) => {
              setSettings(false);
              setNotice(`质检设置已保存(评分表第 ${c.formVersion} 版,随机抽检 ${c.samplePercent}%)`);
            }}
          />
        )}
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {items && items.length === 0 && <p className="muted">暂无{FILTERS.find(([k]) => k === filter)?.[1]}的来电</p>}
        {items && items.length > 0 && (
          <div className="qc-scroll">
            <QcList items={items} selected={detail?.item.callId ?? null} onOpen={(id) => void open(id)} showSeat />
          </div>
        )}
      </section>
      <section className="panel qc-detail-panel" aria-label="来电详情">
        {detail ? <QcCallDetail detail={detail} actions={actions} /> : <p className="muted">在左侧选择一通来电开始质检</p>}
      </section>
    </div>
  );
}
