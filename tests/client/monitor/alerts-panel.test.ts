import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MajorAlert } from '../../../client/src/contract';
import { MonitorPage } from '../../../client/src/features/monitor/MonitorPage';
import { ago, TITLE_FLASH_MS } from '../../../client/src/features/monitor/AlertsPanel';
import { bindSocket } from '../../../client/src/app/socket-bindings';
import { appStore } from '../../../client/src/app/store';
import { FakeSocket } from '../support/fake-socket';
import { reference, snapshot, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, majorAlert, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];
let unbind: () => void;
let socket: FakeSocket;
/** Tones started through the stubbed WebAudio. */
let tones: number;

class FakeAudioContext {
  state = 'running';
  currentTime = 0;
  destination = {};
  resume = async () => {};
  createGain() {
    const param = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain: param, connect: (n: unknown) => n };
  }
  createOscillator() {
    return {
      type: 'sine',
      frequency: { value: 0 },
      connect: (n: unknown) => n,
      start: () => (tones += 1),
      stop() {},
    };
  }
}

function serve(open: MajorAlert[]): void {
  const fake = fakeFetch((c) => {
    if (c.path === '/api/alerts') return okBody(open);
    const ack = /^\/api\/alerts\/(\d+)\/ack$/.exec(c.path);
    if (ack) return okBody({ ...majorAlert({ id: Number(ack[1]) }), acknowledgedAt: T0 + 1, acknowledgedBy: '李班长' });
    return errBody(404, 'NOT_FOUND', '');
  });
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
}

beforeEach(() => {
  tones = 0;
  vi.stubGlobal('AudioContext', FakeAudioContext);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  document.title = '12348 热线';
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
  vi.useRealTimers();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}
async function show(): Promise<void> {
  act(() => root.render(createElement(MonitorPage)));
  await settle();
}
const cards = () => [...host.querySelectorAll('.major-alert')];

describe('monitor: 重大事项上报', () => {
  it('when nothing is open, should load the list and show no alert area', async () => {
    serve([]);
    await show();
    // The page's other reads (the live figures) are not this panel's.
    expect(calls.filter((c) => c.path.startsWith('/api/alerts')).map((c) => `${c.method} ${c.path}?${c.query}`)).toEqual([
      'GET /api/alerts?open=1',
    ]);
    expect(host.querySelector('.alerts-panel')).toBeNull();
    expect(document.title).toBe('12348 热线');
  });

  it('when alerts are open on load, should show them at the top with seat, category, masked caller, note and time', async () => {
    serve([majorAlert()]);
    await show();
    const page = host.querySelector('.monitor-page')!;
    expect(page.firstElementChild?.classList.contains('alerts-panel')).toBe(true);
    const text = cards()[0]?.textContent ?? '';
    for (const part of ['张律师', '劳动与社会保障', '138****1234', '准备明天到市政府聚集', '09:00:00']) expect(text).toContain(part);
    expect(host.querySelector('.alerts-title')?.textContent).toContain('1 条待确认');
  });

  it('when an alert is pushed, should show it at once, beep and flash the title until it is acknowledged', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    serve([]);
    await show();
    expect(tones).toBe(0);
    act(() => socket.fire('alert:updated', majorAlert({ id: 7, seatName: '王建国' })));
    expect(cards()).toHaveLength(1);
    expect(cards()[0]?.textContent).toContain('王建国');
    expect(tones).toBeGreaterThan(0);
    expect(document.title).toBe('【重大事项】1 条待确认');
    act(() => {
      vi.advanceTimersByTime(TITLE_FLASH_MS);
    });
    expect(document.title).toBe('12348 热线');
    act(() => {
      vi.advanceTimersByTime(TITLE_FLASH_MS);
    });
    expect(document.title).toBe('【重大事项】1 条待确认');

    const confirm = cards()[0]!.querySelector('button')!;
    expect(confirm.getAttribute('aria-label')).toBe('确认 王建国 的上报');
    act(() => confirm.click());
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/alerts/7/ack' });
    expect(cards()).toHaveLength(0);
    expect(document.title).toBe('12348 热线');
  });

  it('when the same alert is pushed again, should not beep twice', async () => {
    serve([]);
    await show();
    act(() => socket.fire('alert:updated', majorAlert()));
    const after = tones;
    act(() => socket.fire('alert:updated', majorAlert({ note: '补充说明' })));
    expect(tones).toBe(after);
    expect(cards()).toHaveLength(1);
  });

  it('when another supervisor acknowledges it, should take it off this monitor too', async () => {
    serve([majorAlert()]);
    await show();
    act(() => socket.fire('alert:updated', { ...majorAlert(), acknowledgedAt: T0 + 5, acknowledgedBy: '王班长' }));
    expect(host.querySelector('.alerts-panel')).toBeNull();
  });

  it('when the live connection comes back, should reload the open list (alerts raised meanwhile were missed)', async () => {
    serve([]);
    await show();
    act(() => appStore.getState().setConnection('offline'));
    serve([majorAlert({ id: 9 })]);
    act(() => appStore.getState().setConnection('online'));
    await settle();
    expect(calls).toHaveLength(1);
    expect(cards()).toHaveLength(1);
  });

  it('should say how long an alert has waited in words a supervisor reads at a glance', () => {
    expect(ago(T0, T0 + 59_000)).toBe('刚刚');
    expect(ago(T0, T0 + 3 * 60_000)).toBe('3 分钟前');
    expect(ago(T0, T0 + 2 * 3600_000 + 5)).toBe('2 小时前');
    expect(ago(T0 + 5_000, T0)).toBe('刚刚');
  });
});
