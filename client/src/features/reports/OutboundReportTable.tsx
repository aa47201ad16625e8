import type { OutboundFiguresView, ReportView } from '../../contract';
import { pct, sec } from './format';

/**
 * 统计报表's 外呼 tab: outbound calls started in the range, in total and by seat (server:
 * domain/stats/outbound.ts; never part of the inbound figures above it).
 */
export function OutboundReportTable({ report }: { report: ReportView }) {
  const o = report.outbound;
  const row = (label: string, f: OutboundFiguresView) => (
    <tr key={label}>
      <td>{label}</td>
      <td className="num">{f.placed}</td>
      <td className="num">{f.answered}</td>
      <td className="num">{f.noAnswer}</td>
      <td className="num">{f.busy}</td>
      <td className="num">{f.failed}</td>
      <td className="num">{pct(f.answerRate)}</td>
      <td className="num">{Math.round(f.talkSeconds / 60)} 分</td>
      <td className="num">{sec(f.avgTalkSeconds)}</td>
    </tr>
  );
  return (
    <table className="grid report-table" aria-label="外呼统计">
      <thead>
        <tr>
          <th>坐席</th>
          <th className="num">外呼量</th>
          <th className="num">接通</th>
          <th className="num">无人接听</th>
          <th className="num">占线</th>
          <th className="num">呼叫失败</th>
          <th className="num">外呼接通率</th>
          <th className="num">通话总时长</th>
          <th className="num">平均通话</th>
        </tr>
      </thead>
      <tbody>
        {row('合计', o.total)}
        {o.bySeat.map((s) => row(s.label, s.figures))}
      </tbody>
    </table>
  );
}
