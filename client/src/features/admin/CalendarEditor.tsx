import { useEffect, useState } from 'react';
import { configVersion, type CalendarDayView, type ServiceCalendarInput } from '../../contract';
import { adminApi, refusalLines } from './admin-api';
import { SaveNote, type SaveResult } from './SaveNote';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
type Period = ServiceCalendarInput['periods'][number];
type Special = ServiceCalendarInput['holidays'][number];

const hours = (ps: { from: string; to: string; plannedSeats: number }[]) =>
  ps.length === 0 ? '全天关闭' : ps.map((p) => `${p.from}-${p.to}(${p.plannedSeats}人)`).join(' ');

/**
 * 服务日历: the weekly periods with planned seats, and special dates that replace a day's
 * periods: 放假 (closed all day) or 调休上班 (a make-up working day, with a weekday's hours).
 * After a save the coming week's preview shows what the routing will use.
 */
export function CalendarEditor() {
  const [periods, setPeriods] = useState<Period[]>([]);
  const [specials, setSpecials] = useState<Special[]>([]);
  const [preview, setPreview] = useState<CalendarDayView[]>([]);
  const [result, setResult] = useState<SaveResult>(null);
  const [busy, setBusy] = useState(false);
  // The fingerprint of the calendar as loaded: a save after another administrator's is refused.
  const [version, setVersion] = useState<string | undefined>(undefined);
  const refreshPreview = () => void adminApi.preview().then((ack) => ack.ok && setPreview(ack.data));
  useEffect(() => {
    void adminApi.calendar().then((ack) => {
      if (!ack.ok) return setResult({ ok: false, lines: refusalLines(ack.error) });
      setPeriods(ack.data.periods);
      setSpecials(ack.data.holidays);
      setVersion(configVersion(ack.data));
    });
    refreshPreview();
  }, []);
  const editPeriod = (i: number, patch: Partial<Period>) => setPeriods((cur) => cur.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const editSpecial = (i: number, patch: Partial<Special>) => setSpecials((cur) => cur.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  /** A make-up working day keeps Monday's hours (the usual rule: it works like a weekday). */
  const workdayHours = () => periods.filter((p) => p.days.includes(1)).map(({ from, to, plannedSeats }) => ({ from, to, plannedSeats }));

  const save = async () => {
    setBusy(true);
    setResult(null);
    const ack = await adminApi.saveCalendar({ periods, holidays: specials }, version);
    setBusy(false);
    if (!ack.ok) return setResult({ ok: false, lines: refusalLines(ack.error) });
    setPeriods(ack.data.periods);
    setSpecials(ack.data.holidays);
    setVersion(configVersion(ack.data));
    setResult({ ok: true });
    refreshPreview();
  };

  return (
    <form
      className="panel admin-section"
      aria-label="服务日历"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="panel-title">服务日历</h2>
      <h3>每周时段</h3>
      <table className="grid">
        <thead>
          <tr>
            <th>星期</th>
            <th>开始</th>
            <th>结束</th>
            <th>计划坐席</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {periods.map((p, i) => (
            <tr key={i}>
              <td>
                {WEEKDAYS.map((w, d) => (
                  <label key={w} className="check">
                    <input
                      type="checkbox"
                      aria-label={`时段 ${i + 1} 星期${w}`}
                      checked={p.days.includes(d + 1)}
                      onChange={(e) =>
                        editPeriod(i, { days: e.target.checked ? [...p.days, d + 1].sort() : p.days.filter((x) => x !== d + 1) })
                      }
                    />
                    {w}
                  </label>
                ))}
              </td>
              <td>
                <input
                  aria-label={`时段 ${i + 1} 开始`}
                  value={p.from}
                  onChange={(e) => editPeriod(i, { from: e.target.value })}
                  size={5}
                />
              </td>
              <td>
                <input aria-label={`时段 ${i + 1} 结束`} value={p.to} onChange={(e) => editPeriod(i, { to: e.target.value })} size={5} />
              </td>
              <td>
                <input
                  aria-label={`时段 ${i + 1} 计划坐席`}
                  value={Number.isNaN(p.plannedSeats) ? '' : String(p.plannedSeats)}
                  inputMode="numeric"
                  onChange={(e) => editPeriod(i, { plannedSeats: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
                  size={4}
                />
              </td>
              <td>
                <button type="button" className="btn" onClick={() => setPeriods((cur) => cur.filter((_, j) => j !== i))}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="btn"
        onClick={() => setPeriods((cur) => [...cur, { days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 1 }])}
      >
        新增时段
      </button>
      <h3>节假日与调休</h3>
      <table className="grid">
        <thead>
          <tr>
            <th>日期</th>
            <th>名称</th>
            <th>安排</th>
            <th>时段</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {specials.map((h, i) => (
            <tr key={i}>
              <td>
                <input
                  type="date"
                  aria-label={`特殊日期 ${i + 1}`}
                  value={h.date}
                  onChange={(e) => editSpecial(i, { date: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`特殊日期 ${i + 1} 名称`}
                  value={h.name}
                  maxLength={40}
                  onChange={(e) => editSpecial(i, { name: e.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`特殊日期 ${i + 1} 安排`}
                  value={h.periods.length === 0 ? 'closed' : 'workday'}
                  onChange={(e) => editSpecial(i, { periods: e.target.value === 'closed' ? [] : workdayHours() })}
                >
                  <option value="closed">放假(全天关闭)</option>
                  <option value="workday">调休上班(按周一时段)</option>
                </select>
              </td>
              <td className="small">{hours(h.periods)}</td>
              <td>
                <button type="button" className="btn" onClick={() => setSpecials((cur) => cur.filter((_, j) => j !== i))}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn" onClick={() => setSpecials((cur) => [...cur, { date: '', name: '', periods: [] }])}>
        新增特殊日期
      </button>
      <div className="admin-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存
        </button>
      </div>
      <SaveNote result={result} />
      <section aria-label="未来一周预览">
        <h3>未来一周</h3>
        <table className="grid">
          <tbody>
            {preview.map((d) => (
              <tr key={d.date}>
                <td className="mono">{d.date}</td>
                <td>星期{WEEKDAYS[d.weekday - 1]}</td>
                <td>{d.special === null ? '' : d.special || '特殊日期'}</td>
                <td>{hours(d.periods)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </form>
  );
}
