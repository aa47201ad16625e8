import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../../client/src/contract';
import { createTransferController } from '../../../client/src/features/transfer/controller';
import { flush, inCall, phoneRig, sharedBrowser, type PhoneRig } from '../support/phone-fakes';

/** 咨询12345 as the router answers it: the consultation target and the REFER to 12345. */
const view: TransferView = {
  id: 'xf-1',
  callId: 'c1',
  fromSeatId: 's01',
  target: { kind: '12345' },
  mode: 'consult',
  referTo: 'sip:12345@hotline.local?X-12348-Workorder=ho-abc',
  consultUri: 'sip:c12345-abc@hotline.local',
  targetSeatId: null,
  fromSeatName: '张伟',
  targetSeatName: null,
  newCallId: null,
  handoverId: 'ho-abc',
  state: 'pending',
  createdAt: 0,
};

/** The transfer controller driving the real phone (fake user agent), the router answering yes. */
function transfersOn(rig: PhoneRig) {
  return createTransferController({
    store: rig.store,
    phone: rig.phone,
    start: async () => ({ ok: true, data: view }),
    report: async () => ({ ok: true, data: view }),
    targets: async () => ({ ok: true, data: { categories: [], seats: [] } }),
  });
}

describe('phone: a consultation that fails before the caller is on hold', () => {
  it('when the consulted line refuses before the hold re-INVITE is answered, should take the caller off hold once the hold is confirmed', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.consult('sip:c12345-abc@hotline.local');
    expect(ua.actions).toContain('hold call-1 true');

    // 12345 answers 486 at once: the consultation ends while the hold is still on its way.
    ua.emit({ type: 'ended', callId: 'out-1', end: { by: 'remote', cause: 'Busy', status: 486, failed: true } });
    const r = await result;
    expect(!r.ok && r.detail).toContain('486');
    expect(ua.actions).not.toContain('hold call-1 false');

    ua.emit({ type: 'hold', callId: 'call-1', held: true });

    expect(ua.actions.at(-1)).toBe('hold call-1 false');
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: true });
    ua.emit({ type: 'hold', callId: 'call-1', held: false });
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: false });
  });

  it('when the consultation ends to complete a transfer before the hold is confirmed, should leave the caller on hold', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    void rig.phone.consult('sip:c12345-abc@hotline.local');
    ua.emit({ type: 'established', callId: 'out-1' });

    rig.phone.hangupConsult({ resume: false });
    ua.emit({ type: 'hold', callId: 'call-1', held: true });

    expect(ua.actions).not.toContain('hold call-1 false');
  });

  it('when the trunk refuses the REFER after the consultation before the hold re-INVITE is answered, should take the caller off hold once the hold is confirmed', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const transfers = transfersOn(rig);
    const consulting = transfers.consult('c1', { kind: '12345' });
    await flush();
    ua.emit({ type: 'established', callId: 'out-1' }); // 12345 answers; the hold's answer is not applied yet
    await consulting;
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: true });

    const completing = transfers.complete();
    await flush();
    ua.refers[0]!.done({ ok: false, status: 501, cause: 'Not Implemented' });
    await completing;
    expect(rig.store.getState().transfer.error).toContain('501');
    expect(ua.actions).not.toContain('hold call-1 false'); // JsSIP would refuse it: the hold is still out

    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    expect(ua.actions.at(-1)).toBe('hold call-1 false');
    ua.emit({ type: 'hold', callId: 'call-1', held: false });
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: false });
  });

  it('when the trunk refuses the REFER after the consultation with the hold confirmed, should take the caller off hold at once', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const transfers = transfersOn(rig);
    const consulting = transfers.consult('c1', { kind: '12345' });
    await flush();
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });
    await consulting;

    const completing = transfers.complete();
    await flush();
    expect(ua.actions).toContain('hangup out-1');
    ua.refers[0]!.done({ ok: false, status: 501, cause: 'Not Implemented' });
    await completing;

    expect(ua.actions.filter((a) => a === 'hold call-1 false')).toHaveLength(1);
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: true });
  });

  it('when JsSIP cannot re-offer as the consultation ends, should try the resume again until it goes out', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    void rig.phone.consult('sip:c12345-abc@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });

    ua.holdAccepted = false; // another INVITE transaction is in progress
    rig.phone.hangupConsult();
    expect(ua.actions.filter((a) => a === 'hold call-1 false')).toHaveLength(1);
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: false });

    ua.holdAccepted = true;
    await browser.clock.advance(1_000);
    expect(ua.actions.filter((a) => a === 'hold call-1 false')).toHaveLength(2);
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: true });
    ua.emit({ type: 'hold', callId: 'call-1', held: false });
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: false });
    expect(rig.store.getState().phone.mediaError).toBeNull();
  });

  it('when JsSIP keeps refusing to re-offer, should stop trying and tell the seat to resume the caller', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    void rig.phone.consult('sip:c12345-abc@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });

    ua.holdAccepted = false;
    rig.phone.hangupConsult();
    await browser.clock.advance(60_000);

    const tries = ua.actions.filter((a) => a === 'hold call-1 false').length;
    expect(tries).toBeGreaterThan(1);
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: false });
    expect(rig.store.getState().phone.mediaError).toContain('恢复通话');
  });

  it('when the caller hangs up while the resume waits to be retried, should not touch the phone again', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    void rig.phone.consult('sip:c12345-abc@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });
    ua.holdAccepted = false;
    rig.phone.hangupConsult();

    ua.emit({ type: 'ended', callId: 'call-1', end: { by: 'remote', cause: 'Terminated', status: null, failed: false } });
    ua.holdAccepted = true;
    await browser.clock.advance(60_000);

    expect(ua.actions.filter((a) => a === 'hold call-1 false')).toHaveLength(1);
    expect(rig.store.getState().phone.mediaError).toBeNull();
  });

  it('when the seat presses 恢复通话 and 保持 again while a resume waits to be retried, should leave the caller on hold as the seat chose', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    void rig.phone.consult('sip:c12345-abc@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });
    ua.holdAccepted = false;
    rig.phone.hangupConsult();

    ua.holdAccepted = true;
    rig.phone.toggleHold(); // 恢复通话
    ua.emit({ type: 'hold', callId: 'call-1', held: false });
    rig.phone.toggleHold(); // 保持
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    await browser.clock.advance(60_000);

    expect(ua.actions.filter((a) => a.startsWith('hold call-1'))).toEqual([
      'hold call-1 true',
      'hold call-1 false',
      'hold call-1 false',
      'hold call-1 true',
    ]);
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: false });
  });
});
