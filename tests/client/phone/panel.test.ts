import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registrationText, Softphone } from '../../../client/src/features/phone/Softphone';
import { appStore } from '../../../client/src/app/store';
import { initialPhoneState, type PhoneState } from '../../../client/src/features/phone/slice';
import { seat, T0, user } from '../support/fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  appStore.getState().signedIn(user('seat'));
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
});

function show(phone: Partial<PhoneState>, props: Record<string, unknown> = {}): string {
  act(() => appStore.getState().phoneChanged({ ...initialPhoneState, ...phone }));
  act(() => root.render(createElement(Softphone, props)));
  return host.textContent ?? '';
}

const buttons = () => [...host.querySelectorAll('button')].map((b) => b.textContent);

describe('softphone panel', () => {
  it('when registered, should say so plainly', () => {
    expect(show({ registration: 'registered', connection: 'connected' })).toContain('电话已登记');
  });

  it('when registered, should say until when the credentials hold in China time, as every clock on screen', () => {
    // 2026-12-07 02:30 UTC is 10:30 in China, whatever the browser's zone.
    show({ registration: 'registered', connection: 'connected', credentialsExpireAt: Date.UTC(2026, 11, 7, 2, 30) });
    expect(host.querySelector('.softphone-registration')!.getAttribute('title')).toBe('登记凭据有效至 2026-12-07 10:30,到期前自动续期');
  });

  it('when reconnecting, should say which attempt it is and when it retries', () => {
    expect(registrationText({ registration: 'connecting', attempt: 3, online: true })).toBe('正在连接电话服务器…(第 3 次重连)');
    expect(registrationText({ registration: 'connecting', attempt: 0, online: false })).toContain('网络已断开');
    const text = show({ registration: 'failed', error: '电话登记未成功(403),将自动重试', retryAt: Date.now() + 8_000 });
    expect(text).toContain('电话登记未成功(403)');
    expect(text).toMatch(/\d+ 秒后自动重试/);
    expect(buttons()).toContain('立即重试');
  });

  it('when another tab has the phone, should say so and offer to take it over', () => {
    const text = show({ registration: 'other-tab' });
    expect(text).toContain('电话已在另一个标签页登记');
    expect(buttons()).toContain('在此页面使用电话');
    expect(host.querySelector('select')).toBeNull();
  });

  it('when the seat’s phone moved to another computer, should say so plainly and offer to take it back here', () => {
    const text = show({ registration: 'elsewhere', elsewhere: '此坐席已在另一台电脑登录,电话已转到那台电脑,本机不再振铃。' });
    expect(text).toContain('电话已转到另一台电脑');
    expect(text).toContain('本机不再振铃');
    expect(buttons()).toContain('在此电脑使用电话');
    expect(host.querySelector('[data-registration="elsewhere"]')?.className).toContain('tone-muted');
    expect(host.querySelector('select')).toBeNull();
  });

  it('when a colleague calls to consult (no call offered by the router), should offer 接听 and 拒接 here', () => {
    const text = show({ registration: 'registered', incoming: { sipCallId: 'consult-1', remote: '***', at: T0, answering: false } });
    expect(text).toContain('内部来电');
    expect(buttons()).toEqual(expect.arrayContaining(['接听', '拒接']));
  });

  it('when the router offers a call, should show the masked number and leave 接听/拒接 to the screen pop', () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'ringing', since: T0, callId: 'c1', attempt: 1, idleSince: T0 })));
    const text = show({ registration: 'registered', incoming: { sipCallId: 'c1', remote: '138****5678', at: T0, answering: false } });
    expect(text).toContain('来电振铃');
    expect(text).toContain('138****5678');
    expect(text).toContain('请在来电弹屏接听');
    expect(buttons()).not.toContain('接听');
  });

  it('when in a call, should show the timer and the call controls, reflecting mute and hold', () => {
    const active = { sipCallId: 'c1', answeredAt: Date.now() - 65_000, muted: true, held: true, holdPending: false };
    const text = show({ registration: 'registered', active });
    expect(text).toContain('通话保持中');
    expect(text).toMatch(/01:0\d/);
    expect(buttons()).toEqual(expect.arrayContaining(['取消静音', '恢复通话', '拨号盘', '挂断']));
    act(() => [...host.querySelectorAll('button')].find((b) => b.textContent === '拨号盘')!.click());
    expect(host.querySelector('[aria-label="拨号盘"]')?.querySelectorAll('button')).toHaveLength(12);
  });

  it('should render the transfer slot it is given, or a marked empty slot', () => {
    show({ registration: 'registered' }, { transferSlot: createElement('button', null, '转接…') });
    expect(buttons()).toContain('转接…');
    show({ registration: 'registered' });
    expect(host.querySelector('[data-slot="transfer"]')).not.toBeNull();
  });

  it('when the page was reloaded during a call the server still shows, should say the audio cannot be recovered', () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'talking', since: T0, callId: 'c1' } as never)));
    const text = show({ registration: 'registered', lostCallId: 'c1' });
    expect(text).toContain('无法恢复该通话');
  });

  it('when a call was up as the page went away and the server has moved on, should say the call was hung up', () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'ready', since: T0 } as never)));
    const text = show({ registration: 'registered', lostCallId: 'c1' });
    expect(text).toContain('正在进行的通话已挂断');
    expect(buttons()).toContain('知道了');
  });

  it('should offer the microphone and speaker pickers with 系统默认 and the devices', () => {
    show({
      registration: 'registered',
      devices: {
        inputs: [{ deviceId: 'm1', label: '耳麦' }],
        outputs: [{ deviceId: 's1', label: '音箱' }],
        inputId: 'm1',
        outputId: null,
        canSelectOutput: true,
      },
    });
    const selects = host.querySelectorAll('select');
    expect(selects).toHaveLength(2);
    expect((selects[0] as HTMLSelectElement).value).toBe('m1');
    expect([...selects[1]!.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['系统默认', '音箱']);
  });
});
