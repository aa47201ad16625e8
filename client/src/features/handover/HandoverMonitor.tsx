import { useEffect, useState } from 'react';
import { handover } from '../../app/root';
import type { MonitorLine } from './controller';

const POLL_MS = 15_000;

/**
 * The supervisors' watch on hand-overs: stuck 12345 messages, 12345 call-back requests, overdue
 * referrals (polls GET /api/handovers and /api/referrals). Meant for 班长监控 (MonitorPage).
 */
export function HandoverMonitor() {
  const [lines, setLines] = useState<MonitorLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const r = await handover.watch();
      if (stop) return;
      setLines(r.lines);
      setError(r.error);
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);
  if (lines.length === 0 && !error) return null;
  return (
    <section className="handover-monitor" aria-label="转办与转介提醒">
      <h2>转办与转介提醒</h2>
      {error && <p className="alert alert-error">{error}</p>}
      <ul>
        {lines.map((l) => (
          <li key={l.key} className={`handover-${l.kind}`}>
            {l.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
