/**
 * A seat lawyer's call from first ring to filed summary, end to end with nothing faked on the
 * telephony side: the built console served by the router, headless Chromium as the seat
 * (JsSIP over Kamailio's WebSocket, rtpengine bridging to RTP), a SIPp caller sending audio
 * through the trunk. The default routing configuration is used, so the seat can leave wrap-up
 * only by filing its summary. Then a transfer made from the console's 转接 panel.
 *
 * README's screenshot of the console during a call is taken here:
 * SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e/seat-call.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { inboundPackets, profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { login } from '../support/server.js';
import { sippCounts, startSipStack, writtenBySipp, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

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

const pop = (page: Page) => page.getByRole('region', { name: '来电弹屏' });

async function readyInConsole(page: Page, seatId: string): Promise<void> {
  await expect.poll(() => registration(page), POLL).toBe('registered');
  await page.getByRole('button', { name: '就绪', exact: true }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('ready');
}

/** The call ringing at this seat, answered from the screen pop; returns the router's call id. */
async function answerFromPop(page: Page, seatId: string): Promise<string> {
  await pop(page).waitFor({ timeout: 30_000 });
  const callId = (stack.seatState(seatId) as { callId?: string }).callId!;
  await pop(page).getByRole('button', { name: /接听/ }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('talking');
  return callId;
}

describe('a call in the seat console', () => {
  it('when a citizen calls, the seat answers in the pop, hears and is heard, hangs up, writes the summary (surviving a reload) and is ready again', async () => {
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat02');
      await readyInConsole(page, 's02');

      const caller = stack.startCall({
        dialed: '123482',
        caller: '13912348888',
        flags: 'elderly',
        scenario: 'caller-seat-hangup.xml',
        timeoutMs: 180_000,
      });
      await pop(page).waitFor({ timeout: 30_000 });
      const popText = (await pop(page).textContent()) ?? '';
      expect(popText).toContain('139****8888');
      expect(popText).toContain('劳动与社会保障');
      expect(popText).toContain('绿色通道');
      expect(popText).not.toContain('13912348888');
      const callId = await answerFromPop(page, 's02');

      // Audio: the caller's reaches the page (inbound-rtp), the page's reaches the trunk leg.
      await expect.poll(() => inboundPackets(page), POLL).toBeGreaterThan(0);
      await expect
        .poll(async () => {
          const counts = Object.values(await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, callId));
          return counts.length === 2 && counts.every((n) => n > 20);
        }, POLL)
        .toBe(true);

      // The lawyer writes while talking and takes the standard answer from the knowledge base.
      await page.getByLabel('主题').fill('拖欠工资三个月');
      await page.getByLabel('来电问题').fill('来电人在建筑工地务工,老板拖欠三个月工资,问如何讨要。');
      await page.getByPlaceholder(/输入关键词/).fill('欠薪');
      const insert = page.getByRole('button', { name: /^插入小结/ }).first();
      await insert.waitFor({ timeout: 15_000 });
      await insert.click();
      await expect.poll(async () => (await page.getByLabel(/解答内容/).inputValue()).length, POLL).toBeGreaterThan(20);
      // For README's picture, let the timers show a conversation under way.
      if (process.env.SCREENSHOT_DIR) await page.waitForTimeout(6_000);
      await page.screenshot({ path: path.join(shots, 'seat-in-call.png') });

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('wrap-up');

      // The seat cannot leave wrap-up before filing; a reload keeps every word typed.
      const typedAnswer = await page.getByLabel(/解答内容/).inputValue();
      await page.getByLabel('处理结果').selectOption({ label: '当场解答' });
      await expect(page.getByRole('button', { name: '完成整理' }).isEnabled()).resolves.toBe(false);
      await page.reload();
      await page.getByLabel('主题').waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByLabel('主题').inputValue(), POLL).toBe('拖欠工资三个月');
      expect(await page.getByLabel('来电问题').inputValue()).toContain('拖欠三个月工资');
      expect(await page.getByLabel(/解答内容/).inputValue()).toBe(typedAnswer);
      expect(await page.getByLabel('处理结果').inputValue()).toBe('answered');
      expect(stack.seatState('s02').kind).toBe('wrap-up');

      await page.getByRole('button', { name: /提交小结/ }).click();
      await expect.poll(() => page.getByRole('button', { name: '完成整理' }).isEnabled(), POLL).toBe(true);
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('ready');

      // The summary is on the server, filed by this seat, with the knowledge entry it used.
      const cookie = await login(stack.routerUrl, 'supervisor');
      const res = (await (
        await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/summary`, { headers: { cookie } })
      ).json()) as {
        data: { summary: { seatId: string; topic: string; disposition: string; knowledgeIds: number[]; answer: string } };
      };
      expect(res.data.summary).toMatchObject({ seatId: 's02', topic: '拖欠工资三个月', disposition: 'answered', answer: typedAnswer });
      expect(res.data.summary.knowledgeIds.length).toBe(1);
      await page.getByRole('button', { name: '下线', exact: true }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('offline');
    } finally {
      await ctx.close();
    }
  }, 180_000);

  it('when the seat transfers from the 转接 panel, the caller goes to that specialty and the seat is left to write its summary', async () => {
    const ctx = await profile(browser);
    const target = await stack.seat('s05', { behaviour: 'answer' }); // 交通事故 specialist, a SIPp phone
    const xferFile = path.join(stack.dir, 'xfer-console.txt');
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const first = stack.startCall({
        dialed: '123483',
        caller: '13655556666',
        scenario: 'caller-transfer.xml',
        keys: { xferfile: xferFile },
        timeoutMs: 90_000,
      });
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '转接…' }).click();
      await page.getByRole('radio', { name: /交通事故与人身损害/ }).check();
      await page.getByRole('button', { name: '直接转接' }).click();

      // The trunk accepted the REFER; the console hangs up its leg by itself.
      const r1 = await first.done;
      expect(sippCounts(r1), r1.errors || r1.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('wrap-up');
      await page.getByText('已转出,请填写本次通话小结').waitFor();

      // The trunk dials 12348 again with the token it was given; the specialist answers.
      const second = await stack.call({
        dialed: '12348',
        caller: '13655556666',
        transfer: await writtenBySipp(xferFile),
        talkMs: 1000,
      });
      expect(sippCounts(second), second.errors).toEqual({ ok: 1, failed: 0 });
      const again = stack.calls().find((c) => c.id !== callId && c.caller === '13655556666')!;
      expect(stack.events(again.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s05');
      expect(stack.events(again.id).find((e) => e.type === 'transferred-in')?.data.fromSeatId).toBe('s03');
    } finally {
      await target.stop();
      await ctx.close();
    }
  }, 150_000);

  it('when the seat consults a colleague first, they talk, then the colleague gets the caller with the screen pop saying who transferred it', async () => {
    const ctxA = await profile(browser);
    const ctxB = await profile(browser);
    const xferFile = path.join(stack.dir, 'xfer-console-consult.txt');
    try {
      const [a, b] = await Promise.all([signInSeat(ctxA, stack.routerUrl, 'seat08'), signInSeat(ctxB, stack.routerUrl, 'seat11')]);
      await readyInConsole(b, 's11');
      await readyInConsole(a, 's08');
      // A notary question (IVR 13): the notary specialist s08 (黄磊) answers it.
      const first = stack.startCall({
        dialed: '1234813',
        caller: '13577778888',
        scenario: 'caller-transfer.xml',
        keys: { xferfile: xferFile },
        timeoutMs: 120_000,
      });
      const callId = await answerFromPop(a, 's08');

      await softphone(a).getByRole('button', { name: '转接…' }).click();
      await a.getByRole('tab', { name: '指定坐席' }).click();
      await a.getByRole('radio', { name: /徐丽/ }).check();
      await a.getByRole('button', { name: '先咨询再转' }).click();

      // The colleague is held for it and told who is consulting; the internal call rings on the softphone.
      await expect.poll(() => stack.seatState('s11'), POLL).toMatchObject({ kind: 'not-ready', reason: 'consult' });
      await b.getByText('黄磊 正在向您咨询').waitFor({ timeout: 20_000 });
      await softphone(b).getByRole('button', { name: '接听' }).click();
      await a.getByText('正在与 徐丽 咨询').waitFor({ timeout: 20_000 });
      await expect.poll(() => inboundPackets(b), POLL).toBeGreaterThan(10);

      await a.getByRole('button', { name: '完成转接' }).click();
      const r1 = await first.done;
      expect(sippCounts(r1), r1.errors || r1.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s08').kind, POLL).toBe('wrap-up');

      // The trunk dials again with the token; the colleague's console pops the call.
      const second = stack.startCall({
        dialed: '12348',
        caller: '13577778888',
        transfer: await writtenBySipp(xferFile),
        scenario: 'caller-seat-hangup.xml',
        timeoutMs: 60_000,
      });
      await pop(b).waitFor({ timeout: 30_000 });
      expect(await pop(b).textContent()).toContain('由 黄磊 转入');
      const again = await answerFromPop(b, 's11');
      expect(again).not.toBe(callId);
      await expect.poll(() => inboundPackets(b), POLL).toBeGreaterThan(10);
      await softphone(b).getByRole('button', { name: '挂断' }).click();
      const r2 = await second.done;
      expect(sippCounts(r2), r2.errors || r2.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  }, 180_000);
});
