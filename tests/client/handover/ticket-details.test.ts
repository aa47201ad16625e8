import { act, createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, Ticket12345View } from '../../../client/src/contract';
import { handover } from '../../../client/src/app/root';
import { TICKET_RETRY_MS, Ticket12345Details } from '../../../client/src/features/handover/Ticket12345Details';
import { Screen } from '../support/summary-dom';

/** Lets the answers and React's renders run (timers are fake here: no setTimeout in it). */
const settled = () =>
  act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });
/** Moves the fake clock inside act, so the renders it causes are applied. */
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

const view: Ticket12345View = {
  ticket: 'GD-1',
  category: '劳动保障',
  categoryId: 'labor',
  title: '工资拖欠',
  content: '公司拖欠三个月工资',
  citizenPhone: null,
  state: 'received',
  receivedAt: 0,
};
const notYet: Ack<Ticket12345View> = { ok: false, error: { code: 'NOT_FOUND', message: '12345 尚未推送该工单的内容' } };

let screen: Screen;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  screen = new Screen();
});
afterEach(() => {
  screen.close();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the screen pop's 12345 ticket", () => {
  it('when 12345 pushes the ticket after the call rang, should show its content once it is there', async () => {
    const ask = vi
      .spyOn(handover, 'ticket')
      .mockResolvedValueOnce(notYet)
      .mockResolvedValueOnce(notYet)
      .mockResolvedValue({ ok: true, data: view });
    screen.show(() => createElement(Ticket12345Details, { ticket: 'GD-1' }));
    await settled();
    expect(screen.text()).toContain('12345 尚未推送该工单的内容');

    await advance(TICKET_RETRY_MS);
    await settled();
    expect(screen.text()).toContain('12345 尚未推送该工单的内容');
    await advance(TICKET_RETRY_MS);
    await settled();

    expect(screen.text()).toContain('公司拖欠三个月工资');
    expect(screen.text()).not.toContain('尚未推送');
    await advance(5 * TICKET_RETRY_MS);
    expect(ask).toHaveBeenCalledTimes(3);
  });

  it('when the call is gone from the screen, should stop asking', async () => {
    const ask = vi.spyOn(handover, 'ticket').mockResolvedValue(notYet);
    screen.show(() => createElement(Ticket12345Details, { ticket: 'GD-1' }));
    await settled();
    screen.close();
    screen = new Screen();
    await advance(5 * TICKET_RETRY_MS);
    expect(ask).toHaveBeenCalledTimes(1);
  });
});
