import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { fillLogin } from '../support/console-page.js';
import { parseCsv } from '../support/csv.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

/**
 * 质检 in headless Chromium against the real server and the built client: a complaint call lands
 * in the worklist; the supervisor scores it at 1366×768 (no recorder in this stack: the player says 本系统未开启录音); the seat reads the
 * result in 我的质检 and asks for a review; the duty manager changes the score; the score is in
 * 统计报表's 质检 table and its CSV export.
 */
let srv: TestServer;
let browser: Browser;
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchChromium();
  // A call answered by seat01 (s01) and filed as 投诉受理: it joins the worklist whatever the sample draws.
  const engine = srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady('s01');
  engine.offerCall({ id: 'e2e-qc-1', caller: '13900001111', dialed: '12348' });
  engine.answered('e2e-qc-1', 's01');
  engine.hangup('e2e-qc-1', 'caller');
  const cookie = await login(srv.url, 'seat01');
  const res = await fetch(`${srv.url}/api/calls/e2e-qc-1/summary`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({
      categoryId: 'labor',
      topic: '投诉律师',
      question: '对上次解答不满意,要求投诉',
      answer: '已记录投诉并告知处理时限',
      disposition: 'complaint',
    }),
  });
  expect(res.status, await res.text()).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(user: string, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  await page.goto(`${srv.url}/${hash}`);
  await fillLogin(page, user);
  return page;
}

/** The page itself does not scroll at 1366×768: the list and the call scroll inside their panels. */
async function fitsWindow(page: Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, inner: window.innerHeight }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

describe('质检 end to end', () => {
  it('the supervisor scores, the seat asks for review, the manager changes the score, and the report shows it', async () => {
    // 1. The supervisor scores the call from the worklist.
    const sup = await signIn('supervisor', '#/qc');
    const row = sup.locator('.qc-list tbody tr', { hasText: '投诉' });
    await row.waitFor();
    await row.locator('button').click();
    await sup.getByTestId('recording-missing').getByText('本系统未开启录音').waitFor();
    await sup.getByText('对上次解答不满意,要求投诉').waitFor();
    for (const label of ['问候规范', '问题理解', '法律准确', '依据引用', '服务态度', '小结质量']) await sup.getByLabel(label).fill('8');
    await sup.locator('.qc-total').getByText('80').waitFor();
    await sup.getByLabel('评语').fill('开场问候缺少工号');
    await fitsWindow(sup);
    // The whole form, 提交评分 included, is in view at 1366×768 without scrolling the call panel.
    const submit = await sup.getByRole('button', { name: '提交评分' }).boundingBox();
    expect(submit!.y + submit!.height).toBeLessThanOrEqual(768);
    await sup.screenshot({ path: path.join(shots, 'qc-scoring-1366.png') });
    await sup.getByRole('button', { name: '提交评分' }).click();
    await sup.getByRole('status').getByText('已评分:80 分').waitFor();
    await sup.close();

    // 2. The seat reads the result and asks for a review.
    const seat = await signIn('seat01', '#/my-qc');
    const mine = seat.locator('.qc-list tbody tr').first();
    await mine.waitFor();
    await mine.locator('button').click();
    await seat.locator('.qc-score-total', { hasText: '80' }).waitFor();
    await seat.getByText('评语:开场问候缺少工号').waitFor();
    await seat.getByLabel('复核理由').fill('开场已报工号,请听录音复核');
    await fitsWindow(seat);
    await seat.getByRole('button', { name: '申请复核' }).click();
    await seat.getByRole('status').getByText('已申请复核').waitFor();
    await seat.close();

    // 3. The duty manager (not the scorer) changes the score on review.
    const mgr = await signIn('manager', '#/qc');
    await mgr.getByLabel('质检状态').selectOption('review');
    const review = mgr.locator('.qc-list tbody tr', { hasText: '复核中' });
    await review.waitFor();
    await review.locator('button').click();
    await mgr.getByText('开场已报工号,请听录音复核').waitFor();
    await mgr.getByRole('radio', { name: '改分' }).check();
    await mgr.getByLabel('问候规范').fill('10');
    await mgr.getByLabel('复核意见').fill('录音中已报工号,问候改为满分');
    await mgr.getByRole('button', { name: '改分', exact: true }).click();
    await mgr.getByRole('status').getByText('已改分为 82 分').waitFor();

    // 4. The score is in 统计报表's 质检 table and its export.
    await mgr.getByRole('button', { name: '统计报表' }).click();
    await mgr.locator('.report-kpi').first().waitFor();
    await mgr.getByRole('tab', { name: '质检' }).click();
    const total = mgr.locator('table[aria-label="质检统计"] tbody tr').first();
    await expect.poll(() => total.locator('td').nth(4).textContent()).toBe('1');
    expect(await total.locator('td').nth(5).textContent()).toBe('82.0');
    const seatRow = mgr.locator('table[aria-label="质检统计"] tbody tr', { hasText: '王建国(C001)' });
    expect(await seatRow.locator('td').nth(8).textContent()).toBe('1'); // 复核改分
    const [download] = await Promise.all([
      mgr.waitForEvent('download'),
      mgr.getByRole('button', { name: '当前表 CSV', exact: true }).click(),
    ]);
    const rows = parseCsv(
      fs
        .readFileSync(await download.path())
        .toString('utf8')
        .slice(1),
    );
    expect(rows[0]).toEqual(['分组', '名称', '入选质检', '随机抽检', '已评分', '平均得分', '最低得分', '申请复核', '复核改分']);
    expect(rows.find((r) => r[0] === '坐席' && r[1] === '王建国(C001)')?.slice(4)).toEqual(['1', '82', '82', '1', '1']);
    await mgr.close();
  });
});
