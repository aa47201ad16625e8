import { describe, expect, it } from 'vitest';
import { failureDetail } from '../../../client/src/features/phone/calls';
import { inCall, phoneRig } from '../support/phone-fakes';

/*
 * When 12345 (or a seat) is busy, refuses or does not answer during a transfer, the seat reads
 * why in zh-CN: the SIP status with its meaning, never JsSIP's English cause alone.
 */
describe('why a transfer or consultation failed, as the seat reads it', () => {
  it('when 12345 is busy for the REFER, should say 对方忙 with the status and that the caller is still there', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.refer('sip:12345@hotline.local');
    ua.refers[0]!.done({ ok: false, status: 486, cause: 'Busy Here' });
    expect(await result).toEqual({ ok: false, detail: '转接未成功(486 对方忙),来电方仍在通话中' });
  });

  it('when the 12345 line does not answer the consultation, should say so in words, not "Request Timeout"', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    const result = rig.phone.consult('sip:c12345-t@hotline.local');
    ua.emit({ type: 'hold', callId: 'call-1', held: true });
    ua.emit({ type: 'ended', callId: 'out-1', end: { by: 'remote', cause: 'Request Timeout', status: 408, failed: true } });
    expect(await result).toEqual({ ok: false, detail: '咨询呼叫未接通(408 无人接听)' });
  });

  it.each([
    [486, 'Busy', '486 对方忙'],
    [603, 'Rejected', '603 对方拒绝'],
    [480, 'Unavailable', '480 暂时无法接通'],
    [501, 'SIP Failure Code', '501 对方不支持转接'],
    [499, 'SIP Failure Code', '499 呼叫失败'],
    [null, 'Rejected', '对方拒绝'],
    [null, 'Connection Error', '网络连接中断'],
  ] as const)('reads status %s (%s) as %s', (status, cause, words) => {
    expect(failureDetail(status, cause)).toBe(words);
  });
});
