import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallbackRequestView } from '../../../client/src/contract';
import { MonitorPage } from '../../../client/src/features/monitor/MonitorPage';
import { bindSocket } from '../../../client/src/app/socket-bindings';
import { appStore } from '../../../client/src/app/store';
import { FakeSocket } from '../support/fake-socket';
import { call, reference, snapshot, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];
let unbind: () => void;
let socket: FakeSocket;

function request(over: Partial<CallbackRequestView> = {}): CallbackRequestView {
  return {
    id: 1,
    callId: 'c1',
    callerMasked: '139****5678',
    categoryId: 'labor',
    homeCentreId: 'city',
    language: null,
    flags: [],
    waitS: 75,
    trigger: 'max-wait',
    reason: null,
    createdAt: T0,
    status: 'open',
    ...over,
  };
}

function serve(reply: () => { status?: number; body: unknown }, handovers: unknown = { handovers: [], stuck: [] }): void {
  const fake = fakeFetch((c) => {
    if (c.path === '/api/callbacks') return reply();
    if (c.path === '/api/handovers') return okBody(handovers);
    if (c.path === '/api/alerts') return okBody([]);
    return errBody(404, 'NOT_FOUND', '');
  });
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
}

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const s = appStore.getState();
  s.signedIn(user('supervisor'));
  s.setReference(reference);
  s.applySnapshot(snapshot(), T0);
  socket = new FakeSocket();
  unbind = bindSocket(socket.asSocket(), appStore, { onRefused: () => {} });
});

afterEach(() => {
  act(() => root.unmount());
  unbind();
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

async function show(): Promise<void> {
  act(() => root.render(createElement(MonitorPage)));
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}
const rows = () => [...host.querySelectorAll('.callbacks-panel tbody tr')];

describe('monitor: 回电请求', () => {
  it('should load the open requests and show masked number, category, centre, wait, time, reason and status', async () => {
    serve(() => okBody([request({ flags: ['elderly'] })]));
    await show();

    expect(calls.find((c) => c.path === '/api/callbacks')?.query.get('status')).toBe('open');
    const text = rows()[0]?.textContent ?? '';
    for (const part of ['139****5678', '劳动与社会保障', '老年人', '01:15', '排队超时', '待回电']) expect(text).toContain(part);
    expect(host.querySelector('.callbacks-panel .count-pill')?.textContent).toBe('1');
  });

  it('when a request is pushed, should show it first at once; a language request says no seat spoke it', async () => {
    serve(() => okBody([request()]));
    await show();

    act(() =>
      socket.fire(
        'callback:updated',
        request({ id: 2, createdAt: T0 + 1000, language: 'en', trigger: 'no-seat', reason: 'no-seat-with-language' }),
      ),
    );

    expect(rows()).toHaveLength(2);
    expect(rows()[0]?.textContent).toContain('无英语坐席');
    expect(rows()[0]?.textContent).toContain('英语');
    expect(host.querySelector('.callbacks-panel .count-pill')?.textContent).toBe('2');
  });

  it('when the list cannot be read, should say so in the panel', async () => {
    serve(() => errBody(500, 'INTERNAL', '服务器内部错误'));
    await show();

    expect(host.querySelector('.callbacks-panel [role="alert"]')?.textContent).toContain('未能读取回电请求');
    expect(host.querySelector('.callbacks-panel .empty')?.textContent).toBe('暂无回电请求');
  });

  it('a waiting caller in another language shows the language next to the category in 排队来电', async () => {
    serve(() => okBody([]));
    appStore.getState().applySnapshot(snapshot({ calls: [call({ id: 'w1', language: 'en' }), call({ id: 'w2', language: null })] }), T0);
    await show();

    const waiting = [...host.querySelectorAll('.monitor-grid tbody tr')].map((r) => r.textContent ?? '');
    expect(waiting.filter((t) => t.includes('劳动与社会保障 · 英语'))).toHaveLength(1);
    expect(waiting.filter((t) => t.includes('英语'))).toHaveLength(1);
  });

  it('a 12345 work order that could not be delivered is shown with the alerts, above the live queue and the seat wall', async () => {
    const stuck = {
      id: 7,
      kind: 'handover',
      handoverId: 'h-7',
      state: 'rejected',
      attempts: 3,
      lastStatus: 400,
      lastError: '工单字段不全',
      nextAttemptAt: null,
      createdAt: T0,
    };
    serve(() => okBody([]), { handovers: [], stuck: [stuck] });
    await show();

    const watch = host.querySelector('.handover-monitor');
    expect(watch?.textContent).toContain('12345 消息 h-7(handover)被拒收:工单字段不全');
    const grid = host.querySelector('.monitor-grid')!;
    expect(watch!.compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('on sign-out, should forget the requests', async () => {
    serve(() => okBody([request()]));
    await show();

    act(() => appStore.getState().resetAll());

    expect(appStore.getState().callbacks).toEqual([]);
  });
});
