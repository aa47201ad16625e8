import { describe, expect, it } from 'vitest';
import { initialPhoneState } from '../../../client/src/features/phone/slice';
import { flush, inCall, phoneRig, registered, sharedBrowser } from '../support/phone-fakes';

describe('phone: calls', () => {
  it('when a call rings, should ring with the masked number, and answering should stop the tone and bring the call up', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    ua.ring('call-1', '13812345678');
    expect(rig.ringer.ringing).toBe(true);
    expect(rig.store.getState().phone.incoming).toMatchObject({ sipCallId: 'call-1', remote: '138****5678', answering: false });
    expect(JSON.stringify(rig.store.getState().phone)).not.toContain('13812345678');

    rig.phone.answer();
    expect(rig.ringer.ringing).toBe(false);
    expect(ua.answers).toEqual([{ callId: 'call-1', media: { inputId: null } }]);
    expect(rig.store.getState().phone.incoming?.answering).toBe(true);
    ua.emit({ type: 'established', callId: 'call-1' });
    expect(rig.store.getState().phone.incoming).toBeNull();
    expect(rig.store.getState().phone.active).toMatchObject({ sipCallId: 'call-1', muted: false, held: false });
  });

  it('when declined, should answer 486 so the router offers the call elsewhere', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    ua.ring('call-1');
    rig.phone.decline();
    expect(ua.actions).toEqual(['reject call-1 486 Busy Here']);
    expect(rig.store.getState().phone.incoming).toBeNull();
    expect(rig.ringer.ringing).toBe(false);
  });

  it('when the caller gives up while ringing, should stop ringing', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    ua.ring('call-1');
    ua.emit({ type: 'ended', callId: 'call-1', end: { by: 'remote', cause: 'Canceled', status: null, failed: true } });
    expect(rig.ringer.ringing).toBe(false);
    expect(rig.store.getState().phone.incoming).toBeNull();
  });

  it('when a second call arrives during a call, should refuse it busy', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    ua.ring('call-2');
    expect(ua.actions).toContain('reject call-2 486 Busy Here');
    expect(rig.store.getState().phone.incoming).toBeNull();
    expect(rig.ringer.starts).toBe(1);
  });

  it('mute, hold (after the re-INVITE succeeds) and DTMF act on the call', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    rig.phone.toggleMute();
    expect(rig.store.getState().phone.active?.muted).toBe(true);
    rig.phone.toggleMute();
    expect(rig.store.getState().phone.active?.muted).toBe(false);

    rig.phone.toggleHold();
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: true });
    rig.phone.toggleHold(); // ignored while the re-INVITE is out
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    expect(rig.store.getState().phone.active).toMatchObject({ held: true, holdPending: false });
    rig.phone.toggleHold();
    ua.emit({ type: 'hold', callId: 'call-1', held: false });
    expect(rig.store.getState().phone.active?.held).toBe(false);

    rig.phone.sendDtmf('5');
    rig.phone.sendDtmf('#');
    rig.phone.sendDtmf('x');
    expect(ua.actions.filter((a) => a.startsWith('hold') || a.startsWith('dtmf'))).toEqual([
      'hold call-1 true',
      'hold call-1 false',
      'dtmf call-1 5',
      'dtmf call-1 #',
    ]);
  });

  it('when hold cannot be sent now, should say so and stay off hold', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    ua.holdAccepted = false;
    rig.phone.toggleHold();
    expect(rig.store.getState().phone.active).toMatchObject({ held: false, holdPending: false });
    expect(rig.store.getState().phone.mediaError).toContain('暂时无法保持');
  });

  it('when hung up, should end the call at the user agent and clear it', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    rig.phone.hangup();
    expect(ua.actions).toContain('hangup call-1');
    expect(rig.store.getState().phone.active).toBeNull();
  });

  it('when the caller hangs up, should clear the call', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    ua.emit({ type: 'ended', callId: 'call-1', end: { by: 'remote', cause: 'Terminated', status: null, failed: false } });
    expect(rig.store.getState().phone.active).toBeNull();
  });

  it('when the page is reloaded during a call, should tell the next page that the call could not be kept', async () => {
    const browser = sharedBrowser();
    const before = phoneRig(browser);
    await inCall(before);
    // The same tab after a reload: sessionStorage survives, the WebRTC session does not.
    const after = phoneRig(sharedBrowser(), { tabStorage: before.tabStorage });
    after.phone.start();
    expect(after.store.getState().phone.lostCallId).toBe('call-1');
    after.phone.dismissNotice();
    expect(after.store.getState().phone.lostCallId).toBeNull();
  });

  it('when the page goes away during a call, should hang up, release the phone to another tab and remember the call for the next load', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    const other = phoneRig(browser);
    other.phone.start();
    await flush();
    expect(other.store.getState().phone.registration).toBe('other-tab');

    rig.phone.unload();
    await flush();
    expect(ua.stopped).toBe(true);
    expect(other.adapter.uas).toHaveLength(1);
    const next = phoneRig(sharedBrowser(), { tabStorage: rig.tabStorage });
    next.phone.start();
    expect(next.store.getState().phone.lostCallId).toBe('call-1');
  });

  it('when a call ends normally, a later reload should not claim a lost call', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    ua.emit({ type: 'ended', callId: 'call-1', end: { by: 'remote', cause: 'Terminated', status: null, failed: false } });
    const after = phoneRig(sharedBrowser(), { tabStorage: rig.tabStorage });
    after.phone.start();
    expect(after.store.getState().phone.lostCallId).toBeNull();
  });
});

