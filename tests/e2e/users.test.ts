import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueSnapshot } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { fillLogin } from '../support/console-page.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * 用户管理 end to end in headless Chromium against the real server and the built client: an
 * administrator creates a 东城 supervisor, resets its password, the supervisor signs in with the
 * one-time password and must change it, sees only 东城, is disabled; the 审计日志 page shows it all
 * and its chain verifies. The 演示环境 banner is on every page.
 */
let srv: TestServer;
let browser: Browser;
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(username: string, password: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(srv.url);
  await fillLogin(page, username, password);
  return page;
}

describe('用户管理 in the browser', () => {
  it('an administrator creates a scoped supervisor, resets its password; the supervisor must change it, sees its centre only, and is disabled', async () => {
    const admin = await signIn('admin', 'demo12348');
    await admin.getByRole('button', { name: '用户管理' }).click();
    await admin.getByText('演示环境').first().waitFor();
    await admin.locator('tr[data-username="supervisor-dc"]').waitFor();

    // create
    await admin.getByRole('button', { name: '新建用户' }).click();
    const form = admin.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill('zhao.sup');
    await form.getByLabel('姓名').fill('赵班长');
    await form.getByLabel('角色').selectOption('supervisor');
    await form.getByLabel('全部中心').uncheck();
    await form.getByLabel('东城区分中心').check();
    await form.getByLabel('初始密码(首次登录须修改)').fill('short');
    await form.getByRole('button', { name: '创建用户' }).click();
    await form.getByText('密码至少 10 个字符').waitFor();
    await form.getByLabel('初始密码(首次登录须修改)').fill('Zhao-First-2026');
    await form.getByRole('button', { name: '创建用户' }).click();
    const row = admin.locator('tr[data-username="zhao.sup"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('东城区分中心');
    expect(await row.textContent()).toContain('待改密码');

    // reset: a one-time password shown once
    await row.getByRole('button', { name: '重置密码' }).click();
    const secret = admin.locator('.one-time-password');
    await secret.waitFor();
    const oneTime = (await secret.textContent())!.trim();
    expect(oneTime).toHaveLength(16);
    await admin.screenshot({ path: path.join(shots, 'users.png') });

    // the supervisor signs in with it and must choose a password first
    const sup = await signIn('zhao.sup', oneTime);
    const dialog = sup.getByRole('dialog', { name: '修改密码' });
    await dialog.getByText('一次性密码').waitFor();
    expect(await dialog.getByRole('button', { name: '取消' }).count()).toBe(0);
    await dialog.getByLabel('当前密码').fill(oneTime);
    await dialog.getByLabel('新密码', { exact: true }).fill('zhao.sup-2026X');
    await dialog.getByLabel('再次输入新密码').fill('zhao.sup-2026X');
    await dialog.getByRole('button', { name: '保存新密码' }).click();
    await dialog.getByText('密码不能包含用户名').waitFor();
    await dialog.getByLabel('新密码', { exact: true }).fill('Dongcheng#Lead7');
    await dialog.getByLabel('再次输入新密码').fill('Dongcheng#Lead7');
    // The page reloads once the password is changed (what failed with 403 meanwhile is fetched again).
    await Promise.all([sup.waitForEvent('load'), dialog.getByRole('button', { name: '保存新密码' }).click()]);
    await sup.getByText('班长监控').first().waitFor();
    await sup.getByRole('dialog', { name: '修改密码' }).waitFor({ state: 'detached' });
    const queue = await sup.evaluate(async () => ((await (await fetch('/api/queue')).json()) as { data: QueueSnapshot }).data);
    expect(new Set(queue.seats.map((s) => s.centreId))).toEqual(new Set(['dongcheng']));

    // disable: the supervisor's session ends
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    expect(await sup.evaluate(async () => (await fetch('/api/queue')).status)).toBe(401);

    // the audit log shows it, and the chain verifies
    await admin.getByRole('button', { name: '审计日志' }).click();
    await admin.getByRole('cell', { name: '停用用户' }).first().waitFor();
    await admin.getByRole('cell', { name: '重置密码' }).first().waitFor();
    await admin.getByRole('cell', { name: '新建用户' }).first().waitFor();
    await admin.getByRole('button', { name: '校验哈希链' }).click();
    await admin.getByText(/校验通过/).waitFor();
    await admin.screenshot({ path: path.join(shots, 'audit.png') });
  });

  it('everyone changes their own password from the header', async () => {
    const seat = await signIn('seat05', 'demo12348');
    await seat.getByText('演示环境').first().waitFor();
    await seat.getByRole('button', { name: '修改密码' }).click();
    const dialog = seat.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('当前密码').fill('wrong');
    await dialog.getByLabel('新密码', { exact: true }).fill('Chen-Jing-2026!');
    await dialog.getByLabel('再次输入新密码').fill('Chen-Jing-2026!');
    await dialog.getByRole('button', { name: '保存新密码' }).click();
    await dialog.getByText('当前密码不正确').waitFor();
    await dialog.getByLabel('当前密码').fill('demo12348');
    await dialog.getByRole('button', { name: '保存新密码' }).click();
    await dialog.waitFor({ state: 'detached' });
    const login = await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'seat05', password: 'Chen-Jing-2026!' }),
    });
    expect(login.status).toBe(200);
  });
});
