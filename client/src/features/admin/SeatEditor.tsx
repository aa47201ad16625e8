import { useState } from 'react';
import { configVersion, type ReferenceData, type SeatView } from '../../contract';
import { categoryName } from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { useAppStore } from '../../app/store';
import { adminApi } from './admin-api';
import { strandedBy } from './strand-check';

const LEVELS = [1, 2, 3, 4, 5];

/** One seat's profile: name, staff number, centre, languages and each specialty's proficiency. */
export function SeatEditor({
  seat,
  reference,
  onSaved,
}: {
  seat: SeatView;
  reference: ReferenceData | null;
  onSaved: (s: SeatView) => void;
}) {
  const snapshot = useAppStore((s) => s.snapshot);
  const [name, setName] = useState(seat.name);
  const [staffNo, setStaffNo] = useState(seat.staffNo);
  const [centreId, setCentreId] = useState(seat.centreId);
  const [languages, setLanguages] = useState(seat.languages.join(','));
  const [skills, setSkills] = useState<Record<string, number>>(seat.skills);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; fields?: string[] } | null>(null);
  const [warning, setWarning] = useState<string | null>(null);

  const setSkill = (id: string, level: number) =>
    setSkills((cur) => {
      const next = { ...cur };
      if (level === 0) delete next[id];
      else next[id] = level;
      return next;
    });

  const save = async (confirmed: boolean) => {
    const removed = Object.keys(seat.skills).filter((id) => !(id in skills));
    const stranded = strandedBy(snapshot, seat.id, removed);
    if (!confirmed && stranded.length > 0) {
      setWarning(
        `${stranded.map((s) => `${categoryName(s.categoryId, reference)} 有 ${s.waiting} 个来电在排队`).join(';')},去掉该专业后没有其他在线坐席可以接听,这些来电将被溢出。确定保存吗?`,
      );
      return;
    }
    setWarning(null);
    setBusy(true);
    setResult(null);
    const ack = await adminApi.saveSeat(
      seat.id,
      {
        name,
        staffNo,
        centreId,
        // a specialty whose category was removed since is dropped (the server knows no such category)
        skills: Object.fromEntries(Object.entries(skills).filter(([id]) => reference?.categories.some((c) => c.id === id) ?? true)),
        languages: languages
          .split(/[,,\s]+/)
          .map((l) => l.trim())
          .filter(Boolean),
      },
      // the profile as this editor loaded it: a save after another administrator's is refused
      configVersion({ name: seat.name, staffNo: seat.staffNo, centreId: seat.centreId, skills: seat.skills, languages: seat.languages }),
    );
    setBusy(false);
    if (ack.ok) {
      setResult({ ok: true, text: '已保存,立即生效' });
      onSaved(ack.data);
    } else setResult({ ok: false, text: errorMessage(ack.error) });
  };

  return (
    <form
      className="seat-editor panel"
      aria-label={`编辑坐席 ${seat.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <h2 className="panel-title">
        编辑坐席 <span className="mono">{seat.id}</span>
      </h2>
      <div className="seat-editor-fields">
        <label>
          姓名
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} />
        </label>
        <label>
          工号
          <input value={staffNo} onChange={(e) => setStaffNo(e.target.value)} maxLength={20} />
        </label>
        <label>
          所属中心
          <select value={centreId} onChange={(e) => setCentreId(e.target.value)}>
            {(reference?.centres ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          语言(逗号分隔)
          <input value={languages} onChange={(e) => setLanguages(e.target.value)} />
        </label>
      </div>
      <fieldset className="skill-grid">
        <legend>专业与熟练度(1 可接 … 5 专家)</legend>
        {(reference?.categories ?? []).map((c) => (
          <label key={c.id}>
            {c.name}
            <select aria-label={`${c.name} 熟练度`} value={skills[c.id] ?? 0} onChange={(e) => setSkill(c.id, Number(e.target.value))}>
              <option value={0}>—</option>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>
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
      {result && (
        <div role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok-note' : 'alert alert-error'}>
          {result.text}
          {result.fields?.map((f) => (
            <div key={f} className="small">
              {f}
            </div>
          ))}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        保存
      </button>
    </form>
  );
}
