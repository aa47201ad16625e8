import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SatisfactionFigures, VisitDialView, VisitTaskView } from '../../../client/src/contract';
import { VisitsPage } from '../../../client/src/features/visits/VisitsPage';
import { appStore } from '../../../client/src/app/store';
import { reference, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

function task(over: Partial<VisitTaskView> = {}): VisitTaskView {
  return {
    id: 1,
    source: 'dissatisfied',
    callId: 'c1',
    callerMasked: '139****5678',
    categoryId: 'labor',
    centreId: 'city',
    seatId: 's01',
    assigneeSeatId: null,
    createdAt: T0,
    dueAt: T0 + 3600_000,
    nextAttemptAt: T0,
    overdue: false,
    attempts: 0,
    status: 'open',
    outcome: null,
    closedAt: null,
    note: null,
    ...over,
  };
}

const figures: SatisfactionFigures = {
  rows: [{ key: 's01', answered: 10, rated: 8, satisfied: 7, dissatisfied: 1, satisfactionRate: 7 / 8, ratedShare: 0.8 }],
  total: { key: 'total', answered: 10, rated: 8, satisfied: 7, dissatisfied: 1, satisfactionRate: 7 / 8, ratedShare: 0.8 },
  dissatisfiedCalledBack: { due: 1, withinDeadline: 1, rate: 1 },
  overdueVisits: 2,
};

function serve(
  tasks: VisitTaskView[],
  dial = () => okBody<VisitDialView>({ connected: false, target: null, message: '外呼线路未接通:请用座机拨打' }),
): void {
  const fake = fakeFetch((c) => {
    if (c.path === '/api/visits') return okBody(tasks);
    if (c.path === '/api/satisfaction/figures') return okBody(figures);
    if (c.path === '/api/visits/1/dial') return dial();
    if (c.path === '/api/visits/1/outcome')
      return okBody({ task: task({ status: 'closed', outcome: (c.body as { outcome: 'refused' }).outcome }), followUp: null });
    return errBody(404, 'NOT_FOUND', '');
  });
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
}

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  appStore.getState().setReference(reference);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

async function show(): Promise<void> {
  act(() => root.render(createElement(VisitsPage)));
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}
const click = async (el: Element | null | undefined) => {
  await act(async () => (el as HTMLElement).click());
  for (let i = 0; i < 3; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
};

describe('回访 page', () => {
  it('for a supervisor, should show the figures and the tasks as the server orders them, overdue marked, number masked', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve([task({ id: 2, overdue: true, source: 'callback-request' }), task()]);
    await show();

    expect(host.textContent).toContain('满意率 87.5%');
    expect(host.textContent).toContain('逾期回访 2');
    const rows = [...host.querySelectorAll('section[aria-label="回访任务"] tbody tr')];
    expect(rows.map((r) => r.textContent?.includes('已逾期'))).toEqual([true, false]);
    expect(rows[0]?.textContent).toContain('回电请求');
    expect(rows[1]?.textContent).toContain('不满意回访');
    expect(rows[1]?.textContent).toContain('139****5678');
  });

  it('should round the rates as the reports and their exports do (1759 of 2000 satisfied: 88.0%, not 87.9%)', async () => {
    appStore.getState().signedIn(user('supervisor'));
    const row = {
      key: 's01',
      answered: 2000,
      rated: 2000,
      satisfied: 1759,
      dissatisfied: 241,
      satisfactionRate: 1759 / 2000,
      ratedShare: 1,
    };
    const fake = fakeFetch((c) => {
      if (c.path === '/api/visits') return okBody([]);
      if (c.path === '/api/satisfaction/figures')
        return okBody<SatisfactionFigures>({ ...figures, rows: [row], total: { ...row, key: 'total' } });
      return errBody(404, 'NOT_FOUND', '');
    });
    vi.stubGlobal('fetch', fake.fetch);
    await show();

    expect(host.textContent).toContain('满意率 88.0%');
    expect(host.querySelector('section[aria-label="本月满意度"] tbody tr')?.textContent).toContain('88.0%');
  });

  it('when an assignment is refused, should say why and show the task’s assignee again, not the refused seat', async () => {
    appStore.getState().signedIn(user('supervisor'));
    const fake = fakeFetch((c) => {
      if (c.path === '/api/visits') return okBody([task({ assigneeSeatId: 's01' })]);
      if (c.path === '/api/satisfaction/figures') return okBody(figures);
      if (c.path === '/api/visits/1/assignee') return errBody(409, 'CONFLICT', '该回访任务正在外呼中,通话结束后再改派');
      return errBody(404, 'NOT_FOUND', '');
    });
    calls = fake.calls;
    vi.stubGlobal('fetch', fake.fetch);
    await show();
    const input = host.querySelector('input[aria-label="分派坐席"]') as HTMLInputElement;
    expect(input.value).toBe('s01');

    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, 's02');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    });
    for (let i = 0; i < 3; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));

    expect(calls.find((c) => c.path === '/api/visits/1/assignee')?.body).toEqual({ seatId: 's02' });
    expect(host.querySelector('[role="status"]')?.textContent).toBe('该回访任务正在外呼中,通话结束后再改派');
    expect((host.querySelector('input[aria-label="分派坐席"]') as HTMLInputElement).value).toBe('s01');
  });

  it('with more tasks than a page, should page through them (the rest were out of reach)', async () => {
    appStore.getState().signedIn(user('supervisor'));
    const all = Array.from({ length: 130 }, (_, i) => task({ id: i + 1, callerMasked: `139****${String(i).padStart(4, '0')}` }));
    const fake = fakeFetch((c) => {
      if (c.path === '/api/visits') {
        const offset = Number(c.query.get('offset') ?? 0);
        return okBody(all.slice(offset, offset + Number(c.query.get('limit') ?? 200)));
      }
      if (c.path === '/api/satisfaction/figures') return okBody(figures);
      return errBody(404, 'NOT_FOUND', '');
    });
    vi.stubGlobal('fetch', fake.fetch);
    await show();
    const rows = () => [...host.querySelectorAll('section[aria-label="回访任务"] tbody tr')];
    const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;

    expect(rows()).toHaveLength(100);
    expect(host.querySelector('.count-pill')?.textContent).toBe('100+');
    expect(button('上一页').disabled).toBe(true);
    await click(button('下一页'));

    expect(rows()).toHaveLength(30);
    expect(rows()[0]?.textContent).toContain('139****0100');
    expect(host.querySelector('.count-pill')?.textContent).toBe('130');
    expect(button('下一页').disabled).toBe(true);
    await click(button('上一页'));
    expect(rows()[0]?.textContent).toContain('139****0000');
  });

  it('for a seat, should not ask for the figures and should say when nothing is assigned', async () => {
    appStore.getState().signedIn(user('seat'));
    serve([]);
    await show();

    expect(calls.some((c) => c.path === '/api/satisfaction/figures')).toBe(false);
    expect(host.textContent).toContain('暂无分派给您的回访任务');
  });

  it('when dialling without outbound telephony, should show the not-connected message the server gives', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve([task()]);
    await show();

    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '拨打'));

    expect(host.querySelector('[role="status"]')?.textContent).toContain('外呼线路未接通');
  });

  it('when the server gives a one-time target, should hand it to the softphone and say why the call did not start', async () => {
    appStore.getState().signedIn(user('seat'));
    serve([task({ assigneeSeatId: 's01' })], () =>
      okBody<VisitDialView>({ connected: true, target: 'sip:visit-0123456789abcdef0123456789abcdef@12348.local', message: null }),
    );
    await show();

    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '拨打'));
    for (let i = 0; i < 3; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));

    // No softphone runs in this test: the page says so instead of pretending to call (尚未就绪 while
    // the phone's code is not loaded, 未连接 once another test in this process has loaded it).
    expect(host.querySelector('[role="status"]')?.textContent).toMatch(/^外呼:软电话(尚未就绪|未连接)$/);
    expect([...host.querySelectorAll('button')].some((b) => b.textContent === '拨打')).toBe(true);
  });

  it('when the outcome is saved without choosing one, should say so; with one, should post it', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve([task()]);
    await show();
    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '记录结果'));
    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '保存结果'));
    expect(host.textContent).toContain('请选择回访结果');

    const select = host.querySelector('.visit-outcome select') as HTMLSelectElement;
    await act(async () => {
      const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
      set.call(select, 'refused');
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '保存结果'));

    expect(calls.find((c) => c.path === '/api/visits/1/outcome')?.body).toEqual({ outcome: 'refused' });
    expect(host.querySelector('[role="status"]')?.textContent).toContain('任务已关闭');
  });

  it('when a follow-up note is typed without its time, should say so and post nothing (it was dropped silently)', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve([task()]);
    await show();
    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '记录结果'));
    const select = host.querySelector('.visit-outcome select') as HTMLSelectElement;
    const note = [...host.querySelectorAll('.visit-outcome label')]
      .find((l) => l.querySelector('span')?.textContent === '需跟进事项')
      ?.querySelector('input') as HTMLInputElement;
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(select, 'reached');
      select.dispatchEvent(new Event('change', { bubbles: true }));
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(note, '寄送材料');
      note.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click([...host.querySelectorAll('button')].find((b) => b.textContent === '保存结果'));

    expect(host.querySelector('.visit-outcome .form-error')?.textContent).toBe('请填写跟进时间,或清空需跟进事项');
    expect(calls.some((c) => c.path === '/api/visits/1/outcome')).toBe(false);
  });
});
