import type { SeatView } from '../../contract';
import { Countdown, Elapsed } from '../../shared/components/Elapsed';
import { reasonLabel, SEAT_STATE_LABELS } from '../../shared/labels';
import { useAppStore } from '../../app/store';
import { phaseTitle } from './CallCard';
import { selectSummaryFiled } from '../summary/slice';

function WrapUpDetail({ callId }: { callId: string }) {
  const call = useAppStore((s) => (s.call?.id === callId ? s.call : null));
  const filed = useAppStore(selectSummaryFiled);
  return (
    <div className="state-detail">
      {phaseTitle('wrap-up', call)},{filed ? '小结已提交,可完成整理' : '提交小结后完成整理'}
    </div>
  );
}

function StateDetail({ seat }: { seat: SeatView }) {
  const reference = useAppStore((s) => s.reference);
  const st = seat.state;
  switch (st.kind) {
    case 'not-ready':
      return (
        <div className="state-detail">
          <span className={st.reason === 'missed' ? 'reason reason-warn' : 'reason'}>{reasonLabel(st.reason, reference)}</span>
          {st.autoReadyAt !== null && (
            <span className="muted">
              <Countdown until={st.autoReadyAt} /> 后自动就绪
            </span>
          )}
        </div>
      );
    case 'ringing':
      return <div className="state-detail">来电振铃中,请接听(第 {st.attempt} 次分配)</div>;
    case 'wrap-up':
      return <WrapUpDetail callId={st.callId} />;
    case 'offline':
      return <div className="state-detail muted">点击“就绪”开始接听来电</div>;
    case 'ready':
      return <div className="state-detail muted">等待分配来电</div>;
    case 'talking':
      return <div className="state-detail">通话中,可同时填写小结</div>;
    default:
      return null;
  }
}

/** The big current state with its running timer. */
export function SeatStatePanel() {
  const seat = useAppStore((s) => s.seat);
  if (!seat) return <section className="panel state-panel state-loading">正在读取坐席状态…</section>;
  const kind = seat.state.kind;
  return (
    <section className={`panel state-panel state-${kind}`} aria-label="坐席状态">
      <div className="state-label-row">
        <span className="state-dot" aria-hidden />
        {/* Only the state word is live: the timer beside it would be read out every second. */}
        <span className="state-label" aria-live="polite">
          {SEAT_STATE_LABELS[kind]}
        </span>
        <Elapsed since={seat.state.since} className="state-timer" />
      </div>
      <StateDetail seat={seat} />
    </section>
  );
}
