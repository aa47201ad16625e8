import { useEffect } from 'react';
import {
  OVERFLOW_TRIGGER_LABELS,
  CALLBACK_STATUS_LABELS,
  languageLabel,
  type CallbackRequestView,
  type ReferenceData,
} from '../../contract';
import { FlagBadges } from '../../shared/components/FlagBadges';
import { TablePanel } from '../../shared/components/TablePanel';
import { categoryName, centreName } from '../../shared/labels';
import { formatDayTime, formatDuration } from '../../shared/format';
import { callbacks as controller } from '../../app/root';
import { useAppStore } from '../../app/store';

function why(c: CallbackRequestView): string {
  if (c.reason === 'no-seat-with-language' && c.language) return `无${languageLabel(c.language)}坐席`;
  return OVERFLOW_TRIGGER_LABELS[c.trigger];
}

function CallbackRow({ c, reference }: { c: CallbackRequestView; reference: ReferenceData | null }) {
  return (
    <tr data-callback-id={c.id}>
      <td>
        <div className="mono">{c.callerMasked}</div>
        {c.flags.length > 0 && <FlagBadges flags={c.flags} />}
      </td>
      <td className="fill">
        <div className="ellipsis">
          {categoryName(c.categoryId, reference)}
          {c.language && ` · ${languageLabel(c.language)}`}
        </div>
        <div className="ellipsis muted small">{centreName(c.homeCentreId, reference)}</div>
      </td>
      <td className="num mono">{formatDuration(c.waitS * 1000)}</td>
      <td>
        <div className="mono">{formatDayTime(c.createdAt)}</div>
        <div className="muted small">{why(c)}</div>
      </td>
      <td>{CALLBACK_STATUS_LABELS[c.status]}</td>
    </tr>
  );
}

/**
 * 回电请求: callers the routing turned into a call-back (no seat, the maximum wait, after hours),
 * newest first: loaded on every (re)connection, new ones as 'callback:updated' pushes them.
 */
export function CallbacksPanel() {
  const list = useAppStore((s) => s.callbacks);
  const error = useAppStore((s) => s.callbacksError);
  const reference = useAppStore((s) => s.reference);
  const connection = useAppStore((s) => s.connection);
  const live = connection === 'online' || connection === 'idle';
  useEffect(() => {
    if (live) void controller.load();
  }, [live]);
  const open = list.filter((c) => c.status === 'open').length;
  return (
    <div className="callbacks-panel" aria-label="回电请求">
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {list.length === 0 ? (
        // None at all: one line, so the wall display keeps its height for the queue and the seats.
        <section className="panel callbacks-none">
          <h2 className="panel-title">
            回电请求 <span className="count-pill">0</span> <span className="empty">暂无回电请求</span>
          </h2>
        </section>
      ) : (
        <TablePanel
          title="回电请求"
          count={open}
          empty="暂无回电请求"
          head={
            <tr>
              <th>来电号码 / 标记</th>
              <th>专业类别 / 来电中心</th>
              <th className="num">等待</th>
              <th>时间 / 原因</th>
              <th>状态</th>
            </tr>
          }
        >
          {list.map((c) => (
            <CallbackRow key={c.id} c={c} reference={reference} />
          ))}
        </TablePanel>
      )}
    </div>
  );
}
