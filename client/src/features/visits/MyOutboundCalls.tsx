import { useEffect, useState } from 'react';
import { OUTBOUND_RESULT_LABELS, type OutboundCallView } from '../../contract';
import { visits as controller } from '../../app/root';
import { formatClock, formatDuration } from '../../shared/format';

/** 我的外呼: the seat's own outbound calls (回访 click-to-call) of the day 我的来电 shows. */
export function MyOutboundCalls({ day }: { day: string | null }) {
  const [records, setRecords] = useState<OutboundCallView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    void controller.myOutbound(day ?? undefined).then((r) => {
      if (!live) return;
      if (r.ok) setRecords(r.data.records);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [day]);

  return (
    <section className="panel table-panel mycalls-panel" aria-label="我的外呼">
      <h2 className="panel-title">
        我的外呼 <span className="count-pill">{records?.length ?? 0}</span>
      </h2>
      {error && (
        <p className="alert alert-error" role="alert">
          未能读取外呼记录:{error}
        </p>
      )}
      <div className="table-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th>时间</th>
              <th>被叫号码</th>
              <th>用途</th>
              <th className="num">振铃</th>
              <th className="num">通话</th>
              <th>结果</th>
            </tr>
          </thead>
          <tbody>
            {(records ?? []).map((r) => (
              <tr key={r.id}>
                <td className="mono">{formatClock(r.startedAt)}</td>
                <td className="mono">{r.calleeMasked}</td>
                <td>回访 #{r.taskId}</td>
                <td className="num mono">{r.ringMs === null ? '—' : formatDuration(r.ringMs)}</td>
                <td className="num mono">{r.talkMs === null ? '—' : formatDuration(r.talkMs)}</td>
                <td>{OUTBOUND_RESULT_LABELS[r.result]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {records?.length === 0 && <p className="empty">这一天没有外呼</p>}
      </div>
    </section>
  );
}
