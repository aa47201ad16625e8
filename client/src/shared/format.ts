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

/**
 * China time (UTC+8): the hotline works on it whatever the browser's zone. A follow-up time typed
 * as "2025-01-06T15:30" means 15:30 in China, and every clock and date on screen reads in it.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** What a clock or date shows for a time that is not one (NaN, or beyond what a Date holds). */
export const NO_TIME = '—';

/** The fields of `at` as a clock in China shows them; null for a time that is not one. */
function china(at: number): { y: number; mo: string; d: string; h: string; mi: string; s: string } | null {
  const t = new Date(at + CHINA_OFFSET_MS);
  if (Number.isNaN(t.getTime())) return null;
  return {
    y: t.getUTCFullYear(),
    mo: pad2(t.getUTCMonth() + 1),
    d: pad2(t.getUTCDate()),
    h: pad2(t.getUTCHours()),
    mi: pad2(t.getUTCMinutes()),
    s: pad2(t.getUTCSeconds()),
  };
}

/** Clock time in China, "14:05:09". */
export function formatClock(at: number): string {
  const c = china(at);
  return c ? `${c.h}:${c.mi}:${c.s}` : NO_TIME;
}

/** The China day of `at` as YYYY-MM-DD (the server's "local day" for my calls). */
export function chinaDay(at: number): string {
  const c = china(at);
  return c ? `${c.y}-${c.mo}-${c.d}` : NO_TIME;
}

/** "01-06 15:30" in China time. */
export function formatDayTime(at: number): string {
  const c = china(at);
  return c ? `${c.mo}-${c.d} ${c.h}:${c.mi}` : NO_TIME;
}

/** "2025-01-06 15:30" in China time. */
export function formatDateTime(at: number): string {
  const c = china(at);
  return c ? `${c.y}-${c.mo}-${c.d} ${c.h}:${c.mi}` : NO_TIME;
}

/** Unix ms → the value of an <input type="datetime-local"> (minutes), China time. */
export function toChinaLocalInput(at: number | null | undefined): string {
  const c = at === null || at === undefined ? null : china(at);
  if (!c) return '';
  return `${c.y}-${c.mo}-${c.d}T${c.h}:${c.mi}`;
}

/** The value of a datetime-local input (China time) → Unix ms; null when empty or malformed. */
export function fromChinaLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, s) - CHINA_OFFSET_MS;
  return Number.isFinite(at) ? at : null;
}
