import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../../client/src/app/store';
import type { PhoneController } from '../../../client/src/features/phone/controller';
import { createLazyPhone } from '../../../client/src/features/phone/lazy';

function fakeController(): PhoneController {
  return {
    start: vi.fn(),
    stop: vi.fn(),
    unload: vi.fn(),
    takeOver: vi.fn(),
    takeBack: vi.fn(),
    ownerChanged: vi.fn(),
    recheck: vi.fn(),
    retryNow: vi.fn(),
    answer: vi.fn(),
    decline: vi.fn(),
    hangup: vi.fn(),
    toggleMute: vi.fn(),
    toggleHold: vi.fn(),
    sendDtmf: vi.fn(),
    refer: vi.fn(async () => ({ ok: true }) as const),
    consult: vi.fn(async () => ({ ok: true }) as const),
    hangupConsult: vi.fn(),
    resumeCaller: vi.fn(),
    dialOut: vi.fn(async () => ({ ok: true }) as const),
    selectInput: vi.fn(),
    selectOutput: vi.fn(),
    dismissNotice: vi.fn(),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('phone: loaded on first start', () => {
  it('when nothing started the phone, should not load its code', () => {
    const load = vi.fn(async () => fakeController());
    const phone = createLazyPhone(createAppStore(), load);
    phone.answer();
    phone.stop();
    expect(load).not.toHaveBeenCalled();
  });

  it('when started, should load the controller once and start it, then pass every command on', async () => {
    const real = fakeController();
    const load = vi.fn(async () => real);
    const phone = createLazyPhone(createAppStore(), load);
    phone.start();
    phone.start();
    await flush();
    expect(load).toHaveBeenCalledOnce();
    expect(real.start).toHaveBeenCalledOnce();
    phone.answer();
    phone.sendDtmf('5');
    await expect(phone.refer('sip:x')).resolves.toEqual({ ok: true });
    expect(real.answer).toHaveBeenCalledOnce();
    expect(real.sendDtmf).toHaveBeenCalledWith('5');
    phone.stop();
    expect(real.stop).toHaveBeenCalledOnce();
  });

  it('when stopped (signed out) before the code arrived, should not start it', async () => {
    const real = fakeController();
    const phone = createLazyPhone(createAppStore(), async () => real);
    phone.start();
    phone.stop();
    await flush();
    expect(real.start).not.toHaveBeenCalled();
  });

  it('when a transfer is asked for before the code arrived, should refuse it without throwing', async () => {
    const phone = createLazyPhone(createAppStore(), () => new Promise<PhoneController>(() => {}));
    phone.start();
    await expect(phone.refer('sip:x')).resolves.toMatchObject({ ok: false });
    await expect(phone.consult('sip:x')).resolves.toMatchObject({ ok: false });
  });

  it('when the code cannot be loaded, should say so on the phone panel and try again on 重试', async () => {
    const store = createAppStore();
    const real = fakeController();
    const load = vi.fn<() => Promise<PhoneController>>().mockRejectedValueOnce(new Error('chunk failed')).mockResolvedValueOnce(real);
    const phone = createLazyPhone(store, load);
    phone.start();
    await flush();
    expect(store.getState().phone).toMatchObject({ registration: 'failed', error: '软电话模块未能加载,请刷新页面' });
    phone.retryNow();
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(real.start).toHaveBeenCalledOnce();
  });
});
