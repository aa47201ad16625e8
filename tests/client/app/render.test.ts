import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginPage } from '../../../client/src/features/session/LoginPage';
import { MonitorPage } from '../../../client/src/features/monitor/MonitorPage';
import { SeatPage } from '../../../client/src/features/workbench/SeatPage';
import { appStore } from '../../../client/src/app/store';
import { call, reference, seat, snapshot, T0, user } from '../support/fixtures';

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
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

function show(page: () => unknown): void {
  act(() => root.render(createElement(page as () => null)));
}

const button = (label: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === label);

describe('seat page', () => {
  it('when ringing with an elderly caller, should show the masked number, category and green channel', () => {
    const s = appStore.getState();
    s.signedIn(user('seat'));
    s.setReference(reference);
    s.applySeat(seat({ kind: 'ringing', since: T0, callId: 'c1', attempt: 1, idleSince: T0 }));
    s.applyCall(call({ flags: ['elderly'], state: { kind: 'ringing', since: T0, seatId: 's01' } }));
    show(SeatPage);
    const text = host.textContent ?? '';
    expect(text).toContain('138****1234');
    expect(text).toContain('劳动与社会保障');
    expect(text).toContain('绿色通道');
    expect(text).toContain('老年人');
  });

  it('when not-ready, should offer the four reasons but never 未接来电', () => {
    const s = appStore.getState();
    s.signedIn(user('seat'));
    s.applySeat(seat({ kind: 'not-ready', since: T0, reason: 'meal', autoReadyAt: null }));
    show(SeatPage);
    for (const label of ['用餐', '培训', '会议', '小休']) expect(button(label)).toBeDefined();
    expect(button('未接来电')).toBeUndefined();
    expect(button('用餐')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('when in wrap-up before the summary is filed, should offer 延长, hold 完成整理 and say to file the summary first', () => {
    const s = appStore.getState();
    s.signedIn(user('seat'));
    s.applySeat(seat({ kind: 'wrap-up', since: T0, callId: 'c1', until: T0 + 30_000, extensions: 1 }));
    show(SeatPage);
    expect(button('延长')?.disabled).toBe(false);
    expect(button('完成整理')?.disabled).toBe(true);
    expect(host.textContent).toContain('请先提交小结');
    expect(host.textContent).toContain('已延长 1 次');
  });

  it('when a command fails, should show the error inline', () => {
    const s = appStore.getState();
    s.signedIn(user('seat'));
    s.applySeat(seat({ kind: 'ready', since: T0 }));
    show(SeatPage);
    act(() => appStore.setState({ seatError: '话后整理最多延长 2 次' }));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('话后整理最多延长 2 次');
  });
});

describe('monitor page', () => {
  it('when a snapshot is shown, should list the waiting call and the seats with counts', () => {
    const s = appStore.getState();
    s.signedIn(user('supervisor'));
    s.setReference(reference);
    s.applySnapshot(
      snapshot({
        seats: [seat({ kind: 'ready', since: T0 }), seat({ kind: 'offline', since: T0 }, { id: 's02', name: '王律师', staffNo: '1002' })],
        calls: [call({ homeCentreId: 'east' })],
      }),
      T0,
    );
    show(MonitorPage);
    expect(host.textContent).toContain('东区中心');
    expect(host.textContent).toContain('王律师');
    const tile = [...host.querySelectorAll('.tile')].find((t) => t.querySelector('.tile-label')?.textContent === '排队');
    expect(tile?.querySelector('.tile-value')?.textContent).toBe('1');
  });

  it('should show the planned seats of the service period and the configured answer target', () => {
    const s = appStore.getState();
    s.signedIn(user('supervisor'));
    s.setReference(reference);
    s.applySnapshot(
      snapshot({ service: { open: true, plannedSeats: 12, period: { from: '08:30', to: '18:00' }, holiday: null, answerTargetS: 20 } }),
      T0,
    );
    show(MonitorPage);
    expect(host.textContent).toContain('本时段计划 12 人');
    expect(host.textContent).toContain('应答目标 20 秒');
  });

  it('when the calendar says the hotline is out of service, should say so', () => {
    const s = appStore.getState();
    s.signedIn(user('supervisor'));
    s.applySnapshot(snapshot({ service: { open: false, plannedSeats: 0, period: null, holiday: '春节', answerTargetS: 15 } }), T0);
    show(MonitorPage);
    expect(host.textContent).toContain('非服务时段');
  });
});

describe('login page', () => {
  it('while the login request is in flight, should disable the button; on 401 should show the message', async () => {
    let answer!: (r: Response) => void;
    vi.stubGlobal('fetch', () => new Promise<Response>((r) => (answer = r)));
    appStore.getState().setAnonymous();
    show(LoginPage);
    const input = (name: string) => host.querySelector(`input[name="${name}"]`) as HTMLInputElement;
    const type = (el: HTMLInputElement, value: string) => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    act(() => {
      type(input('username'), 'seat01');
      type(input('password'), 'wrong');
    });
    act(() => host.querySelector('form')?.requestSubmit());
    expect(host.querySelector('button[type="submit"]')?.hasAttribute('disabled')).toBe(true);
    await act(async () => {
      answer(new Response(JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误' } }), { status: 401 }));
    });
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('用户名或密码错误');
    expect(host.querySelector('button[type="submit"]')?.hasAttribute('disabled')).toBe(false);
  });

  it('when the server returns field errors, should show them under the fields', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '输入有误', fields: { password: ['密码过长'] } } }),
          { status: 400 },
        ),
    );
    appStore.getState().setAnonymous();
    show(LoginPage);
    const set = (name: string, v: string) => {
      const el = host.querySelector(`input[name="${name}"]`) as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    act(() => {
      set('username', 'seat01');
      set('password', 'x');
    });
    await act(async () => host.querySelector('form')?.requestSubmit());
    expect(host.querySelector('#password-errors')?.textContent).toBe('密码过长');
    expect(host.querySelector('input[name="password"]')?.getAttribute('aria-invalid')).toBe('true');
  });
});
