import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { configVersion, type TrendsView } from '../../../client/src/contract';
import { TrendsPanel } from '../../../client/src/features/reports/TrendsPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const STALE = '风险词表已被他人修改,您的修改尚未保存(页面上仍保留您填写的内容);请重新点“分析”载入最新词表后再保存';

describe('风险词表 on the reports page', () => {
  it('saves with the version of the list it loaded; refused, it says why and keeps the typed words', async () => {
    const trends = {
      from: '2026-11-01',
      to: '2026-11-23',
      previousFrom: '2026-10-09',
      summaries: 0,
      previousSummaries: 0,
      rising: [],
      categories: [],
      riskHits: [],
      riskWords: ['群体', '讨薪'],
    } as unknown as TrendsView;
    const fetch = vi.fn(async (url: string) =>
      url.startsWith('/api/reports/trends')
        ? Response.json({ ok: true, data: trends })
        : Response.json({ ok: false, error: { code: 'VALIDATION', message: STALE, fields: { version: [STALE] } } }, { status: 400 }),
    );
    vi.stubGlobal('fetch', fetch);
    const host = document.createElement('div');
    const root = createRoot(host);
    try {
      await act(async () => root.render(createElement(TrendsPanel, { from: '2026-11-01', to: '2026-11-23', reference: null })));
      await act(async () => [...host.querySelectorAll('button')].find((b) => b.textContent?.startsWith('分析'))!.click());
      const area = host.querySelector('textarea')!;
      await act(async () => {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(area, '群体 讨薪 跳楼');
        area.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(async () => [...host.querySelectorAll('button')].find((b) => b.textContent === '保存风险词表')!.click());
      const [url, init] = fetch.mock.calls.at(-1)! as unknown as [string, RequestInit];
      expect(url).toBe(`/api/reports/risk-words?version=${configVersion(['群体', '讨薪'])}`);
      expect(JSON.parse(init.body as string)).toEqual({ words: ['群体', '讨薪', '跳楼'] });
      expect(host.querySelector('[role="status"]')?.textContent).toBe(STALE);
      expect(area.value).toBe('群体 讨薪 跳楼');
    } finally {
      act(() => root.unmount());
      vi.unstubAllGlobals();
    }
  });
});
