import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adminApi } from '../../../client/src/features/admin/admin-api';
import { CalendarEditor } from '../../../client/src/features/admin/CalendarEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  vi.spyOn(adminApi, 'calendar').mockResolvedValue({
    ok: true,
    data: { periods: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 12 }], holidays: [] },
  });
  vi.spyOn(adminApi, 'preview').mockResolvedValue({ ok: true, data: [] });
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
function type(input: HTMLInputElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('服务日历 editor', () => {
  it('an emptied 计划坐席 shows empty (not NaN) and takes the next number typed', async () => {
    await act(async () => root.render(createElement(CalendarEditor)));
    await flush();
    const seats = host.querySelector<HTMLInputElement>('input[aria-label="时段 1 计划坐席"]')!;
    expect(seats.value).toBe('12');
    act(() => type(seats, ''));
    expect(seats.value).toBe('');
    act(() => type(seats, '8'));
    expect(seats.value).toBe('8');
    act(() => type(seats, 'abc'));
    expect(seats.value).not.toContain('NaN');
    expect(host.textContent).not.toContain('NaN');
  });
});
