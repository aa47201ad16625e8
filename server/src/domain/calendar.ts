import type { ServiceCalendar } from './policy.js';

export interface OpenPeriod {
  from: string;
  to: string;
  plannedSeats: number;
  holiday: string | null;
}

/** Local date parts of `at` for a fixed UTC offset (China has no DST). */
export function localParts(at: number, utcOffsetMinutes: number): { date: string; isoWeekday: number; hhmm: string } {
  const d = new Date(at + utcOffsetMinutes * 60_000);
  const date = d.toISOString().slice(0, 10);
  const isoWeekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const hhmm = d.toISOString().slice(11, 16);
  return { date, isoWeekday, hhmm };
}

/** China's offset from UTC, for a time shown to users where no offset is configured. */
export const CHINA_UTC_OFFSET_MIN = 480;

/** `at` as "YYYY-MM-DD HH:MM" at a fixed UTC offset (times named in refusals and printed forms). */
export function localDateTime(at: number, utcOffsetMinutes: number): string {
  const { date, hhmm } = localParts(at, utcOffsetMinutes);
  return `${date} ${hhmm}`;
}

/**
 * The service period in force at `at`, or null when the hotline is closed (no
 * period, or a period with no planned seats). Holidays replace the weekly periods.
 */
export function periodAt(cal: ServiceCalendar, at: number, utcOffsetMinutes: number): OpenPeriod | null {
  const { date, isoWeekday, hhmm } = localParts(at, utcOffsetMinutes);
  const holiday = cal.holidays.find((h) => h.date === date);
  const candidates = holiday
    ? holiday.periods.map((p) => ({ ...p, holiday: holiday.name || date }))
    : cal.periods.filter((p) => p.days.includes(isoWeekday)).map((p) => ({ ...p, holiday: null }));
  const p = candidates.find((c) => c.from <= hhmm && hhmm < c.to);
  if (!p || p.plannedSeats === 0) return null;
  return { from: p.from, to: p.to, plannedSeats: p.plannedSeats, holiday: p.holiday };
}

/** The periods of one local date: a special date's (holiday or 调休 working day) or the weekday's. */
export function dayPlan(
  cal: ServiceCalendar,
  date: string,
): { weekday: number; special: string | null; periods: { from: string; to: string; plannedSeats: number }[] } {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const special = cal.holidays.find((h) => h.date === date);
  const periods = (special ? special.periods : cal.periods.filter((p) => p.days.includes(weekday)))
    .map((p) => ({ from: p.from, to: p.to, plannedSeats: p.plannedSeats }))
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  return { weekday, special: special ? special.name : null, periods };
}
