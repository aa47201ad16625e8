import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportView } from '../../../client/src/contract';
import { CallbackCompletionTable } from '../../../client/src/features/reports/CallbackCompletionTable';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const f = (due: number, doneOnTime: number, doneLate: number, overdue: number, pending: number, onTimeRate: number | null) => ({
  due,
  doneOnTime,
  doneLate,
  overdue,
  pending,
  onTimeRate,
});

describe('回访回电 table on the reports page', () => {
  it('shows the total and each source, with the on-time rate', () => {
    const report = {
      callbacks: {
        total: f(5, 2, 1, 1, 1, 0.5),
        bySource: [
          { key: 'callback-request', label: '回电请求', figures: f(3, 2, 0, 1, 0, 2 / 3) },
          { key: 'dissatisfied', label: '不满意回访', figures: f(2, 0, 1, 0, 1, 0) },
        ],
      },
    } as unknown as ReportView;
    act(() => root.render(createElement(CallbackCompletionTable, { report })));
    const rows = [...host.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['合计', '5', '2', '1', '1', '1', '50.0%'],
      ['回电请求', '3', '2', '0', '1', '0', '66.7%'],
      ['不满意回访', '2', '0', '1', '0', '1', '0.0%'],
    ]);
    expect([...host.querySelectorAll('th')].map((th) => th.textContent)).toContain('逾期未完成');
  });

  it('says so when the report has no task figures, and shows — for a rate with nothing due', () => {
    act(() => root.render(createElement(CallbackCompletionTable, { report: {} as ReportView })));
    expect(host.textContent).toContain('没有回访、回电任务数据');
    const report = { callbacks: { total: f(1, 0, 0, 0, 1, null), bySource: [] } } as unknown as ReportView;
    act(() => root.render(createElement(CallbackCompletionTable, { report })));
    expect(host.querySelector('tbody tr')!.lastElementChild!.textContent).toBe('—');
  });
});
