import { describe, expect, it, vi } from 'vitest';
import type { Ack, TransferView } from '../../../client/src/contract';
import type { TransferResult } from '../../../client/src/features/phone/controller';
import { createAppStore } from '../../../client/src/app/store';
import { createTransferController, type TransferPhone } from '../../../client/src/features/transfer/controller';

const view = (over: Partial<TransferView> = {}): TransferView => ({
  id: 'xf-1',
  callId: 'c1',
  fromSeatId: 's03',
  target: { kind: 'category', categoryId: 'labor' },
  mode: 'blind',
  referTo: 'sip:12348@127.0.0.1:5060?X-Transfer=abc',
  consultUri: null,
  targetSeatId: null,
  fromSeatName: '张伟',
  targetSeatName: null,
  newCallId: null,
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

describe('transfer controller (转接)', () => {
  it('when a blind transfer is accepted by the far side, should report it completed', async () => {
    const h = setup();
    await h.ctl.blind('c1', { kind: 'category', categoryId: 'labor' });

    expect(h.phone.refer).toHaveBeenCalledWith('sip:12348@127.0.0.1:5060?X-Transfer=abc');
    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-1', outcome: 'completed' });
    expect(h.store.getState().transfer.phase).toBe('done');
  });

  it('when the far side refuses the REFER, should keep the call, report it refused and say so', async () => {
    const h = setup({ refer: { ok: false, detail: '转接未成功(501),来电方仍在通话中' } });
    await h.ctl.blind('c1', { kind: 'category', categoryId: 'labor' });

    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-1', outcome: 'refused', detail: '转接未成功(501),来电方仍在通话中' });
    const t = h.store.getState().transfer;
    expect(t.phase).toBe('failed');
    expect(t.error).toBe('转接未成功(501),来电方仍在通话中');
  });

  it('when the router refuses the transfer, should not touch the phone and show its sentence', async () => {
    const h = setup({ start: { ok: false, error: { code: 'CONFLICT', message: '坐席 徐丽 当前离线,不能转接。' } } });
    await h.ctl.blind('c1', { kind: 'seat', seatId: 's11' });

    expect(h.phone.refer).not.toHaveBeenCalled();
    expect(h.store.getState().transfer.error).toContain('当前离线');
  });

  it('when a consultation is completed, should end the consultation and then REFER the caller to that seat', async () => {
    const h = setup({ start: { ok: true, data: view({ mode: 'consult', consultUri: 'sip:s11@12348.local', targetSeatId: 's11' }) } });
    await h.ctl.consult('c1', { kind: 'seat', seatId: 's11' });
    expect(h.store.getState().transfer.phase).toBe('consulting');
    expect(h.phone.consult).toHaveBeenCalledWith('sip:s11@12348.local');

    await h.ctl.complete();

    expect(h.phone.hangupConsult).toHaveBeenCalledWith({ resume: false });
    expect(h.phone.refer).toHaveBeenCalledOnce();
    expect(h.store.getState().transfer.phase).toBe('done');
  });

  it('when a consultation is cancelled, should end it, keep the caller and free the consulted seat', async () => {
    const h = setup({ start: { ok: true, data: view({ mode: 'consult', consultUri: 'sip:s11@12348.local', targetSeatId: 's11' }) } });
    await h.ctl.consult('c1', { kind: 'seat', seatId: 's11' });

    await h.ctl.cancel();

    expect(h.phone.hangupConsult).toHaveBeenCalledOnce();
    expect(h.phone.refer).not.toHaveBeenCalled();
    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-1', outcome: 'cancelled' });
    expect(h.store.getState().transfer.phase).toBe('idle');
  });

  it('when the consulted seat does not answer, should report it and say the caller is still there', async () => {
    const h = setup({
      start: { ok: true, data: view({ mode: 'consult', consultUri: 'sip:s11@12348.local', targetSeatId: 's11' }) },
      consult: { ok: false, detail: '咨询呼叫未接通(Busy)' },
    });
    await h.ctl.consult('c1', { kind: 'seat', seatId: 's11' });

    expect(h.report).toHaveBeenCalledWith({ transferId: 'xf-1', outcome: 'cancelled', detail: '咨询呼叫未接通(Busy)' });
    expect(h.store.getState().transfer.error).toContain('来电人仍在线');
    expect(h.phone.refer).not.toHaveBeenCalled();
  });

  it('when another seat starts consulting this seat, should say who, and forget it when cancelled', () => {
    const h = setup();
    const t = view({ mode: 'consult', fromSeatId: 's03', targetSeatId: 's11', targetSeatName: '徐丽' });
    h.store.getState().applyTransfer(t, 's11');
    expect(h.store.getState().transfer.consultedBy?.fromSeatName).toBe('张伟');

    h.store.getState().applyTransfer({ ...t, state: 'cancelled' }, 's11');
    expect(h.store.getState().transfer.consultedBy).toBeNull();
  });

  it('when the REFER after a consultation is refused, should take the caller off hold again', async () => {
    const h = setup({
      start: { ok: true, data: view({ mode: 'consult', consultUri: 'sip:s11@12348.local', targetSeatId: 's11' }) },
      refer: { ok: false, detail: '转接未成功(501),来电方仍在通话中' },
    });
    await h.ctl.consult('c1', { kind: 'seat', seatId: 's11' });
    h.store.getState().phoneChanged({ active: { sipCallId: 'c1', answeredAt: 0, muted: false, held: true, holdPending: false } });

    await h.ctl.complete();

    expect(h.phone.resumeCaller).toHaveBeenCalledOnce();
    expect(h.store.getState().transfer.phase).toBe('failed');
  });
});
