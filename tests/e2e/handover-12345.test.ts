/**
 * 12345 hand-overs in the seat console, end to end: the built console in headless Chromium as
 * the seat, the real Kamailio and rtpengine, SIPp as the citizen's trunk and as the 12345 line,
 * and the 12345 simulator's HTTP API (tests/sim-12345). 转12345 from the panel reaches the 12345
 * line and the console shows the work order accepted; a busy 12345 keeps the caller, says so,
 * and books a 12345 call-back; a call from 12345 shows the ticket's content in the screen pop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook, startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { freeMediaPort, sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const SIM_DIR = path.resolve(import.meta.dirname, '../sim-12345');
const KEY = { id: 'k1', secret: 'console-e2e-shared-secret' };

let stack: SipStack;
let browser: Browser;
let sim: Sim12345;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  sim = await startSim12345({ keys: [KEY] });
  const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-12345-')), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  [stack, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, requireSummary: false } }),
      env: { CLIENT_DIST: DIST, H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '200' },
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sim?.stop();
});

const pop = (page: Page) => page.getByRole('region', { name: '来电弹屏' });

async function readyInConsole(page: Page, seatId: string): Promise<void> {
  await expect.poll(() => registration(page), POLL).toBe('registered');
  // A seat still ready from an earlier test (its console closed within the grace period) stays so.
  if (stack.seatState(seatId).kind !== 'ready') await page.getByRole('button', { name: '就绪', exact: true }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('ready');
}

async function answerFromPop(page: Page, seatId: string): Promise<string> {
  await pop(page).waitFor({ timeout: 30_000 });
  const callId = (stack.seatState(seatId) as { callId?: string }).callId!;
  await pop(page).getByRole('button', { name: /接听/ }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('talking');
  return callId;
}

async function line12345(scenario: string) {
  const [host, port] = stack.config.SIP_12345_URI.replace(/^sip:[^@]+@/, '').split(':') as [string, string];
  const wofile = path.join(stack.dir, `wo-${Date.now()}.txt`);
  const done = stack.sipp(
    ['-sf', path.join(SIM_DIR, scenario), '-i', host, '-p', port, '-mi', host, '-mp', String(await freeMediaPort(host))].concat([
      '-key',
      'wofile',
      wofile,
      '-m',
      '1',
    ]),
    { timeoutMs: 90_000 },
  );
  return { done, host, port };
}

function trunkCall(line: { host: string; port: string }, caller: string) {
  const [kamhost, kamport] = stack.env.SIP_TRUNK_ADDR!.split(':') as [string, string];
  return stack.startCall({
    dialed: '123483',
    caller,
    scenario: '../sim-12345/trunk-refer-12345.xml',
    keys: { h12345: line.host, p12345: line.port, kamhost, kamport },
    timeoutMs: 90_000,
  });
}

const status = (page: Page) => page.getByRole('status', { name: '转12345状态' });

describe('转12345 in the seat console', () => {
  it('when the seat clicks 转12345, the caller reaches the 12345 line and the console shows the work order accepted by 12345', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-answer.xml');
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall(line, '13655550001');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '转12345' }).click();
      await page.getByText('已转出,请填写本次通话小结').waitFor();
      await expect.poll(async () => (await status(page).textContent()) ?? '', POLL).toContain('转接:已接通12345;工单:12345 已接收');

      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      expect(sippCounts(await line.done)).toEqual({ ok: 1, failed: 0 });
      const orders = sim.accepted.filter((m) => m.path === '/work-orders' && m.body.callId === callId);
      expect(orders).toHaveLength(1);
      expect(orders[0]!.body).toMatchObject({ seat: { id: 's03' }, caller: { number: '13655550001' } });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('when 12345 is busy, the caller stays, the console says so, and the seat books a 12345 call-back that reaches 12345', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-busy.xml');
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall(line, '13655550002');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '转12345' }).click();
      await page.getByRole('alert').filter({ hasText: '转接未成功(486 对方忙)' }).waitFor();
      await expect.poll(async () => (await status(page).textContent()) ?? '', POLL).toContain('转接:未接通');
      expect(stack.seatState('s03').kind).toBe('talking');
      await expect(softphone(page).getByRole('button', { name: '重试转12345' }).isVisible()).resolves.toBe(true);

      await status(page).getByRole('button', { name: '预约12345回电' }).click();
      await expect.poll(() => sim.accepted.filter((m) => m.path.endsWith('/callback-request')).length, POLL).toBe(1);
      const order = sim.accepted.find((m) => m.path === '/work-orders' && m.body.callId === callId)!;
      expect(sim.accepted.find((m) => m.path === `/work-orders/${String(order.body.workOrderId)}/transfer-result`)!.body).toMatchObject({
        connected: false,
      });

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await line.done;
    } finally {
      await ctx.close();
    }
  }, 120_000);
});

describe('a call from 12345 in the seat console', () => {
  it("shows the ticket's content 12345 sent by webhook in the screen pop", async () => {
    const hook = await sendWebhook(
      `${stack.routerUrl}/api/12345/webhook`,
      {
        deliveryId: 'e2e-1',
        event: 'ticket.transferred',
        ticket: {
          id: 'GD-E2E-1',
          category: '劳动保障',
          title: '拖欠工资',
          content: '市民反映工地拖欠两个月工资,需要法律意见',
          citizenPhone: null,
        },
      },
      KEY,
    );
    expect(hook.status).toBe(200);
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat02');
      await readyInConsole(page, 's02');
      const caller = stack.startCall({ dialed: '123482', caller: '13655550003', ticket: 'GD-E2E-1', talkMs: 1500, timeoutMs: 60_000 });
      await pop(page).waitFor({ timeout: 30_000 });
      await pop(page).getByText('市民反映工地拖欠两个月工资,需要法律意见').waitFor();
      expect((await pop(page).textContent()) ?? '').toContain('拖欠工资');
      await answerFromPop(page, 's02');
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    } finally {
      await ctx.close();
    }
  }, 90_000);
});
