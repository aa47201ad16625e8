import { useEffect, useState } from 'react';
import type { Ack, RiskHitView } from '../../contract';
import { useAppStore } from '../../app/store';
import { formatClock } from '../../shared/format';
import { categoryName } from '../../shared/labels';
import { createJsonRequest } from '../../shared/json-request';

export const RISK_REFRESH_MS = 30_000;

/** Where the panel reads today's hits: the reports' GET /api/reports/risk-hits (in the user's centres). */
export type RiskHitsSource = () => Promise<Ack<RiskHitView[]>>;
const request = createJsonRequest({ fetch: (input, init) => fetch(input, init) });
export const riskHitsFromReports: RiskHitsSource = () => request('GET', '/api/reports/risk-hits');

/**
 * 风险词预警: today's filed summaries containing a watch-list word (群体, 讨薪, 自杀, 上访 …), in
 * the supervisor's centres, newest first, read again every 30 s. Hidden when there are none or
 * the user may not read them.
 */
export function RiskHitsPanel({ source = riskHitsFromReports }: { source?: RiskHitsSource }) {
  const reference = useAppStore((s) => s.reference);
  const [hits, setHits] = useState<RiskHitView[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void source().then((ack) => {
        if (live) setHits(ack.ok ? ack.data : null);
      });
    load();
    const t = setInterval(load, RISK_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [source]);
  if (!hits || hits.length === 0) return null;
  return (
    <section className="panel risk-hits" aria-label="风险词预警" role="region">
      <h2 className="panel-title">风险词预警(今日 {hits.length} 条)</h2>
      <ul>
        {hits.slice(0, 10).map((h) => (
          <li key={h.callId}>
            <span className="mono">{formatClock(h.at)}</span> <strong className="risk-words">{h.words.join('、')}</strong>{' '}
            {categoryName(h.categoryId, reference)} · {h.seatId ?? '—'} · {h.topic}
          </li>
        ))}
      </ul>
      {hits.length > 10 && <p className="muted small">另有 {hits.length - 10} 条,见统计报表的舆情与风险预警。</p>}
    </section>
  );
}
