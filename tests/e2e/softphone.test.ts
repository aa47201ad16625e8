/**
 * The seat console's softphone end to end, with nothing faked on the telephony side: the built
 * client served by the router, headless Chromium signing in as a seat lawyer, JsSIP registering
 * over Kamailio's WebSocket, rtpengine bridging DTLS-SRTP to plain RTP, and SIPp as the citizen
 * calling through the trunk.
 *
 * Build the client first (npm run build); the test command does. CLIENT_DIST may point elsewhere.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { inboundPackets, profile as profileOf, registration, signInSeat, softphone } from '../support/console-page.js';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const run = promisify(execFile);
const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([
    startSipStack({
      // Summaries are another feature: a short wrap-up that needs none.
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
      env: { CLIENT_DIST: DIST },
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const profile = () => profileOf(browser);
const signIn = (ctx: BrowserContext, username: string, on: SipStack = stack): Promise<Page> => signInSeat(ctx, on.routerUrl, username);
const phoneText = async (page: Page) => (await softphone(page).textContent()) ?? '';
/** The screen pop of the call the router offers this seat (where 接听 / 拒接 are). */
const pop = (page: Page): Locator => page.getByRole('region', { name: '来电弹屏' });

/** Kamailio's location entry for the seat's AOR (kamcmd over the ctl socket); '' when there is none. */
async function lookup(seatId: string, on: SipStack = stack): Promise<string> {
  const socket = `unix:${path.join(on.env.SIP_RUN_DIR!, 'kamailio_ctl')}`;
  try {
    return (await run('kamcmd', ['-s', socket, 'ul.lookup', 'location', seatId])).stdout;
  } catch (err) {
    const text = String((err as { stdout?: string }).stdout ?? '') + String((err as { stderr?: string }).stderr ?? '');
    if (/not found/i.test(text)) return '';
    throw err;
  }
}

/** Contacts Kamailio holds for the seat. */
async function bindings(seatId: string, on: SipStack = stack): Promise<number> {
  return ((await lookup(seatId, on)).match(/Address:/g) ?? []).length;
}

