/**
 * Call recording end to end (issue 16 items 1, 2): a SIPp caller sending known audio (G.711
 * A-law pcap) through the trunk, headless Chromium as the seat. The seat pauses the recording
 * and puts the caller on hold; after the hang-up the recording exists with the expected
 * duration (within a second), both parties' audio (energy in both channels of the decoded MP3),
 * the hold and the pause in its timeline; a supervisor plays it in Chromium (录音回放 page and
 * the audited audio URL), another centre's supervisor and another seat are refused.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { login } from '../support/server.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([
    startSipStack({ env: { CLIENT_DIST: DIST, RECORDING_NOTICE_FILE: path.resolve('sip-config/prompts/recording-notice-zh-CN.wav') } }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signInStaff(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
  await page.goto(stack.routerUrl);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo12348');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).or(page.getByText('录音回放')).first().waitFor();
  return page;
}

/** What the page gets for the call's recording metadata, with its own session. */
const statusFromPage = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).status, url);

describe('call recording', () => {
  it('records the answered call with the hold and the pause; a supervisor plays it, others are refused', async () => {
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat02');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await page.getByRole('button', { name: '就绪', exact: true }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('ready');

      const caller = stack.startCall({ dialed: '12348', caller: '13912340001', scenario: 'caller-seat-hangup.xml', timeoutMs: 120_000 });
      const pop = page.getByRole('region', { name: '来电弹屏' });
      await pop.waitFor({ timeout: 30_000 });
      const callId = (stack.seatState('s02') as { callId?: string }).callId!;
      await pop.getByRole('button', { name: /接听/ }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('talking');

      await page.waitForTimeout(2500);
      await page.getByRole('button', { name: '暂停录音' }).click();
      await page.getByText('录音已暂停').waitFor();
      await page.waitForTimeout(1500);
      await page.getByRole('button', { name: '恢复录音' }).click();
      await page.getByRole('button', { name: '暂停录音' }).waitFor();
      await softphone(page).getByRole('button', { name: '保持', exact: true }).click();
      await softphone(page).getByRole('button', { name: '恢复通话' }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(1500);
      await softphone(page).getByRole('button', { name: '恢复通话' }).click();
      await softphone(page).getByRole('button', { name: '保持', exact: true }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(2000);
      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });

      // The recording after the hang-up: available, its duration that of the call, hold and pause marked.
      const sup = await login(stack.routerUrl, 'supervisor');
      const metaUrl = `${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/recording`;
      const meta = async () => ((await (await fetch(metaUrl, { headers: { cookie: sup } })).json()) as { data: RecordingView }).data;
      await expect
        .poll(async () => (await meta()).available, POLL)
        .toBe(true)
        .catch(async (err: unknown) => {
          const log = fs
            .readFileSync(stack.logs.router, 'utf8')
            .split('\n')
            .filter((l) => /recording/.test(l));
          throw new Error(
            `${String(err)}: ${JSON.stringify(await meta())}\n${log.slice(-8).join('\n')}\n${fs
              .readdirSync(stack.dir, { recursive: true })
              .map(String)
              .filter((f) => /record|pcap/.test(f))
              .join(' ')}`,
          );
        });
      const v = await meta();
      const detail = (await (
        await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}`, { headers: { cookie: sup } })
      ).json()) as {
        data: { events: { type: string; at: number }[] };
      };
      const at = (type: string) => detail.data.events.find((e) => e.type === type)!.at;
      const talkMs = at('hung-up') - at('answered');
      expect(Math.abs(v.durationMs! - talkMs)).toBeLessThan(1000);
      expect(v.format).toBe('mp3');
      expect(v.sha256Ok).toBe(true);
      expect(v.pauses).toHaveLength(1);
      expect(v.pauses[0]!.toMs - v.pauses[0]!.fromMs).toBeGreaterThan(1000);
      expect(v.holds).toHaveLength(1);

      // The file: decoded, it lasts as long as the call (within a second) and both channels carry audio.
      const dir = path.join(stack.dir, 'recordings');
      const mp3 = fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .find((f) => f.endsWith('.mp3'))!;
      const wav = path.join(stack.dir, 'decoded.wav');
      execFileSync('lame', ['--quiet', '--decode', path.join(dir, mp3), wav]);
      const buf = fs.readFileSync(wav);
      const dataAt = buf.indexOf('data') + 8;
      const rate = buf.readUInt32LE(24);
      expect(buf.readUInt16LE(22)).toBe(2);
      const frames = Math.floor((buf.length - dataAt) / 4);
      expect(Math.abs((frames / rate) * 1000 - talkMs)).toBeLessThan(1000);
      const rms = (ch: number, fromMs: number, toMs: number) => {
        let e = 0;
        let n = 0;
        for (let f = Math.floor((fromMs * rate) / 1000); f < Math.min(frames, Math.floor((toMs * rate) / 1000)); f++) {
          e += buf.readInt16LE(dataAt + f * 4 + ch * 2) ** 2;
          n++;
        }
        return n ? Math.sqrt(e / n) : 0;
      };
      expect(rms(0, 0, talkMs)).toBeGreaterThan(300);
      expect(rms(1, 0, talkMs)).toBeGreaterThan(300);
      // The pause is silent on both channels.
      const p = v.pauses[0]!;
      expect(Math.max(rms(0, p.fromMs + 200, p.toMs - 200), rms(1, p.fromMs + 200, p.toMs - 200))).toBeLessThan(20);

      // Playback in Chromium for the supervisor: the 录音回放 page, the audio element loads the file.
      const supPage = await signInStaff('supervisor');
      await supPage.getByRole('button', { name: '录音回放' }).click();
      await supPage.getByLabel('来电编号').fill(callId);
      await supPage.getByRole('button', { name: '打开' }).click();
      const audio = supPage.getByTestId('recording-audio');
      await audio.waitFor();
      await expect
        .poll(() => audio.evaluate((a: HTMLAudioElement) => (Number.isFinite(a.duration) ? a.duration : 0)), POLL)
        .toBeGreaterThan(talkMs / 1000 - 1.5);
      expect(await supPage.getByLabel('通话经过').textContent()).toContain('保持');
      const audioUrl = `/api/calls/${encodeURIComponent(callId)}/recording/audio`;
      expect(await statusFromPage(supPage, audioUrl)).toBe(200);
      await supPage.close();

      // Refused: another centre's supervisor and another seat, in their own browsers.
      const dcPage = await signInStaff('supervisor-dc');
      expect(await statusFromPage(dcPage, audioUrl)).toBe(404);
      expect(await statusFromPage(dcPage, `/api/calls/${encodeURIComponent(callId)}/recording`)).toBe(404);
      await dcPage.close();
      const ctx3 = await profile(browser);
      const seat3 = await signInSeat(ctx3, stack.routerUrl, 'seat03');
      expect(await statusFromPage(seat3, audioUrl)).toBe(404);
      await ctx3.close();

      // Every playback is in the audit log.
      const admin = await login(stack.routerUrl, 'admin');
      const audit = (await (
        await fetch(`${stack.routerUrl}/api/audit?action=recording.play&limit=50`, { headers: { cookie: admin } })
      ).json()) as {
        data: { entries: { username: string; target: string }[] };
      };
      expect(audit.data.entries.some((e) => e.username === 'supervisor' && e.target === `call:${callId}`)).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 180_000);
});
