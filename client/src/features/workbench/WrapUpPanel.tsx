import { session } from '../../app/root';
import { formatCountdown, formatDuration } from '../../shared/format';
import { seatActionsFor } from './seat-actions';
import { useServerNow } from '../../shared/ticker';
import { useAppStore } from '../../app/store';
import { selectSummaryFiled } from '../summary/slice';

/**
 * 话后整理: countdown to `until`, 延长 and 完成整理. The server keeps the seat here until the
 * call's summary is filed; past `until` without one the wrap-up is overdue (超时), in red.
 */
export function WrapUpPanel() {
  const state = useAppStore((s) => s.seat?.state ?? null);
  const pending = useAppStore((s) => s.seatPending);
  const filed = useAppStore(selectSummaryFiled);
  const summaryRequired = useAppStore((s) => s.reference?.summaryRequired ?? true);
  const now = useServerNow();
  if (state?.kind !== 'wrap-up') return null;
  const busy = pending !== null;
  const can = seatActionsFor(state, { summaryFiled: filed, summaryRequired });
  const overdueMs = now - state.until;
  const overdue = overdueMs > 0;
  const hint = filed
    ? '小结已提交。可完成整理;到时将自动恢复就绪。'
    : overdue
      ? '整理时间已到。提交小结后将立即恢复就绪。'
      : '请先提交小结,提交后才能完成整理。';
  return (
    <section className={overdue && !filed ? 'panel wrapup-panel wrapup-overdue' : 'panel wrapup-panel'} aria-label="话后整理">
      <h2 className="panel-title">话后整理</h2>
      <div className="wrapup-row">
        <div>
          {overdue && !filed ? (
            <>
              <div className="overdue-label">超时</div>
              <span className="wrapup-countdown overdue" role="timer">
                +{formatDuration(overdueMs)}
              </span>
            </>
          ) : (
            <>
              <div className="muted">剩余时间</div>
              <span className="wrapup-countdown" role="timer">
                {formatCountdown(state.until, now)}
              </span>
            </>
          )}
          {state.extensions > 0 && <div className="muted small">已延长 {state.extensions} 次</div>}
        </div>
        <div className="wrapup-buttons">
          <button className="btn btn-ghost" disabled={busy || !can.extend} onClick={() => void session.extendWrapUp()}>
            {pending === 'extend' ? '处理中…' : '延长'}
          </button>
          <button
            className="btn btn-primary"
            disabled={busy || !can.endWrapUp}
            title={can.endWrapUp ? undefined : '请先提交小结'}
            aria-describedby="wrapup-hint"
            aria-keyshortcuts="F10 Control+Alt+R"
            onClick={() => void session.endWrapUp()}
          >
            {pending === 'end' ? '处理中…' : '完成整理'}
          </button>
        </div>
      </div>
      <p className={filed ? 'hint' : 'hint hint-gate'} id="wrapup-hint">
        {hint}
      </p>
    </section>
  );
}
