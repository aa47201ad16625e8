import { describe, expect, it } from 'vitest';
import {
  chinaDay,
  formatClock,
  formatCountdown,
  formatDateTime,
  formatDayTime,
  formatDuration,
  formatElapsed,
  toChinaLocalInput,
} from '../../../client/src/shared/format';
import { T0 } from '../support/fixtures';

describe('formatDuration', () => {
  it('when under an hour, should show mm:ss', () => {
    expect(formatDuration(65_000)).toBe('01:05');
  });

  it('when an hour or more, should show h:mm:ss', () => {
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('when negative (clock skew), should show 00:00', () => {
    expect(formatDuration(-5_000)).toBe('00:00');
  });
});

describe('formatElapsed', () => {
  it('when 3.9 s have passed, should show whole seconds elapsed', () => {
    expect(formatElapsed(T0, T0 + 3_900)).toBe('00:03');
  });
});

describe('formatCountdown (wrap-up)', () => {
  it('when 44.2 s are left, should round up to 00:45', () => {
    expect(formatCountdown(T0 + 45_000, T0 + 800)).toBe('00:45');
  });

  it('when the deadline has passed, should stop at 00:00', () => {
    expect(formatCountdown(T0, T0 + 10_000)).toBe('00:00');
  });

  it('when exactly at the deadline, should show 00:00', () => {
    expect(formatCountdown(T0, T0)).toBe('00:00');
  });
});

describe('formatClock', () => {
  it('when given a UTC instant, should show China time', () => {
    expect(formatClock(T0 + 5_000)).toBe('09:00:05');
  });
});

describe('a time that is not one (9e15 ms is beyond what a Date holds; NaN)', () => {
  it('shows as — in every China-time format, never NaN; a datetime input stays empty', () => {
    for (const at of [9e15, NaN, Infinity]) {
      expect([formatClock(at), chinaDay(at), formatDayTime(at), formatDateTime(at)]).toEqual(['—', '—', '—', '—']);
      expect(toChinaLocalInput(at)).toBe('');
    }
    expect(formatDateTime(T0)).toBe('2025-01-06 09:00');
  });
});
