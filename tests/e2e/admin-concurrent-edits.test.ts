/**
 * Two administrators in the 系统管理 page at once (headless Chromium, the built client, a real
 * server): both open 路由规则; the first saves a new ring timeout; the second, whose page was
 * loaded before, saves another field. The second save is refused in zh-CN with the typed value
 * still on the page, and the first change stays in force (it used to be silently undone).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function adminOnRules(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(srv.url);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('demo12348');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '系统管理' }).click();
  await page.getByRole('tab', { name: '路由规则' }).click();
  await page.getByRole('form', { name: '路由规则' }).getByLabel('振铃超时(秒)').waitFor();
  return page;
}

describe('two administrators editing the routing rules', () => {
  it('the stale page is refused with a sentence and keeps its input; the first change stays', async () => {
    const first = await adminOnRules();
    const second = await adminOnRules();
    const before = srv.app.engine.config;

    const a = first.getByRole('form', { name: '路由规则' });
    await a.getByLabel('振铃超时(秒)').fill('27');
    await a.getByRole('button', { name: '保存' }).click();
    await a.getByRole('status').getByText('已保存,立即生效').waitFor();
    expect(srv.app.engine.config.ringTimeoutS).toBe(27);

    const b = second.getByRole('form', { name: '路由规则' });
    await b.getByLabel('最多振铃次数').fill('9');
    await b.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => b.getByRole('alert').textContent()).toContain('路由规则已被其他管理员修改,您的修改尚未保存');
    expect(await b.getByLabel('最多振铃次数').inputValue()).toBe('9');
    expect(srv.app.engine.config.ringTimeoutS).toBe(27);
    expect(srv.app.engine.config.maxOfferAttempts).toBe(before.maxOfferAttempts);

    // Reloaded, the second administrator sees the first one's change and saves on top of it.
    await second.reload();
    await second.getByRole('tab', { name: '路由规则' }).click();
    const b2 = second.getByRole('form', { name: '路由规则' });
    expect(await b2.getByLabel('振铃超时(秒)').inputValue()).toBe('27');
    await b2.getByLabel('最多振铃次数').fill('9');
    await b2.getByRole('button', { name: '保存' }).click();
    await b2.getByRole('status').getByText('已保存,立即生效').waitFor();
    expect(srv.app.engine.config).toMatchObject({ ringTimeoutS: 27, maxOfferAttempts: 9 });
    await first.close();
    await second.close();
  }, 60_000);
});