describe('phone: transfer primitives', () => {
  it('when the REFER is accepted (NOTIFY 200), should resolve ok and leave the call', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.refer('sip:12348@hotline.local');
    expect(rig.store.getState().phone.transferring).toBe(true);
    ua.refers[0]!.done({ ok: true });
    await expect(result).resolves.toEqual({ ok: true });
    expect(ua.actions).toContain('hangup call-1');
    expect(rig.store.getState().phone).toMatchObject({ active: null, transferring: false });
  });

  it('when the REFER is refused, should fail with the status and keep the caller connected', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.refer('sip:12345@hotline.local');
    ua.refers[0]!.done({ ok: false, status: 603, cause: 'Declined' });
    const r = await result;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toContain('603');
    expect(ua.actions).not.toContain('hangup call-1');
    expect(rig.store.getState().phone).toMatchObject({ active: { sipCallId: 'call-1' }, transferring: false });
  });

  it('when no NOTIFY comes in time, should fail and keep the caller connected', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await inCall(rig);
    const result = rig.phone.refer('sip:12345@hotline.local');
    await browser.clock.advance(30_000);
    const r = await result;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toContain('超时');
    ua.refers[0]!.done({ ok: true }); // too late: ignored
    expect(rig.store.getState().phone.active?.sipCallId).toBe('call-1');
    expect(ua.actions).not.toContain('hangup call-1');
  });

  it('when there is no call, refer should fail at once', async () => {
    const rig = phoneRig();
    await registered(rig);
    expect((await rig.phone.refer('sip:x@y')).ok).toBe(false);
  });

  it('consult should hold the caller and call the target; hanging the consultation up resumes the caller', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.consult('sip:s02@hotline.local');
    expect(ua.actions).toContain('hold call-1 true');
    expect(ua.actions).toContain('call out-1 sip:s02@hotline.local default');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    expect(rig.store.getState().phone.consult).toMatchObject({ sipCallId: 'out-1', answeredAt: null });
    ua.emit({ type: 'established', callId: 'out-1' });
    await expect(result).resolves.toEqual({ ok: true });
    expect(rig.store.getState().phone.consult?.answeredAt).not.toBeNull();

    rig.phone.hangupConsult();
    expect(ua.actions).toContain('hangup out-1');
    expect(ua.actions.at(-1)).toBe('hold call-1 false');
    expect(rig.store.getState().phone.consult).toBeNull();
  });

  it('when the consultation ends to complete a transfer, should leave the caller on hold for the REFER', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    void rig.phone.consult('sip:s02@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'established', callId: 'out-1' });

    rig.phone.hangupConsult({ resume: false });

    expect(ua.actions.at(-1)).toBe('hangup out-1');
    expect(ua.actions).not.toContain('hold call-1 false');
  });

  it('when the caller hangs up during a consultation, 挂断 should end the consultation call that remains', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    void rig.phone.consult('sip:s02@hotline.local');
    ua.emit({ type: 'established', callId: 'out-1' });
    ua.emit({ type: 'ended', callId: 'call-1', end: { by: 'remote', cause: 'Terminated', status: null, failed: false } });
    expect(rig.store.getState().phone.consult?.sipCallId).toBe('out-1');
    rig.phone.hangup();
    expect(ua.actions).toContain('hangup out-1');
    expect(rig.store.getState().phone.consult).toBeNull();
  });

  it('when the consulted party does not answer, consult should fail and take the caller off hold', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.consult('sip:s02@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'ended', callId: 'out-1', end: { by: 'remote', cause: 'Busy', status: 486, failed: true } });
    const r = await result;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toContain('486');
    expect(ua.actions.at(-1)).toBe('hold call-1 false');
  });
});

