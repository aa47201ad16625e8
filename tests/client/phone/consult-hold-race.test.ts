import { describe, expect, it } from 'vitest';
import { inCall, phoneRig } from '../support/phone-fakes';

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
});
