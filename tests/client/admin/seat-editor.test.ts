import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configVersion } from '../../../client/src/contract';
import { adminApi } from '../../../client/src/features/admin/admin-api';
import { SeatEditor } from '../../../client/src/features/admin/SeatEditor';
import { reference, seat, T0 } from '../support/fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('坐席 editor refusals', () => {
  it('saves with the version of the profile it loaded, and shows the reasons without field names', async () => {
    const loaded = seat({ kind: 'offline', since: T0 });
    const save = vi.spyOn(adminApi, 'saveSeat').mockResolvedValue({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: '请填写坐席姓名;坐席「张律师」的资料已被其他管理员修改',
        fields: { name: ['请填写坐席姓名'], version: ['坐席「张律师」的资料已被其他管理员修改'] },
      },
    });
    await act(async () => root.render(createElement(SeatEditor, { seat: loaded, reference, onSaved: () => undefined })));
    await act(async () => button('保存').click());
    await flush();
    const { name, staffNo, centreId, skills, languages } = loaded;
    expect(save.mock.calls[0]![2]).toBe(configVersion({ name, staffNo, centreId, skills, languages }));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('请填写坐席姓名;坐席「张律师」的资料已被其他管理员修改');
  });
});
