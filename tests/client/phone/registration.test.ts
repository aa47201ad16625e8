import { describe, expect, it } from 'vitest';
import { renewalMarginMs } from '../../../client/src/features/phone/controller';
import { user } from '../support/fixtures';
import { credentials, flush, inCall, phoneRig, registered, sharedBrowser } from '../support/phone-fakes';

const unauthenticated = { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } } as const;
const network = { ok: false, error: { code: 'INTERNAL', message: '无法连接服务器,请检查网络后重试' } } as const;

describe('phone: registration', () => {
  it('when a seat signs in, should register a user agent with the issued credentials and say registered', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    rig.phone.start();
    expect(rig.store.getState().phone.registration).toBe('connecting');
    await flush();
    const ua = rig.adapter.last;
    expect(ua.started).toBe(true);
    expect(ua.config).toMatchObject({ uri: 'sip:s01@hotline.local', wsUrl: 'ws://127.0.0.1:8088' });
    expect(ua.config.username).toMatch(/^\d+:s01$/);

    ua.emit({ type: 'connecting', attempt: 0 });
    ua.emit({ type: 'connected' });
    expect(rig.store.getState().phone).toMatchObject({ registration: 'registering', connection: 'connected' });
    ua.emit({ type: 'registered' });
    expect(rig.store.getState().phone).toMatchObject({ registration: 'registered', error: null });
  });

  it('when the account is not a seat, should not start a phone', async () => {
    const rig = phoneRig();
    rig.store.getState().signedIn(user('supervisor'));
    rig.phone.start();
    await flush();
    expect(rig.adapter.uas).toHaveLength(0);
    expect(rig.store.getState().phone.registration).toBe('off');
  });

  it('when the browser has no WebRTC, should say so and not fetch credentials', async () => {
    const rig = phoneRig(sharedBrowser(), { unsupported: '此浏览器不支持网页电话' });
    rig.phone.start();
    await flush();
    expect(rig.fetches).toBe(0);
    expect(rig.store.getState().phone).toMatchObject({ registration: 'failed', error: '此浏览器不支持网页电话' });
  });

  it('when the credentials cannot be fetched, should say so and retry with growing back-off', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    rig.answers = [() => network, () => network, () => ({ ok: true, data: credentials(browser.clock) })];
    rig.phone.start();
    await flush();
    expect(rig.store.getState().phone.registration).toBe('failed');
    expect(rig.store.getState().phone.error).toContain('无法获取电话登记凭据');
    expect(rig.store.getState().phone.retryAt).toBe(browser.clock.now() + 2_000);
    await browser.clock.advance(2_000);
    expect(rig.fetches).toBe(2);
    expect(rig.store.getState().phone.retryAt).toBe(browser.clock.now() + 4_000);
    await browser.clock.advance(4_000);
    expect(rig.fetches).toBe(3);
    rig.adapter.last.comeUp();
    expect(rig.store.getState().phone).toMatchObject({ registration: 'registered', error: null, retryAt: null });
  });

  it('when the login session has expired, should stop trying and say why', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    rig.answers = [() => unauthenticated];
    rig.phone.start();
    await flush();
    await browser.clock.advance(10 * 60_000);
    expect(rig.fetches).toBe(1);
    expect(rig.store.getState().phone).toMatchObject({ registration: 'failed', retryAt: null });
    expect(rig.store.getState().phone.error).toContain('登录已失效');
  });

  it('when stopped (sign-out), should stop the user agent and reset the slice', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    rig.phone.stop();
    expect(ua.stopped).toBe(true);
    expect(rig.store.getState().phone.registration).toBe('off');
  });
});

