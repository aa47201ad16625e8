import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QcDetailView, QcFormItem, QcItemView } from '../../../client/src/contract';
import { MyQcPage } from '../../../client/src/features/qc/MyQcPage';
import { QcPage } from '../../../client/src/features/qc/QcPage';
import { appStore } from '../../../client/src/app/store';
import { reference, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

const FORM: QcFormItem[] = [
  { key: 'greeting', label: '问候规范', weight: 10, max: 10 },
  { key: 'understanding', label: '问题理解', weight: 20, max: 10 },
  { key: 'legalAccuracy', label: '法律准确', weight: 30, max: 10 },
  { key: 'basis', label: '依据引用', weight: 15, max: 10 },
  { key: 'attitude', label: '服务态度', weight: 15, max: 10 },
  { key: 'summary', label: '小结质量', weight: 10, max: 10 },
];

function item(over: Partial<QcItemView> = {}): QcItemView {
  return {
    callId: 'c1',
    seatId: 's01',
    seatName: '王建国',
    centreId: 'city',
    categoryId: 'labor',
    enqueuedAt: T0,
    answeredAt: T0 + 5000,
    reasons: ['complaint'],
    status: 'pending',
    selectedAt: T0,
    total: null,
    reviewable: false,
    reviewDeadline: null,
    ...over,
  };
}

function detail(over: Partial<QcItemView> = {}, extra: Partial<QcDetailView> = {}): QcDetailView {
  return {
    item: item(over),
    record: {
      callId: 'c1',
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId: 's01',
      enqueuedAt: T0,
      answeredAt: T0 + 5000,
      endedAt: T0 + 65_000,
      waitMs: 5000,
      talkMs: 60_000,
      holdMs: 0,
      holds: 0,
      hungUpBy: 'caller',
      result: 'answered',
      offers: 1,
      overflowTrigger: null,
      callerMasked: '139****5678',
    },
    timeline: [
      { at: T0, kind: 'enqueued', label: '来电进入排队' },
      { at: T0 + 5000, kind: 'answered', label: '王建国 接听' },
    ],
    summary: null,
    score: null,
    review: null,
    form: { samplePercent: 5, reviewDays: 7, formVersion: 3, items: FORM },
    ...extra,
  };
}

/** The recording player on the call's panel: this stack records nothing. */
const NO_RECORDING = {
  available: false,
  durationMs: null,
  sizeBytes: null,
  sha256Ok: null,
  format: null,
  pauses: [],
  holds: [],
  reason: 'recording-off',
  linked: [],
};

function serve(handler: (c: FetchCall) => ReturnType<typeof okBody> | ReturnType<typeof errBody> | null): void {
  const recording = (c: FetchCall) => {
    const m = /^\/api\/calls\/([^/]+)\/recording$/.exec(c.path);
    return m ? okBody({ callId: m[1], ...NO_RECORDING }) : null;
  };
  const fake = fakeFetch((c) => handler(c) ?? recording(c) ?? errBody(404, 'NOT_FOUND', ''));
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

const settle = async () => {
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
};
const click = async (el: Element | null | undefined) => {
  await act(async () => (el as HTMLElement).click());
  await settle();
};
const button = (text: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('质检 page (inspector)', () => {
  it('lists the worklist, opens a call without a recording (the player says why), refuses an incomplete score, and posts a complete one with the form version', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve((c) => {
      if (c.path === '/api/qc/items') return okBody([item()]);
      if (c.path === '/api/qc/items/c1') return okBody(detail());
      if (c.path === '/api/qc/items/c1/score') return okBody(detail({ status: 'scored', total: 80 }));
      return null;
    });
    act(() => root.render(createElement(QcPage)));
    await settle();
    expect(calls[0]?.query.get('status')).toBe('pending');
    expect(host.querySelector('section[aria-label="质检清单"] tbody tr')?.textContent).toContain('投诉');

    await click(host.querySelector('.qc-list button'));
    expect(host.querySelector('[data-testid="recording-missing"]')?.textContent).toBe('本系统未开启录音');
    expect(host.textContent).toContain('王建国 接听');

    await click(button('提交评分'));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('请为「问候规范」打分');
    expect(calls.some((c) => c.path === '/api/qc/items/c1/score')).toBe(false);

    for (const i of FORM) await type(host.querySelector(`#qc-${i.key}`) as HTMLInputElement, '8');
    expect(host.querySelector('.qc-total')?.textContent).toContain('80');
    await type(host.querySelector('.qc-score-form textarea') as HTMLTextAreaElement, '问候缺少工号');
    await click(button('提交评分'));
    expect(calls.find((c) => c.path === '/api/qc/items/c1/score')?.body).toEqual({
      scores: { greeting: 8, understanding: 8, legalAccuracy: 8, basis: 8, attitude: 8, summary: 8 },
      comment: '问候缺少工号',
      formVersion: 3,
    });
    expect(host.querySelector('[role="status"]')?.textContent).toContain('已评分:');
  });

  it('when the server refuses a decision (the scorer deciding), shows its sentence', async () => {
    appStore.getState().signedIn(user('supervisor'));
    const scored = detail(
      { status: 'review', total: 80 },
      {
        score: { formVersion: 1, items: FORM.map((i) => ({ ...i, score: 8 })), total: 80, comment: '', inspector: '班长', scoredAt: T0 },
        review: {
          reason: '请复核',
          requestedAt: T0,
          decision: null,
          decisionComment: null,
          decidedBy: null,
          decidedAt: null,
          originalTotal: 80,
        },
      },
    );
    serve((c) => {
      if (c.path === '/api/qc/items') return okBody([item({ status: 'review', total: 80 })]);
      if (c.path === '/api/qc/items/c1') return okBody(scored);
      if (c.path === '/api/qc/items/c1/decision') return errBody(403, 'FORBIDDEN', '复核须由评分人以外的班长或负责人决定');
      return null;
    });
    act(() => root.render(createElement(QcPage)));
    await settle();
    await click(host.querySelector('.qc-list button'));
    await type(host.querySelector('section[aria-label="复核决定"] textarea') as HTMLTextAreaElement, '维持原评分');
    await click(button('维持原分'));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('复核须由评分人以外的班长或负责人决定');
  });
});

describe('我的质检 (seat)', () => {
  it('shows the seat its score and asks for a reason before 申请复核', async () => {
    appStore.getState().signedIn(user('seat'));
    const scored = detail(
      { status: 'scored', total: 80, reviewable: true, reviewDeadline: T0 + 7 * 86_400_000 },
      {
        score: {
          formVersion: 1,
          items: FORM.map((i) => ({ ...i, score: 8 })),
          total: 80,
          comment: '问候缺少工号',
          inspector: '班长 林晓',
          scoredAt: T0,
        },
      },
    );
    serve((c) => {
      if (c.path === '/api/qc/mine') return okBody([scored.item]);
      if (c.path === '/api/qc/items/c1') return okBody(scored);
      if (c.path === '/api/qc/items/c1/review') return okBody(detail({ status: 'review', total: 80 }));
      return null;
    });
    act(() => root.render(createElement(MyQcPage)));
    await settle();
    await click(host.querySelector('.qc-list button'));
    expect(host.querySelector('.qc-score-total')?.textContent).toBe('80');
    expect(host.textContent).toContain('评语:问候缺少工号');

    await click(button('申请复核'));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('请填写复核理由');
    await type(host.querySelector('section[aria-label="申请复核"] textarea') as HTMLTextAreaElement, '已按规范报工号');
    await click(button('申请复核'));
    expect(calls.find((c) => c.path === '/api/qc/items/c1/review')?.body).toEqual({ reason: '已按规范报工号' });
    expect(host.querySelector('[role="status"]')?.textContent).toContain('已申请复核');
  });
});

describe('质检设置 (admin)', () => {
  it("shows the server's refusal, then saves the changed weight as the next form version", async () => {
    appStore.getState().signedIn(user('admin'));
    let refuse = true;
    serve((c) => {
      if (c.path === '/api/qc/items') return okBody([]);
      if (c.path === '/api/qc/config' && c.method === 'GET')
        return okBody({ samplePercent: 5, reviewDays: 7, formVersion: 1, items: FORM });
      if (c.path === '/api/qc/config' && c.method === 'PUT') {
        if (refuse) return errBody(400, 'VALIDATION', '至少一项的权重须大于 0');
        const body = c.body as { samplePercent: number; items: QcFormItem[] };
        return okBody({ samplePercent: body.samplePercent, reviewDays: 7, formVersion: 2, items: FORM });
      }
      return null;
    });
    act(() => root.render(createElement(QcPage)));
    await settle();
    await click(button('质检设置'));
    await click(button('保存设置'));
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('至少一项的权重须大于 0');
    refuse = false;
    await type(host.querySelector('[aria-label="法律准确权重"]') as HTMLInputElement, '40');
    await click(button('保存设置'));
    const put = calls.filter((c) => c.method === 'PUT').at(-1)?.body as { items: { key: string; weight: number; max: number }[] };
    expect(put.items.find((i) => i.key === 'legalAccuracy')).toEqual({ key: 'legalAccuracy', weight: 40, max: 10 });
    expect(host.querySelector('[role="status"]')?.textContent).toContain('评分表第 2 版');
  });

  it('is not offered to a supervisor', async () => {
    appStore.getState().signedIn(user('supervisor'));
    serve((c) => (c.path === '/api/qc/items' ? okBody([]) : null));
    act(() => root.render(createElement(QcPage)));
    await settle();
    expect(button('质检设置')).toBeUndefined();
    expect(host.textContent).toContain('暂无待质检的来电');
  });
});
