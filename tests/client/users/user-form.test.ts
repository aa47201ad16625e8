import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import type { ApiError, UserAdminView } from '../../../client/src/contract';
import { UserForm } from '../../../client/src/features/users/UserForm';
import { reference } from '../support/fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const STALE = '用户 county-sup 已被其他管理员修改,您的修改尚未保存;请关闭后重新打开“编辑”再保存';

describe('用户管理 form', () => {
  it('a refusal for no field of the form (another administrator saved first) is shown, not swallowed', async () => {
    const editing = {
      id: 30,
      username: 'county-sup',
      displayName: '东城区班长',
      role: 'supervisor',
      seatId: null,
      centres: ['dongcheng'],
      disabled: false,
      mustChangePassword: false,
      passwordChangedAt: 0,
      createdAt: 0,
    } as UserAdminView;
    const refusal: ApiError = { code: 'VALIDATION', message: `请求参数有误: version: ${STALE}`, fields: { version: [STALE] } };
    const onSubmit = vi.fn(async () => refusal);
    const host = document.createElement('div');
    const root = createRoot(host);
    try {
      await act(async () => root.render(createElement(UserForm, { editing, seats: [], reference, onSubmit, onCancel: () => undefined })));
      await act(async () => host.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
      expect(onSubmit).toHaveBeenCalledTimes(1);
      expect(host.querySelector('[role="alert"]')?.textContent).toBe(STALE);
    } finally {
      act(() => root.unmount());
    }
  });
});
