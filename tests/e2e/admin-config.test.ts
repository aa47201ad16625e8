/**
 * 系统管理 end to end (issue 12 item 6): the built console served by the router, Kamailio and
 * rtpengine, SIPp callers on the trunk, headless Chromium as the administrator and as a seat
 * lawyer. The administrator adds a category in the page (a wrong IVR key is refused in zh-CN
 * first), gives a seat that specialty, and the next call dialled with the new key pops on that
 * seat's workbench under the new name; then a holiday entered for today closes the line: the
 * next caller is answered with the call-back prompt and stored as an after-hours callback request.
 *
 * README's screenshots: SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e/admin-config.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat } from '../support/console-page.js';
import { login } from '../support/server.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

let stack: SipStack;
let browser: Browser;
let admin: Page;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([startSipStack({ env: { CLIENT_DIST: DIST } }), launchChromium()]);
  admin = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
  await admin.goto(stack.routerUrl);
  await admin.getByLabel('用户名').fill('admin');
  await admin.getByLabel('密码').fill('demo12348');
  await admin.getByRole('button', { name: '登录' }).click();
  await admin.getByRole('button', { name: '系统管理' }).click();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function auditEntries(action: string) {
  const cookie = await login(stack.routerUrl, 'admin');
  const res = await fetch(`${stack.routerUrl}/api/audit?action=${action}&limit=20`, { headers: { cookie } });
  return ((await res.json()) as { ok: true; data: AuditListResponse }).data.entries;
}

describe('administration pages', () => {
  it('a category added in the page pops on the workbench of the seat given it, with the next call dialled with its key', async () => {
    const ctx = await profile(browser);
    const seat = await signInSeat(ctx, stack.routerUrl, 'seat07');
    await expect.poll(() => registration(seat), POLL).toBe('registered');

    await admin.getByRole('tab', { name: '专业类别' }).click();
    const form = admin.getByRole('form', { name: '专业类别' });
    await form.getByRole('button', { name: '新增类别' }).click();
    const n = await form.locator('tbody tr').count();
    await form.getByLabel(`类别代码 ${n}`, { exact: true }).fill('housing-rent');
    await form.getByLabel(`类别名称 ${n}`, { exact: true }).fill('房屋租赁');
    await form.getByLabel(`IVR 按键 ${n}`, { exact: true }).fill('1');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), POLL).toContain('IVR 按键 1 已被「婚姻家庭与继承」使用');
    await form.getByLabel(`IVR 按键 ${n}`, { exact: true }).fill('42');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').getByText('已保存,立即生效').waitFor();
    await admin.screenshot({ path: path.join(shots, 'admin-categories.png') });
    const [added] = await auditEntries('routing-config.categories');
    expect(added).toMatchObject({
      username: 'admin',
      after: expect.arrayContaining([{ id: 'housing-rent', name: '房屋租赁', ivrCodes: ['42'], general: false }]),
    });

    // The seat editor lists the new specialty without a reload (pushed to every console).
    await admin.getByRole('tab', { name: '坐席' }).click();
    await admin.getByRole('button', { name: '赵敏' }).click();
    const editor = admin.getByRole('form', { name: '编辑坐席 赵敏' });
    await editor.getByLabel('房屋租赁 熟练度').selectOption('4');
    await editor.getByRole('button', { name: '保存' }).click();
    await editor.getByRole('status').getByText('已保存,立即生效').waitFor();

    await seat.getByRole('button', { name: '就绪', exact: true }).click();
    await expect.poll(() => stack.seatState('s07').kind, POLL).toBe('ready');
    const caller = stack.startCall({ dialed: '1234842', caller: '13912340042', talkMs: 500, timeoutMs: 60_000 });
    const pop = seat.getByRole('region', { name: '来电弹屏' });
    await pop.waitFor({ timeout: 30_000 });
    expect(await pop.textContent()).toContain('房屋租赁');
    await pop.getByRole('button', { name: /接听/ }).click();
    const r = await caller.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(stack.calls().at(-1)?.category_id).toBe('housing-rent');
    await ctx.close();
  }, 120_000);

  it('a holiday entered for today closes the line: the preview says so and the next caller gets the call-back prompt (after hours)', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await admin.getByRole('tab', { name: '服务日历' }).click();
    const form = admin.getByRole('form', { name: '服务日历' });
    await form.getByRole('button', { name: '新增特殊日期' }).click();
    await form.getByLabel('特殊日期 1', { exact: true }).fill(today);
    await form.getByLabel('特殊日期 1 名称').fill('临时闭馆');
    // an overlapping weekly period is refused first, with the reason
    await form.getByRole('button', { name: '新增时段' }).click();
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), POLL).toMatch(/星期一的时段有重叠/);
    await form.locator('tbody').first().locator('tr').last().getByRole('button', { name: '删除' }).click();
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('status').getByText('已保存,立即生效').waitFor();
    const week = form.getByRole('region', { name: '未来一周预览' });
    await expect.poll(() => week.locator('tr').first().textContent(), POLL).toContain('全天关闭');
    expect(await week.locator('tr').first().textContent()).toContain('临时闭馆');
    await admin.screenshot({ path: path.join(shots, 'admin-calendar.png') });
    expect((await auditEntries('routing-config.calendar'))[0]).toMatchObject({
      after: { holidays: [{ date: today, name: '临时闭馆', periods: [] }] },
    });

    const caller = stack.startCall({ dialed: '12348', caller: '13912340043', scenario: 'caller-hung-up.xml', timeoutMs: 60_000 });
    const r = await caller.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const db = new Database(stack.env.DB_PATH, { readonly: true });
    try {
      expect(db.prepare("SELECT trigger, status FROM callback_requests WHERE caller = '13912340043'").all()).toEqual([
        { trigger: 'after-hours', status: 'open' },
      ]);
    } finally {
      db.close();
    }
  }, 120_000);
});
