import { lazy, Suspense, useState } from 'react';
import { can, type Ack, type StaffingPlanView } from '../../contract';
import { useAppStore } from '../../app/store';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import { staffingCsv } from './staffing-csv';

const StaffingChart = lazy(() => import('./Charts').then((m) => ({ default: m.StaffingChart })));
const DAYS = ['一', '二', '三', '四', '五', '六', '日'];

async function call<T>(url: string, init?: RequestInit): Promise<Ack<T>> {
  try {
    return (await (await fetch(url, { credentials: 'same-origin', ...init })).json()) as Ack<T>;
  } catch {
    return { ok: false, error: NETWORK_ERROR };
  }
}

/**
 * 排班建议: Erlang C and Erlang A seats per half hour of a typical week beside planned and
 * signed-in seats, for every call or one specialty (category) staffed apart.
 */
export function StaffingPanel() {
  const role = useAppStore((s) => s.user?.role ?? null);
  const categories = useAppStore((s) => s.reference?.categories ?? []);
  const [specialty, setSpecialty] = useState('');
  const [weeks, setWeeks] = useState(4);
  const [target, setTarget] = useState(0.8);
  const [plan, setPlan] = useState<StaffingPlanView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = async () => {
    const only = specialty ? `&categories=${encodeURIComponent(specialty)}` : '';
    const r = await call<StaffingPlanView>(`/api/reports/staffing?weeks=${weeks}&target=${target}${only}`);
    if (r.ok) {
      setPlan(r.data);
      setMessage(null);
    } else setMessage(errorMessage(r.error));
  };
  const apply = async () => {
    if (!window.confirm('将按本建议覆盖服务日历中每周各时段的计划坐席数(记入审计日志),确定吗?')) return;
    const r = await call<{ periods: unknown[] }>('/api/reports/staffing/apply', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ weeks, target }),
    });
    setMessage(r.ok ? `已写入服务日历:${r.data.periods.length} 个时段` : errorMessage(r.error));
  };
  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? id;
  const download = () => {
    if (!plan) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([staffingCsv(plan)], { type: 'text/csv;charset=utf-8' }));
    a.download = `排班建议${plan.categories ? `_${categoryName(plan.categories[0]!)}` : ''}_${plan.from}_${plan.to}.csv`;
    a.click();
  };
  return (
    <section className="panel report-staffing">
      <h2 className="panel-title">排班建议(Erlang C / Erlang A)</h2>
      <div className="report-exports no-print">
        <label>
          专长
          <select value={specialty} onChange={(e) => setSpecialty(e.target.value)} aria-label="专长">
            <option value="">全部来电</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          依据最近
          <select value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
            {[1, 2, 4, 8, 13].map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
          周
        </label>
        <label>
          目标:15 秒内接通
          <select value={target} onChange={(e) => setTarget(Number(e.target.value))}>
            {[0.7, 0.8, 0.85, 0.9, 0.95].map((t) => (
              <option key={t} value={t}>{`${Math.round(t * 100)}%`}</option>
            ))}
          </select>
        </label>
        <button onClick={() => void load()}>计算</button>
        <button onClick={download} disabled={!plan}>
          导出 CSV
        </button>
        {role && can(role, 'config:edit') && !plan?.categories && (
          <button onClick={() => void apply()} disabled={!plan}>
            写入服务日历
          </button>
        )}
        {message && <span role="status">{message}</span>}
      </div>
      {plan && (
        <>
          <p className="muted small">
            {plan.categories ? `${plan.categories.map(categoryName).join('、')}:` : ''}
            {plan.from} 至 {plan.to} 共 {plan.calls} 通来电;按每半小时到达量与平均处理时长计算所需坐席。Erlang C 假定来电人不放弃(结果偏多);
            {plan.patienceSeconds === null
              ? '期间无放弃来电,无法估计耐心时长,不计算 Erlang A。'
              : `Erlang A 按历史平均耐心 ${Math.round(plan.patienceSeconds)} 秒(等待总时长 ÷ 放弃数)计算来电人放弃。`}
          </p>
          <Suspense fallback={<p className="muted">正在加载图表…</p>}>
            <StaffingChart plan={plan} />
          </Suspense>
          <div className="table-scroll">
            <table className="grid report-table">
              <thead>
                <tr>
                  <th>时段</th>
                  {DAYS.map((d) => (
                    <th key={d}>{`星期${d} 需C/需A/计划/在线`}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: 48 }, (_, h) => (
                  <tr key={h}>
                    <td>{plan.slots[h]!.from}</td>
                    {DAYS.map((d, i) => {
                      const s = plan.slots[i * 48 + h]!;
                      return (
                        <td key={d} className={s.required > s.planned ? 'report-short' : undefined}>
                          {`${s.required} / ${s.requiredA ?? '–'} / ${s.planned} / ${s.signedIn.toFixed(1)}`}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
