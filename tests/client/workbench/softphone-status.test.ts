import { act, createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../../client/src/app/store';
import { registrationText, Softphone } from '../../../client/src/features/phone/Softphone';
import { initialPhoneState, type PhoneState } from '../../../client/src/features/phone/slice';
import { user } from '../support/fixtures';
import { Screen } from '../support/summary-dom';

/** The softphone's one status line on the workbench: never "registered" and "network down" at once. */
let screen: Screen;
beforeEach(() => {
  screen = new Screen();
  act(() => appStore.getState().signedIn(user('seat')));
});
afterEach(() => {
  screen.close();
  act(() => appStore.getState().signedOut());
});

function show(phone: Partial<PhoneState>) {
  act(() => appStore.getState().phoneChanged({ ...initialPhoneState, ...phone }));
  screen.show(() => createElement(Softphone));
  return screen.host.querySelector('[data-registration]')!;
}

describe('softphone status', () => {
  it('when the computer loses its network while registered, should say the network is down, in the warning colour, once', () => {
    const line = show({
      registration: 'registered',
      connection: 'connected',
      online: false,
      error: '电脑网络已断开,网络恢复后软电话会自动重新登记',
    });
    expect(line.textContent).toContain('网络已断开');
    expect(line.textContent).not.toContain('电话已登记');
    expect(line.className).toContain('tone-warn');
    expect(line.getAttribute('data-online')).toBe('false');
    expect(screen.text().match(/网络已断开/g)).toHaveLength(1);
  });

  it('when the network is back and the phone registered, should say registered in green', () => {
    const line = show({ registration: 'registered', connection: 'connected', online: true });
    expect(line.textContent).toContain('电话已登记');
    expect(line.className).toContain('tone-ok');
  });

  it('should derive the sentence from the registration and the network together', () => {
    expect(registrationText({ registration: 'registering', attempt: 0, online: false })).toContain('网络已断开');
    expect(registrationText({ registration: 'other-tab', attempt: 0, online: false })).toBe('电话已在另一个标签页登记');
  });
});
