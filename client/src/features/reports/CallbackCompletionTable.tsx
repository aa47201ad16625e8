import type { CallbackCompletionView, ReportView } from '../../contract';
import { pct } from './format';

/**
 * 回访/回电 completion of the tasks due in the report's range, by source (server:
 * domain/stats/callback-completion.ts, the same rule as the 回访 page's 逾期 flags; the
 * 回访回电完成 export table and the monthly workbook's sheet have the same rows).
 */
export function CallbackCompletionTable({ report }: { report: ReportView }) {
  const c = report.callbacks;
  if (!c) return <p className="muted">没有回访、回电任务数据。</p>;
  const row = (label: string, f: CallbackCompletionView) => (
    <tr key={label}>
      <td>{label}</td>
      <td className="num">{f.due}</td>
      <td className="num">{f.doneOnTime}</td>
      <td className="num">{f.doneLate}</td>
      <td className="num">{f.overdue}</td>
      <td className="num">{f.pending}</td>
      <td className="num">{pct(f.onTimeRate)}</td>
    </tr>
  );
  return (
    <table className="grid report-table" aria-label="回访回电完成">
      <thead>
        <tr>
          <th>任务来源</th>
          <th>到期任务</th>
          <th>按期完成</th>
          <th>逾期完成</th>
          <th>逾期未完成</th>
          <th>未到期</th>
          <th>按期完成率</th>
        </tr>
      </thead>
      <tbody>
        {row('合计', c.total)}
        {c.bySource.map((r) => row(r.label, r.figures))}
      </tbody>
    </table>
  );
}
