import { useEffect, useState } from 'react';
import type { QcConfigView, QcFormItem } from '../../contract';
import { qc } from '../../app/root';

/**
 * 质检设置 (administrators): the random sample's share, the review window, and each item's weight
 * and maximum. A changed form becomes a new version; scores already given keep theirs.
 */
export function QcConfigPanel({ onSaved }: { onSaved: (c: QcConfigView) => void }) {
  const [cfg, setCfg] = useState<QcConfigView | null>(null);
  const [items, setItems] = useState<QcFormItem[]>([]);
  const [percent, setPercent] = useState('');
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void qc.config().then((r) => {
      if (!r.ok) return setError(r.error.message);
      setCfg(r.data);
      setItems(r.data.items);
      setPercent(String(r.data.samplePercent));
      setDays(String(r.data.reviewDays));
    });
  }, []);
  if (!cfg) return error ? <p className="form-error">{error}</p> : <p className="muted">正在加载质检设置…</p>;
  const set = (key: string, field: 'weight' | 'max', value: string) =>
    setItems((xs) => xs.map((i) => (i.key === key ? { ...i, [field]: Number(value) } : i)));
  const save = async () => {
    const r = await qc.saveConfig({
      samplePercent: Number(percent),
      reviewDays: Number(days),
      items: items.map(({ key, weight, max }) => ({ key, weight, max })),
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setCfg(r.data);
    onSaved(r.data);
  };
  return (
    <section className="qc-block qc-config" aria-label="质检设置">
      <h4>质检设置(评分表第 {cfg.formVersion} 版)</h4>
      <div className="qc-config-row">
        <label>
          随机抽检比例(%)
          <input
            className="input-small"
            type="number"
            min={0}
            max={100}
            step={0.5}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
          />
        </label>
        <label>
          复核期限(天)
          <input className="input-small" type="number" min={1} max={90} step={1} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
      </div>
      <p className="muted small">每项:权重(各项权重按比例折算为百分制)· 满分(评分时可给 0 到满分的整数)</p>
      <div className="qc-score-grid">
        {items.map((i) => (
          <div className="qc-score-item qc-config-item" key={i.key}>
            <span>{i.label}</span>
            <input
              aria-label={`${i.label}权重`}
              className="input-small qc-score-input"
              type="number"
              min={0}
              max={100}
              value={i.weight}
              onChange={(e) => set(i.key, 'weight', e.target.value)}
            />
            <input
              aria-label={`${i.label}满分`}
              className="input-small qc-score-input"
              type="number"
              min={1}
              max={100}
              value={i.max}
              onChange={(e) => set(i.key, 'max', e.target.value)}
            />
          </div>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-small" onClick={() => void save()}>
        保存设置
      </button>
    </section>
  );
}
