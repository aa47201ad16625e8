import { useState } from 'react';
import { errorMessage } from '../../shared/errors';
import { defaultRecordingsApi, type RecordingsApi } from './recordings-api';

/** The seat's 暂停录音 / 恢复录音 toggle during a call (a caller reading out bank or identity numbers). */
export function RecordingPauseButton({ callId, api }: { callId: string; api?: RecordingsApi }) {
  const [paused, setPaused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const ack = await (api ?? defaultRecordingsApi()).setPaused(callId, !paused);
    setBusy(false);
    if (ack.ok) setPaused(ack.data.paused);
    else setError(errorMessage(ack.error));
  };
  return (
    <span className="rec-pause">
      <button
        type="button"
        className={`btn${paused ? ' btn-warn' : ''}`}
        disabled={busy}
        onClick={() => void toggle()}
        aria-pressed={paused}
      >
        {paused ? '恢复录音' : '暂停录音'}
      </button>
      {paused && <span className="muted small">录音已暂停</span>}
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
