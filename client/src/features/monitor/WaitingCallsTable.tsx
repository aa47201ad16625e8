import { languageLabel, type CallView, type ReferenceData } from '../../contract';
import { FlagBadges } from '../../shared/components/FlagBadges';
import { callStateLabel, categoryName, centreName, isGreenChannel } from '../../shared/labels';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { waitingCalls } from './selectors';
import { useAppStore } from '../../app/store';
import { TablePanel } from '../../shared/components/TablePanel';

function CallRow({ call, now, reference }: { call: CallView; now: number; reference: ReferenceData | null }) {
  const waitedMs = now - call.enqueuedAt;
  const rowClass = [isGreenChannel(call.flags) ? 'row-green' : '', waitedMs > 15_000 ? 'row-late' : ''].join(' ').trim();
  return (
    <tr className={rowClass || undefined}>
      <td>
        <div className="mono">{call.callerMasked}</div>
        {call.flags.length > 0 && <FlagBadges flags={call.flags} />}
      </td>
      <td className="fill">
        <div className="ellipsis">
          {categoryName(call.categoryId, reference)}
          {call.language && ` · ${languageLabel(call.language)}`}
        </div>
        <div className="ellipsis muted small">{centreName(call.homeCentreId, reference)}</div>
      </td>
      <td className="num">{call.priority}</td>
      <td className="num mono wait">{formatElapsed(call.enqueuedAt, now)}</td>
      <td className="num">{call.offers}</td>
      <td>{callStateLabel(call.state.kind)}</td>
    </tr>
  );
}

/** Callers still waiting, in service order; the wait ticks every second. */
export function WaitingCallsTable() {
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const now = useServerNow();
  const calls = waitingCalls(snapshot);
  return (
    <TablePanel
      title="排队来电"
      count={calls.length}
      empty="当前无排队来电"
      head={
        <tr>
          <th>来电号码 / 标记</th>
          <th>专业类别 / 来电中心</th>
          <th className="num">优先级</th>
          <th className="num">等待</th>
          <th className="num">分配</th>
          <th>状态</th>
        </tr>
      }
    >
      {calls.map((c) => (
        <CallRow key={c.id} call={c} now={now} reference={reference} />
      ))}
    </TablePanel>
  );
}
