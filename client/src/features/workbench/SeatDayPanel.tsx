import { useEffect } from 'react';
import { seatDay } from '../../app/root';
import { useAppStore } from '../../app/store';
import { Elapsed } from '../../shared/components/Elapsed';
import { formatDuration } from '../../shared/format';

/** How often the queue and the day's figures are read again while the workbench is open. */
export const SEAT_DAY_REFRESH_MS = 15_000;

/**
 * 我的队列 and 今日: callers waiting in this seat's specialties (and the longest wait), and the
 * seat's own day: answered, missed (and declined) offers, talk time. Read on open, every 15 s, and
 * whenever the seat's state changes (a call answered, ended or missed moves the figures).
 */
export function SeatDayPanel() {
  const day = useAppStore((s) => s.seatDay);
  const error = useAppStore((s) => s.seatDayError);
  const stateKey = useAppStore((s) => (s.seat ? `${s.seat.state.kind}:${s.seat.state.since}` : null));
  useEffect(() => {
    if (stateKey === null) return;
    void seatDay.refresh();
    const timer = setInterval(() => void seatDay.refresh(), SEAT_DAY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [stateKey]);

  return (
    <section className="panel seat-day" aria-label="我的队列与今日">
      <dl className="seat-day-grid">
        <div className={day && day.queue.waiting > 0 ? 'seat-day-item queue-waiting' : 'seat-day-item'}>
          <dt>专长排队</dt>
          <dd data-testid="seat-queue">{day ? day.queue.waiting : '—'}</dd>
          {day?.queue.oldestEnqueuedAt != null && (
            <dd className="seat-day-sub">
              最长 <Elapsed since={day.queue.oldestEnqueuedAt} />
            </dd>
          )}
        </div>
        <div className="seat-day-item">
          <dt>今日接听</dt>
          <dd data-testid="seat-answered">{day ? day.answered : '—'}</dd>
        </div>
        <div className={day && day.missed > 0 ? 'seat-day-item day-missed' : 'seat-day-item'}>
          <dt>未接</dt>
          <dd data-testid="seat-missed">{day ? day.missed : '—'}</dd>
          {day !== null && day.declined > 0 && <dd className="seat-day-sub">拒接 {day.declined}</dd>}
        </div>
        <div className="seat-day-item">
          <dt>通话时长</dt>
          <dd data-testid="seat-talk">{day ? formatDuration(day.talkMs) : '—'}</dd>
        </div>
      </dl>
      {error && (
        <p className="muted small" role="status">
          今日统计暂未更新:{error}
        </p>
      )}
    </section>
  );
}
