import type { QcFiguresView, QcRowView, ReportView } from '../../contract';

const avg = (x: number | null) => (x === null ? '—' : x.toFixed(1));

/** 统计报表's 质检 tab: the range, then each seat, week and month (docs/definitions.md, 质检). */
export function QcReportTable({ report }: { report: ReportView }) {
  const qc = report.qc;
  if (!qc) return <p className="muted">暂无质检数据</p>;
  const row = (group: string, label: string, f: QcFiguresView) => (
    <tr key={`${group}-${label}`}>
      <td>{group}</td>
      <td>{label}</td>
      <td className="num">{f.selected}</td>
      <td className="num">{f.sampled}</td>
      <td className="num">{f.inspected}</td>
      <td className="num">{avg(f.averageScore)}</td>
      <td className="num">{f.lowestScore ?? '—'}</td>
      <td className="num">{f.reviewsRequested}</td>
      <td className="num">{f.reviewsChanged}</td>
    </tr>
  );
  const rows = (group: string, xs: QcRowView[]) => xs.map((r) => row(group, r.label, r.figures));
  return (
    <table className="grid report-table" aria-label="质检统计">
      <thead>
        <tr>
          <th>分组</th>
          <th>名称</th>
          <th className="num">入选质检</th>
          <th className="num">随机抽检</th>
          <th className="num">已评分</th>
          <th className="num">平均得分</th>
          <th className="num">最低得分</th>
          <th className="num">申请复核</th>
          <th className="num">复核改分</th>
        </tr>
      </thead>
      <tbody>
        {row('合计', `${report.from} 至 ${report.to}`, qc.total)}
        {rows('坐席', qc.bySeat)}
        {rows('周', qc.byWeek)}
        {rows('月份', qc.byMonth)}
      </tbody>
    </table>
  );
}
