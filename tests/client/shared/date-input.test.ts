import { act, createElement, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  calendarPlace,
  DateInput,
  DateTimeInput,
  monthGrid,
  normalizeDate,
  normalizeTime,
} from '../../../client/src/shared/components/DateInput';
import { click, key, Screen, type } from '../support/summary-dom';

describe('zh-CN date and time text', () => {
  it.each([
    ['2026-11-23', '2026-11-23'],
    ['2026-1-5', '2026-01-05'],
    ['2026/1/5', '2026-01-05'],
    ['2026年1月5日', '2026-01-05'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('when %s is typed, should read it as %s', (typed, day) => {
    expect(normalizeDate(typed)).toBe(day);
  });

  it.each(['2026-02-30', '2025-02-29', '11/23/2026', '2026-13-01', 'tomorrow', ''])(
    'when %s is typed, should not take it as a date',
    (typed) => {
      expect(normalizeDate(typed)).toBeNull();
    },
  );

  it('should read 24-hour times and refuse others', () => {
    expect(normalizeTime('9:05')).toBe('09:05');
    expect(normalizeTime('15：30')).toBe('15:30');
    expect(normalizeTime('24:00')).toBeNull();
    expect(normalizeTime('3:30 PM')).toBeNull();
  });

  it('should lay a month out Monday first', () => {
    const nov = monthGrid('2026-11'); // 1 November 2026 is a Sunday
    expect(nov.slice(0, 7)).toEqual([null, null, null, null, null, null, '2026-11-01']);
    expect(nov.filter(Boolean)).toHaveLength(30);
    expect(monthGrid('2024-02').filter(Boolean).at(-1)).toBe('2024-02-29');
  });
});

let screen: Screen;
let changes: string[];
beforeEach(() => {
  screen = new Screen();
  changes = [];
});
afterEach(() => screen.close());

function ShowDate() {
  const [value, setValue] = useState('2026-11-23');
  return createElement(DateInput, {
    value,
    max: '2026-11-23',
    onChange: (v: string) => {
      changes.push(v);
      setValue(v);
    },
  });
}

function ShowDateTime() {
  const [value, setValue] = useState('');
  return createElement(DateTimeInput, {
    id: 'follow',
    value,
    today: '2026-11-23',
    onChange: (v: string) => {
      changes.push(v);
      setValue(v);
    },
  });
}

const input = () => screen.host.querySelector('.date-input input') as HTMLInputElement;
const calendarButton = () => screen.host.querySelector('button[aria-label="打开日历"]') as HTMLButtonElement;
const leave = (el: HTMLElement) => act(() => void el.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));

describe('DateInput', () => {
  it('should show the day as 年-月-日 text, never a native date input', () => {
    screen.show(ShowDate);
    expect(input().value).toBe('2026-11-23');
    expect(input().type).toBe('text');
    expect(screen.host.querySelector('input[type="date"]')).toBeNull();
  });

  it('when a real day is typed and Enter pressed, should take it in the 年-月-日 form', () => {
    screen.show(ShowDate);
    type(input(), '2026-11-3');
    key(input(), { key: 'Enter' });
    expect(changes).toEqual(['2026-11-03']);
    expect(input().value).toBe('2026-11-03');
  });

  it('when a day that does not exist or is after max is typed, should mark it and keep the value', () => {
    screen.show(ShowDate);
    type(input(), '11/23/2026');
    key(input(), { key: 'Enter' });
    expect(input().getAttribute('aria-invalid')).toBe('true');
    type(input(), '2026-11-24');
    key(input(), { key: 'Enter' });
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(changes).toEqual([]);
  });

  it('when a day is picked in the calendar, should take it; days after max cannot be picked', () => {
    screen.show(ShowDate);
    click(calendarButton());
    expect(screen.text()).toContain('2026年11月');
    expect(screen.text()).toContain('一二三四五六日');
    const day = (label: string) => screen.host.querySelector(`[aria-label="${label}"]`) as HTMLButtonElement;
    expect(day('2026年11月24日').disabled).toBe(true);
    click(day('2026年11月2日'));
    expect(changes).toEqual(['2026-11-02']);
    expect(screen.host.querySelector('[role="dialog"]')).toBeNull();
  });
});

describe('DateInput without a day, today, min or max', () => {
  afterEach(() => vi.useRealTimers());

  it('when opened at 01:00 China time on the 1st, should show the China month, not the UTC one (still the month before)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 30, 17, 0)); // 2026-12-01 01:00 in China
    screen.show(() => createElement(DateInput, { value: '', onChange: () => {} }));
    click(calendarButton());
    expect(screen.text()).toContain('2026年12月');
  });
});

describe('DateTimeInput', () => {
  it('should give a datetime-local value from the day and a 24-hour time', () => {
    screen.show(ShowDateTime);
    const time = () => screen.host.querySelector('.time-input') as HTMLInputElement;
    expect(time().disabled).toBe(true); // no day yet
    click(calendarButton());
    click(screen.host.querySelector('[aria-label="2026年11月25日"]') as HTMLButtonElement);
    expect(changes.at(-1)).toBe('2026-11-25T09:00');
    type(time(), '15:30');
    leave(time());
    expect(changes.at(-1)).toBe('2026-11-25T15:30');
    type(time(), '3:30 PM');
    leave(time());
    expect(time().getAttribute('aria-invalid')).toBe('true');
    expect(changes.at(-1)).toBe('2026-11-25T15:30');
  });
});

describe('where the calendar opens', () => {
  const win = { width: 1280, height: 720 };
  it('should open below its button, its right edge at the button, when there is room', () => {
    expect(calendarPlace({ top: 100, bottom: 130, right: 600 }, win)).toEqual({ position: 'fixed', top: 134, left: 352 });
  });

  it('when the window ends below the button, should open above it; near the left edge, should stay in the window', () => {
    expect(calendarPlace({ top: 600, bottom: 630, right: 100 }, win)).toEqual({ position: 'fixed', top: 346, left: 4 });
  });
});
