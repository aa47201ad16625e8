import { useEffect, useState } from 'react';
import { configVersion } from '../../contract';
import { adminApi, refusalLines, type CategoryInput } from './admin-api';
import { SaveNote, type SaveResult } from './SaveNote';

type Row = { id: string; name: string; codes: string; general: boolean; isNew: boolean };

const toRow = (c: CategoryInput): Row => ({ id: c.id, name: c.name, codes: c.ivrCodes.join(','), general: c.general, isNew: false });

/**
 * 专业类别: names, IVR keys and the one general category (综合咨询). A category removed while
 * calls wait for it is applied only after the administrator confirms: those calls then queue
 * as general calls.
 */
export function CategoriesEditor() {
  const [rows, setRows] = useState<Row[]>([]);
  const [result, setResult] = useState<SaveResult>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The fingerprint of the list as loaded: a save after another administrator's is refused.
  const [version, setVersion] = useState<string | undefined>(undefined);
  const loaded = (list: CategoryInput[]) => {
    setRows(list.map(toRow));
    setVersion(configVersion(list));
  };
  useEffect(() => {
    void adminApi.categories().then((ack) => (ack.ok ? loaded(ack.data) : setResult({ ok: false, lines: refusalLines(ack.error) })));
  }, []);
  const edit = (i: number, patch: Partial<Row>) => setRows((cur) => cur.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async (confirm: boolean) => {
    setBusy(true);
    setResult(null);
    const categories = rows.map((r) => ({
      id: r.id.trim(),
      name: r.name,
      ivrCodes: r.codes
        .split(/[,,\s]+/)
        .map((c) => c.trim())
        .filter(Boolean),
      general: r.general,
    }));
    const ack = await adminApi.saveCategories({ categories, confirm }, version);
    setBusy(false);
    if (ack.ok) {
      setWarning(null);
      loaded(ack.data);
      setResult({ ok: true });
    } else if (ack.error.code === 'CONFLICT' && !confirm) {
      setWarning(ack.error.message);
    } else {
      setWarning(null);
      setResult({ ok: false, lines: refusalLines(ack.error) });
    }
  };

  return (
    <form
      className="panel admin-section"
      aria-label="专业类别"
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <h2 className="panel-title">
        专业类别 <span className="count-pill">{rows.length}</span>
      </h2>
      <table className="grid">
        <thead>
          <tr>
            <th>代码</th>
            <th>名称</th>
            <th>IVR 按键(逗号分隔)</th>
            <th>综合咨询</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                {r.isNew ? (
                  <input aria-label={`类别代码 ${i + 1}`} value={r.id} onChange={(e) => edit(i, { id: e.target.value })} maxLength={40} />
                ) : (
                  <span className="mono">{r.id}</span>
                )}
              </td>
              <td>
                <input aria-label={`类别名称 ${i + 1}`} value={r.name} onChange={(e) => edit(i, { name: e.target.value })} maxLength={40} />
              </td>
              <td>
                <input aria-label={`IVR 按键 ${i + 1}`} value={r.codes} onChange={(e) => edit(i, { codes: e.target.value })} />
              </td>
              <td>
                <input
                  type="radio"
                  name="general-category"
                  aria-label={`${r.name || r.id} 为综合咨询`}
                  checked={r.general}
                  onChange={() => setRows((cur) => cur.map((x, j) => ({ ...x, general: j === i })))}
                />
              </td>
              <td>
                <button type="button" className="btn" onClick={() => setRows((cur) => cur.filter((_, j) => j !== i))}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="admin-actions">
        <button
          type="button"
          className="btn"
          onClick={() => setRows((cur) => [...cur, { id: '', name: '', codes: '', general: false, isNew: true }])}
        >
          新增类别
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存
        </button>
      </div>
      {warning && (
        <div className="alert alert-warn" role="alert">
          <p>{warning}</p>
          <button type="button" className="btn btn-danger" onClick={() => void save(true)}>
            仍然保存
          </button>
          <button type="button" className="btn" onClick={() => setWarning(null)}>
            取消
          </button>
        </div>
      )}
      <SaveNote result={result} />
    </form>
  );
}
