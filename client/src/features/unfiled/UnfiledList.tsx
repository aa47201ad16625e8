import { useEffect, useState } from 'react';
import type { CallerHistoryEntry } from '../../contract';
import { accounts } from '../../app/root';
import { useAppStore } from '../../app/store';
import { chinaDay, formatDateTime } from '../../shared/format';
import { categoryName } from '../../shared/labels';

/**
 * 小结未填: answered calls that ended without a summary (the seat's console closed in wrap-up and
 * it went offline). Supervisors see their centres' list on the monitor; a seat sees its own as a
 * to-do in 我的来电, and files each one there (补写).
 */
export function UnfiledList(props: { mine: boolean; /** Opens the day of a call (我的来电). */ onPick?: (day: string) => void }) {
  const reference = useAppStore((s) => s.reference);
  const [entries, setEntries] = useState<CallerHistoryEntry[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void (props.mine ? accounts.myUnfiled() : accounts.unfiled()).then((r) => {
        if (live && r.ok) setEntries(r.data);
      });
    load();
    const timer = window.setInterval(load, 60_000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [props.mine]);
  if (!entries || entries.length === 0) return null;
  return (
    <section className="panel unfiled-panel" aria-label="小结未填">
      <h2 className="panel-title">
        小结未填 <span className="count-pill">{entries.length}</span>
      </h2>
      {props.mine && <p className="muted small">以下来电结束时小结尚未提交,请点击打开当天的列表,补写小结。</p>}
      <ul className="unfiled-list">
        {entries.map((e) => (
          <li key={e.record.callId} data-call-id={e.record.callId}>
            <span className="badge badge-risk">小结未填</span>{' '}
            {props.onPick ? (
              <button type="button" className="link" onClick={() => props.onPick?.(chinaDay(e.record.answeredAt ?? e.record.enqueuedAt))}>
                {formatDateTime(e.record.answeredAt ?? e.record.enqueuedAt)}
              </button>
            ) : (
              formatDateTime(e.record.answeredAt ?? e.record.enqueuedAt)
            )}{' '}
            · {categoryName(e.record.categoryId, reference)} · {e.record.callerMasked}
            {!props.mine && e.record.seatId && <span> · 坐席 {e.record.seatId}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
