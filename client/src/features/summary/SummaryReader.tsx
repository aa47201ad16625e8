import { useEffect, useState, type ReactNode } from 'react';
import { CONFIDENTIAL_READ_REASON_MIN, type CallSummaryView } from '../../contract';
import { readSummary, reasonProblem, type LoadSummary, type SummaryRead } from './summary-read';

/**
 * One call's filed summary on a staff page (录音回放 and any page that opens a call's summary):
 * loads it, and when the caller asked for confidentiality (保密) asks for the reason the server
 * wants (at least 4 characters, audited) before loading it with that reason. `children` renders
 * the summary (null: none filed yet).
 */
export function SummaryReader(props: { callId: string; load: LoadSummary; children: (summary: CallSummaryView | null) => ReactNode }) {
  const { callId, load } = props;
  const [read, setRead] = useState<SummaryRead>({ kind: 'loading' });
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setRead({ kind: 'loading' });
    setReason('');
    void readSummary(load, callId).then((r) => {
      if (live) setRead(r);
    });
    return () => {
      live = false;
    };
  }, [callId, load]);

  if (read.kind === 'loading') return <p className="muted">正在读取小结…</p>;
  if (read.kind === 'loaded') return <>{props.children(read.summary)}</>;
  if (read.kind === 'failed') {
    return (
      <p className="error" role="alert">
        {read.error}
      </p>
    );
  }
  const problem = reasonProblem(reason);
  return (
    <form
      className="summary-reason"
      aria-label="查看保密小结"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem || busy) return;
        setBusy(true);
        void readSummary(load, callId, reason).then((r) => {
          setBusy(false);
          setRead(r);
        });
      }}
    >
      <p>来电人要求保密。查看本小结须填写查看理由(至少 {CONFIDENTIAL_READ_REASON_MIN} 个字),查看将记入审计日志。</p>
      <label>
        查看理由
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} required />
      </label>
      <button type="submit" className="btn" disabled={problem !== null || busy}>
        查看小结
      </button>
      {read.error && (
        <p className="error" role="alert">
          {read.error}
        </p>
      )}
    </form>
  );
}
