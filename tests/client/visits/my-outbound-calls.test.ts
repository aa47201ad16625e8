/** 我的外呼 on 我的来电, and the report's 外呼 table: what the seat and the duty manager see of outbound calls. */
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboundCallView, OutboundFiguresView, ReportView } from '../../../client/src/contract';
import { MyOutboundCalls } from '../../../client/src/features/visits/MyOutboundCalls';
import { OutboundReportTable } from '../../../client/src/features/reports/OutboundReportTable';
import { T0 } from '../support/fixtures';
import { errBody, fakeFetch, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

const record = (over: Partial<OutboundCallView>): OutboundCallView => ({
  id: 1,
  direction: 'outbound',
  purpose: 'visit',
  taskId: 7,
  seatId: 's04',
  calleeMasked: '138****1111',
  centreId: 'city',
  categoryId: 'labor',
  startedAt: T0,
  answeredAt: T0 + 4000,
  endedAt: T0 + 94_000,
  result: 'answered',
  sipCode: 200,
  ringMs: 4000,
  talkMs: 90_000,
  hungUpBy: 'seat',
  ...over,
});

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.unstubAllGlobals();
});

async function render(el: ReturnType<typeof createElement>): Promise<void> {
  act(() => root.render(el));
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}

describe('我的外呼', () => {
  it('lists the day’s outbound calls with their outcome, ring and talk time, asking for the day shown', async () => {
    const fake = fakeFetch((c) =>
      c.path === '/api/my/outbound-calls'
        ? okBody({
            day: '2026-03-02',
            records: [
              record({}),
              record({ id: 2, taskId: 8, calleeMasked: '138****3333', answeredAt: null, result: 'no-answer', talkMs: 0, ringMs: 30_000 }),
            ],
          })
        : errBody(404, 'NOT_FOUND', ''),
    );
    calls = fake.calls;
    vi.stubGlobal('fetch', fake.fetch);
    await render(createElement(MyOutboundCalls, { day: '2026-03-02' }));
    expect(calls.map((c) => `${c.path}?${c.query.toString()}`)).toEqual(['/api/my/outbound-calls?day=2026-03-02']);
    const rows = [...host.querySelectorAll('section[aria-label="我的外呼"] tbody tr')].map((r) => r.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('138****1111');
    expect(rows[0]).toContain('已接通');
    expect(rows[0]).toContain('回访 #7');
    expect(rows[1]).toContain('无人接听');
  });

  it('when the list cannot be read, should say so', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => errBody(503, 'UNAVAILABLE', '服务暂不可用')).fetch);
    await render(createElement(MyOutboundCalls, { day: null }));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('未能读取外呼记录:服务暂不可用');
  });

  it('with no outbound call that day, should say so', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => okBody({ day: '2026-03-02', records: [] })).fetch);
    await render(createElement(MyOutboundCalls, { day: null }));
    expect(host.textContent).toContain('这一天没有外呼');
  });
});

describe('the report’s 外呼 table', () => {
  it('shows the total, then each seat, with the answer rate over ended calls', async () => {
    const f = (over: Partial<OutboundFiguresView>): OutboundFiguresView => ({
      placed: 3,
      answered: 1,
      noAnswer: 1,
      busy: 1,
      failed: 0,
      inProgress: 0,
      answerRate: 1 / 3,
      talkSeconds: 120,
      avgTalkSeconds: 120,
      ...over,
    });
    const report = { outbound: { total: f({}), bySeat: [{ key: 's04', label: '刘洋(C004)', figures: f({}) }] } } as unknown as ReportView;
    await render(createElement(OutboundReportTable, { report }));
    const rows = [...host.querySelectorAll('table[aria-label="外呼统计"] tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['合计', '3', '1', '1', '1', '0', '33.3%', '2 分', '120.0 秒'],
      ['刘洋(C004)', '3', '1', '1', '1', '0', '33.3%', '2 分', '120.0 秒'],
    ]);
  });
});
