import { useEffect, useRef } from 'react';
import type { MajorAlert, ReferenceData } from '../../contract';
import { categoryName } from '../../shared/labels';
import { formatClock } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { cue, type Tone } from '../../shared/tone';
import { alerts as controller } from '../../app/root';
import { appStore, useAppStore } from '../../app/store';

/** Two short rising tones: a new 重大事项 alert. */
const ALERT_TONES: readonly Tone[] = [
  { at: 0, length: 0.18, freqs: [880], level: 0.25, shape: 'ping' },
  { at: 0.22, length: 0.18, freqs: [1175], level: 0.25, shape: 'ping' },
];

/**
 * The alert's sound. Nothing where audio is unavailable or not yet allowed (the browser's autoplay
 * rules need a click on the page first; the supervisor's sign-in is one).
 */
export function beep(): void {
  cue(ALERT_TONES);
}

export const TITLE_FLASH_MS = 1_000;

/**
 * The cue of new alerts: a beep when an alert not seen before appears, and the tab's title
 * alternating with "【重大事项】n 条待确认" while any is open, so a supervisor on another tab sees it.
 */
function useAlertCue(alerts: MajorAlert[]): void {
  const seen = useRef(new Set<number>());
  const fresh = alerts.some((a) => !seen.current.has(a.id));
  useEffect(() => {
    if (!fresh) return;
    for (const a of alerts) seen.current.add(a.id);
    beep();
  }, [fresh, alerts]);

  const count = alerts.length;
  useEffect(() => {
    if (count === 0) return;
    const base = document.title;
    const flash = `【重大事项】${count} 条待确认`;
    let on = true;
    document.title = flash;
    const t = setInterval(() => {
      on = !on;
      document.title = on ? flash : base;
    }, TITLE_FLASH_MS);
    return () => {
      clearInterval(t);
      document.title = base;
    };
  }, [count]);
}

/** "刚刚", "3 分钟前", "2 小时前": how long the alert has waited for a supervisor. */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 60) return '刚刚';
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  return `${Math.floor(s / 3600)} 小时前`;
}

function AlertCard({
  alert,
  reference,
  now,
  pending,
}: {
  alert: MajorAlert;
  reference: ReferenceData | null;
  now: number;
  pending: boolean;
}) {
  const ack = () => void controller.ack(alert.id);
  return (
    <li className="major-alert">
      <div className="major-alert-main">
        <div className="major-alert-head">
          <strong>{alert.seatName}</strong>
          <span>{categoryName(alert.categoryId, reference)}</span>
          <span className="mono">{alert.callerMasked}</span>
          <span className="major-alert-time">
            {formatClock(alert.raisedAt)} · {ago(alert.raisedAt, now)}
          </span>
        </div>
        <p className="major-alert-note">{alert.note}</p>
      </div>
      <button type="button" className="btn btn-alert-ack" onClick={ack} disabled={pending} aria-label={`确认 ${alert.seatName} 的上报`}>
        {pending ? '正在确认…' : '确认'}
      </button>
    </li>
  );
}

/**
 * 重大事项上报 at the top of the monitor: open alerts from GET /api/alerts?open=1 on load and on
 * every reconnect, new ones as 'alert:updated' pushes them; 确认 acknowledges one.
 */
export function AlertsPanel() {
  const alerts = useAppStore((s) => s.alerts);
  const error = useAppStore((s) => s.alertsError);
  const pending = useAppStore((s) => s.alertAckPending);
  const reference = useAppStore((s) => s.reference);
  const connection = useAppStore((s) => s.connection);
  const now = useServerNow();
  useAlertCue(alerts);

  // Alerts raised while the socket was down reach us only through the list.
  const live = connection === 'online' || connection === 'idle';
  useEffect(() => {
    if (live) void controller.loadOpen();
  }, [live]);

  if (alerts.length === 0 && !error) return null;
  return (
    <section className="alerts-panel" aria-label="重大事项上报">
      {alerts.length > 0 && (
        <h2 className="alerts-title">
          重大事项上报 <span className="alerts-count">{alerts.length} 条待确认</span>
        </h2>
      )}
      {error && (
        <div className="alert alert-error inline-error" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={() => appStore.getState().dismissAlertsError()}>
            知道了
          </button>
        </div>
      )}
      {/* Screen readers hear each new alert as it is added. */}
      <ul className="major-alerts" aria-live="assertive" aria-relevant="additions">
        {alerts.map((a) => (
          <AlertCard key={a.id} alert={a} reference={reference} now={now} pending={pending.includes(a.id)} />
        ))}
      </ul>
    </section>
  );
}
