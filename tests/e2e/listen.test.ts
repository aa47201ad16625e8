/**
 * 监听 (silent monitoring) end to end (issue 12): the built console served by the router,
 * Kamailio and rtpengine, a SIPp caller on the trunk sending audio for the whole call and a SIPp
 * seat phone (its 7 s of audio are over by the time the page listens: the packets counted are the
 * caller's stream; the seat's is the second m= line, set up the same way),
 * headless Chromium as the supervisor. The supervisor's page registers its listening phone,
 * Kamailio INVITEs it with rtpengine's subscription offer, the page answers receive-only and
 * hears the call; nothing goes from the page into the call; stop, the call's end, scope; a call
 * answered before the router was killed and restarted.
 *
 * README's screenshot: SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e/listen.test.ts
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInWall } from '../support/console-page.js';
import { login } from '../support/server.js';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 20_000, interval: 200 };
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

let stack: SipStack;
let browser: Browser;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([startSipStack({ env: { CLIENT_DIST: DIST } }), launchChromium()]);
}, 90_000);

afterAll(async () => {
  for (const p of phones) await p.stop().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

const signIn = (username: string): Promise<Page> => signInWall(browser, stack.routerUrl, username);

interface PageCallStats {
  callId: string;
  inboundPackets: number;
  outboundPackets: number;
  localTracks: number;
}
const pageStats = (page: Page): Promise<PageCallStats[]> =>
  page.evaluate(() => (window as unknown as { __phoneStats: () => Promise<PageCallStats[]> }).__phoneStats());

function auditRows(action: string, target: string): { username: string; reason: string | null; after: string }[] {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return db
      .prepare('SELECT username, reason, after_json AS after FROM audit_log WHERE action = ? AND target = ? ORDER BY id')
      .all(action, target) as {
      username: string;
      reason: string | null;
      after: string;
    }[];
  } finally {
    db.close();
  }
}

const card = (page: Page, seatId: string) => page.locator(`.seat-card[data-seat-id="${seatId}"]`);

async function startListening(page: Page, seatId: string, reason: string): Promise<void> {
  await card(page, seatId).locator('.seat-state-label', { hasText: '通话' }).waitFor();
  const button = card(page, seatId).getByRole('button', { name: '监听', exact: true });
  if (!(await button.isVisible())) await card(page, seatId).locator('.seat-card-main').click();
  await button.click();
  await card(page, seatId).getByLabel('说明(必填,记入审计日志)').fill(reason);
  await card(page, seatId)
    .getByRole('button', { name: /^开始监听/ })
    .click();
}

describe('监听 (silent monitoring)', () => {
  it("the supervisor's page receives a talking call's audio and sends nothing into it; stop ends it; audited; refused out of scope", async () => {
    const s05 = await stack.seat('s05', { behaviour: 'answer' });
    phones.push(s05);
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-long-audio.xml', caller: '13912345678', timeoutMs: 90_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    const listenApi = (cookie: string) =>
      fetch(`${stack.routerUrl}/api/supervisor/calls/${encodeURIComponent(call.id)}/listen`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ note: '质检抽听' }),
      });

    // A county supervisor does not see the city centre's call: refused, nothing audited.
    const dc = await listenApi(await login(stack.routerUrl, 'supervisor-dc'));
    expect(dc.status).toBe(403);
    expect(await dc.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Without a reason: refused.
    const sup = await signIn('supervisor');
    await card(sup, 's05').locator('.seat-state-label', { hasText: '通话' }).waitFor();
    await card(sup, 's05').locator('.seat-card-main').click();
    await card(sup, 's05').getByRole('button', { name: '监听', exact: true }).click();
    await card(sup, 's05')
      .getByRole('button', { name: /^开始监听/ })
      .click();
    await card(sup, 's05').getByRole('alert').getByText('请填写原因').waitFor();
    await card(sup, 's05').getByLabel('说明(必填,记入审计日志)').fill('新人坐席质检抽听');
    await card(sup, 's05')
      .getByRole('button', { name: /^开始监听/ })
      .click();

    const bar = sup.getByRole('region', { name: '监听' });
    await bar.getByText('监听中').waitFor({ timeout: 20_000 });
    await card(sup, 's05').getByRole('status').getByText('正在监听').waitFor();
    // Audio arrives on the page, and keeps arriving.
    await expect.poll(async () => (await pageStats(sup)).reduce((n, s) => n + s.inboundPackets, 0), POLL).toBeGreaterThan(50);
    const first = (await pageStats(sup)).reduce((n, s) => n + s.inboundPackets, 0);
    await expect.poll(async () => (await pageStats(sup)).reduce((n, s) => n + s.inboundPackets, 0), POLL).toBeGreaterThan(first + 50);
    // Nothing from the page: no local track, no RTP sent.
    const stats = await pageStats(sup);
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ outboundPackets: 0, localTracks: 0 });
    // rtpengine's own counters: the caller and the seat send; the listening leg is a third tag.
    const byTag = await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, call.id);
    expect(Object.keys(byTag)).toHaveLength(3);

    await sup.screenshot({ path: path.join(shots, 'monitor-listen.png') });
    const rows = auditRows('supervisor.call-listen', `call:${call.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'supervisor', reason: '新人坐席质检抽听' });
    expect(JSON.parse(rows[0]!.after)).toMatchObject({ seatId: 's05' });

    // 停止监听: Kamailio's BYE ends the page's leg.
    await bar.getByRole('button', { name: '停止监听' }).click();
    await bar.getByText('已停止监听').waitFor({ timeout: 10_000 });
    // The card, still open, no longer says 正在监听.
    await card(sup, 's05').getByText('正在监听').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await card(sup, 's05').getByRole('dialog').isVisible()).toBe(true);
    await expect.poll(async () => (await pageStats(sup)).length, POLL).toBe(0);
    expect(auditRows('supervisor.call-listen-stop', `call:${call.id}`)).toHaveLength(1);
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');

    // Listening again; then the caller hangs up: the leg ends with the call.
    await startListening(sup, 's05', '继续抽听');
    await bar.getByText('监听中').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await pageStats(sup)).reduce((n, s) => n + s.inboundPackets, 0), POLL).toBeGreaterThan(50);
    const r = await caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    await bar.getByText('通话已结束,监听随之结束').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await pageStats(sup)).length, POLL).toBe(0);
    await sup.close();
  }, 120_000);

  it('a call answered before the router was killed (SIGKILL) and restarted can be listened to: Kamailio reports its dialog tags at the resync', async () => {
    const s07 = await stack.seat('s07', { behaviour: 'answer' });
    phones.push(s07);
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-long-audio.xml', caller: '13712345670', timeoutMs: 90_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    await stack.killRouter();
    await stack.startRouter(); // resolves once the new router has resynced with Kamailio
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');

    const sup = await signIn('supervisor');
    await startListening(sup, 's07', '重启后抽听');
    const bar = sup.getByRole('region', { name: '监听' });
    await bar.getByText('监听中').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await pageStats(sup)).reduce((n, s) => n + s.inboundPackets, 0), POLL).toBeGreaterThan(50);
    expect(auditRows('supervisor.call-listen', `call:${call.id}`)).toEqual([
      expect.objectContaining({ username: 'supervisor', reason: '重启后抽听' }),
    ]);
    await bar.getByRole('button', { name: '停止监听' }).click();
    await bar.getByText('已停止监听').waitFor({ timeout: 10_000 });
    const r = await caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    await sup.close();
  }, 120_000);

  it("a second page of the supervisor shows the leg with 停止监听 and can stop it; a reload ends the page's leg at the router (audited; the router unsubscribes it, see tests/unit/listen-line.test.ts)", async () => {
    const s06 = await stack.seat('s06', { behaviour: 'answer' });
    phones.push(s06);
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-long-audio.xml', caller: '13812345679', timeoutMs: 90_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    const inbound = async (page: Page) => (await pageStats(page)).reduce((n, s) => n + s.inboundPackets, 0);
    const stopRows = () => auditRows('supervisor.call-listen-stop', `call:${call.id}`).map((r) => JSON.parse(r.after) as { why: string });

    const a = await signIn('supervisor');
    await startListening(a, 's06', '夜班抽听');
    const barA = a.getByRole('region', { name: '监听' });
    await barA.getByText('监听中').waitFor({ timeout: 20_000 });
    await expect.poll(() => inbound(a), POLL).toBeGreaterThan(20);

    // A second tab of the same supervisor: it shows the leg, says the sound is on the other page, offers 停止监听.
    const b = await signIn('supervisor');
    const barB = b.getByRole('region', { name: '监听' });
    await barB.getByText('监听中(另一个页面)').waitFor({ timeout: 10_000 });
    await barB.getByRole('button', { name: '停止监听' }).click();
    await barB.getByText('已停止监听').waitFor({ timeout: 10_000 });
    // The first page is told: its phone hangs up, its bar says where it was stopped.
    await barA.getByText('监听已在另一个页面停止').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await pageStats(a)).length, POLL).toBe(0);
    expect(stopRows()).toEqual([expect.objectContaining({ why: 'stopped' })]);

    // The second page listens itself (its listening phone registers, taking the SIP user's one
    // contact), then stops; the first page, whose phone was registered before, listens again.
    await startListening(b, 's06', '换个页面抽听');
    await barB.getByText('监听中').waitFor({ timeout: 20_000 });
    await barA.getByText('监听中(另一个页面)').waitFor({ timeout: 10_000 });
    await barB.getByRole('button', { name: '停止监听' }).click();
    await barB.getByText('已停止监听').waitFor({ timeout: 10_000 });

    // Listening again on the first page (it registers afresh; the second is told), then the first page reloads: its
    // listening phone's WebSocket closes, Kamailio reports it, the router ends the leg.
    await startListening(a, 's06', '夜班抽听(续)');
    await barA.getByText('监听中').waitFor({ timeout: 20_000 });
    await expect.poll(() => inbound(a), POLL).toBeGreaterThan(20);
    await barB.getByText('监听中(另一个页面)').waitFor({ timeout: 10_000 });
    await a.reload();
    await a.getByText(/数据更新于/).waitFor();
    await barB.getByText('监听所在的页面已关闭或刷新,监听已结束').waitFor({ timeout: 15_000 });
    await expect.poll(() => stopRows().map((r) => r.why), POLL).toEqual(['stopped', 'stopped', 'phone-gone']);
    // Neither page shows a leg any more (nothing left running that a page could not stop); the call goes on.
    await expect.poll(async () => (await b.getByText('监听中').count()) + (await a.getByText('监听中').count()), POLL).toBe(0);
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');

    const r = await caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    await a.close();
    await b.close();
  }, 120_000);
});
