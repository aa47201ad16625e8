import { useEffect, useState } from 'react';
import { FIGURE_ROWS, liveFiguresFromReports, type LiveFiguresReply, type LiveFiguresSource } from './live-figures';

export const FIGURES_REFRESH_MS = 10_000;

const pctOf = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

/**
 * 实时指标: since midnight and over the last 30 and 15 minutes, read again every 10 s from the
 * durable records (the same computation as the reports). Nothing is shown while the server has
 * no figures route or the user may not read it.
 */
export function LiveFigures({ source = liveFiguresFromReports }: { source?: LiveFiguresSource }) {
  const [figures, setFigures] = useState<LiveFiguresReply | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void source().then((ack) => {
        if (live) setFigures(ack.ok ? ack.data : null);
      });
    load();
    const t = setInterval(load, FIGURES_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [source]);
  if (!figures) return null;
  const windows = [
    { label: '今日', f: figures.sinceMidnight },
    { label: '近 30 分钟', f: figures.last30 },
    { label: '近 15 分钟', f: figures.last15 },
  ];
  return (
    <section className="live-figures" aria-label="实时指标">
      <table className="grid figures-table">
        <thead>
          <tr>
            <th>实时指标(服务水平 {figures.thresholdS} 秒)</th>
            {FIGURE_ROWS.map((r) => (
              <th key={r.label} className="num">
                {r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <tr key={w.label}>
              <th scope="row">{w.label}</th>
              {FIGURE_ROWS.map((r) => (
                <td key={r.label} className="num mono">
                  {r.value(w.f)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {figures.satisfaction && (
        <p className="muted small" aria-label="今日满意率">
          今日满意率 {pctOf(figures.satisfaction.satisfactionRate)}(目标 ≥ 90%)· 参评 {figures.satisfaction.rated} / 接通{' '}
          {figures.satisfaction.answered}
        </p>
      )}
    </section>
  );
}