describe('phone: devices', () => {
  it('when a microphone and speaker are chosen, should remember them and use them for the next call, tone and audio', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await registered(rig);
    await flush();
    expect(rig.store.getState().phone.devices.inputs.map((d) => d.deviceId)).toEqual(['mic-a', 'mic-b']);

    rig.phone.selectInput('mic-b');
    rig.phone.selectOutput('spk-b');
    expect(browser.storage.map.get('hotline.phone.input')).toBe('mic-b');
    expect(browser.storage.map.get('hotline.phone.output')).toBe('spk-b');
    expect(ua.inputId).toBe('mic-b');
    expect(ua.outputId).toBe('spk-b');
    expect(rig.ringer.outputId).toBe('spk-b');
    rig.phone.stop();

    // A new page of the same browser.
    const next = phoneRig(browser);
    const ua2 = await registered(next);
    expect(next.store.getState().phone.devices).toMatchObject({ inputId: 'mic-b', outputId: 'spk-b' });
    expect(ua2.outputId).toBe('spk-b');
    ua2.ring('call-9');
    expect(next.ringer.outputId).toBe('spk-b');
    next.phone.answer();
    expect(ua2.answers[0]?.media).toEqual({ inputId: 'mic-b' });
  });

  it('when a device is plugged in, should list it', async () => {
    const rig = phoneRig();
    await registered(rig);
    await flush();
    rig.devices.plug({ deviceId: 'mic-usb', label: 'USB 耳麦' });
    await flush();
    expect(rig.store.getState().phone.devices.inputs.map((d) => d.label)).toContain('USB 耳麦');
  });

  it('when the microphone is refused, should say so plainly', async () => {
    const rig = phoneRig();
    rig.devices.problem = '浏览器不允许本站使用麦克风';
    await registered(rig);
    await flush();
    expect(rig.store.getState().phone.mediaError).toBe('浏览器不允许本站使用麦克风');
  });
});

describe('phone slice', () => {
  it('phoneReset keeps the device lists and choices but forgets everything else', () => {
    const rig = phoneRig();
    const s = rig.store.getState();
    s.phoneChanged({ registration: 'registered', devices: { ...initialPhoneState.devices, inputId: 'mic-a' } });
    rig.store.getState().phoneReset();
    expect(rig.store.getState().phone).toEqual({ ...initialPhoneState, devices: { ...initialPhoneState.devices, inputId: 'mic-a' } });
  });
});

describe('phone: 强拆', () => {
  it('when the router says a supervisor ended the call but this phone got no BYE, should end its call itself', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const call = { id: 'call-1', hungUpBy: 'supervisor' } as unknown as NonNullable<ReturnType<typeof rig.store.getState>['call']>;
    const seat = { state: { kind: 'wrap-up', callId: 'call-1' } } as unknown as NonNullable<ReturnType<typeof rig.store.getState>['seat']>;
    rig.store.setState({ call: { ...call, hungUpBy: null } as typeof call, seat });
    expect(ua.actions.filter((a) => a.startsWith('hangup'))).toEqual([]); // the seat's own hang-up: nothing to do
    rig.store.setState({ call, seat });
    expect(ua.actions).toContain('hangup call-1');
    expect(rig.store.getState().phone.active).toBeNull();
  });
});
