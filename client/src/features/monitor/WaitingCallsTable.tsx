import { languageLabel, type QueueCallView, type QueueSnapshot, type ReferenceData } from '../../contract';
import { FlagBadges } from '../../shared/components/FlagBadges';
import { callStateLabel, categoryName, centreName, isGreenChannel } from '../../shared/labels';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { waitingCalls } from './selectors';
import { seatName, stepLabel } from './wall-selectors';
import { useAppStore } from '../../app/store';
import { TablePanel } from '../../shared/components/TablePanel';

function Offers({ call, snapshot }: { call: QueueCallView; snapshot: QueueSnapshot | null }) {
  const to = call.offeredTo ?? [];
  if (to.length === 0) return <span className="muted">{call.offers}</span>;
  const names = to.map((id) => seatName(snapshot, id));
  return (
    <span title={names.join(' → ')}>
      {call.offers} · <span className="muted small">{names.slice(-2).join(' → ')}</span>
    </span>
  );
}

function CallRow(props: {
  call: QueueCallView;
  now: number;
  reference: ReferenceData | null;
  snapshot: QueueSnapshot | null;
  onOpen: (id: string) => void;
}) {
  const { call, now, reference } = props;
  const waitedMs = now - call.enqueuedAt;
  const rowClass = ['row-clickable', isGreenChannel(call.flags) ? 'row-green' : '', waitedMs > 15_000 ? 'row-late' : ''].join(' ').trim();
  const ringingAt = call.state.kind === 'ringing' && call.state.seatId ? seatName(props.snapshot, call.state.seatId) : null;
  return (
    <tr className={rowClass} onClick={() => props.onOpen(call.id)} data-call-id={call.id}>
      <td>
        <button type="button" className="link mono" onClick={() => props.onOpen(call.id)} aria-label={`查看来电 ${call.callerMasked}`}>
          {call.callerMasked}
        </button>
        {call.flags.length > 0 && <FlagBadges flags={call.flags} />}
      </td>
      <td className="fill">
        {/* cut with an ellipsis on a laptop: the whole text in the tooltip */}
        <div className="ellipsis" title={categoryName(call.categoryId, reference)}>
          {categoryName(call.categoryId, reference)}
          {call.language && ` · ${languageLabel(call.language)}`}
        </div>
        <div className="ellipsis muted small" title={centreName(call.homeCentreId, reference)}>
          {centreName(call.homeCentreId, reference)}
        </div>
      </td>
      <td className="num">{call.priority}</td>
      <td className="num mono wait">{formatElapsed(call.enqueuedAt, now)}</td>
      <td>{stepLabel(call.step)}</td>
      <td className="num">
        <Offers call={call} snapshot={props.snapshot} />
      </td>
      <td>
        {callStateLabel(call.state.kind)}
        {ringingAt && <div className="muted small">{ringingAt}</div>}
      </td>
    </tr>
  );
}

/** Callers still waiting, in service order; the wait ticks every second; a row opens the call. */
export function WaitingCallsTable({ onOpen = () => {} }: { onOpen?: (callId: string) => void }) {
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
          <th>扩展</th>
          <th className="num">分配</th>
          <th>状态</th>
        </tr>
      }
    >
      {calls.map((c) => (
        <CallRow key={c.id} call={c} now={now} reference={reference} snapshot={snapshot} onOpen={onOpen} />
      ))}
    </TablePanel>
  );
}
