import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { can, DISPOSITION_LABELS, type FiguresView, type ReportView } from '../../contract';
import { useAppStore } from '../../app/store';
import { errorMessage } from '../../shared/errors';
import { chinaDay } from '../../shared/format';
import { Definitions } from './Definitions';
import { SatisfactionKpis } from './SatisfactionKpis';
import { StaffingPanel } from './StaffingPanel';
import { TrendsPanel } from './TrendsPanel';
import { QcReportTable } from '../qc/QcReportTable';
import { OutboundReportTable } from './OutboundReportTable';
import { CallbackCompletionTable } from './CallbackCompletionTable';
import { downloadExport, fetchReport, reportQuery, type DownloadProgress, type ReportFilters } from './reports-api';
import './reports.css';
import { DateInput } from '../../shared/components/DateInput';
import { pct, sec } from './format';

// ECharts is loaded with the charts only (its own chunk).
const ReportCharts = lazy(() => import('./Charts').then((m) => ({ default: m.ReportCharts })));

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

function defaultFilters(): ReportFilters {
  const today = chinaDay(Date.now());
  return { from: `${today.slice(0, 8)}01`, to: today, centre: '', category: '', seat: '', hour: '', weekday: '' };
}

/** Quick ranges: today, the last 7 days, this month, last month. */
function quickRange(kind: 'today' | 'week' | 'month' | 'last-month'): { from: string; to: string } {
  const today = chinaDay(Date.now());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const todayMs = Date.UTC(y, m - 1, Number(today.slice(8)));
  switch (kind) {
    case 'today':
      return { from: today, to: today };
    case 'week':
      return { from: day(todayMs - 6 * 86_400_000), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    case 'last-month':
      return { from: day(Date.UTC(y, m - 2, 1)), to: day(Date.UTC(y, m - 1, 0)) };
  }
}

function Kpis({ f, occupancy }: { f: FiguresView; occupancy: number | null }) {
  const cards: [string, string, string?][] = [
    ['呼入', String(f.offered), f.shortAbandoned ? `另有短时放弃 ${f.shortAbandoned}` : undefined],
    ['接通', String(f.answered)],
    ['接通率', pct(f.answerRate)],
    ['服务水平', pct(f.serviceLevel)],
    ['平均应答', sec(f.asaSeconds)],
    ['最长等待', sec(f.longestWaitSeconds)],
    ['平均处理', sec(f.ahtSeconds), `通话 ${sec(f.talkSeconds)} · 保持 ${sec(f.holdSeconds)} · 话后 ${sec(f.wrapUpSeconds)}`],
    ['放弃', String(f.abandoned), `排队中 ${f.abandonedInQueue} · 振铃中 ${f.abandonedWhileRinging}`],
    ['溢出', String(f.overflowed), `转12345 ${f.overflowedTo12345} · 转回电 ${f.overflowedToCallback}`],
    ['非服务时间', String(f.afterHours)],
    ['坐席间转接', String(f.transfers)],
    ['占用率', pct(occupancy)],
    ['重大事项', String(f.major)],
    ['小结未填', String(f.unfiled)],
  ];
  return (
    <div className="report-kpis">
      {cards.map(([label, value, note]) => (
        <div className="report-kpi" key={label}>
          <div className="report-kpi-label">{label}</div>
          <div className="report-kpi-value">{value}</div>
          {note && <div className="report-kpi-note">{note}</div>}
        </div>
      ))}
    </div>
  );
}

type TableKind = 'day' | 'interval' | 'week' | 'month' | 'category' | 'seat' | 'disposition' | 'qc' | 'outbound' | 'callbacks';
const TABLE_TABS: [TableKind, string][] = [
  ['day', '按日'],
  ['interval', '按时段'],
  ['week', '按周'],
  ['month', '按月'],
  ['category', '按类别'],
  ['seat', '按坐席'],
  ['disposition', '处理结果'],
  ['qc', '质检'],
  ['outbound', '外呼'],
  ['callbacks', '回访回电'],
];

function FigureTable({ report, kind }: { report: ReportView; kind: TableKind }) {
  if (kind === 'qc') return <QcReportTable report={report} />;
  if (kind === 'outbound') return <OutboundReportTable report={report} />;
  if (kind === 'callbacks') return <CallbackCompletionTable report={report} />;
  if (kind === 'seat') {
    return (
      <table className="grid report-table">
        <thead>
          <tr>
            <th>坐席</th>
            <th>接通</th>
            <th>未接振铃</th>
            <th>转出</th>
            <th>通话总时长</th>
            <th>话后总时长</th>
            <th>平均处理</th>
            <th>占用率</th>
          </tr>
        </thead>
        <tbody>
          {report.bySeat.map((s) => (
            <tr key={s.key}>
              <td>{s.label}</td>
              <td>{s.figures.answered}</td>
              <td>{s.missedBySeat}</td>
              <td>{s.transfersOut}</td>
              <td>{Math.round(s.figures.talkTotalSeconds / 60)} 分</td>
              <td>{Math.round(s.figures.wrapUpTotalSeconds / 60)} 分</td>
              <td>{sec(s.figures.ahtSeconds)}</td>
              <td>{pct(s.occupancy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (kind === 'disposition') {
    const d = report.total.dispositions;
    return (
      <table className="grid report-table">
        <thead>
          <tr>
            <th>处理结果</th>
            <th>通数</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(DISPOSITION_LABELS).map(([k, label]) => (
            <tr key={k}>
              <td>{label}</td>
              <td>{d[k] ?? 0}</td>
            </tr>
          ))}
          <tr>
            <td>小结未填</td>
            <td>{report.total.unfiled}</td>
          </tr>
        </tbody>
      </table>
    );
  }
  const rows = { day: report.byDay, interval: report.byInterval, week: report.byWeek, month: report.byMonth, category: report.byCategory }[
    kind
  ];
  return (
    <table className="grid report-table">
      <thead>
        <tr>
          <th>{TABLE_TABS.find(([k]) => k === kind)![1].slice(1)}</th>
          <th>呼入</th>
          <th>接通</th>
          <th>接通率</th>
          <th>服务水平</th>
          <th>平均应答</th>
          <th>平均处理</th>
          <th>放弃</th>
          <th>短时放弃</th>
          <th>溢出</th>
          <th>重大事项</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td>{r.figures.offered}</td>
            <td>{r.figures.answered}</td>
            <td>{pct(r.figures.answerRate)}</td>
            <td>{pct(r.figures.serviceLevel)}</td>
            <td>{sec(r.figures.asaSeconds)}</td>
            <td>{sec(r.figures.ahtSeconds)}</td>
            <td>{r.figures.abandoned}</td>
            <td>{r.figures.shortAbandoned}</td>
            <td>{r.figures.overflowed}</td>
            <td>{r.figures.major}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExportBar({ filters, table }: { filters: ReportFilters; table: TableKind }) {
  const role = useAppStore((s) => s.user?.role ?? null);
  const [progress, setProgress] = useState<(DownloadProgress & { what: string }) | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const q = reportQuery(filters);
  const run = async (what: string, url: string) => {
    setMessage(null);
    setProgress({ what, bytes: 0, rows: null, totalRows: null });
    const err = await downloadExport(url, (p) => setProgress({ ...p, what }));
    setProgress(null);
    setMessage(err ?? `${what}已导出`);
  };
  const unmasked = async (format: 'csv' | 'xlsx') => {
    const reason = window.prompt('导出完整号码将记入审计日志,请填写原因:');
    if (!reason) return;
    await run('话单(完整号码)', `/api/reports/export/calls.${format}?${q}&unmask=1&reason=${encodeURIComponent(reason)}`);
  };
  const busy = progress !== null;
  return (
    <div className="report-exports no-print">
      <span className="muted">导出:</span>
      <button disabled={busy} onClick={() => void run('话单 CSV', `/api/reports/export/calls.csv?${q}`)}>
        话单 CSV
      </button>
      <button disabled={busy} onClick={() => void run('话单 Excel', `/api/reports/export/calls.xlsx?${q}`)}>
        话单 Excel
      </button>
      <button disabled={busy} onClick={() => void run('外呼话单 CSV', `/api/reports/export/outbound-calls.csv?${q}`)}>
        外呼话单 CSV
      </button>
      {role && can(role, 'calls:unmask') && (
        <button disabled={busy} onClick={() => void unmasked('csv')}>
          话单(完整号码)
        </button>
      )}
      <button disabled={busy} onClick={() => void run('当前表 CSV', `/api/reports/export/${table}.csv?${q}`)}>
        当前表 CSV
      </button>
      <button disabled={busy} onClick={() => void run('当前表 Excel', `/api/reports/export/${table}.xlsx?${q}`)}>
        当前表 Excel
      </button>
      <button
        disabled={busy}
        onClick={() =>
          void run(
            '月报',
            `/api/reports/export/monthly.xlsx?month=${filters.from.slice(0, 7)}${filters.centre ? `&centres=${filters.centre}` : ''}`,
          )
        }
      >
        {filters.from.slice(0, 7)} 月报 Excel
      </button>
      {progress && (
        <span className="report-progress" role="status">
          正在导出{progress.what}:{(progress.bytes / 1048576).toFixed(1)} MB
          {progress.rows !== null && progress.totalRows ? ` · ${progress.rows} / ${progress.totalRows} 行` : ''}
          {progress.rows !== null && progress.totalRows ? <progress max={progress.totalRows} value={progress.rows} /> : <progress />}
        </span>
      )}
      {message && !progress && (
        <span className="muted" role="status">
          {message}
        </span>
      )}
    </div>
  );
}

/** 统计报表: the duty manager's figures, charts, tables and exports over a date range. */
export function ReportsPage() {
  const reference = useAppStore((s) => s.reference);
  const [filters, setFilters] = useState<ReportFilters>(defaultFilters);
  const [report, setReport] = useState<ReportView | null>(null);
  // The filters of the report shown: exports follow them, not the half-edited form.
  const [applied, setApplied] = useState<ReportFilters>(filters);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [table, setTable] = useState<TableKind>('day');
  const [showDefs, setShowDefs] = useState(false);

  const load = useCallback(async (f: ReportFilters) => {
    setLoading(true);
    const r = await fetchReport(f);
    setLoading(false);
    if (r.ok) {
      setReport(r.data);
      setApplied(f);
      setError(null);
    } else setError(errorMessage(r.error));
  }, []);
  useEffect(() => {
    void load(defaultFilters());
  }, [load]);

  const set = (patch: Partial<ReportFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const seats = report?.bySeat ?? [];
  // Only the centres of the user's scope (the server says which with each report; one outside it is refused).
  const scope = report?.scopeCentres;
  const centres = (reference?.centres ?? []).filter((c) => scope === null || (scope?.includes(c.id) ?? false));
  return (
    <div className="reports-page">
      <section className="panel report-filters no-print">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void load(filters);
          }}
        >
          <label>
            起始日期 <DateInput value={filters.from} onChange={(v) => set({ from: v })} />
          </label>
          <label>
            结束日期 <DateInput value={filters.to} onChange={(v) => set({ to: v })} />
          </label>
          <span className="report-quick">
            {(
              [
                ['today', '今日'],
                ['week', '近7日'],
                ['month', '本月'],
                ['last-month', '上月'],
              ] as const
            ).map(([k, label]) => (
              <button type="button" key={k} onClick={() => set(quickRange(k))}>
                {label}
              </button>
            ))}
          </span>
          <label>
            中心
            <select value={filters.centre} onChange={(e) => set({ centre: e.target.value })}>
              <option value="">全部(本人范围内)</option>
              {centres.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            类别
            <select value={filters.category} onChange={(e) => set({ category: e.target.value })}>
              <option value="">全部</option>
              {reference?.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            坐席
            <select value={filters.seat} onChange={(e) => set({ seat: e.target.value })}>
              <option value="">全部</option>
              {seats.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            时段
            <select value={filters.hour} onChange={(e) => set({ hour: e.target.value })}>
              <option value="">全天</option>
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={String(h)}>{`${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`}</option>
              ))}
            </select>
          </label>
          <label>
            星期
            <select value={filters.weekday} onChange={(e) => set({ weekday: e.target.value })}>
              <option value="">全部</option>
              {WEEKDAYS.map((w, i) => (
                <option key={w} value={String(i + 1)}>{`星期${w}`}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={loading}>
            {loading ? '统计中…' : '统计'}
          </button>
          <button type="button" onClick={() => setShowDefs((v) => !v)}>
            口径说明
          </button>
          <button type="button" onClick={() => window.print()} disabled={!report}>
            打印
          </button>
        </form>
      </section>
      {error && <div className="alert alert-error">{error}</div>}
      {showDefs && report && <Definitions thresholdS={report.thresholdS} shortAbandonS={report.shortAbandonS} />}
      {report && (
        <>
          <h1 className="report-title">
            12348 热线统计报表 · {report.from} 至 {report.to}
            {report.centres ? ` · ${report.centres.map((c) => reference?.centres.find((x) => x.id === c)?.name ?? c).join('、')}` : ''}
          </h1>
          <Kpis f={report.total} occupancy={report.occupancy} />
          {report.satisfaction && <SatisfactionKpis s={report.satisfaction} />}
          <Suspense fallback={<p className="muted">正在加载图表…</p>}>
            <ReportCharts report={report} />
          </Suspense>
          <section className="panel report-tables">
            <div className="report-tabs no-print" role="tablist">
              {TABLE_TABS.map(([k, label]) => (
                <button key={k} role="tab" aria-selected={table === k} className={table === k ? 'active' : ''} onClick={() => setTable(k)}>
                  {label}
                </button>
              ))}
            </div>
            <div className="table-scroll">
              <FigureTable report={report} kind={table} />
            </div>
          </section>
          <ExportBar filters={applied} table={table} />
          <StaffingPanel />
          <TrendsPanel from={applied.from} to={applied.to} reference={reference} />
          <p className="muted small report-footnote">
            服务水平:{report.thresholdS} 秒内接通;短时放弃:{report.shortAbandonS} 秒内挂断,单列不计入比率。口径见“口径说明”。
          </p>
        </>
      )}
    </div>
  );
}
