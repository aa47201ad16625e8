import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { queueCounts, waitingCalls } from './selectors';
import { useAppStore } from '../../app/store';

function Tile({ label, value, tone, sub }: { label: string; value: string | number; tone: string; sub?: string }) {
  return (
    <div className={`tile tile-${tone}`}>
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {sub && <div className="tile-sub">{sub}</div>}
    </div>
  );
}

/** 排队 / 就绪 / 通话 / 示忙 at a glance, with the longest wait. */
export function CountsBar() {
  const snapshot = useAppStore((s) => s.snapshot);
  const now = useServerNow();
  const c = queueCounts(snapshot);
  const oldest = waitingCalls(snapshot).reduce<number | null>(
    (min, call) => (min === null || call.enqueuedAt < min ? call.enqueuedAt : min),
    null,
  );
  const total = snapshot?.seats.length ?? 0;
  const service = snapshot?.service;
  const target = service?.answerTargetS ?? 15;
  const staffing = !service ? `离线 ${c.offline}` : service.open ? `本时段计划 ${service.plannedSeats} 人` : '非服务时段';
  return (
    <div className="counts">
      <Tile
        label="排队"
        value={c.waiting}
        tone={c.waiting > 0 ? 'queue-alert' : 'queue'}
        sub={c.ringing > 0 ? `其中振铃 ${c.ringing}` : undefined}
      />
      <Tile
        label="最长等待"
        value={oldest === null ? '—' : formatElapsed(oldest, now)}
        tone={oldest !== null && now - oldest > target * 1000 ? 'queue-alert' : 'queue'}
        sub={`应答目标 ${target} 秒`}
      />
      <Tile label="就绪" value={c.ready} tone="ready" />
      <Tile label="通话" value={c.talking} tone="talking" sub={c.wrapUp > 0 ? `话后整理 ${c.wrapUp}` : undefined} />
      <Tile label="示忙" value={c.notReady} tone="busy" />
      <Tile
        label="在线坐席"
        value={`${c.staffed}/${total}`}
        tone={service && service.open && c.staffed < service.plannedSeats ? 'busy' : 'neutral'}
        sub={staffing}
      />
    </div>
  );
}