describe('phone: credential renewal', () => {
  it('renews a fifth of the lifetime early, between 1 and 10 minutes', () => {
    expect(renewalMarginMs(12 * 3600_000)).toBe(10 * 60_000);
    expect(renewalMarginMs(20 * 60_000)).toBe(4 * 60_000);
    expect(renewalMarginMs(2 * 60_000)).toBe(60_000);
  });

  it('when the credentials near expiry during a call, should re-register the same user agent with new ones and keep the call', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const lifetime = 3600_000;
    rig.answers = [() => ({ ok: true, data: credentials(browser.clock, lifetime) })];
    const ua = await inCall(rig);
    const first = ua.credentials.username;

    await browser.clock.advance(lifetime - renewalMarginMs(lifetime) - 1);
    expect(rig.fetches).toBe(1);
    await browser.clock.advance(1);
    expect(rig.fetches).toBe(2);
    expect(rig.adapter.uas).toHaveLength(1);
    expect(ua.credentials.username).not.toBe(first);
    expect(ua.registers).toBe(1);
    expect(rig.store.getState().phone.active?.sipCallId).toBe('call-1');
    expect(rig.store.getState().phone.credentialsExpireAt).toBe(browser.clock.now() + lifetime);
  });

  it('when renewal fails, should keep trying while the current credentials hold', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const lifetime = 3600_000;
    rig.answers = [
      () => ({ ok: true, data: credentials(browser.clock, lifetime) }),
      () => network,
      () => ({ ok: true, data: credentials(browser.clock, lifetime) }),
    ];
    const ua = await registered(rig);
    await browser.clock.advance(lifetime - renewalMarginMs(lifetime));
    expect(rig.fetches).toBe(2);
    await browser.clock.advance(30_000);
    expect(rig.fetches).toBe(3);
    expect(ua.registers).toBe(1);
    expect(rig.store.getState().phone.registration).toBe('registered');
  });
});

describe('phone: recovery', () => {
  it('when the WebSocket drops, should say it is reconnecting, then registered again once JsSIP is back', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    ua.emit({ type: 'disconnected', error: true, code: 1006 });
    ua.emit({ type: 'unregistered' });
    expect(rig.store.getState().phone).toMatchObject({ registration: 'connecting', connection: 'disconnected' });
    expect(rig.store.getState().phone.error).toContain('正在自动重新连接');
    ua.emit({ type: 'connecting', attempt: 3 });
    expect(rig.store.getState().phone.attempt).toBe(3);
    ua.emit({ type: 'connected' });
    ua.emit({ type: 'registered' });
    expect(rig.store.getState().phone).toMatchObject({ registration: 'registered', connection: 'connected', error: null, attempt: 0 });
    expect(rig.adapter.uas).toHaveLength(1);
  });

  it('when a REGISTER is refused as unauthorised, should fetch fresh credentials and register again after back-off', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await registered(rig);
    ua.emit({ type: 'registration-failed', cause: 'Rejected', status: 403 });
    expect(rig.store.getState().phone.registration).toBe('failed');
    expect(rig.store.getState().phone.error).toContain('403');
    await browser.clock.advance(2_000);
    expect(rig.fetches).toBe(2);
    expect(ua.registers).toBe(1);
    ua.emit({ type: 'registered' });
    expect(rig.store.getState().phone.registration).toBe('registered');
  });

  it('when a REGISTER gets no answer on a socket that looks open and no call is up, should start a fresh user agent after back-off', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await registered(rig);
    ua.emit({ type: 'registration-failed', cause: 'Request Timeout', status: null });
    expect(rig.store.getState().phone.error).toContain('没有响应');
    await browser.clock.advance(2_000);
    expect(ua.stopped).toBe(true);
    expect(rig.adapter.uas).toHaveLength(2);
  });

  it('when a REGISTER fails because the socket went away, should leave reconnecting to JsSIP', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    const ua = await registered(rig);
    ua.emit({ type: 'disconnected', error: true, code: 1006 });
    ua.emit({ type: 'registration-failed', cause: 'Connection Error', status: null });
    expect(rig.store.getState().phone.registration).toBe('connecting');
    expect(browser.clock.pending().filter((ms) => ms < 60_000)).toEqual([]);
  });

  it('when the browser goes offline and back online without a call, should say so and start a fresh user agent at once', async () => {
    const rig = phoneRig();
    const ua = await registered(rig);
    rig.network.set(false);
    ua.emit({ type: 'disconnected', error: true, code: 1006 });
    expect(rig.store.getState().phone).toMatchObject({ online: false, registration: 'connecting' });
    expect(rig.store.getState().phone.error).toContain('网络已断开');
    rig.network.set(true);
    await flush();
    expect(ua.stopped).toBe(true);
    expect(rig.adapter.uas).toHaveLength(2);
    rig.adapter.last.comeUp();
    expect(rig.store.getState().phone).toMatchObject({ online: true, registration: 'registered', error: null });
  });

  it('when the browser comes back online during a call, should keep the call and its user agent', async () => {
    const rig = phoneRig();
    const ua = await inCall(rig);
    rig.network.set(false);
    ua.emit({ type: 'disconnected', error: true, code: 1006 });
    rig.network.set(true);
    await flush();
    expect(rig.adapter.uas).toHaveLength(1);
    expect(ua.stopped).toBe(false);
    expect(rig.store.getState().phone.active?.sipCallId).toBe('call-1');
  });

  it('when events arrive from a replaced user agent, should ignore them', async () => {
    const rig = phoneRig();
    const old = await registered(rig);
    rig.network.set(false);
    old.emit({ type: 'disconnected', error: true, code: 1006 });
    rig.network.set(true);
    await flush();
    old.emit({ type: 'registered' });
    old.ring('ghost');
    expect(rig.store.getState().phone.registration).toBe('connecting');
    expect(rig.store.getState().phone.incoming).toBeNull();
  });
});

