import { useEffect, useState } from 'react';
import type { SeatView } from '../../contract';
import { categoryName, centreName } from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { useAppStore } from '../../app/store';
import { adminApi } from './admin-api';
import { CalendarEditor } from './CalendarEditor';
import { CategoriesEditor } from './CategoriesEditor';
import { RulesEditor } from './RulesEditor';
import { SeatEditor } from './SeatEditor';
import './admin.css';

const TABS = [
  { id: 'seats', label: '坐席' },
  { id: 'categories', label: '专业类别' },
  { id: 'rules', label: '路由规则' },
  { id: 'calendar', label: '服务日历' },
] as const;

/**
 * 系统管理: seat profiles, categories, routing rules and the service calendar, each validated by
 * the server, applied to routing at once and audited.
 */
export function AdminPage() {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('seats');
  return (
    <div className="admin-shell">
      <div className="admin-tabs" role="tablist" aria-label="系统管理">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className="btn" onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'seats' && <SeatsAdmin />}
      {tab === 'categories' && <CategoriesEditor />}
      {tab === 'rules' && <RulesEditor />}
      {tab === 'calendar' && <CalendarEditor />}
    </div>
  );
}

/** 坐席配置: seat profiles (specialties with proficiency, centre, languages). */
function SeatsAdmin() {
  const reference = useAppStore((s) => s.reference);
  const [seats, setSeats] = useState<SeatView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    void adminApi.seats().then((ack) => (ack.ok ? setSeats(ack.data) : setError(errorMessage(ack.error))));
  }, []);
  const seat = seats.find((s) => s.id === selected) ?? null;
  return (
    <div className="admin-page">
      <section className="panel admin-seats" aria-label="坐席配置">
        <h2 className="panel-title">
          坐席配置 <span className="count-pill">{seats.length}</span>
        </h2>
        {error && <p className="alert alert-error">{error}</p>}
        <div className="table-scroll">
          <table className="grid">
            <thead>
              <tr>
                <th>工号</th>
                <th>姓名</th>
                <th>中心</th>
                <th>专业(熟练度)</th>
                <th>语言</th>
              </tr>
            </thead>
            <tbody>
              {seats.map((s) => (
                <tr
                  key={s.id}
                  className={s.id === selected ? 'row-selected row-clickable' : 'row-clickable'}
                  onClick={() => setSelected(s.id)}
                >
                  <td className="mono">{s.staffNo}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(s.id)}>
                      {s.name}
                    </button>
                  </td>
                  <td>{centreName(s.centreId, reference)}</td>
                  <td className="small">
                    {Object.entries(s.skills)
                      .sort((a, b) => b[1] - a[1])
                      .map(([id, l]) => `${categoryName(id, reference)} ${l}`)
                      .join('、')}
                  </td>
                  <td className="small">{s.languages.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {seat && (
        <SeatEditor
          key={seat.id}
          seat={seat}
          reference={reference}
          onSaved={(saved) => setSeats((cur) => cur.map((s) => (s.id === saved.id ? saved : s)))}
        />
      )}
    </div>
  );
}
