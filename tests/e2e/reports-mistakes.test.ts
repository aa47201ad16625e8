/**
 * 统计报表 as a duty manager uses it, mistakes included (headless Chromium, the built client, a
 * real server on the demo history): a reversed or too long range is refused with the reason alone
 * and the figures shown stay; a range or a filter with no calls shows 0 and —, never NaN; and the
 * 按日 table on screen says what its CSV and Excel exports say, cell for cell.
 */
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { seedDemoHistory } from '../../server/src/seed/demo-history.js';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  srv = await startTestServer();
  seedDemoHistory(srv.db, Date.now(), DEMO_SEATS);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function managerOnReports(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  await page.goto(srv.url);
  await page.getByLabel('用户名').fill('manager');
  await page.getByLabel('密码').fill('demo12348');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '统计报表' }).click();
  await page.locator('.report-kpi').first().waitFor();
  return page;
}

async function range(page: Page, from: string, to: string) {
  await page.getByLabel('起始日期').fill(from);
  await page.getByLabel('起始日期').press('Enter');
  await page.getByLabel('结束日期').fill(to);
  await page.getByLabel('结束日期').press('Enter');
  await page.getByRole('button', { name: '统计', exact: true }).click();
}

async function downloaded(page: Page, button: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return fs.readFileSync(await download.path());
}

const kpi = (page: Page, label: string) => page.locator('.report-kpi', { hasText: label }).first().locator('.report-kpi-value');

describe('统计报表 with a duty manager’s mistakes', () => {
  it('a reversed or too long range is refused with the reason alone; the figures shown stay', async () => {
    const page = await managerOnReports();
    const title = await page.locator('.report-title').textContent();
    await range(page, '2026-12-07', '2026-12-01');
    await expect.poll(() => page.locator('.alert-error').textContent()).toBe('结束日期不能早于起始日期');
    expect(await page.locator('.report-title').textContent()).toBe(title);
    await range(page, '2020-01-01', '2026-12-01');
    await expect.poll(() => page.locator('.alert-error').textContent()).toBe('统计范围最长 400 天');
    await page.close();
  });

  it('a range without calls, and a filter that matches nothing, show 0 and — (no NaN), and export a header only', async () => {
    const page = await managerOnReports();
    await range(page, '2030-01-01', '2030-01-31');
    await expect.poll(() => page.locator('.report-title').textContent()).toContain('2030-01-01 至 2030-01-31');
    expect(await kpi(page, '呼入').textContent()).toBe('0');
    expect(await kpi(page, '接通率').textContent()).toBe('—');
    expect(await kpi(page, '服务水平').textContent()).toBe('—');
    expect(await page.locator('.reports-page').textContent()).not.toMatch(/NaN|Infinity|undefined/);
    const csv = parseCsv((await downloaded(page, '当前表 CSV')).toString('utf8').slice(1));
    expect(csv).toHaveLength(1);
    expect(csv.flat().join()).not.toMatch(/NaN|Infinity/);
    await page.getByText('当前表 CSV已导出').waitFor();
    const calls = parseCsv((await downloaded(page, '话单 CSV')).toString('utf8').slice(1));
    expect(calls).toHaveLength(1);
    // The last seven days at 03:00–04:00 on a Sunday: the line is closed, nothing matches.
    await page.getByRole('button', { name: '近7日' }).click();
    await page.locator('.report-filters select').nth(3).selectOption('3'); // 时段
    await page.locator('.report-filters select').nth(4).selectOption('7'); // 星期
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await expect.poll(() => page.locator('.report-title').textContent()).not.toContain('2030');
    expect(await kpi(page, '呼入').textContent()).toBe('0');
    expect(await kpi(page, '平均处理').textContent()).toBe('—');
    expect(await kpi(page, '占用率').textContent()).toBe('—');
    expect(await page.locator('.reports-page').textContent()).not.toMatch(/NaN|Infinity|undefined/);
    await page.close();
  });

  it('the 按日 table on screen says what its CSV and Excel exports say', async () => {
    const page = await managerOnReports();
    await page.getByRole('button', { name: '近7日' }).click();
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('.report-table tbody tr').nth(3).waitFor();
    const screen = await page
      .locator('.report-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const csv = parseCsv((await downloaded(page, '当前表 CSV')).toString('utf8').slice(1));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await downloaded(page, '当前表 Excel')) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('按日')!;
    const xlsx = Array.from({ length: ws.rowCount }, (_, i) =>
      (ws.getRow(i + 1).values as (string | number | null | undefined)[]).slice(1).map((v) => (v == null ? '' : String(v))),
    );
    expect(xlsx).toEqual(csv);
    const col = (name: string) => csv[0]!.indexOf(name);
    // Screen columns: 日, 呼入, 接通, 接通率, 服务水平, 平均应答, 平均处理, 放弃, 短时放弃, 溢出, 重大事项.
    const asShown = (cell: string, unit: string) => (cell === '' ? '—' : `${Number(cell).toFixed(1)}${unit}`);
    expect(screen.length).toBe(csv.length - 1);
    screen.forEach((row, i) => {
      const c = csv[i + 1]!;
      expect(row[0]).toBe(c[0]);
      expect(row.slice(1, 3)).toEqual([c[col('呼入')], c[col('接通')]]);
      expect(row[3]).toBe(asShown(c[col('接通率(%)')]!, '%'));
      expect(row[4]).toBe(asShown(c[col('服务水平(%)')]!, '%'));
      expect(row[5]).toBe(asShown(c[col('平均应答(秒)')]!, ' 秒'));
      expect(row[6]).toBe(asShown(c[col('平均处理(秒)')]!, ' 秒'));
      expect(row.slice(7)).toEqual([c[col('放弃')], c[col('短时放弃')], c[col('溢出')], c[col('重大事项')]]);
    });
    await page.close();
  });

  it('the monthly workbook’s 口径说明 states every definition the page shows, word for word', async () => {
    const page = await managerOnReports();
    await page.getByRole('button', { name: '口径说明' }).click();
    const shown = await page
      .locator('.report-definitions dl > div')
      .evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')!.textContent ?? '', d.querySelector('dd')!.textContent ?? '']));
    expect(shown.length).toBeGreaterThan(15);
    const month = (await page.getByLabel('起始日期').inputValue()).slice(0, 7);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await downloaded(page, `${month} 月报 Excel`)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('口径说明')!;
    const inFile = Array.from({ length: ws.rowCount }, (_, i) => [ws.getCell(i + 1, 1).text, ws.getCell(i + 1, 2).text]);
    for (const pair of shown) expect(inFile).toContainEqual(pair);
    expect(inFile[1]![0]).toBe('统计范围');
    await page.close();
  });
});
