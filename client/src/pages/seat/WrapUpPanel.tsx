import { session } from '../../runtime';
import { Countdown } from '../../components/Elapsed';
import { useAppStore } from '../../store';

/** 话后整理: countdown to `until`, 延长 and 完成整理. Shown only in wrap-up. */
export function WrapUpPanel() {
  const state = useAppStore((s) => s.seat?.state ?? null);
  const pending = useAppStore((s) => s.seatPending);
  if (state?.kind !== 'wrap-up') return null;
  const busy = pending !== null;
  return (
    <section className="panel wrapup-panel">
      <h2 className="panel-title">话后整理</h2>
      <div className="wrapup-row">
        <div>
          <div className="muted">剩余时间</div>
          <Countdown until={state.until} className="wrapup-countdown" />
          {state.extensions > 0 && <div className="muted">已延长 {state.extensions} 次</div>}
        </div>
        <div className="wrapup-buttons">
          <button className="btn btn-ghost" disabled={busy} onClick={() => void session.extendWrapUp()}>
            {pending === 'extend' ? '处理中…' : '延长'}
          </button>
          <button className="btn btn-primary" disabled={busy} onClick={() => void session.endWrapUp()}>
            {pending === 'end' ? '处理中…' : '完成整理'}
          </button>
        </div>
      </div>
      <p className="hint">到时将自动结束整理并恢复空闲。</p>
    </section>
  );
}
