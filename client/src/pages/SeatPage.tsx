import { useCallback, useState } from 'react';
import { session } from '../runtime';
import { SUMMARY_GATE_HINT } from '../lib/seatActions';
import { useShortcuts } from '../lib/shortcuts';
import { appStore, useAppStore } from '../store';
import { selectSummaryFiled } from '../store/summary';
import { summary } from '../summary/runtime';
import { CallCard } from './seat/CallCard';
import { KnowledgePanel } from './seat/KnowledgePanel';
import { phoneCommands } from './seat/phoneBridge';
import { SeatStatePanel } from './seat/SeatStatePanel';
import { ShortcutHelp } from './seat/ShortcutHelp';
import { Softphone } from './seat/Softphone';
import { TransferPanel } from './seat/TransferPanel';
import { StatusActions } from './seat/StatusActions';
import { SummaryPanel } from './seat/SummaryPanel';
import { WrapUpPanel } from './seat/WrapUpPanel';

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
 * 坐席工作台, sized for 1280×720 without page scroll: state and actions | the call and the
 * softphone | the summary and the knowledge base. Panels scroll inside themselves.
 */
export function SeatPage() {
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback(() => setHelpOpen((o) => !o), []);
  useSeatShortcuts(toggleHelp);
  const categoryId = useWorkCategory();
  return (
    <div className="seat-workspace">
      <div className="ws-col ws-status">
        <SeatStatePanel />
        <WrapUpPanel />
        <StatusActions />
        <ShortcutHelp open={helpOpen} onToggle={setHelpOpen} />
      </div>
      <div className="ws-col ws-call">
        <CallCard />
        <Softphone transferSlot={<TransferPanel />} />
      </div>
      <div className="ws-col ws-work">
        <SummaryPanel />
        <KnowledgePanel categoryId={categoryId} onInsert={summary.insertKnowledge} />
      </div>
    </div>
  );
}
