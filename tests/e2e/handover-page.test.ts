import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook, startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { launchChromium } from '../support/browser.js';
import { fileSummaryAtSeat } from '../support/file-summary.js';
import { login, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/**
 * 转办转介 end to end in headless Chromium against the real server and the built client: a
 * 12345 ticket arrives by the signed webhook and a summary refers a citizen to a city office;
 * the supervisor finds both on the page, sets the referral's due date (it goes overdue) and
 * closes it; the duty manager reads the period's counts; a 东城 supervisor sees no city
 * referral; a seat has no such page; bad input gets a clear message and changes nothing.
 */
const KEY = { id: 'k1', secret: 'handover-page-test-secret' };
let sim: Sim12345;
let srv: TestServer;
let browser: Browser;
const sockets: ClientSocket[] = [];
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  sim = await startSim12345({ keys: [KEY] });
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  [srv, browser] = await Promise.all([
    startTestServer({ env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50' } }),
    launchChromium(),
  ]);
  const admin = await login(srv.url, 'admin');
  const offices = await fetch(`${srv.url}/api/referrals/offices`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ offices: [{ centreId: 'city', kind: 'mediation', name: '市人民调解委员会' }] }),
  });
  expect(offices.status).toBe(200);
  sockets.push(await fileSummaryAtSeat(srv, { callId: 'c-ref-1', disposition: 'mediation', referral: '邻里纠纷调解' }));
  const hook = await sendWebhook(
    `${srv.url}/api/12345/webhook`,
    {
      deliveryId: 'd-page-1',
      event: 'ticket.transferred',
      ticket: { id: 'GD-PAGE-001', category: '劳动保障', title: '工资拖欠', content: '公司拖欠工资', citizenPhone: null },
    },
    KEY,
  );
  expect(hook.status).toBe(200);
}, 90_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await browser?.close();
  await srv?.stop();
  await sim?.stop();
});

async function openPage(username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(srv.url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo12348');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.app-header').waitFor();
  return page;
}

/** Read as the administrator: signing in as the supervisor again would end the page's session. */
async function referralState() {
  const sup = await login(srv.url, 'admin');
  const body = (await (await fetch(`${srv.url}/api/referrals`, { headers: { cookie: sup } })).json()) as {
    data: { referrals: { id: string; state: string; outcome: string; dueAt: number | null; overdue: boolean }[] };
  };
  return body.data.referrals;
}

describe('转办转介 page', { timeout: 60_000 }, () => {
  it('the supervisor sees the 12345 ticket and the referral, sets a due date that has passed (overdue), and closes the referral; bad input changes nothing', async () => {
    const page = await openPage('supervisor');
    await page.getByRole('button', { name: '转办转介' }).click();
    const ticketRow = page.locator('tr', { hasText: 'GD-PAGE-001' });
    await ticketRow.waitFor();
    expect(await ticketRow.textContent()).toContain('12345转入');
    expect(await ticketRow.textContent()).toContain('已收到工单');
    // A supervisor does not read reports: no counts panel.
    expect(await page.getByRole('region', { name: '转办统计' }).count()).toBe(0);

    const row = page.locator('tr[data-referral-id]');
    await row.waitFor();
    expect(await row.textContent()).toContain('市人民调解委员会');
    expect(await row.getByRole('link', { name: '打印转介单' }).getAttribute('href')).toMatch(/^\/api\/referrals\/.+\/form$/);

    // Closing without a result is refused on the page, and nothing changes.
    await row.getByRole('button', { name: '办结' }).click();
    await row.getByText('请填写办理结果').waitFor();
    expect((await referralState())[0]).toMatchObject({ state: 'open' });

    // A due date in the past: the referral turns overdue.
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    await row.getByRole('group', { name: '办理期限' }).getByLabel('日期').fill(yesterday);
    await row.getByRole('group', { name: '办理期限' }).getByLabel('日期').press('Enter');
    await row.getByRole('button', { name: '保存期限' }).click();
    await page.getByRole('status').getByText('已保存办理期限').waitFor();
    await page.locator('tr[data-referral-id]', { hasText: '已逾期' }).waitFor();
    expect((await referralState())[0]).toMatchObject({ state: 'open', overdue: true });
    await page.screenshot({ path: path.join(shots, 'handover-page-1366.png') });

    await page.locator('tr[data-referral-id]').getByLabel('办理结果').fill('已调解成功');
    await page.locator('tr[data-referral-id]').getByRole('button', { name: '办结' }).click();
    await page.locator('tr[data-referral-id]', { hasText: '已办结:已调解成功' }).waitFor();
    expect((await referralState())[0]).toMatchObject({ state: 'closed', outcome: '已调解成功', overdue: false });

    // A period that ends before it starts is refused with a clear message.
    await page.getByLabel('起始日期').fill('2030-01-02');
    await page.getByLabel('起始日期').press('Enter');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('结束日期不能早于起始日期').waitFor();
    await page.context().close();
  });

  it("the duty manager reads the period's counts; a 东城 supervisor sees no city referral; a seat has no such page", async () => {
    const manager = await openPage('manager');
    await manager.getByRole('button', { name: '转办转介' }).click();
    const report = manager.getByRole('region', { name: '转办统计' });
    await report.waitFor();
    expect(await report.locator('tr', { hasText: '12345转入' }).textContent()).toContain('已收到工单 1');
    await report.getByRole('table', { name: '转介单位统计' }).locator('tr', { hasText: '市人民调解委员会' }).waitFor();
    await manager.context().close();

    const dc = await openPage('supervisor-dc');
    await dc.getByRole('button', { name: '转办转介' }).click();
    await dc.getByText('所选时段没有转介').waitFor();
    expect(await dc.locator('tr[data-referral-id]').count()).toBe(0);
    await dc.context().close();

    const seat = await openPage('seat05');
    await seat.getByRole('button', { name: '坐席工作台' }).waitFor();
    expect(await seat.getByRole('button', { name: '转办转介' }).count()).toBe(0);
    await seat.context().close();
  });
});
