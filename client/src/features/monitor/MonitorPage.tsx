import { formatClock } from '../../shared/format';
import { useAppStore } from '../../app/store';
import { AlertsPanel } from './AlertsPanel';
import { CallbacksPanel } from './CallbacksPanel';
import { CountsBar } from './CountsBar';
import { SeatTable } from './SeatTable';
import { WaitingCallsTable } from './WaitingCallsTable';
import { UnfiledList } from '../unfiled/UnfiledList';

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
      <UnfiledList mine={false} />
      <div className="monitor-top">
        <CountsBar />
        <SnapshotStatus />
      </div>
      <div className="monitor-grid">
        <WaitingCallsTable />
        <SeatTable />
      </div>
      <CallbacksPanel />
    </div>
  );
}
