import { act, createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HandoverView } from '../../../client/src/contract';
import { handover } from '../../../client/src/app/root';
import { Handover12345Status } from '../../../client/src/features/handover/Handover12345Status';
import { Screen } from '../support/summary-dom';

/* 转12345's state as the seat reads it after a reload: a call-back booked before stays booked. */
const h = (over: Partial<HandoverView> = {}): HandoverView => ({
  id: 'ho-1',
  direction: 'to-12345',
  callId: 'c1',
  seatId: 's03',
  ticket: null,
  state: 'not-connected',
  detail: '转接未成功(486 对方忙),来电方仍在通话中',
  delivery: 'accepted',
  attempts: 1,
  lastError: null,
  nextAttemptAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const settled = () =>
  act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });

let screen: Screen;
beforeEach(() => {
  screen = new Screen();
});
afterEach(() => {
  screen.close();
  vi.restoreAllMocks();
});

describe('预约12345回电 in the hand-over status', () => {
  it('when the call-back was booked before (another tab, a reload), should say so and not offer it again', async () => {
    vi.spyOn(handover, 'load').mockResolvedValue({ ok: true, data: h({ callbackRequested: true }) });
    screen.show(() => createElement(Handover12345Status, { id: 'ho-1' }));
    await settled();
    const button = [...screen.host.querySelectorAll('button')].find((b) => b.textContent?.includes('12345回电'));
    expect(button?.textContent).toBe('已预约12345回电');
    expect(button?.disabled).toBe(true);
  });

  it('when none was booked, should offer it', async () => {
    vi.spyOn(handover, 'load').mockResolvedValue({ ok: true, data: h() });
    screen.show(() => createElement(Handover12345Status, { id: 'ho-1' }));
    await settled();
    const button = [...screen.host.querySelectorAll('button')].find((b) => b.textContent?.includes('12345回电'));
    expect(button?.textContent).toBe('预约12345回电');
    expect(button?.disabled).toBe(false);
  });
});
