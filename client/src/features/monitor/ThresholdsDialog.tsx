import { useEffect, useState } from 'react';
import { LIVE_ALERT_LABELS, type AlertThresholds } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { supervision } from './supervision';

type Kind = keyof AlertThresholds;
/** Each rule's number fields, with the unit a supervisor reads. */
const FIELDS: { kind: Kind; field: string; label: string }[] = [
  { kind: 'queueLength', field: 'limit', label: '排队数超过(个)' },
  { kind: 'longestWait', field: 'limitS', label: '最长等待超过(秒)' },
  { kind: 'serviceLevel', field: 'targetPct', label: '服务水平低于(%)' },
  { kind: 'serviceLevel', field: 'windowMin', label: '统计近(分钟)' },
  { kind: 'serviceLevel', field: 'minCalls', label: '至少来电(个)' },
  { kind: 'missedOffers', field: 'limit', label: '未接次数达到(次)' },
  { kind: 'longCall', field: 'limitMin', label: '通话超过(分钟)' },
  { kind: 'wrapUpOverdue', field: 'limitS', label: '整理超时超过(秒)' },
  { kind: 'unfiledSummaries', field: 'limit', label: '未填小结达到(条)' },
];
const KINDS = [...new Set(FIELDS.map((f) => f.kind))];

/** 阈值设置: each alert on or off with its limits; the server validates and audits the change. */
export function ThresholdsDialog({ onClose }: { onClose: () => void }) {
  const [t, setT] = useState<AlertThresholds | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void supervision.thresholds().then((ack) => (ack.ok ? setT(ack.data) : setError(errorMessage(ack.error))));
  }, []);
  const set = (kind: Kind, field: string, value: unknown) =>
    setT((cur) => (cur ? { ...cur, [kind]: { ...cur[kind], [field]: value } } : cur));
  const save = async () => {
    if (!t) return;
    // an emptied field is not a limit of 0 (0 s of wrap-up overdue would alert on every seat)
    const empty = FIELDS.find((f) => (t[f.kind] as Record<string, unknown>)[f.field] === '');
    if (empty) {
      setError(`请填写「${LIVE_ALERT_LABELS[empty.kind]}」的「${empty.label}」`);
      return;
    }
    setBusy(true);
    const ack = await supervision.saveThresholds(t);
    setBusy(false);
    if (ack.ok) onClose();
    else setError(errorMessage(ack.error));
  };
  return (
    <div className="thresholds-dialog panel" role="dialog" aria-label="告警阈值设置">
      <h2 className="panel-title">告警阈值设置</h2>
      {t && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {KINDS.map((kind) => (
            <fieldset key={kind}>
              <label>
                <input type="checkbox" checked={t[kind].enabled} onChange={(e) => set(kind, 'enabled', e.target.checked)} />{' '}
                {LIVE_ALERT_LABELS[kind]}
              </label>
              {FIELDS.filter((f) => f.kind === kind).map((f) => (
                <label key={f.field}>
                  {f.label}
                  <input
                    type="number"
                    value={String((t[kind] as Record<string, unknown>)[f.field])}
                    onChange={(e) => set(kind, f.field, e.target.value === '' ? '' : Number(e.target.value))}
                  />
                </label>
              ))}
            </fieldset>
          ))}
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-buttons">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              保存
            </button>
            <button type="button" className="btn" onClick={onClose}>
              取消
            </button>
          </div>
        </form>
      )}
      {!t && error && <p className="alert alert-error">{error}</p>}
    </div>
  );
}
