import { describe, expect, it } from 'vitest';
import { localParts, periodAt } from '../../server/src/domain/calendar.js';
import type { ServiceCalendar } from '../../server/src/domain/policy.js';

const CHINA = 480;
/** A UTC instant for a China local time (UTC+8). */
const local = (y: number, m: number, d: number, hh: number, mm = 0) => Date.UTC(y, m - 1, d, hh - 8, mm);

/** Weekdays 08:30-18:00 and 18:00-24:00 staffed, Saturday closed by zero seats, Sunday without periods. */
const CAL: ServiceCalendar = {
  periods: [
    { days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 15 },
    { days: [1, 2, 3, 4, 5], from: '18:00', to: '24:00', plannedSeats: 4 },
    { days: [6], from: '00:00', to: '24:00', plannedSeats: 0 },
  ],
  holidays: [
    { date: '2026-10-01', name: '国庆节', periods: [] },
    { date: '2026-10-10', name: '调休', periods: [{ from: '09:00', to: '17:00', plannedSeats: 6 }] },
  ],
};

describe('localParts', () => {
  it('when it is late evening in UTC, should give the next day in China', () => {
    const parts = localParts(Date.UTC(2026, 10, 22, 23, 0), CHINA);

    expect(parts).toEqual({ date: '2026-11-23', isoWeekday: 1, hhmm: '07:00' });
  });

  it('when the local day is Sunday, should number it 7 (ISO)', () => {
    expect(localParts(local(2026, 11, 22, 12), CHINA).isoWeekday).toBe(7);
  });
});

describe('periodAt', () => {
  it('when a weekday time falls inside a period, should return that period', () => {
    const p = periodAt(CAL, local(2026, 11, 23, 10), CHINA);

    expect(p).toEqual({ from: '08:30', to: '18:00', plannedSeats: 15, holiday: null });
  });

  it('when a weekday time is before the first period, should be closed', () => {
    expect(periodAt(CAL, local(2026, 11, 23, 8, 29), CHINA)).toBeNull();
  });

  it('when the time is exactly a period start, should be open (from is inclusive)', () => {
    expect(periodAt(CAL, local(2026, 11, 23, 8, 30), CHINA)?.from).toBe('08:30');
  });

  it('when the time is exactly a period end, should use the next period (to is exclusive)', () => {
    expect(periodAt(CAL, local(2026, 11, 23, 18, 0), CHINA)?.from).toBe('18:00');
  });

  it('when a period ends at 24:00, should cover 23:59', () => {
    expect(periodAt(CAL, local(2026, 11, 23, 23, 59), CHINA)?.to).toBe('24:00');
  });

  it('when the period has no planned seats, should be closed', () => {
    expect(periodAt(CAL, local(2026, 11, 28, 12), CHINA)).toBeNull();
  });

  it('when the weekday has no period at all, should be closed', () => {
    expect(periodAt(CAL, local(2026, 11, 22, 12), CHINA)).toBeNull();
  });

  it('when the UTC date is a Sunday but China is already on Monday, should use the Monday periods', () => {
    // 2026-11-22 (Sun) 16:00 UTC = 2026-11-23 (Mon) 00:00 local: no Monday period at midnight.
    expect(periodAt(CAL, Date.UTC(2026, 10, 22, 16, 0), CHINA)).toBeNull();
    // 2026-11-23 (Mon) 00:30 UTC = 08:30 local: Monday's day period.
    expect(periodAt(CAL, Date.UTC(2026, 10, 23, 0, 30), CHINA)?.from).toBe('08:30');
  });

  it('when a holiday has no periods, should close a weekday', () => {
    // 2026-10-01 is a Thursday.
    expect(periodAt(CAL, local(2026, 10, 1, 10), CHINA)).toBeNull();
  });

  it('when a holiday has periods on a closed day, should open it and name the holiday', () => {
    // 2026-10-10 is a Saturday.
    const p = periodAt(CAL, local(2026, 10, 10, 10), CHINA);

    expect(p).toEqual({ from: '09:00', to: '17:00', plannedSeats: 6, holiday: '调休' });
  });

  it('when a holiday has periods, should replace the weekly ones outside them', () => {
    expect(periodAt(CAL, local(2026, 10, 10, 17, 30), CHINA)).toBeNull();
  });

  it('when a holiday is dated in local time, should apply from local midnight (not UTC midnight)', () => {
    // 2026-09-30 16:30 UTC = 2026-10-01 00:30 local: already the holiday; weekday evening period must not apply.
    expect(
      periodAt(
        { ...CAL, periods: [{ days: [1, 2, 3, 4, 5], from: '00:00', to: '24:00', plannedSeats: 3 }] },
        Date.UTC(2026, 8, 30, 16, 30),
        CHINA,
      ),
    ).toBeNull();
  });
});
