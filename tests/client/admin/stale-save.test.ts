import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configVersion, type RoutingRulesView } from '../../../client/src/contract';
import { adminApi } from '../../../client/src/features/admin/admin-api';
import { RulesEditor } from '../../../client/src/features/admin/RulesEditor';
import { DEFAULT_ROUTING_CONFIG } from '../../../server/src/domain/policy';
import { rulesOf } from '../../../server/src/features/routing-config/routing-config-service';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const RULES: RoutingRulesView = rulesOf(DEFAULT_ROUTING_CONFIG);
const STALE = '路由规则已被其他管理员修改,您的修改尚未保存(页面上仍保留您填写的内容);请记下修改,刷新页面载入最新设置后再保存';

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  vi.spyOn(adminApi, 'rules').mockResolvedValue({ ok: true, data: RULES });
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.restoreAllMocks();
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

/** Types into a React-controlled input. */
function type(input: HTMLInputElement, value: string) {
  const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  set.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('路由规则 saved on a page another administrator has saved over since', () => {
  it('sends the version it loaded, shows the refusal and keeps what was typed', async () => {
    const save = vi.spyOn(adminApi, 'saveRules').mockResolvedValue({
      ok: false,
      error: { code: 'VALIDATION', message: `请求参数有误: version: ${STALE}`, fields: { version: [STALE] } },
    });
    await act(async () => root.render(createElement(RulesEditor)));
    await flush();
    const ring = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('振铃超时'))!.querySelector('input')!;
    act(() => type(ring, '33'));
    await act(async () => host.querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]![0].ringTimeoutS).toBe(33);
    expect(save.mock.calls[0]![1]).toBe(configVersion(RULES));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe(STALE);
    expect(ring.value).toBe('33');
  });
});
