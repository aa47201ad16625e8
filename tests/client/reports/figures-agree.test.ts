import fc from 'fast-check';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import type { OutboundFiguresView, ReportView } from '../../../client/src/contract';
import { pct, sec } from '../../../client/src/features/reports/format';
import { OutboundReportTable } from '../../../client/src/features/reports/OutboundReportTable';
import { FIGURE_COLUMNS, tableRows } from '../../../server/src/features/reports/export-format';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The export's cell as the page would print it ('' for an empty cell). */
const cellOf = (column: string, figures: Record<string, unknown>) => FIGURE_COLUMNS.find(([h]) => h === column)![1](figures as never);

describe('the reports page and the exports round a figure alike', () => {
  // 5.55 s and 5.55 % are the cases that differed: toFixed(1) gave 5.5, the export 5.6.
  it('seconds and percentages: the page shows the exported value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5000, noNaN: true }), (x) => {
        const f = { asaSeconds: x, longestWaitSeconds: x, answerRate: x / 5000, serviceLevel: x / 5000 };
        expect(sec(x)).toBe(`${(cellOf('最长等待(秒)', f) as number).toFixed(1)} 秒`);
        expect(pct(x / 5000)).toBe(`${(cellOf('接通率(%)', f) as number).toFixed(1)}%`);
      }),
      { examples: [[5.55], [0.05], [277.5]] },
    );
    expect(sec(5.55)).toBe('5.6 秒');
    expect(pct(0.0555)).toBe('5.6%');
  });

  it('a figure without a denominator is — on the page and an empty cell in the file, never NaN', () => {
    for (const x of [null, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(pct(x)).toBe('—');
      expect(sec(x)).toBe('—');
      expect(cellOf('服务水平(%)', { serviceLevel: x })).toBeNull();
    }
  });

  it('the 外呼 tab shows what its export writes', () => {
    const f: OutboundFiguresView = {
      placed: 9,
      answered: 5,
      noAnswer: 2,
      busy: 1,
      failed: 1,
      inProgress: 0,
      answerRate: 0.0555,
      talkSeconds: 28,
      avgTalkSeconds: 5.55,
    };
    const report = { outbound: { total: f, bySeat: [] } } as unknown as ReportView;
    const host = document.createElement('div');
    const root = createRoot(host);
    act(() => root.render(createElement(OutboundReportTable, { report })));
    const shown = [...host.querySelectorAll('tbody tr td')].map((td) => td.textContent);
    act(() => root.unmount());
    const { header, rows } = tableRows(report, 'outbound');
    expect(shown[6]).toBe(`${rows[0]![header.indexOf('外呼接通率(%)')]}%`);
    expect(shown[8]).toBe(`${rows[0]![header.indexOf('平均外呼通话(秒)')]} 秒`);
  });
});
