import { useCallback, useState } from 'react';
import { session } from '../../app/root';
import { SUMMARY_GATE_HINT } from './seat-actions';
import { useShortcuts } from './shortcuts';
import { appStore, useAppStore } from '../../app/store';
import { selectSummaryFiled } from '../summary/slice';
import { summary } from '../../app/root';
import { CallCard } from './CallCard';
import { KnowledgePanel } from '../knowledge/KnowledgePanel';
import { phoneCommands } from '../phone/commands';
import { SeatDayPanel } from './SeatDayPanel';
import { SeatStatePanel } from './SeatStatePanel';
import { ShortcutHelp } from './ShortcutHelp';
import { Softphone } from '../phone/Softphone';
import { TransferPanel } from '../transfer/TransferPanel';
import { StatusActions } from './StatusActions';
import { SummaryPanel } from '../summary/SummaryPanel';
import { WrapUpPanel } from './WrapUpPanel';
import { SupervisorMessageToast } from '../seat-messages/SupervisorMessageToast';

/** F10 / Ctrl+Alt+R: the way back to taking calls that fits the state. */
function readyShortcut(): void {
  const s = appStore.getState();
  const st = s.seat?.state;
  if (!st || s.seatPending !== null) return;
  if (st.kind === 'wrap-up') {
    if (selectSummaryFiled(s)) void session.endWrapUp();
    else appStore.setState({ seatError: SUMMARY_GATE_HINT });
  } else if (st.kind === 'offline' || st.kind === 'not-ready') {
    void session.setReady();
  }
}

function useSeatShortcuts(toggleHelp: () => void): void {
  useShortcuts({
    answer: () => {
      if (appStore.getState().seat?.state.kind === 'ringing') phoneCommands.answer();
    },
    hangup: phoneCommands.hangup,
    ready: readyShortcut,
    submit: () => {
      const w = appStore.getState().summaryWork;
      if (w && !w.filed) void summary.submit();
    },
    help: toggleHelp,
  });
}

/** The knowledge panel suggests from the summary's category, else the call's. */
function useWorkCategory(): string | null {
  return useAppStore((s) => {
    const w = s.summaryWork;
    if (w && !w.filed && w.draft.categoryId) return w.draft.categoryId;
    const callId = s.seat && 'callId' in s.seat.state ? s.seat.state.callId : null;
    return s.call && s.call.id === callId ? s.call.categoryId : null;
  });
}

/**
 * 坐席工作台, sized for 1366×768 and 1280×720 without page scroll, in three columns: the seat's
 * state, its queue and day, the call and the softphone | the summary with 重大事项 and 立即上报 |
 * the knowledge base. Panels scroll inside themselves; the transfer panel opens over the first
 * column's call card.
 */
export function SeatPage() {
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback(() => setHelpOpen((o) => !o), []);
  useSeatShortcuts(toggleHelp);
  const categoryId = useWorkCategory();
  return (
    <div className="seat-workspace">
      <SupervisorMessageToast />
      <div className="ws-col ws-call">
        <div className="ws-head">
          <SeatStatePanel />
          <ShortcutHelp open={helpOpen} onToggle={setHelpOpen} />
        </div>
        <SeatDayPanel />
        <WrapUpPanel />
        <CallCard />
        <Softphone transferSlot={<TransferPanel />} />
        <StatusActions />
      </div>
      <div className="ws-col ws-summary">
        <SummaryPanel />
      </div>
      <div className="ws-col ws-knowledge">
        <KnowledgePanel categoryId={categoryId} onInsert={summary.insertKnowledge} />
      </div>
    </div>
  );
}
