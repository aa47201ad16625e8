import { useEffect, useState } from 'react';
import type { RecordingSpan, RecordingView } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { MISSING_TEXT, offset } from './labels';
import { audioUrl, defaultRecordingsApi, downloadUrl, type RecordingsApi } from './recordings-api';
import './recordings.css';

export interface RecordingPlayerProps {
  callId: string;
  /** Show 下载 (asks for a reason; audited). */
  allowDownload?: boolean;
  onError?: (message: string) => void;
  /** Opens a call a transfer links to this one (its own recording); without it they are listed only. */
  onOpenLinked?: (callId: string) => void;
  api?: RecordingsApi;
}

const MARK_TEXT = { pause: '录音暂停', hold: '保持', consult: '咨询' } as const;

function Marks({ spans, total, kind }: { spans: RecordingSpan[]; total: number; kind: keyof typeof MARK_TEXT }) {
  return (
    <>
      {spans.map((s) => (
        <span
          key={`${kind}-${s.fromMs}`}
          className={`rec-mark rec-mark-${kind}`}
          style={{ left: `${(100 * s.fromMs) / total}%`, width: `${Math.max(0.5, (100 * (s.toMs - s.fromMs)) / total)}%` }}
          title={`${MARK_TEXT[kind]} ${offset(s.fromMs)}–${offset(s.toMs)}`}
        />
      ))}
    </>
  );
}

/**
 * A call's recording (录音回放): the browser's audio player on the audited audio URL, the holds
 * and the seat's pauses on a timeline, why there is no recording when there is none, and a
 * download that asks for a reason. Embedded by the call record and the QC pages.
 */
export function RecordingPlayer({ callId, allowDownload = false, onError, onOpenLinked, api }: RecordingPlayerProps) {
  const [view, setView] = useState<RecordingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  useEffect(() => {
    let live = true;
    setView(null);
    setError(null);
    void (api ?? defaultRecordingsApi()).view(callId).then((ack) => {
      if (!live) return;
      if (ack.ok) setView(ack.data);
      else {
        const m = errorMessage(ack.error);
        setError(m);
        onError?.(m);
      }
    });
    return () => {
      live = false;
    };
  }, [callId, api, onError]);

  if (error)
    return (
      <section className="recording-player" aria-label="通话录音">
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    );
  if (!view)
    return (
      <section className="recording-player" aria-label="通话录音">
        <p className="muted">正在读取录音…</p>
      </section>
    );
  const total = Math.max(1, view.durationMs ?? 1);
  const consults = view.consultations ?? [];
  return (
    <section className="recording-player" aria-label="通话录音">
      <h4>通话录音{view.durationMs !== null && <span className="muted small"> 时长 {offset(view.durationMs)}</span>}</h4>
      {view.available ? (
        <>
          <audio controls preload="metadata" src={audioUrl(callId)} data-testid="recording-audio" />
          {(view.holds.length > 0 || view.pauses.length > 0 || consults.length > 0) && (
            <div className="rec-timeline" aria-label="录音时间轴">
              <Marks spans={view.holds} total={total} kind="hold" />
              <Marks spans={consults} total={total} kind="consult" />
              <Marks spans={view.pauses} total={total} kind="pause" />
            </div>
          )}
          <ul className="rec-spans small">
            {view.holds.map((h) => (
              <li key={`h${h.fromMs}`}>
                保持 {offset(h.fromMs)}–{offset(h.toMs)}
              </li>
            ))}
            {consults.map((c) => (
              <li key={`c${c.fromMs}`}>
                咨询 {c.to === '12345' ? '12345' : `坐席 ${c.to}`} {offset(c.fromMs)}–{offset(c.toMs)}（已录入本录音）
              </li>
            ))}
            {view.pauses.map((p) => (
              <li key={`p${p.fromMs}`}>
                录音暂停 {offset(p.fromMs)}–{offset(p.toMs)}
              </li>
            ))}
          </ul>
          {allowDownload &&
            (asking ? (
              <form
                className="rec-download"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (reason.trim().length < 2) return;
                  window.location.assign(downloadUrl(callId, reason.trim()));
                  setAsking(false);
                  setReason('');
                }}
              >
                <label>
                  下载原因（记入审计日志）
                  <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} required minLength={2} />
                </label>
                <button type="submit" className="btn" disabled={reason.trim().length < 2}>
                  确认下载
                </button>
                <button type="button" className="btn" onClick={() => setAsking(false)}>
                  取消
                </button>
              </form>
            ) : (
              <button type="button" className="btn" onClick={() => setAsking(true)}>
                下载
              </button>
            ))}
        </>
      ) : (
        <p className="muted" data-testid="recording-missing">
          {view.reason ? MISSING_TEXT[view.reason] : '没有录音'}
        </p>
      )}
      {view.linked.length > 0 && (
        <ul className="rec-linked small" aria-label="转接关联录音">
          {view.linked.map((l) => (
            <li key={l.callId}>
              {l.relation === 'transferred-from' ? '转接前通话' : '转接后通话'}{' '}
              {onOpenLinked ? (
                <button type="button" className="link mono" onClick={() => onOpenLinked(l.callId)}>
                  {l.callId}
                </button>
              ) : (
                <span className="mono">{l.callId}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
