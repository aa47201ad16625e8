import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, TransferView } from '../../../client/src/contract';
import { createAppStore } from '../../../client/src/app/store';
import { createTransferController } from '../../../client/src/features/transfer/controller';
import { DISCONNECTED_ERROR } from '../../../client/src/shared/errors';

/*
 * 转12345 while the router restarts: the seat's phone knows how the REFER ended, the router is
 * away for a moment. The outcome must still reach it (the work order's transfer result depends
 * on it), without keeping the seat waiting.
 */
const view: TransferView = {
  id: 'xf-1',
  callId: 'c1',
  fromSeatId: 's03',
  target: { kind: '12345' },
  mode: 'blind',
  referTo: 'sip:12345@127.0.0.1:5070?X-12348-Workorder=ho-1',
  consultUri: null,
  targetSeatId: null,
  fromSeatName: '张伟',
  targetSeatName: null,
  newCallId: null,
  handoverId: 'ho-1',
  state: 'pending',
  createdAt: 0,
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(answers: Ack<TransferView>[]) {
  const store = createAppStore();
  const report = vi.fn(
    async (_r: { transferId: string; outcome: string }): Promise<Ack<TransferView>> =>
      answers.shift() ?? { ok: true, data: { ...view, state: 'completed' } },
  );
  const ctl = createTransferController({
    store,
    phone: { refer: vi.fn(async () => ({ ok: true as const })), consult: vi.fn(), hangupConsult: vi.fn(), resumeCaller: vi.fn() },
    start: async () => ({ ok: true, data: view }),
    report,
    targets: async () => ({ ok: true, data: { categories: [], seats: [] } }),
    reportRetryMs: 2000,
    reportTries: 5,
  });
  return { store, report, ctl };
}

describe('the transfer outcome when the router is away', () => {
  it('when the report cannot reach the router, should finish for the seat at once and send the outcome again until taken', async () => {
    const { store, report, ctl } = setup([
      { ok: false, error: DISCONNECTED_ERROR },
      { ok: false, error: DISCONNECTED_ERROR },
    ]);

    await ctl.blind('c1', { kind: '12345' });

    expect(store.getState().transfer.phase).toBe('done');
    expect(report).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(report).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(report).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(report).toHaveBeenCalledTimes(3);
    expect(report.mock.calls.every(([r]) => JSON.stringify(r) === JSON.stringify({ transferId: 'xf-1', outcome: 'completed' }))).toBe(true);
  });

  it('when the router refuses the report (not a connection problem), should not send it again', async () => {
    const { report, ctl } = setup([{ ok: false, error: { code: 'NOT_FOUND', message: '没有这次转接。' } }]);
    await ctl.blind('c1', { kind: '12345' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(report).toHaveBeenCalledTimes(1);
  });

  it('gives up after the tries it was given (the router then settles the transfer itself)', async () => {
    const { report, ctl } = setup(Array.from({ length: 10 }, () => ({ ok: false as const, error: DISCONNECTED_ERROR })));
    await ctl.blind('c1', { kind: '12345' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(report).toHaveBeenCalledTimes(5);
  });
});
