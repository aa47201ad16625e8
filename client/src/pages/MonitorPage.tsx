import { formatClock } from '../lib/format';
import { useAppStore } from '../store';
import { AlertsPanel } from './monitor/AlertsPanel';
import { CountsBar } from './monitor/CountsBar';
import { SeatTable } from './monitor/SeatTable';
import { WaitingCallsTable } from './monitor/WaitingCallsTable';

function SnapshotStatus() {
  const at = useAppStore((s) => s.snapshot?.at ?? null);
  const error = useAppStore((s) => s.queueError);
  if (error) return <div className="alert alert-error">{error}</div>;
  return <div className="muted small">{at === null ? '正在订阅实时队列…' : `数据更新于 ${formatClock(at)}`}</div>;
}

/** 班长监控: live counts, waiting calls and seats, from 'queue:updated'. */
export function MonitorPage() {
  return (
    <div className="monitor-page">
      <AlertsPanel />
      <div className="monitor-top">
        <CountsBar />
        <SnapshotStatus />
      </div>
      <div className="monitor-grid">
        <WaitingCallsTable />
        <SeatTable />
      </div>
    </div>
  );
}
