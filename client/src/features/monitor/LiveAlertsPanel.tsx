import { useEffect, useRef, useState } from 'react';
import { LIVE_ALERT_LABELS, type LiveAlert } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { useAppStore } from '../../app/store';
import { beep } from './AlertsPanel';
import { liveAlerts, useLiveAlerts } from './live-alerts-store';
import { supervision } from './supervision';
import { ThresholdsDialog } from './ThresholdsDialog';

/** A beep for every alert not seen before that nobody has acknowledged. */
function useAlertSound(alerts: LiveAlert[]): void {
  const seen = useRef(new Set<string>());
  const fresh = alerts.some((a) => a.acknowledgedAt === null && !seen.current.has(`${a.key}@${a.since}`));
  useEffect(() => {
    if (!fresh) return;
    for (const a of alerts) seen.current.add(`${a.key}@${a.since}`);
    beep();
  }, [fresh, alerts]);
}

/** 告警: threshold alerts in scope, each with 确认; 阈值设置 opens the limits. */
export function LiveAlertsPanel() {
  const alerts = useLiveAlerts();
  const snapshotAlerts = useAppStore((s) => s.snapshot?.alerts);
  const now = useServerNow();
  /** A refused 确认, shown while the alert it was for is listed (one that cleared meanwhile just leaves). */
  const [error, setError] = useState<{ key: string; text: string } | null>(null);
  const [editing, setEditing] = useState(false);
  useAlertSound(alerts);

  // Every snapshot (the one a (re)subscription returns included) carries the list as it stood.
  useEffect(() => {
    if (snapshotAlerts) liveAlerts.getState().replace(snapshotAlerts);
  }, [snapshotAlerts]);

  const ack = async (key: string) => {
    setError(null);
    const res = await supervision.ackLiveAlert(key);
    if (res.ok) liveAlerts.getState().acknowledged(res.data);
    else setError({ key, text: errorMessage(res.error) });
  };
  const shownError = error && alerts.some((a) => a.key === error.key) ? error.text : null;
  const open = alerts.filter((a) => a.acknowledgedAt === null).length;
  return (
    <section className={open > 0 ? 'live-alerts live-alerts-open' : 'live-alerts'} aria-label="告警">
      <div className="live-alerts-head">
        <b>告警</b>
        <span className="muted small">{alerts.length === 0 ? '当前无告警' : `${alerts.length} 条,${open} 条待确认`}</span>
        <button type="button" className="link" onClick={() => setEditing(true)}>
          阈值设置
        </button>
      </div>
      {shownError && (
        <p className="alert alert-error inline-error" role="alert">
          {shownError}
        </p>
      )}
      {alerts.length > 0 && (
        <ul className="live-alert-list" aria-live="assertive">
          {alerts.map((a) => (
            <li key={a.key} className={a.acknowledgedAt === null ? 'live-alert' : 'live-alert live-alert-acked'} data-alert-key={a.key}>
              <span className="live-alert-kind">{LIVE_ALERT_LABELS[a.kind]}</span>
              <span>{a.text}</span>
              <span className="muted small mono">{formatElapsed(a.since, now)}</span>
              {a.acknowledgedAt === null ? (
                <button type="button" className="btn btn-alert-ack" onClick={() => void ack(a.key)} aria-label={`确认告警 ${a.text}`}>
                  确认
                </button>
              ) : (
                <span className="muted small">已确认 · {a.acknowledgedBy}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {editing && <ThresholdsDialog onClose={() => setEditing(false)} />}
    </section>
  );
}
