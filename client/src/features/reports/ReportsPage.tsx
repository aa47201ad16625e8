/** 统计报表: a placeholder until the reports issue lands. */
export function ReportsPage() {
  return (
    <div className="reports-page">
      <section className="panel placeholder">
        <h2 className="panel-title">统计报表</h2>
        <p>呼入量、接通率、服务水平、平均应答时长、放弃率与满意率等报表将在后续版本提供,届时可在此按日、月、年导出。</p>
      </section>
    </div>
  );
}
