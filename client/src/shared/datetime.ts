/**
 * The hotline works on China time (UTC+8) whatever the browser's zone, as lib/format.ts does:
 * a follow-up time typed as "2025-01-06T15:30" means 15:30 in China.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Unix ms → the value of an <input type="datetime-local"> (minutes), China time. */
export function toChinaLocalInput(at: number | null | undefined): string {
  if (at === null || at === undefined || !Number.isFinite(at)) return '';
  const d = new Date(at + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The value of a datetime-local input (China time) → Unix ms; null when empty or malformed. */
export function fromChinaLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, s) - CHINA_OFFSET_MS;
  return Number.isFinite(at) ? at : null;
}

/** The China day of `at` as YYYY-MM-DD (the server's "local day" for my calls). */
export function chinaDay(at: number): string {
  const d = new Date(at + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** "01-06 15:30" in China time. */
export function formatDayTime(at: number): string {
  const d = new Date(at + CHINA_OFFSET_MS);
  return `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** "2025-01-06 15:30" in China time. */
export function formatDateTime(at: number): string {
  return `${chinaDay(at)} ${formatDayTime(at).slice(6)}`;
}
