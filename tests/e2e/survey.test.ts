/**
 * The post-call survey and 强拆 with a browser seat (issue 15 item 1, issue 12's 强拆): the built
 * console served by the router, headless Chromium as the seat (JsSIP over Kamailio's WebSocket)
 * and as the supervisor, a SIPp caller on the trunk pressing RFC 2833 keys.
 * The survey's prompts here are short tones; the shipped ones are speech.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { SIPP_DIR, sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';
import { writeTone } from '../support/tone-wav.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  const prompts = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'survey-prompts-'));
  writeTone(path.join(prompts, 'survey-question-zh-CN.wav'), 1500);
  writeTone(path.join(prompts, 'survey-invalid-zh-CN.wav'), 1500);
  writeTone(path.join(prompts, 'survey-thanks-zh-CN.wav'), 1000);
  [stack, browser] = await Promise.all([
    startSipStack({
      env: { CLIENT_DIST: DIST, SURVEY_POLICY: 'seat', SURVEY_PROMPT_DIR: prompts, SURVEY_NO_INPUT_MS: '10000' },
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120 } }),
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const pop = (page: Page) => page.getByRole('region', { name: '来电弹屏' });

/** The seat goes ready, then the caller calls (a call nobody could take would overflow) and the seat answers. */
async function talking(
  page: Page,
  seatId: string,
  scenario: string,
): Promise<{ callId: string; caller: ReturnType<SipStack['startCall']> }> {
  await expect.poll(() => registration(page), POLL).toBe('registered');
  await page.getByRole('button', { name: '就绪', exact: true }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('ready');
  const caller = stack.startCall({ scenario, timeoutMs: 60_000 });
  await pop(page).waitFor({ timeout: 30_000 });
  const callId = (stack.seatState(seatId) as { callId?: string }).callId!;
  await pop(page).getByRole('button', { name: /接听/ }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('talking');
  return { callId, caller };
}

/** A caller scenario pressing `digit` this long after the answer, then waiting for the BYE. */
function callerPressing(ms: number, digit: string): string {
  const file = path.join(stack.dir, `caller-survey-e2e-${digit}.xml`);
  const keys = `<pause milliseconds="${ms}" />\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${digit}.pcap" /></action></nop>`;
  fs.writeFileSync(file, fs.readFileSync(path.join(SIPP_DIR, 'caller-survey.xml'), 'utf8').replace('<!-- KEYS -->', keys));
  return path.relative(SIPP_DIR, file);
}

function db<T>(f: (d: Database.Database) => T): T {
  const d = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
}

describe('the post-call survey with a browser seat', () => {
  it('the seat sees the survey is on, hangs up and is in wrap-up at once; the caller presses 1 and gets a BYE; the rating is stored', async () => {
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat02');
      const { callId, caller } = await talking(page, 's02', callerPressing(7000, '1'));
      const toggle = page.getByRole('checkbox', { name: '挂机后转满意度评价' });
      await expect.poll(() => toggle.isChecked(), POLL).toBe(true);
      expect(await toggle.isEnabled()).toBe(true);
      await softphone(page).getByRole('button', { name: '挂断' }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('wrap-up');
      expect(caller.proc.exitCode).toBeNull(); // still on the line, in the survey
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect
        .poll(
          () => db((d) => d.prepare("SELECT score, seat_id FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'").get(callId)),
          POLL,
        )
        .toEqual({ score: 1, seat_id: 's02' });
      expect(stack.seatState('s02').kind).toBe('wrap-up');
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('强拆 from the 班长监控 seat wall ends the browser seat’s call and the SIPp caller’s, with the reason audited', async () => {
    const ctx = await profile(browser);
    const sup = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      const { callId, caller } = await talking(page, 's03', 'caller-seat-hangup.xml');

      await sup.goto(stack.routerUrl);
      await sup.getByLabel('用户名').fill('supervisor');
      await sup.getByLabel('密码').fill('demo12348');
      await sup.getByRole('button', { name: '登录' }).click();
      await sup.getByText(/数据更新于/).waitFor();
      const card = sup.locator('.seat-card[data-seat-id="s03"]');
      await card.locator('.seat-state-label', { hasText: '通话' }).waitFor();
      await card.locator('.seat-card-main').click();
      await card.getByRole('button', { name: '强拆' }).click();
      // Without a reason the server refuses and says why; the call goes on.
      await card.getByRole('button', { name: /确认强拆/ }).click();
      await card.getByRole('alert').getByText('请填写原因').waitFor();
      expect(stack.seatState('s03').kind).toBe('talking');
      await card.getByLabel('说明(必填,记入审计日志)').fill('通话严重超时且来电人无理纠缠');
      await card.getByRole('button', { name: /确认强拆/ }).click();

      const r = await caller.done; // the caller got a BYE from Kamailio's dialog module
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('wrap-up');
      // The browser's JsSIP session got its BYE too: the page says the supervisor ended the call.
      await page.getByRole('heading', { name: '班长已结束本通话' }).waitFor({ timeout: 15_000 });
      await expect.poll(() => softphone(page).getByRole('button', { name: '挂断' }).count(), POLL).toBe(0);
      expect(stack.events(callId).find((e) => e.type === 'hung-up')?.data.by).toBe('supervisor');
      const audit = db((d) =>
        d
          .prepare("SELECT username, reason FROM audit_log WHERE action = 'supervisor.call-force-release' AND target = ?")
          .all(`call:${callId}`),
      );
      expect(audit).toEqual([{ username: 'supervisor', reason: '通话严重超时且来电人无理纠缠' }]);
    } finally {
      await sup.close();
      await ctx.close();
    }
  }, 120_000);
});
