import type { SatisfactionReportView } from '../../contract';
import { pct } from './format';

/**
 * 满意度与回访 over the report's calls and period (server: domain/stats/satisfaction.ts, the same
 * definitions as the 回访 page and the live figures; the 满意度与回访 export table has them too).
 */
export function SatisfactionKpis({ s }: { s: SatisfactionReportView }) {
  const v = s.visits;
  const cards: [string, string, string?][] = [
    ['满意率', pct(s.satisfactionRate), `目标 ≥ 90% · 满意 ${s.satisfied} / 参评 ${s.rated}`],
    ['参评率', pct(s.ratedShare), `参评 ${s.rated} / 接通 ${s.answered}`],
    ['不满意', String(s.dissatisfied)],
    ['回访完成率', pct(v.completionRate), `已完成 ${v.closed} / 任务 ${v.created}`],
    ['不满意回访及时率', pct(v.dissatisfiedCalledBackRate), `目标 100% · ${v.dissatisfiedWithinDeadline} / ${v.dissatisfiedDue}`],
    ['逾期回访', String(v.overdue)],
    ['回访外呼', String(s.outbound.placed), `接通 ${s.outbound.answered} · 通话 ${s.outbound.talkSeconds} 秒`],
  ];
  return (
    <div className="report-kpis" aria-label="满意度与回访">
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
