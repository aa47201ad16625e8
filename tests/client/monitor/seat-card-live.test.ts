/**
 * A seat card on the monitor (client/src/features/monitor/SeatWall.tsx): its 正在监听 line follows
 * the page's listening phone, not the answer to 开始监听 alone; a refused 阈值设置 save reads as the
 * server's sentence, once.
 */
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../client/src/contract';
import { appStore } from '../../../client/src/app/store';
import { listenPhone, listenStore } from '../../../client/src/features/monitor/listen-phone';
import { supervision } from '../../../client/src/features/monitor/supervision';
import { SeatWall } from '../../../client/src/features/monitor/SeatWall';
import { ThresholdsDialog } from '../../../client/src/features/monitor/ThresholdsDialog';
import { call, reference, seat, snapshot, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, okBody } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const s = appStore.getState();
  s.signedIn(user('supervisor'));
  s.setReference(reference);
  s.applySnapshot(
    snapshot({
      seats: [seat({ kind: 'talking', since: T0, callId: 'c1' }, { id: 's05', name: '陈静' })],
      calls: [call({ id: 'c1', state: { kind: 'talking', since: T0, seatId: 's05' } as never, answeredAt: T0 })],
    }),
    T0,
  );
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  listenStore.setState({ status: 'idle', callId: null, seatId: null, note: null, noteIsError: false });
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const flush = () => act(async () => new Promise<void>((r) => setImmediate(r)));
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.startsWith(name))!;
const cardText = () => host.querySelector('.seat-actions')?.textContent ?? '';

describe('monitor: a seat card’s 正在监听', () => {
  it('shows once 开始监听 is answered and goes when the listen ends, with the card still open', async () => {
    // the page's phone answers 开始监听 as it does once the router bridged the leg
    const start = vi.spyOn(listenPhone(supervision), 'start').mockImplementation(async (callId, seatId) => {
      listenStore.setState({ status: 'listening', callId, seatId, note: null, noteIsError: false });
      return { ok: true, data: {} };
    });
    act(() => root.render(createElement(SeatWall)));
    act(() => button('陈静').click());
    expect(cardText()).not.toContain('正在监听');
    act(() => button('监听').click());
    const input = host.querySelector<HTMLInputElement>('.seat-actions-form input')!;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, '质检抽查');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => button('开始监听').click());
    await flush();
    expect(start).toHaveBeenCalledWith('c1', 's05', '质检抽查');
    expect(host.querySelector('.seat-actions [role="status"]')?.textContent).toBe('正在监听');
    // the call ended (or 停止监听): the bar says why; the card no longer claims a listen
    act(() => listenStore.setState({ status: 'idle', callId: null, seatId: null, note: '通话已结束,监听结束', noteIsError: false }));
    expect(host.querySelector('.seat-actions')).not.toBeNull();
    expect(cardText()).not.toContain('正在监听');
  });

  it('a listen on another page counts; a listen to another seat does not', () => {
    act(() => root.render(createElement(SeatWall)));
    act(() => button('陈静').click());
    act(() => listenStore.setState({ status: 'listening', callId: 'c9', seatId: 's09', note: null, noteIsError: false }));
    expect(cardText()).not.toContain('正在监听');
    act(() => listenStore.setState({ status: 'elsewhere', callId: 'c1', seatId: 's05', note: null, noteIsError: false }));
    expect(cardText()).toContain('正在监听');
  });
});

describe('monitor: 阈值设置 refused by the server', () => {
  it('shows the server’s sentence once, without field names', async () => {
    const said = '整理超时须为 10–3600 秒';
    const fake = fakeFetch((c) =>
      c.method === 'GET' ? okBody(DEFAULT_ALERT_THRESHOLDS) : errBody(400, 'VALIDATION', said, { 'wrapUpOverdue.afterSec': [said] }),
    );
    vi.stubGlobal('fetch', fake.fetch);
    act(() => root.render(createElement(ThresholdsDialog, { onClose: () => undefined })));
    await flush();
    act(() => button('保存').click());
    await flush();
    expect(fake.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
    expect(host.querySelector('[role="alert"]')?.textContent).toBe(said);
  });
});
