import { useCallback, useState } from 'react';
import { can } from '../../contract';
import { useAppStore } from '../../app/store';
import { errorMessage } from '../../shared/errors';
import { formatClock } from '../../shared/format';
import { SummaryReader } from '../summary/SummaryReader';
import type { LoadSummary } from '../summary/summary-read';
import { RecordingPlayer } from './RecordingPlayer';
import { RecordingStoragePanel } from './RecordingStoragePanel';
import { defaultRecordingsApi, type CallBeside, type RecordingsApi } from './recordings-api';

const EVENT_TEXT: Record<string, string> = {
  enqueued: '进入排队',
  offered: '分配振铃',
  answered: '接听',
  held: '保持',
  resumed: '恢复通话',
  'transferred-in': '转接来电',
  'hung-up': '挂机',
  'summary-filed': '提交小结',
};

/** 录音回放 (supervisors, managers, administrators): a call's recording with its summary and event timeline. */
export function RecordingsPage({ api }: { api?: RecordingsApi }) {
  const role = useAppStore((s) => s.user?.role ?? null);
  const [input, setInput] = useState('');
  const [callId, setCallId] = useState<string | null>(null);
  const [call, setCall] = useState<CallBeside | null>(null);
  const [error, setError] = useState<string | null>(null);
  const a = api ?? defaultRecordingsApi();
  const loadSummary = useCallback<LoadSummary>((id, reason) => a.summary(id, reason), [a]);
  const open = async (id: string) => {
    setCallId(id);
    setCall(null);
    setError(null);
    const c = await a.call(id);
    if (c.ok) setCall(c.data);
    else setError(errorMessage(c.error));
  };
  return (
    <main className="page recordings-page">
      <h2>录音回放</h2>
      <form
        className="rec-open"
        onSubmit={(e) => {
          e.preventDefault();
          if (input.trim()) void open(input.trim());
        }}
      >
        <label>
          来电编号
          <input value={input} onChange={(e) => setInput(e.target.value)} maxLength={200} />
        </label>
        <button type="submit" className="btn">
          打开
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {callId && (
        <div className="rec-grid">
          <RecordingPlayer
            key={callId}
            callId={callId}
            allowDownload
            api={api}
            onOpenLinked={(id) => {
              setInput(id);
              void open(id);
            }}
          />
          {call && (
            <section aria-label="通话经过">
              <h4>通话经过</h4>
              <ol className="rec-events">
                {call.events
                  .filter((e) => EVENT_TEXT[e.type])
                  .map((e, i) => (
                    <li key={i}>
                      <span className="mono muted">{formatClock(e.at)}</span> {EVENT_TEXT[e.type]}
                      {e.seatId ? ` · ${e.seatId}` : ''}
                    </li>
                  ))}
              </ol>
            </section>
          )}
          {call && (
            <section aria-label="小结">
              <h4>小结</h4>
              <SummaryReader callId={callId} load={loadSummary}>
                {(summary) =>
                  summary ? (
                    <dl className="rec-storage">
                      <dt>主题</dt>
                      <dd>{summary.topic}</dd>
                      <dt>来电问题</dt>
                      <dd>{summary.question}</dd>
                      <dt>解答</dt>
                      <dd>{summary.answer}</dd>
                    </dl>
                  ) : (
                    <p className="muted">尚未提交小结</p>
                  )
                }
              </SummaryReader>
            </section>
          )}
        </div>
      )}
      {role && can(role, 'recordings:admin') && <RecordingStoragePanel api={api} />}
    </main>
  );
}
