import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configVersion } from '../../../client/src/contract';
import { adminApi } from '../../../client/src/features/admin/admin-api';
import { CategoriesEditor } from '../../../client/src/features/admin/CategoriesEditor';
import { SeatEditor } from '../../../client/src/features/admin/SeatEditor';
import { reference, seat, T0 } from '../support/fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const CATS = [
  { id: 'labor', name: '劳动与社会保障', ivrCodes: ['2'], general: false },
  { id: 'general', name: '综合咨询', ivrCodes: [], general: true },
];

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  vi.spyOn(adminApi, 'categories').mockResolvedValue({ ok: true, data: CATS });
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('专业类别 editor', () => {
  it('removing a category with waiting calls shows the server’s warning, and 仍然保存 sends the list again confirmed', async () => {
    const save = vi
      .spyOn(adminApi, 'saveCategories')
      .mockResolvedValueOnce({
        ok: false,
        error: { code: 'CONFLICT', message: '「劳动与社会保障」有 2 个来电正在排队,删除后将转入综合咨询排队;确认后再保存' },
      })
      .mockResolvedValueOnce({ ok: true, data: [CATS[1]!] });
    await act(async () => root.render(createElement(CategoriesEditor)));
    await flush();
    expect(host.querySelectorAll('tbody tr')).toHaveLength(2);
    await act(async () => button('删除').click());
    await act(async () => button('保存').click());
    await flush();
    expect(save).toHaveBeenLastCalledWith({ categories: [CATS[1]], confirm: false }, configVersion(CATS));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('有 2 个来电正在排队');
    await act(async () => button('仍然保存').click());
    await flush();
    expect(save).toHaveBeenLastCalledWith({ categories: [CATS[1]], confirm: true }, configVersion(CATS));
    expect(host.querySelector('[role="status"]')?.textContent).toBe('已保存,立即生效');
    expect(host.querySelectorAll('tbody tr')).toHaveLength(1);
  });

  it('shows each of the server’s zh-CN reasons when the list is refused', async () => {
    vi.spyOn(adminApi, 'saveCategories').mockResolvedValue({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: '请求参数有误',
        fields: { 'categories.2.id': ['类别代码只能用小写字母、数字和连字符(1-40 个字符)'], categories: ['须有且只有一个综合咨询类别'] },
      },
    });
    await act(async () => root.render(createElement(CategoriesEditor)));
    await flush();
    await act(async () => button('保存').click());
    await flush();
    const lines = [...host.querySelectorAll('[role="alert"] div')].map((d) => d.textContent);
    expect(lines).toEqual(['类别代码只能用小写字母、数字和连字符(1-40 个字符)', '须有且只有一个综合咨询类别']);
  });
});

describe('seat editor after a category was removed', () => {
  it('saves the seat without the removed specialty, which the server would refuse as unknown', async () => {
    const saved = seat({ kind: 'offline', since: T0 }, { skills: { labor: 5 } });
    const save = vi.spyOn(adminApi, 'saveSeat').mockResolvedValue({ ok: true, data: saved });
    const withRemoved = seat({ kind: 'offline', since: T0 }, { skills: { labor: 5, 'housing-rent': 3 } });
    await act(async () => root.render(createElement(SeatEditor, { seat: withRemoved, reference, onSaved: () => undefined })));
    await act(async () => button('保存').click());
    await flush();
    expect(save.mock.calls[0]?.[1].skills).toEqual({ labor: 5 });
    expect(host.querySelector('[role="status"]')?.textContent).toBe('已保存,立即生效');
  });
});
