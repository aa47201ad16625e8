import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * End to end in headless Chromium against the real server and the built client:
 * what a seat lawyer and a supervisor see after signing in.
 */
let srv: TestServer;
let browser: Browser;
/** README's screenshots: refresh with SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e */
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

async function signIn(username: string, password = 'demo12348'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  await page.goto(srv.url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

describe('signing in', () => {
  it('when the password is wrong, the page should say so and stay on the login form', async () => {
    const page = await signIn('seat01', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    expect(await page.getByRole('button', { name: '登录' }).isVisible()).toBe(true);
    await page.close();
  });

  it('when a seat lawyer signs in, the seat workbench should open with their name, and 就绪 should make the seat ready on the server', async () => {
    const page = await signIn('seat01');
    await page.getByText('坐席工作台').first().waitFor();
    await page.getByText('王建国').first().waitFor();
    await page.getByRole('button', { name: '就绪' }).click();
    await expect.poll(() => srv.app.engine.getSeat('s01').state.kind).toBe('ready');
    await page.getByText('空闲').first().waitFor();

    srv.app.engine.offerCall({ id: 'e2e-1', caller: '13812345678', dialed: '12348', ivrCode: '1', flags: ['elderly'] });
    await page.getByText('138****5678').waitFor();
    await page.getByText('婚姻家庭与继承').first().waitFor();
    await page.getByText('老年人').first().waitFor();
    expect(await page.content()).not.toContain('13812345678');
    await page.screenshot({ path: path.join(shots, 'seat-ringing.png') });
    await page.close();
  });

  it('when a supervisor signs in, the live monitor should list every seat and the waiting calls', async () => {
    srv.app.engine.setSeatNotReady('s02', 'meeting');
    srv.app.engine.offerCall({ id: 'e2e-2', caller: '13900001111', dialed: '12348', ivrCode: '2' });
    const page = await signIn('supervisor');
    await page.getByText('班长监控').first().waitFor();
    await page.getByText('139****1111').waitFor();
    for (const name of ['李秀英', '周婷', '高原']) await page.getByText(name).first().waitFor();
    await page.screenshot({ path: path.join(shots, 'monitor.png') });
    await page.close();
  });
});
