import { describe, expect, it, vi } from 'vitest';
import type { Ack, TransferView } from '../../../client/src/contract';
import type { TransferResult } from '../../../client/src/features/phone/controller';
import { createAppStore } from '../../../client/src/app/store';
import { createTransferController, type TransferPhone } from '../../../client/src/features/transfer/controller';

/** The router's answer to 咨询12345: a one-time consultation target and the REFER to 12345 with the work order. */
const view = (over: Partial<TransferView> = {}): TransferView => ({
  id: 'xf-9',
  callId: 'c1',
  fromSeatId: 's03',
  target: { kind: '12345' },
  mode: 'consult',
  referTo: 'sip:12345@127.0.0.1:5070?X-12348-Workorder=ho-abc',
  consultUri: 'sip:c12345-abc@12348.local',
  targetSeatId: null,
  fromSeatName: '张伟',
  targetSeatName: null,
  newCallId: null,
  handoverId: 'ho-abc',
  state: 'pending',
  createdAt: 0,
  ...over,
});

function setup(o: { start?: Ack<TransferView>; refer?: TransferResult; consult?: TransferResult } = {}) {
  const store = createAppStore();
  const phone: TransferPhone & { [k: string]: ReturnType<typeof vi.fn> } = {
    refer: vi.fn(async (): Promise<TransferResult> => o.refer ?? { ok: true }),
    consult: vi.fn(async (): Promise<TransferResult> => o.consult ?? { ok: true }),
    hangupConsult: vi.fn(),
    resumeCaller: vi.fn(),
  };
  const report = vi.fn(async (r: { transferId: string; outcome: string }) => ({
    ok: true as const,
    data: view({ state: r.outcome as TransferView['state'] }),
  }));
  const start = vi.fn(async () => o.start ?? { ok: true as const, data: view() });
  const ctl = createTransferController({
    store,
    phone,
    start,
    report,
    targets: async () => ({ ok: true, data: { categories: [], seats: [] } }),
  });
  return { store, phone, report, start, ctl };
}

describe('咨询12345 in the transfer controller', () => {
  it('when the seat consults 12345, should call the one-time target naming the work order, the caller on hold', async () => {
    const h = setup();
    await h.ctl.consult('c1', { kind: '12345' });

    expect(h.start).toHaveBeenCalledWith({ callId: 'c1', target: { kind: '12345' }, mode: 'consult' });
    expect(h.phone.consult).toHaveBeenCalledWith('sip:c12345-abc@12348.local', ['X-12348-Workorder: ho-abc']);
    expect(h.store.getState().transfer.phase).toBe('consulting');
  });

  it('when the seat completes, should end the consultation and REFER the caller to 12345 with the work order', async () => {
    const h = setup();
    await h.ctl.consult('c1', { kind: '12345' });

    await h.ctl.complete();

    expect(h.phone.hangupConsult).toHaveBeenCalledWith({ resume: false });
    expect(h.phone.refer).toHaveBeenCalledWith('sip:12345@127.0.0.1:5070?X-12348-Workorder=ho-abc');
    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-9', outcome: 'completed' });
    expect(h.store.getState().transfer.phase).toBe('done');
  });

  it('when 12345 is busy, should report the consultation cancelled with the reason and say the caller is back', async () => {
    const h = setup({ consult: { ok: false, detail: '咨询呼叫未接通(486 Busy)' } });
    await h.ctl.consult('c1', { kind: '12345' });

    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-9', outcome: 'cancelled', detail: '咨询呼叫未接通(486 Busy)' });
    expect(h.store.getState().transfer.error).toBe('咨询呼叫未接通(486 Busy)。来电人仍在线,已恢复通话。');
    expect(h.phone.refer).not.toHaveBeenCalled();
  });

  it('when the router cannot open the line to 12345, should not touch the phone and say the caller is still there', async () => {
    const h = setup({
      start: { ok: false, error: { code: 'UNAVAILABLE', message: '外呼线路暂不可用,无法呼叫12345咨询;可直接转12345或稍后再试。' } },
    });
    await h.ctl.consult('c1', { kind: '12345' });

    expect(h.phone.consult).not.toHaveBeenCalled();
    expect(h.store.getState().transfer.error).toContain('来电人仍在与您通话');
  });
});
