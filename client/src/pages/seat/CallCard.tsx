import type { CallView, SeatStateView } from '../../contract';
import { Elapsed } from '../../components/Elapsed';
import { FlagBadges } from '../../components/FlagBadges';
import { categoryName, centreName } from '../../lib/labels';
import { formatDuration } from '../../lib/format';
import { callIdOf } from '../../store/seat';
import { useAppStore } from '../../store';

function WaitLine({ call, state }: { call: CallView; state: SeatStateView }) {
  const answered = useAppStore((s) => (s.answered?.callId === call.id ? s.answered.at : null));
  // While ringing the caller is still waiting; once answered the wait is fixed.
  if (state.kind === 'ringing') {
    return (
      <>
        <dt>已等待</dt>
        <dd>
          <Elapsed since={call.enqueuedAt} />
        </dd>
      </>
    );
  }
  const answeredAt = state.kind === 'talking' ? state.since : answered;
  return (
    <>
      {answeredAt !== null && (
        <>
          <dt>排队等待</dt>
          <dd>{formatDuration(answeredAt - call.enqueuedAt)}</dd>
          <dt>通话时长</dt>
          <dd>
            {state.kind === 'talking' ? <Elapsed since={state.since} /> : state.kind === 'wrap-up' ? formatDuration(state.since - answeredAt) : '—'}
          </dd>
        </>
      )}
    </>
  );
}

/** The call at this seat: masked caller, category, green-channel flags, wait. */
export function CallCard() {
  const seat = useAppStore((s) => s.seat);
  const call = useAppStore((s) => s.call);
  const reference = useAppStore((s) => s.reference);
  const callId = seat ? callIdOf(seat.state) : null;
  if (!seat || callId === null) {
    return (
      <section className="panel call-card call-empty">
        <h2 className="panel-title">当前来电</h2>
        <p className="muted">暂无来电</p>
      </section>
    );
  }
  if (!call || call.id !== callId) {
    return (
      <section className="panel call-card">
        <h2 className="panel-title">当前来电</h2>
        <p className="muted">来电信息暂不可用(编号 {callId})</p>
      </section>
    );
  }
  return (
    <section className={`panel call-card call-${seat.state.kind}`}>
      <h2 className="panel-title">当前来电</h2>
      <div className="caller">{call.callerMasked}</div>
      <div className="call-category">{categoryName(call.categoryId, reference)}</div>
      {call.flags.length > 0 && <FlagBadges flags={call.flags} />}
      <dl className="call-facts">
        <dt>来电中心</dt>
        <dd>{centreName(call.homeCentreId, reference)}</dd>
        <WaitLine call={call} state={seat.state} />
        <dt>分配次数</dt>
        <dd>{call.offers}</dd>
        {call.ticket12345 && (
          <>
            <dt>12345 转办单</dt>
            <dd>{call.ticket12345}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
