import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { seedDemoHistory } from '../../server/src/seed/demo-history.js';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * 统计报表 in headless Chromium against the real server and the built client, on the demo
 * history: the duty manager's figures and charts, the 打印 view, and exports downloaded by the
 * browser and parsed back (CSV with BOM, XLSX with ExcelJS).
 */
let srv: TestServer;
let browser: Browser;
let calls = 0;
/** README's screenshot: refresh with SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e/reports.test.ts */
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  srv = await startTestServer();
  calls = seedDemoHistory(srv.db, Date.now(), DEMO_SEATS);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function managerOnReports(width = 1366, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN', acceptDownloads: true });
  await page.goto(srv.url);
  await page.getByLabel('用户名').fill('manager');
  await page.getByLabel('密码').fill('demo12348');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '统计报表' }).click();
  await page.locator('.report-kpi').first().waitFor();
  return page;
}

async function downloaded(page: Page, button: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return fs.readFileSync(await download.path());
}

describe('统计报表', () => {
  it('shows the last seven days with charts, and the figures match the API', async () => {
    expect(calls).toBeGreaterThan(1000);
    const page = await managerOnReports();
    await page.getByRole('button', { name: '近7日' }).click();
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('.report-chart svg').nth(4).waitFor();
    const from = await page.getByLabel('起始日期').inputValue();
    const to = await page.getByLabel('结束日期').inputValue();
    const api = JSON.parse(
      await page.evaluate(async (q) => (await fetch(`/api/reports/figures?${q}`)).text(), `from=${from}&to=${to}`),
    ) as { data: { total: { offered: number } } };
    const offered = page.locator('.report-kpi', { hasText: '呼入' }).locator('.report-kpi-value');
    await expect.poll(() => offered.textContent()).toBe(String(api.data.total.offered));
    await page.screenshot({ path: path.join(shots, 'reports.png'), fullPage: false });

    await page.getByRole('button', { name: '口径说明' }).click();
    await page.getByText('等待超过 5 秒后来电人挂断').first().waitFor();
    // The 打印 view: no header, no filters, no export buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('.report-filters').isVisible()).toBe(false);
    expect(await page.locator('.report-title').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.close();
  });

  it('downloads the 话单 as CSV (BOM, masked) and Excel, which read back with the same rows', async () => {
    const page = await managerOnReports();
    await page.getByRole('button', { name: '近7日' }).click();
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('.report-chart svg').first().waitFor();
    const csv = await downloaded(page, '话单 CSV');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.toString('utf8').slice(1));
    expect(rows[0]!.slice(0, 3)).toEqual(['通话编号', '来电时间', '来电号码']);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows.slice(1)) expect(r[2]).toMatch(/^1\d\d\*\*\*\*\d{4}$/);
    await page.getByText('话单 CSV已导出').waitFor();

    const xlsx = await downloaded(page, '话单 Excel');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('话单')!;
    expect(ws.rowCount).toBe(rows.length);
    expect(ws.getRow(2).getCell(1).value).toBe(rows[1]![0]);
    await page.close();
  });

  it('a monthly workbook downloads with a sheet per table', async () => {
    const page = await managerOnReports();
    const month = (await page.getByLabel('起始日期').inputValue()).slice(0, 7);
    const buf = await downloaded(page, `${month} 月报 Excel`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('按坐席');
    expect(wb.worksheets.map((w) => w.name)).toContain('口径说明');
    await page.close();
  });

  it('排班建议: the plan of the last four weeks beside planned and signed-in seats, downloaded as CSV', async () => {
    const page = await managerOnReports();
    await page.getByRole('button', { name: '计算' }).click();
    await page.locator('.report-staffing tbody tr').nth(47).waitFor();
    expect(await page.locator('.report-staffing tbody tr').count()).toBe(48);
    // The demo history's weekday mornings need seats: Monday 10:00 needs at least one.
    const monday10 = await page.locator('.report-staffing tbody tr').nth(20).locator('td').nth(1).textContent();
    expect(Number(monday10!.split(' / ')[0])).toBeGreaterThan(0);
    // Erlang A beside it (the demo history has abandons, so patience is known), never above Erlang C.
    const [c, a] = monday10!.split(' / ').map(Number) as [number, number];
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThanOrEqual(c);
    expect(await page.getByRole('button', { name: '写入服务日历' }).count()).toBe(0); // administrators only
    const csv = await downloaded(page, '导出 CSV');
    const rows = parseCsv(csv.toString('utf8').slice(1));
    expect(rows).toHaveLength(337);
    expect(rows[0]).toContain('所需坐席(Erlang A)');
    // One specialty staffed apart: its own plan, not offered for the calendar.
    await page.getByLabel('专长').selectOption('labor');
    await page.getByRole('button', { name: '计算' }).click();
    await page.getByText(/劳动与社会保障:/).waitFor();
    await page.close();
  });
});
