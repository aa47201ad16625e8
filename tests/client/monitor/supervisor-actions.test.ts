/**
 * A supervisor's actions on the monitor: a seat card's (client/src/features/monitor/SeatWall.tsx)
 * 强拆 and 监听 act on the call they were opened for, never on the seat's next call should that
 * one end while the supervisor types the reason; a waiting call's priority (CallDetail.tsx) is
 * never set from an empty field; 发消息 offers only the centres in the supervisor's scope; a
 * refused 确认 of an alert that cleared meanwhile does not stay on the panel; a call's history
 * says who hung up (班长强拆) and where an overflow sent the caller (12345); an emptied threshold
 * field is refused, not saved as 0.
 */
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallDetailPanel } from '../../../client/src/features/monitor/CallDetail';
import { LiveAlertsPanel } from '../../../client/src/features/monitor/LiveAlertsPanel';
import { liveAlerts } from '../../../client/src/features/monitor/live-alerts-store';
import { MessageComposer } from '../../../client/src/features/monitor/MessageComposer';
import { ThresholdsDialog } from '../../../client/src/features/monitor/ThresholdsDialog';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../client/src/contract';
import { SeatWall } from '../../../client/src/features/monitor/SeatWall';
import { appStore } from '../../../client/src/app/store';
import { call, reference, seat, snapshot, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

const talkingOn = (callId: string) =>
  snapshot({
    seats: [seat({ kind: 'talking', since: T0, callId }, { id: 's05', name: '陈静' })],
    calls: [call({ id: callId, state: { kind: 'talking', since: T0, seatId: 's05' } as never, answeredAt: T0 })],
  });

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const s = appStore.getState();
  s.signedIn(user('supervisor'));
  s.setReference(reference);
  s.applySnapshot(talkingOn('c1'), T0);
  const fake = fakeFetch((c) =>
    c.path.endsWith('/force-release') ? okBody({ callId: 'c1', state: 'wrap-up' }) : errBody(404, 'NOT_FOUND', ''),
  );
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

const flush = () => act(async () => new Promise<void>((r) => setImmediate(r)));
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent?.startsWith(name))!;
function type(value: string): void {
  const input = host.querySelector<HTMLInputElement>('.seat-actions-form input')!;
  const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('monitor: a seat card’s 强拆', () => {
  it('ends the call it was opened for', async () => {
    act(() => root.render(createElement(SeatWall)));
    act(() => button('陈静').click());
    act(() => button('强拆').click());
    type('通话异常,强制结束');
    // the confirmation ends a call: it looks like the 强拆 button, not like a routine 确认
    expect(button('确认强拆').className).toBe('btn btn-danger');
    act(() => button('确认强拆').click());
    await flush();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/supervisor/calls/c1/force-release']);
  });

  it('when that call ended and the seat took the next one meanwhile, says so and ends nothing', async () => {
    act(() => root.render(createElement(SeatWall)));
    act(() => button('陈静').click());
    act(() => button('强拆').click());
    type('通话异常,强制结束');
    // c1 ends; the seat answers c2 before the supervisor confirms.
    act(() => appStore.getState().applySnapshot(talkingOn('c2'), T0 + 60_000));
    act(() => button('确认强拆').click());
    await flush();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(host.querySelector('.seat-actions [role="alert"]')?.textContent).toBe('该坐席的那通电话已结束,未强拆');
  });
});

describe('monitor: a waiting call’s priority', () => {
  it('an emptied priority field is refused with a sentence, not sent as priority 0', async () => {
    appStore.getState().applySnapshot(snapshot({ calls: [call({ id: 'w1', priority: 20 })] }), T0);
    act(() => root.render(createElement(CallDetailPanel, { callId: 'w1', onClose: () => undefined })));
    await flush();
    const field = [...host.querySelectorAll<HTMLInputElement>('.call-actions input')].find((i) => i.type === 'number')!;
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    act(() => {
      set.call(field, '');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => button('调整优先级').click());
    await flush();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(host.querySelector('.call-actions [role="alert"]')?.textContent).toBe('请填写优先级(0–100 的整数)');
  });
});

describe('monitor: 发消息', () => {
  it('offers every seat in scope and only the centres whose seats the supervisor sees (a county supervisor: its own)', () => {
    appStore.getState().applySnapshot(snapshot({ seats: [seat({ kind: 'ready', since: T0 }, { id: 's09', centreId: 'east' })] }), T0);
    act(() => root.render(createElement(MessageComposer)));
    const options = [...host.querySelectorAll('select[aria-label="发送对象"] option')].map((o) => o.textContent);
    expect(options).toEqual(['全部坐席', '东区中心']);
  });
});

describe('monitor: 告警 确认', () => {
  it('a 确认 refused because the alert cleared meanwhile is not left on the panel once the alert is gone', async () => {
    const alert = {
      key: 'longestWait:city',
      kind: 'longestWait' as const,
      centreId: 'city',
      text: '市中心 最长等待 01:25(阈值 60 秒)',
      since: T0,
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    vi.stubGlobal('fetch', fakeFetch(() => errBody(404, 'NOT_FOUND', '该告警已解除或不存在')).fetch);
    act(() => liveAlerts.getState().replace([alert]));
    act(() => root.render(createElement(LiveAlertsPanel)));
    act(() => button('确认').click());
    await flush();
    expect(host.querySelector('.live-alerts [role="alert"]')?.textContent).toBe('该告警已解除或不存在');
    act(() => liveAlerts.getState().replace([]));
    expect(host.querySelector('.live-alerts [role="alert"]')).toBeNull();
    expect(host.textContent).toContain('当前无告警');
    liveAlerts.getState().clear();
  });
});

describe("monitor: a call's history", () => {
  it('says who ended the call (班长强拆) and where an overflow sent the caller, and why', async () => {
    const detail = (id: string, events: object[]) => ({
      id,
      caller: '139****5678',
      categoryId: 'labor',
      homeCentreId: 'city',
      priority: 0,
      flags: [],
      enqueuedAt: T0,
      state: { kind: 'ended', since: T0 + 9000 },
      events,
    });
    vi.stubGlobal(
      'fetch',
      fakeFetch((c) =>
        c.path === '/api/calls/x1'
          ? okBody(detail('x1', [{ type: 'hung-up', at: T0 + 5000, by: 'supervisor' }]))
          : okBody(detail('x2', [{ type: 'overflowed', at: T0 + 60_000, target: '12345', trigger: 'max-wait' }])),
      ).fetch,
    );
    act(() => root.render(createElement(CallDetailPanel, { callId: 'x1', onClose: () => undefined })));
    await flush();
    expect(host.querySelector('.call-event')?.textContent).toContain('挂机班长强拆');
    act(() => root.render(createElement(CallDetailPanel, { callId: 'x2', onClose: () => undefined })));
    await flush();
    expect(host.querySelector('.call-event')?.textContent).toContain('溢出转12345 · 排队超时');
  });
});

describe('monitor: 阈值设置', () => {
  it('an emptied limit is refused with the field named, not saved as 0', async () => {
    const fake = fakeFetch((c) => (c.method === 'GET' ? okBody(DEFAULT_ALERT_THRESHOLDS) : okBody(DEFAULT_ALERT_THRESHOLDS)));
    vi.stubGlobal('fetch', fake.fetch);
    act(() => root.render(createElement(ThresholdsDialog, { onClose: () => undefined })));
    await flush();
    const field = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('整理超时超过(秒)'))!.querySelector('input')!;
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    act(() => {
      set.call(field, '');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => button('保存').click());
    await flush();
    expect(fake.calls.filter((c) => c.method === 'PUT')).toEqual([]);
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('请填写「话后整理超时」的「整理超时超过(秒)」');
  });
});
