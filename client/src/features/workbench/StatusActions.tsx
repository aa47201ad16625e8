import { session } from '../../app/root';
import { reasonLabel, SELECTABLE_NOT_READY_REASONS } from '../../shared/labels';
import { seatActionsFor } from './seat-actions';
import { useAppStore } from '../../app/store';
import { selectSummaryFiled } from '../summary/slice';

/** 就绪 / 示忙 (with its reason) / 下线, and the inline error of the last command. */
export function StatusActions() {
  const seat = useAppStore((s) => s.seat);
  const pending = useAppStore((s) => s.seatPending);
  const error = useAppStore((s) => s.seatError);
  const dismiss = useAppStore((s) => s.dismissSeatError);
  const reference = useAppStore((s) => s.reference);
  const filed = useAppStore(selectSummaryFiled);
  const summaryRequired = useAppStore((s) => s.reference?.summaryRequired ?? true);
  const can = seatActionsFor(seat?.state ?? null, { summaryFiled: filed, summaryRequired });
  const busy = pending !== null;
  const currentReason = seat?.state.kind === 'not-ready' ? seat.state.reason : null;
  const gated = seat?.state.kind === 'wrap-up' && !filed;

  return (
    <section className="panel actions-panel" aria-label="状态切换">
      <h2 className="panel-title">状态切换</h2>
      <div className="action-row">
        <button
          className="btn btn-ready"
          disabled={busy || !can.ready}
          onClick={() => void session.setReady()}
          aria-keyshortcuts="F10 Control+Alt+R"
          aria-describedby={gated ? 'status-hint' : undefined}
        >
          {pending === 'ready' ? '处理中…' : '就绪'}
        </button>
        <button
          className="btn btn-ghost"
          disabled={busy || !can.offline}
          onClick={() => void session.goOffline()}
          title={gated ? '请先提交小结' : undefined}
          aria-describedby={gated ? 'status-hint' : undefined}
        >
          {pending === 'offline' ? '处理中…' : '下线'}
        </button>
      </div>
      <div className="reason-picker" role="group" aria-label="示忙原因">
        <span className="reason-picker-label">示忙:</span>
        {SELECTABLE_NOT_READY_REASONS.map((r) => (
          <button
            key={r}
            className={r === currentReason ? 'btn btn-busy selected' : 'btn btn-busy'}
            aria-pressed={r === currentReason}
            disabled={busy || !can.notReady || r === currentReason}
            title={gated ? '请先提交小结' : undefined}
            onClick={() => void session.setNotReady(r)}
          >
            {reasonLabel(r, reference)}
          </button>
        ))}
      </div>
      {can.hint && (
        <p className={gated ? 'hint hint-gate' : 'hint'} id="status-hint">
          {gated ? '请先提交小结,再就绪、示忙或下线' : can.hint}
        </p>
      )}
      {error && (
        <div className="alert alert-error inline-error" role="alert">
          <span>{error}</span>
          <button className="link" onClick={dismiss} aria-label="关闭错误提示">
            关闭
          </button>
        </div>
      )}
    </section>
  );
}
