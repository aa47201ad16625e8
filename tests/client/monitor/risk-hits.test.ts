import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RiskHitView } from '../../../client/src/contract';
import { RiskHitsPanel, type RiskHitsSource } from '../../../client/src/features/monitor/RiskHitsPanel';

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
});

async function show(source: RiskHitsSource) {
  await act(async () => root.render(createElement(RiskHitsPanel, { source })));
}

const hit = (i: number, over: Partial<RiskHitView> = {}): RiskHitView => ({
  callId: `c-${i}`,
  at: Date.UTC(2026, 10, 23, 2, 5 + i), // 10:05 + i in China
  seatId: 's03',
  categoryId: 'labor',
  words: ['讨薪'],
  topic: '工地欠薪',
  ...over,
});

describe('risk words on the monitor', () => {
  it('lists today’s hits with the words, time, seat and topic; a confidential topic stays hidden', async () => {
    await show(async () => ({ ok: true, data: [hit(0, { words: ['群体', '上访'] }), hit(1, { topic: '(保密)' })] }));
    const region = host.querySelector('[aria-label="风险词预警"]');
    expect(region?.textContent).toContain('今日 2 条');
    const items = [...host.querySelectorAll('li')].map((li) => li.textContent ?? '');
    expect(items[0]).toContain('10:05');
    expect(items[0]).toContain('群体、上访');
    expect(items[0]).toContain('s03');
    expect(items[0]).toContain('工地欠薪');
    expect(items[1]).toContain('(保密)');
  });

  it('shows ten and points to the report for the rest', async () => {
    await show(async () => ({ ok: true, data: Array.from({ length: 12 }, (_, i) => hit(i)) }));
    expect(host.querySelectorAll('li')).toHaveLength(10);
    expect(host.textContent).toContain('另有 2 条');
  });

  it('shows nothing without hits or when refused', async () => {
    await show(async () => ({ ok: true, data: [] }));
    expect(host.querySelector('.risk-hits')).toBeNull();
    await show(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '' } }));
    expect(host.querySelector('.risk-hits')).toBeNull();
  });
});
