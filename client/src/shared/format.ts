const pad2 = (n: number) => String(n).padStart(2, '0');

/** Elapsed or remaining time: "04:05" under an hour, "1:02:03" beyond; negatives show as 00:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${pad2(m)}:${pad2(s)}`;
}

/** Time since `since` at `now`, e.g. a seat's time in state or a caller's wait. */
export function formatElapsed(since: number, now: number): string {
  return formatDuration(now - since);
}

/**
 * Wrap-up countdown to `until`. Rounds up so the display reaches 00:00 exactly when the time
 * is over (a countdown that shows 00:00 for a whole second before the end looks broken).
 */
export function formatCountdown(until: number, now: number): string {
  const left = Math.max(0, until - now);
  return formatDuration(Math.ceil(left / 1000) * 1000);
}

/** Clock time in China (UTC+8), "14:05:09", independent of the browser's zone. */
export function formatClock(at: number): string {
  const d = new Date(at + 8 * 3600_000);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}