async function goReady(page: Page, seatId: string): Promise<void> {
  await page.getByRole('button', { name: '就绪', exact: true }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('ready');
}

async function goOffline(page: Page, seatId: string): Promise<void> {
  const offline = page.getByRole('button', { name: '下线', exact: true });
  await expect.poll(() => offline.isEnabled(), POLL).toBe(true);
  await offline.click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('offline');
}

/** Answers the call ringing at this page's softphone and returns the router's call id. */
async function answer(page: Page, seatId: string): Promise<string> {
  await softphone(page).getByText('来电振铃').waitFor({ timeout: 30_000 });
  const ringing = stack.seatState(seatId) as { kind: string; callId?: string };
  expect(ringing.kind).toBe('ringing');
  await pop(page).getByRole('button', { name: /接听/ }).click();
  await softphone(page).getByText('通话中').waitFor({ timeout: 20_000 });
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('talking');
  return ringing.callId!;
}

function routerLog(): string {
  return fs.readFileSync(stack.logs.router, 'utf8');
}

describe('the seat console softphone', () => {
  it('when a seat signs in, should register; a trunk call rings, is answered in the page with audio both ways, held, resumed, sent a digit and hung up from the console', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat03');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      expect(await phoneText(page)).toContain('电话已登记');
      await expect.poll(() => stack.seatState('s03').registered, POLL).toBe(true);
      expect(await bindings('s03')).toBe(1);
      await goReady(page, 's03');

      const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', caller: '13800000301', timeoutMs: 120_000 });
      const callId = await answer(page, 's03');
      expect(stack.events(callId).find((e) => e.type === 'answered')?.data.seatId).toBe('s03');

      // Audio from the caller reaches the page, and audio from the page reaches rtpengine's trunk leg.
      await expect.poll(() => inboundPackets(page), POLL).toBeGreaterThan(20);
      await expect
        .poll(async () => {
          const counts = Object.values(await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, callId));
          return counts.length === 2 && counts.every((n) => n > 20);
        }, POLL)
        .toBe(true);

      // Hold and resume go out as re-INVITEs; Kamailio tells the router.
      await softphone(page).getByRole('button', { name: '保持', exact: true }).click();
      await softphone(page).getByText('通话保持中').waitFor();
      await expect.poll(() => stack.events(callId).some((e) => e.type === 'held'), POLL).toBe(true);
      await softphone(page).getByRole('button', { name: '恢复通话' }).click();
      await expect.poll(() => stack.events(callId).some((e) => e.type === 'resumed'), POLL).toBe(true);
      await softphone(page).getByText('通话中', { exact: true }).waitFor();

      await softphone(page).getByRole('button', { name: '静音', exact: true }).click();
      await softphone(page).getByRole('button', { name: '取消静音' }).click();
      await softphone(page).getByRole('button', { name: '静音', exact: true }).waitFor();

      // A keypad digit goes as an RFC 2833 telephone-event: rtpengine's DTMF log reaches the router.
      await softphone(page).getByRole('button', { name: '拨号盘' }).click();
      await softphone(page).getByRole('button', { name: '按键 5' }).click();
      await expect
        .poll(
          () =>
            routerLog()
              .split('\n')
              .some((l) => l.includes('"dtmf digit"') && l.includes(callId) && l.includes('"digit":"5"')),
          POLL,
        )
        .toBe(true);

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.events(callId).find((e) => e.type === 'hung-up')?.data.by, POLL).toBe('seat');
      // Wrap-up (1 s here, no summary required) follows, then the seat is ready again.
      await expect.poll(() => stack.events(callId).find((e) => e.type === 'wrap-up-ended')?.data.seatId, POLL).toBe('s03');
      expect(stack.calls().find((c) => c.id === callId)?.state_kind).toBe('ended');
      await softphone(page).getByText('暂无通话').waitFor();
      await goOffline(page, 's03');
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('when a ringing call is declined in the page, should answer 486 so the router takes the call back and the seat is free again', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat06');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await goReady(page, 's06');
      // The caller gives up (CANCEL) 8 s after the seat starts ringing.
      const caller = stack.startCall({ scenario: 'caller-cancel.xml', caller: '13800000601', talkMs: 30_000, timeoutMs: 60_000 });
      await softphone(page).getByText('来电振铃').waitFor({ timeout: 30_000 });
      const callId = (stack.seatState('s06') as { callId?: string }).callId!;
      await pop(page).getByRole('button', { name: '拒接' }).click();
      await expect.poll(() => stack.events(callId).some((e) => e.type === 'declined'), POLL).toBe(true);
      expect(stack.events(callId).find((e) => e.type === 'declined')?.data.seatId).toBe('s06');
      await expect.poll(() => stack.seatState('s06').kind, POLL).toBe('ready');
      await expect.poll(() => softphone(page).getByText('来电振铃').count(), POLL).toBe(0);
      // Back to the router, which offers it elsewhere; with no other seat signed in it overflows.
      await expect.poll(() => stack.calls().find((c) => c.id === callId)?.state_kind, POLL).toMatch(/queued|overflowed|abandoned/);
      caller.proc.kill('SIGKILL');
      await caller.done;
      await goOffline(page, 's06');
    } finally {
      await ctx.close();
    }
  }, 90_000);

  it('when Kamailio restarts, should show the loss, re-register by itself and answer the next call', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat04');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await goReady(page, 's04');

      await stack.stopKamailio();
      await expect.poll(() => registration(page), POLL).not.toBe('registered');
      await expect.poll(() => phoneText(page), POLL).toMatch(/正在连接电话服务器|连接已断开/);

      await stack.startKamailio();
      await expect.poll(() => registration(page), { timeout: 60_000, interval: 200 }).toBe('registered');
      await expect.poll(() => bindings('s04'), POLL).toBe(1);
      expect(await phoneText(page)).not.toContain('连接已断开');

      // The router reconnects to Kamailio by itself; the seat takes the next call.
      await expect
        .poll(
          () =>
            routerLog()
              .split('\n')
              .filter((l) => l.includes('resync with Kamailio done')).length,
          POLL,
        )
        .toBeGreaterThan(1);
      await expect.poll(() => stack.seatState('s04'), POLL).toMatchObject({ kind: 'ready', registered: true });
      const caller = stack.startCall({ caller: '13800000401', talkMs: 3000, timeoutMs: 60_000 });
      const callId = await answer(page, 's04');
      await expect.poll(() => inboundPackets(page), POLL).toBeGreaterThan(0);
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.events(callId).find((e) => e.type === 'hung-up')?.data.by, POLL).toBe('caller');
      await softphone(page).getByText('暂无通话').waitFor();
      await goOffline(page, 's04');
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when the browser goes offline and back online, should say so and be registered again', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat07');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await ctx.setOffline(true);
      await expect.poll(() => phoneText(page), POLL).toContain('网络已断开');
      await ctx.setOffline(false);
      await expect.poll(() => registration(page), { timeout: 60_000, interval: 200 }).toBe('registered');
      await expect.poll(() => phoneText(page), POLL).not.toContain('网络已断开');
      await expect.poll(() => bindings('s07'), POLL).toBe(1);
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('when a second tab of the same seat opens, should keep one registration; taking over moves the phone and the next call rings there only', async () => {
    const ctx = await profile();
    try {
      const first = await signIn(ctx, 'seat05');
      await expect.poll(() => registration(first), POLL).toBe('registered');

      const second = await ctx.newPage();
      await second.goto(stack.routerUrl);
      await second.getByText('坐席工作台').first().waitFor();
      await expect.poll(() => registration(second), POLL).toBe('other-tab');
      expect(await phoneText(second)).toContain('电话已在另一个标签页登记');
      expect(await bindings('s05')).toBe(1);
      expect(await registration(first)).toBe('registered');

      await softphone(second).getByRole('button', { name: '在此页面使用电话' }).click();
      await expect.poll(() => registration(second), POLL).toBe('registered');
      await expect.poll(() => registration(first), POLL).toBe('other-tab');
      expect(await phoneText(first)).toContain('电话已被另一个标签页接管');
      await expect.poll(() => bindings('s05'), POLL).toBe(1);

      await goReady(second, 's05');
      const caller = stack.startCall({ caller: '13800000501', talkMs: 2000, timeoutMs: 60_000 });
      await answer(second, 's05');
      expect(await softphone(first).getByText('来电振铃').count()).toBe(0);
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await softphone(second).getByText('暂无通话').waitFor();
      await goOffline(second, 's05');
    } finally {
      await ctx.close();
    }
  }, 120_000);
  it('when the page is reloaded during a call, should hang up cleanly (the call cannot survive) and say so on the reloaded page', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat08');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await goReady(page, 's08');
      const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', caller: '13800000801', timeoutMs: 60_000 });
      const callId = await answer(page, 's08');

      // 离开此网站? The console asks first while a call is up; the seat confirms the reload.
      page.once('dialog', (d) => void d.accept());
      await page.reload();
      await page.getByText('坐席工作台').first().waitFor();
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      expect(stack.events(callId).find((e) => e.type === 'hung-up')?.data.by).toBe('seat');
      await expect.poll(() => phoneText(page), POLL).toContain('正在进行的通话已挂断');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await expect.poll(() => bindings('s08'), POLL).toBe(1);
      await softphone(page).getByRole('button', { name: '知道了' }).click();
      await expect.poll(() => phoneText(page), POLL).not.toContain('通话已挂断');
      await goOffline(page, 's08');
    } finally {
      await ctx.close();
    }
  }, 120_000);
});

