/**
 * One phone per seat, end to end: the same seat lawyer signed in on two computers (two Chromium
 * browser contexts, separate cookie jars), JsSIP registering over Kamailio's WebSocket, SIPp as the
 * citizen calling through the trunk. The second computer takes the phone over; the first says so
 * and no longer rings; a summary filed on one shows as filed on the other without a reload; signing
 * out where the phone is not leaves the seat to the other computer.
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
import { profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const run = promisify(execFile);
const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([startSipStack({ env: { CLIENT_DIST: DIST } }), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const phoneText = async (page: Page) => (await softphone(page).textContent()) ?? '';
const pop = (page: Page): Locator => page.getByRole('region', { name: '来电弹屏' });
const summaryPanel = (page: Page): Locator => page.getByRole('region', { name: '通话小结' });

/** The contact addresses Kamailio holds for the seat's AOR (kamcmd over the ctl socket). */
async function contacts(seatId: string): Promise<string[]> {
  const socket = `unix:${path.join(stack.env.SIP_RUN_DIR!, 'kamailio_ctl')}`;
  try {
    const out = (await run('kamcmd', ['-s', socket, 'ul.lookup', 'location', seatId])).stdout;
    return [...out.matchAll(/Address: (\S+)/g)].map((m) => m[1]!);
  } catch (err) {
    const text = String((err as { stdout?: string }).stdout ?? '') + String((err as { stderr?: string }).stderr ?? '');
    if (/not found/i.test(text)) return [];
    throw err;
  }
}

describe('one phone per seat across computers', () => {
  it('when the seat signs in on a second computer, that one takes the phone over and the first stops ringing; summaries stay in step; signing out on the first leaves the seat alone', async () => {
    const computerA: BrowserContext = await profile(browser);
    const computerB: BrowserContext = await profile(browser);
    try {
      const a = await signInSeat(computerA, stack.routerUrl, 'seat10');
      await expect.poll(() => registration(a), POLL).toBe('registered');
      await expect.poll(() => contacts('s10'), POLL).toHaveLength(1);
      const contactA = (await contacts('s10'))[0];

      // The same seat signs in on another computer: the phone moves there, never to both.
      const b = await signInSeat(computerB, stack.routerUrl, 'seat10');
      await expect.poll(() => registration(b), POLL).toBe('registered');
      await expect.poll(() => registration(a), POLL).toBe('elsewhere');
      expect(await phoneText(a)).toContain('此坐席已在另一台电脑登录,电话已转到那台电脑,本机不再振铃');
      expect(await softphone(a).getByRole('button', { name: '在此电脑使用电话' }).isVisible()).toBe(true);
      await expect.poll(async () => (await contacts('s10')).join(' '), POLL).not.toContain(contactA);
      expect(await contacts('s10')).toHaveLength(1);

      // A call rings at the second computer only.
      await b.getByRole('button', { name: '就绪', exact: true }).click();
      await expect.poll(() => stack.seatState('s10').kind, POLL).toBe('ready');
      const caller = stack.startCall({ caller: '13800001001', talkMs: 3_000, timeoutMs: 90_000 });
      await softphone(b).getByText('来电振铃').waitFor({ timeout: 30_000 });
      expect(await softphone(a).getByText('来电振铃').count()).toBe(0);
      const callId = (stack.seatState('s10') as { callId?: string }).callId!;
      await pop(b).getByRole('button', { name: /接听/ }).click();
      await expect.poll(() => stack.seatState('s10').kind, POLL).toBe('talking');
      expect(stack.events(callId).find((e) => e.type === 'answered')?.data.seatId).toBe('s10');
      expect(await softphone(a).getByText('通话中').count()).toBe(0);
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s10').kind, POLL).toBe('wrap-up');

      // Both consoles follow the wrap-up; the summary filed on B shows as filed on A without a reload.
      await summaryPanel(a).getByLabel('主题').waitFor({ timeout: 20_000 });
      await b.getByLabel('主题').fill('邻里纠纷');
      await b.getByLabel('来电问题').fill('邻居装修噪音扰民,协商不成,问如何处理。');
      await b.getByLabel(/解答内容/).fill('可先请物业或居委会调解,调解不成可向人民法院起诉。');
      await b.getByLabel('处理结果').selectOption({ label: '当场解答' });
      await b.getByRole('button', { name: /提交小结/ }).click();
      await expect.poll(() => summaryPanel(b).getAttribute('class'), POLL).toContain('is-filed');
      await expect.poll(() => summaryPanel(a).getAttribute('class'), POLL).toContain('is-filed');
      expect(await summaryPanel(a).textContent()).toContain('邻里纠纷');
      await expect.poll(() => b.getByRole('button', { name: '完成整理' }).isEnabled(), POLL).toBe(true);
      await b.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s10').kind, POLL).toBe('ready');
      await expect.poll(async () => (await summaryPanel(a).textContent()) ?? '', POLL).not.toContain('尚未提交');

      // Signing out on A, where the phone is not, ends only A's session: the seat stays ready on B.
      await a.getByRole('button', { name: /退出/ }).click();
      await a.getByLabel('用户名').waitFor();
      expect(await a.textContent('body')).toContain('此坐席的电话在另一台电脑上,坐席状态未改变');
      expect(stack.seatState('s10').kind).toBe('ready');
      expect(await registration(b)).toBe('registered');
      expect(await contacts('s10')).toHaveLength(1);

      // A signs in again: a fresh sign-in takes the phone back; B says so and stops.
      const contactB = (await contacts('s10'))[0];
      await a.getByLabel('用户名').fill('seat10');
      await a.getByLabel('密码').fill('demo12348');
      await a.getByRole('button', { name: '登录' }).click();
      await expect.poll(() => registration(a), POLL).toBe('registered');
      await expect.poll(() => registration(b), POLL).toBe('elsewhere');
      await expect.poll(async () => (await contacts('s10')).join(' '), POLL).not.toContain(contactB);

      // B takes it back with the button.
      await softphone(b).getByRole('button', { name: '在此电脑使用电话' }).click();
      await expect.poll(() => registration(b), POLL).toBe('registered');
      await expect.poll(() => registration(a), POLL).toBe('elsewhere');
      expect(await contacts('s10')).toHaveLength(1);
      await b.getByRole('button', { name: '下线', exact: true }).click();
      await expect.poll(() => stack.seatState('s10').kind, POLL).toBe('offline');
    } finally {
      await computerA.close();
      await computerB.close();
    }
  }, 180_000);

  it('when two SIP phones register for the same seat, Kamailio should keep only the newer contact and ring only that one', async () => {
    const older = await stack.seat('s12');
    const newer = await stack.seat('s12');
    try {
      await expect.poll(() => contacts('s12'), POLL).toHaveLength(1);
      expect((await contacts('s12'))[0]).toContain(newer.contact);
      expect((await contacts('s12'))[0]).not.toContain(older.contact);

      const r = await stack.call({ caller: '13800001201', talkMs: 1_000, timeoutMs: 60_000 });
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      const call = stack.calls().find((c) => c.caller === '13800001201')!;
      expect(stack.events(call.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s12');
    } finally {
      await newer.stop();
      await older.stopPhone();
    }
  }, 90_000);
});
