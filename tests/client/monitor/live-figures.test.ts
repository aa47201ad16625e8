import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveFigures } from '../../../client/src/features/monitor/LiveFigures';
import type { LiveFigureSet, LiveFiguresSource } from '../../../client/src/features/monitor/live-figures';

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

const set = (over: Partial<LiveFigureSet> = {}): LiveFigureSet => ({
  offered: 40,
  answered: 36,
  abandoned: 3,
  shortAbandoned: 2,
  overflowed: 1,
  answerRate: 0.9,
  serviceLevel: 0.825,
  asaSeconds: 12.4,
  longestWaitSeconds: 95,
  ...over,
});

async function show(source: LiveFiguresSource) {
  await act(async () => root.render(createElement(LiveFigures, { source })));
}

describe('live figures on the monitor', () => {
  it('shows each window with the reports’ figures: rates as percentages, waits in seconds, short abandons apart', async () => {
    await show(async () => ({
      ok: true,
      data: { at: 0, thresholdS: 15, sinceMidnight: set(), last30: set({ offered: 8, answerRate: null }), last15: set({ offered: 3 }) },
    }));
    const rows = [...host.querySelectorAll('tbody tr')].map((tr) => tr.textContent ?? '');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('今日');
    expect(rows[0]).toContain('90%');
    expect(rows[0]).toContain('82.5%');
    expect(rows[0]).toContain('12 秒');
    expect(rows[0]).toContain('3(短放弃 2)');
    expect(rows[1]).toContain('近 30 分钟');
    expect(rows[1]).toContain('—');
    expect(host.textContent).toContain('服务水平 15 秒');
  });

  it('shows each window’s occupancy as a percentage, and — when no seat time counts', async () => {
    await show(async () => ({
      ok: true,
      data: {
        at: 0,
        thresholdS: 15,
        sinceMidnight: set({ occupancy: 0.734 }),
        last30: set({ occupancy: null }),
        last15: set({ occupancy: 1 }),
      },
    }));
    const heads = [...host.querySelectorAll('thead th')].map((th) => th.textContent);
    const col = heads.indexOf('占用率');
    expect(col).toBeGreaterThan(0);
    const cell = (row: number) => host.querySelectorAll('tbody tr')[row]!.children[col]!.textContent;
    expect([cell(0), cell(1), cell(2)]).toEqual(['73.4%', '—', '100%']);
  });

  it('shows today’s 满意率 and rated calls under the table', async () => {
    await show(async () => ({
      ok: true,
      data: {
        at: 0,
        thresholdS: 15,
        sinceMidnight: set(),
        last30: set(),
        last15: set(),
        satisfaction: { rated: 12, answered: 36, satisfactionRate: 11 / 12, ratedShare: 12 / 36 },
      },
    }));
    expect(host.querySelector('[aria-label="今日满意率"]')?.textContent).toBe('今日满意率 91.7%(目标 ≥ 90%)· 参评 12 / 接通 36');
  });

  it('shows nothing when the server has no figures for this user', async () => {
    await show(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: '' } }));
    expect(host.querySelector('.live-figures')).toBeNull();
  });
});