describe('the softphone with short-lived SIP credentials', () => {
  let short: SipStack;
  beforeAll(async () => {
    // 0.02 h = 72 s, the shortest the router issues: the phone renews after 30 s, its shortest wait.
    short = await startSipStack({ env: { CLIENT_DIST: DIST, SIP_CREDENTIAL_HOURS: '0.02' } });
  }, 90_000);
  afterAll(async () => {
    await short?.stop();
  });

  it('when the credentials near expiry, should renew them in the running phone and re-register the same binding without a gap', async () => {
    const ctx = await profile();
    try {
      const page = await signIn(ctx, 'seat09', short);
      await expect.poll(() => registration(page), POLL).toBe('registered');
      const status = softphone(page).locator('[data-registration]');
      const firstUntil = Number(await status.getAttribute('data-credentials-until'));
      expect(firstUntil).toBeGreaterThan(Date.now());
      const before = await lookup('s09', short);
      const cseq = (text: string) => Number(/CSeq: (\d+)/.exec(text)?.[1] ?? NaN);

      // Every registration state the panel shows from now on.
      await page.evaluate(() => {
        const el = document.querySelector('section[aria-label="软电话"] [data-registration]')!;
        const seen: string[] = [];
        (window as unknown as { __regSeen: string[] }).__regSeen = seen;
        new MutationObserver(() => seen.push(el.getAttribute('data-registration') ?? '')).observe(el, {
          attributes: true,
          attributeFilter: ['data-registration'],
        });
      });

      await expect
        .poll(async () => Number(await status.getAttribute('data-credentials-until')), { timeout: 200_000, interval: 1_000 })
        .toBeGreaterThan(firstUntil);
      // Kamailio saved a newer REGISTER (authenticated with the new username) for the same, single contact.
      await expect.poll(async () => cseq(await lookup('s09', short)), POLL).toBeGreaterThan(cseq(before));
      expect(await bindings('s09', short)).toBe(1);
      expect(await registration(page)).toBe('registered');
      expect(await page.evaluate(() => (window as unknown as { __regSeen: string[] }).__regSeen.filter((r) => r !== 'registered'))).toEqual(
        [],
      );
      expect(short.seatState('s09').registered).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 240_000);
});