describe('phone: one tab per seat', () => {
  it('when a second tab of the same seat starts, should not register there and say the phone is in another tab', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = phoneRig(browser);
    second.phone.start();
    await flush();
    expect(second.adapter.uas).toHaveLength(0);
    expect(second.fetches).toBe(0);
    expect(second.store.getState().phone.registration).toBe('other-tab');
  });

  it('when the second tab takes over, should stop the first tab’s user agent and register in the second', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await registered(first);
    const second = phoneRig(browser);
    second.phone.start();
    await flush();

    second.phone.takeOver();
    await flush();
    expect(ua1.stopped).toBe(true);
    expect(first.store.getState().phone.registration).toBe('other-tab');
    expect(first.store.getState().phone.notice).toContain('已被另一个标签页接管');
    second.adapter.last.comeUp();
    expect(second.store.getState().phone.registration).toBe('registered');
    expect(first.adapter.uas).toHaveLength(1);
  });

  it('when the owning tab signs out or closes, the waiting tab should take the phone by itself', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = phoneRig(browser);
    second.phone.start();
    await flush();
    first.phone.stop();
    await flush();
    expect(second.adapter.uas).toHaveLength(1);
    expect(second.store.getState().phone.registration).toBe('connecting');
  });

  it('when the tab that took over closes, the first tab should take the phone back', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = phoneRig(browser);
    second.phone.start();
    await flush();
    second.phone.takeOver();
    await flush();
    second.phone.stop();
    await flush();
    expect(first.adapter.uas).toHaveLength(2);
    first.adapter.last.comeUp();
    expect(first.store.getState().phone).toMatchObject({ registration: 'registered', notice: null });
  });

  it('when the browser has no Web Locks, the router should still give the phone to one tab: the last one started', async () => {
    const browser = sharedBrowser({ locks: false });
    const a = phoneRig(browser);
    const b = phoneRig(browser);
    const uaA = await registered(a);
    await registered(b);
    expect(b.store.getState().phone.registration).toBe('registered');
    expect(uaA.stopped).toBe(true);
    expect(a.store.getState().phone).toMatchObject({ registration: 'other-tab', notice: '电话已被另一个标签页接管,本页已停止登记' });
  });
});
