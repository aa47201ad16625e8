import { localParts } from '../../domain/calendar.js';

const DAY_MS = 86_400_000;

/** Local calendar day (YYYY-MM-DD) of `at` in the routing configuration's fixed offset. */
export const localDay = (at: number, utcOffsetMinutes: number) => localParts(at, utcOffsetMinutes).date;

/** [start, end) in ms of a local day, or null when the date does not exist (2026-02-30). */
export function dayBounds(day: string, utcOffsetMinutes: number): { from: number; to: number } | null {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  if (new Date(midnightUtc).toISOString().slice(0, 10) !== day) return null;
  const from = midnightUtc - utcOffsetMinutes * 60_000;
  return { from, to: from + DAY_MS };
}
