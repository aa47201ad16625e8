import { languageLabel, type CallView, type SeatStateView, type SeatView } from '../../contract';
import { Elapsed } from '../../shared/components/Elapsed';
import { categoryName, centreName, flagLabel, GREEN_CHANNEL_FLAGS, isGreenChannel } from '../../shared/labels';
import { formatDuration } from '../../shared/format';
import { callIdOf } from './slice';
import { useAppStore } from '../../app/store';
import { CallerHistoryList } from './CallerHistoryList';
import { phoneCommands, usePhoneAnswering, usePhoneRegistered, usePhoneRinging } from '../phone/commands';
import { RecordingPauseButton } from '../recordings';
import { Ticket12345Details } from '../handover/Ticket12345Details';
import { SurveyToggle } from './SurveyToggle';

const PHASE: Record<'ringing' | 'talking' | 'wrap-up', string> = {
  ringing: '来电振铃',
  talking: '通话中',
  'wrap-up': '通话已结束',
};

/** Who ended the conversation, as Kamailio reported the BYE (the call's hungUpBy). */
const ENDED_BY: Record<NonNullable<CallView['hungUpBy']>, string> = {
  caller: '对方已挂断',
  seat: '您已挂断',
  system: '通话已中断',
  supervisor: '班长已结束本通话',
  'seat-lost': '工作台断开过久,系统已结束本通话',
};

/** The card's title: in wrap-up it says who hung up when the server knows it. */
export function phaseTitle(kind: 'ringing' | 'talking' | 'wrap-up', call: CallView | null): string {
  return kind === 'wrap-up' && call?.hungUpBy ? ENDED_BY[call.hungUpBy] : PHASE[kind];
}

/** The live timer of the card: the caller's wait while ringing, the talk time after. */
function CallTimer({ call, state }: { call: CallView; state: SeatStateView }) {
  const answered = useAppStore((s) => (s.answered?.callId === call.id ? s.answered.at : null));
  if (state.kind === 'ringing') {
    return (
      <div className="call-timer">
        <span className="muted">已等待</span>
        <Elapsed since={call.enqueuedAt} className="call-timer-value" />
      </div>
    );
  }
  if (state.kind === 'talking') {
    return (
      <div className="call-timer">
        <span className="muted">通话</span>
        <Elapsed since={state.since} className="call-timer-value" />
      </div>
    );
  }
  const answeredAt = answered ?? call.answeredAt;
  if (state.kind === 'wrap-up' && answeredAt !== null) {
    return (
      <div className="call-timer">
        <span className="muted">通话</span>
        <span className="call-timer-value">{formatDuration(state.since - answeredAt)}</span>
      </div>
    );
  }
  return null;
}

/** 接听 / 拒接: big, on the screen pop, through the softphone. */
function AnswerButtons({ seat }: { seat: SeatView }) {
  const ringingAtPhone = usePhoneRinging();
  const answering = usePhoneAnswering();
  const registered = usePhoneRegistered();
  const note = ringingAtPhone ? null : !registered && !seat.registered ? '软电话未注册,无法接听;请检查下方软电话' : '等待软电话振铃…';
  return (
    <div className="answer-row">
      <button
        type="button"
        className="btn btn-answer"
        disabled={!ringingAtPhone || answering}
        onClick={phoneCommands.answer}
        aria-keyshortcuts="F8 Control+Alt+A"
      >
        {answering ? '接通中…' : '接听'}
        <kbd>F8</kbd>
      </button>
      <button type="button" className="btn btn-decline" disabled={!ringingAtPhone || answering} onClick={phoneCommands.decline}>
        拒接
      </button>
      {note && <p className="answer-note">{note}</p>}
    </div>
  );
}

/**
 * The call at this seat (screen pop while it rings): masked number, IVR category, wait,
 * green-channel and other flags, the 12345 ticket, and the caller's earlier calls.
 */
export function CallCard() {
  const seat = useAppStore((s) => s.seat);
  const call = useAppStore((s) => s.call);
  const reference = useAppStore((s) => s.reference);
  const callId = seat ? callIdOf(seat.state) : null;
  if (!seat || callId === null || seat.state.kind === 'offline' || seat.state.kind === 'ready' || seat.state.kind === 'not-ready') {
    return (
      <section className="panel call-card call-empty" aria-label="当前来电">
        <h2 className="panel-title">当前来电</h2>
        <p className="muted">暂无来电</p>
      </section>
    );
  }
  const kind = seat.state.kind;
  if (!call || call.id !== callId) {
    return (
      <section className={`panel call-card call-${kind}`} aria-label="当前来电">
        <h2 className="panel-title">{PHASE[kind]}</h2>
        <p className="muted">正在读取来电信息…</p>
        {kind === 'ringing' && <AnswerButtons seat={seat} />}
      </section>
    );
  }
  const green = isGreenChannel(call.flags);
  return (
    <section
      className={`panel call-card call-${kind}${green ? ' call-green' : ''}`}
      aria-label={kind === 'ringing' ? '来电弹屏' : '当前来电'}
    >
      {/* Announced once per phase (the card itself is read on demand); the ticking timers stay out of it. */}
      <p className="sr-only" role="status">
        {kind === 'ringing' ? '新来电振铃,请接听' : phaseTitle(kind, call)}
      </p>
      <div className="call-head">
        <h2 className="panel-title">{phaseTitle(kind, call)}</h2>
        <CallTimer call={call} state={seat.state} />
      </div>
      {green && <div className="green-banner">绿色通道 · 优先受理</div>}
      <div className="caller mono">{call.callerMasked}</div>
      <div className="call-category">{categoryName(call.categoryId, reference)}</div>
      {call.flags.length > 0 && (
        // The 绿色通道 banner above says it once; the flags follow, green-channel ones in green.
        <span className="badges" aria-label="来电人标记">
          {call.flags.map((f) => (
            <span key={f} className={GREEN_CHANNEL_FLAGS.includes(f) ? 'badge badge-green-soft' : 'badge'}>
              {flagLabel(f)}
            </span>
          ))}
        </span>
      )}
      {/* Right under who is calling, so it is in view on a small screen. */}
      {kind === 'ringing' && <AnswerButtons seat={seat} />}
      {kind === 'talking' && <RecordingPauseButton callId={call.id} />}
      <dl className="call-facts">
        <dt>来电中心</dt>
        <dd>{centreName(call.homeCentreId, reference)}</dd>
        {call.language && (
          <>
            <dt>来电语种</dt>
            <dd className="call-language">{languageLabel(call.language)}</dd>
          </>
        )}
        {kind !== 'ringing' && call.answeredAt !== null && (
          <>
            <dt>排队等待</dt>
            <dd>{formatDuration(call.answeredAt - call.enqueuedAt)}</dd>
          </>
        )}
        {call.offers > 1 && (
          <>
            <dt>分配次数</dt>
            <dd>{call.offers}</dd>
          </>
        )}
        {call.ticket12345 && (
          <>
            <dt>12345 转办单</dt>
            <dd className="mono">
              {call.ticket12345}
              <Ticket12345Details ticket={call.ticket12345} />
            </dd>
          </>
        )}
        {call.transferredFrom && (
          <>
            <dt>转接来电</dt>
            <dd>由 {call.transferredFrom.seatName} 转入</dd>
          </>
        )}
      </dl>
      {kind === 'talking' && <SurveyToggle callId={call.id} />}
      <CallerHistoryList callId={call.id} />
    </section>
  );
}
