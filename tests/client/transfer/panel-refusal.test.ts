import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../../client/src/app/store';
import { initialPhoneState } from '../../../client/src/features/phone/slice';
import { TransferPanel } from '../../../client/src/features/transfer/TransferPanel';
import { seat, user } from '../support/fixtures';
import { Screen, settled } from '../support/summary-dom';

/*
 * 转12345 and 先咨询12345 are buttons of the closed transfer panel: when the router refuses one
 * before any transfer exists (no outbound line, the line down, a transfer already under way),
 * the seat must read why right there.
 */
let screen: Screen;
beforeEach(() => {
  const s = appStore.getState();
  s.signedIn(user('seat'));
  s.applySeat(seat({ kind: 'talking', since: Date.now() - 5_000, callId: 'c1' }));
  s.phoneChanged({
    ...initialPhoneState,
    registration: 'registered',
    active: { sipCallId: 'c1', answeredAt: Date.now() - 5_000, muted: false, held: false, holdPending: false },
  });
  screen = new Screen();
});
afterEach(() => {
  screen.close();
  appStore.getState().signedOut();
});

describe('the transfer panel when the router refuses 转12345 or 先咨询12345', () => {
  it('shows the refusal next to the buttons, with the caller still connected', async () => {
    screen.show(TransferPanel);
    await settled();
    act(() =>
      appStore.getState().transferPhase('failed', {
        current: null,
        error: '外呼线路暂不可用,无法呼叫12345咨询;可直接转12345或稍后再试。(来电人仍在与您通话)',
      }),
    );
    await settled();

    const alert = screen.host.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe('外呼线路暂不可用,无法呼叫12345咨询;可直接转12345或稍后再试。(来电人仍在与您通话)');
    expect(screen.text()).toContain('先咨询12345');
  });
});
