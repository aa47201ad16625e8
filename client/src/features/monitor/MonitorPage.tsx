import { useState } from 'react';
import { formatClock } from '../../shared/format';
import { useAppStore } from '../../app/store';
import { AlertsPanel } from './AlertsPanel';
import { CallbacksPanel } from './CallbacksPanel';
import { CallDetailPanel } from './CallDetail';
import { CategoryQueues } from './CategoryQueues';
import { CountsBar } from './CountsBar';
import { LiveAlertsPanel } from './LiveAlertsPanel';
import { LiveFigures } from './LiveFigures';
import { ListenBar } from './ListenBar';
import { RiskHitsPanel } from './RiskHitsPanel';
import { MessageComposer } from './MessageComposer';
import { SeatWall } from './SeatWall';
import { WaitingCallsTable } from './WaitingCallsTable';
import { UnfiledList } from '../unfiled/UnfiledList';
import { HandoverMonitor } from '../handover/HandoverMonitor';
import './monitor.css';

function SnapshotStatus() {
  const at = useAppStore((s) => s.snapshot?.at ?? null);
  const error = useAppStore((s) => s.queueError);
  if (error) return <div className="alert alert-error">{error}</div>;
  return <div className="muted small">{at === null ? '正在订阅实时队列…' : `数据更新于 ${formatClock(at)}`}</div>;
}

/** 班长监控: live counts, the live queue (a call opens into its history and actions) and the seat wall. */
export function MonitorPage() {
  const [openCall, setOpenCall] = useState<string | null>(null);
  return (
    <div className="monitor-page">
      <AlertsPanel />
      <UnfiledList mine={false} />
      <LiveAlertsPanel />
      <RiskHitsPanel />
      {/* a 12345 work order not delivered, a 12345 call-back request, an overdue referral: with the alerts, above the fold */}
      <HandoverMonitor />
      <div className="monitor-top">
        <CountsBar />
        <LiveFigures />
        <SnapshotStatus />
      </div>
      <ListenBar />
      <div className="monitor-bar">
        <CategoryQueues />
        <MessageComposer />
      </div>
      <div className={openCall ? 'monitor-grid monitor-grid-detail' : 'monitor-grid'}>
        <WaitingCallsTable onOpen={setOpenCall} />
        {openCall && <CallDetailPanel callId={openCall} onClose={() => setOpenCall(null)} />}
        <SeatWall />
      </div>
      <CallbacksPanel />
    </div>
  );
}
