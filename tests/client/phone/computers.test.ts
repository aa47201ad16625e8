import { describe, expect, it } from 'vitest';
import { OTHER_COMPUTER_LEFT, TAKEN_BY_OTHER_COMPUTER } from '../../../client/src/features/phone/seat-ownership';
import { user } from '../support/fixtures';
import { credentials, flush, inCall, phoneRig, registered, sharedBrowser, type PhoneRig } from '../support/phone-fakes';

/** A console of the seat on another computer (its own browser, the same router). */
function otherComputer(first: ReturnType<typeof sharedBrowser>, opts: { fresh: boolean }): PhoneRig {
  const rig = phoneRig(sharedBrowser({ other: first }));
  rig.store.getState().signedIn(user('seat'), null, opts.fresh);
  return rig;
}

describe('phone: one phone per seat across computers', () => {
  it('when the seat signs in on a second computer, the second should take the phone and the first stop ringing and say so', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await registered(first);

    const second = otherComputer(browser, { fresh: true });
    const ua2 = await registered(second);

    expect(browser.server.claims.at(-1)).toEqual({ consoleId: second.consoleId, take: true });
    expect(second.store.getState().phone.registration).toBe('registered');
    expect(ua2.config.username).toMatch(/:s01$/);
    expect(ua1.stopped).toBe(true);
    expect(first.store.getState().phone).toMatchObject({ registration: 'elsewhere', elsewhere: TAKEN_BY_OTHER_COMPUTER });
    // A call for the seat now rings only on the second computer: the first has no user agent left.
    expect(first.adapter.uas).toHaveLength(1);
  });

  it('when the freshly signed-in page starts its phone again (back from the back/forward cache), should only ask, not take', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = otherComputer(browser, { fresh: true });
    await registered(second);
    second.phone.unload();
    first.phone.takeBack();
    await flush();
    first.adapter.last.comeUp();

    second.phone.start();
    await flush();
    expect(browser.server.claims.at(-1)).toEqual({ consoleId: second.consoleId, take: false });
    expect(second.store.getState().phone.registration).toBe('elsewhere');
    expect(first.store.getState().phone.registration).toBe('registered');
  });

  it('when a console reloads while another computer holds the phone, should not register and offer to take it', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);

    const second = otherComputer(browser, { fresh: false });
    second.phone.start();
    await flush();

    expect(second.adapter.uas).toHaveLength(0);
    expect(second.fetches).toBe(0);
    expect(second.store.getState().phone).toMatchObject({
      registration: 'elsewhere',
      elsewhere: '此坐席已在另一台电脑登录,电话正在那台电脑使用',
    });
    expect(first.store.getState().phone.registration).toBe('registered');
  });

  it('when 在此电脑使用电话 is pressed, should take the phone back and the other computer stop', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = otherComputer(browser, { fresh: true });
    const ua2 = await registered(second);

    first.phone.takeBack();
    await flush();
    expect(first.adapter.uas).toHaveLength(2);
    first.adapter.last.comeUp();
    expect(first.store.getState().phone).toMatchObject({ registration: 'registered', elsewhere: null });
    expect(ua2.stopped).toBe(true);
    expect(second.store.getState().phone.registration).toBe('elsewhere');
  });

  it('when the other computer is in a call, taking the phone should be refused and its call kept', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await inCall(first);
    browser.server.inCall = true;

    const second = otherComputer(browser, { fresh: true });
    second.phone.start();
    await flush();

    expect(second.adapter.uas).toHaveLength(0);
    expect(second.store.getState().phone).toMatchObject({
      registration: 'elsewhere',
      elsewhere: '此坐席正在另一台电脑通话,通话结束后才能在此电脑使用电话',
    });
    expect(ua1.stopped).toBe(false);
    expect(first.store.getState().phone.active?.sipCallId).toBe('call-1');
  });

  it('when the holder missed the change (socket down), its next credential renewal should be refused and it should stop', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await registered(first);
    first.connected = false;
    const second = otherComputer(browser, { fresh: true });
    await registered(second);
    expect(first.store.getState().phone.registration).toBe('registered');

    await browser.clock.advance(12 * 3600_000);
    expect(ua1.stopped).toBe(true);
    expect(first.store.getState().phone).toMatchObject({
      registration: 'elsewhere',
      elsewhere: '此坐席的电话已转到另一台电脑,本机不再登记',
    });
  });

  it('when the socket comes back after a missed change, the recheck should stop this phone and make the holder register again', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await registered(first);
    first.connected = false;
    const second = otherComputer(browser, { fresh: true });
    const ua2 = await registered(second);
    const registersBefore = ua2.registers;

    first.connected = true;
    first.phone.recheck();
    await flush();

    expect(ua1.stopped).toBe(true);
    expect(first.store.getState().phone.registration).toBe('elsewhere');
    // The holder hears it still holds the phone and refreshes its binding at the registrar.
    expect(ua2.registers).toBe(registersBefore + 1);
    expect(second.store.getState().phone.registration).toBe('registered');
  });

  it('when the holder still holds the phone, a recheck should change nothing', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    const ua1 = await registered(first);
    first.phone.recheck();
    await flush();
    expect(ua1.stopped).toBe(false);
    expect(first.adapter.uas).toHaveLength(1);
    expect(first.store.getState().phone.registration).toBe('registered');
  });

  it('when the holding computer signs out, the other should say the phone is free and still not register by itself', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    const second = otherComputer(browser, { fresh: true });
    await registered(second);

    second.phone.stop();
    await flush();
    expect(second.releases).toEqual([{ keepalive: false }]);
    expect(first.store.getState().phone).toMatchObject({ registration: 'elsewhere', elsewhere: OTHER_COMPUTER_LEFT });
    expect(first.adapter.uas).toHaveLength(1);
  });

  it('when the page closes, should give the phone up with a request that outlives the page', async () => {
    const browser = sharedBrowser();
    const first = phoneRig(browser);
    await registered(first);
    first.phone.unload();
    await flush();
    expect(first.releases).toEqual([{ keepalive: true }]);
    expect(browser.server.owner).toBeNull();
  });

  it('when the router cannot be asked, should say so and ask again after back-off', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    browser.server.failClaims = { ok: false, error: { code: 'INTERNAL', message: '无法连接服务器,请检查网络后重试' } };
    rig.phone.start();
    await flush();
    expect(rig.store.getState().phone).toMatchObject({ registration: 'failed', retryAt: browser.clock.now() + 2_000 });
    expect(rig.store.getState().phone.error).toContain('无法确认电话归属');
    expect(rig.adapter.uas).toHaveLength(0);

    browser.server.failClaims = null;
    rig.answers = [() => ({ ok: true, data: credentials(browser.clock) })];
    await browser.clock.advance(2_000);
    rig.adapter.last.comeUp();
    expect(rig.store.getState().phone).toMatchObject({ registration: 'registered', error: null });
  });

  it('when the session has ended, a claim should stop trying and say why', async () => {
    const browser = sharedBrowser();
    const rig = phoneRig(browser);
    browser.server.failClaims = { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } };
    rig.phone.start();
    await flush();
    await browser.clock.advance(10 * 60_000);
    expect(browser.server.claims).toHaveLength(1);
    expect(rig.store.getState().phone).toMatchObject({ registration: 'failed', retryAt: null });
    expect(rig.store.getState().phone.error).toContain('登录已失效');
  });
});
