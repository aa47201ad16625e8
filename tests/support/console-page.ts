/**
 * The seat console in headless Chromium, as the end-to-end tests drive it: a browser profile,
 * signing in, the softphone panel and its test hook for RTP counters.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** A browser profile at 1280×720, zh-CN: its tabs share cookies, localStorage and Web Locks. */
export function profile(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
}

/** Fills the login page (the page is on it) and presses 登录. */
export async function fillLogin(page: Page, username: string, password = 'demo12348'): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Signs a seat lawyer in through the login page; resolves on the workbench. */
export async function signInSeat(ctx: BrowserContext, url: string, username: string, password = 'demo12348'): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(url);
  await fillLogin(page, username, password);
  await page.getByText('坐席工作台').first().waitFor();
  return page;
}

/** Signs a supervisor in on a wall display (1920×1080); resolves once the live queue has data. */
export async function signInWall(browser: Browser, url: string, username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  await page.goto(url);
  await fillLogin(page, username);
  await page.getByText(/数据更新于/).waitFor();
  return page;
}

export const softphone = (page: Page): Locator => page.locator('section[aria-label="软电话"]');

/** The softphone's registration state as the page shows it (data-registration). */
export const registration = (page: Page) => softphone(page).locator('[data-registration]').getAttribute('data-registration');

/** Audio packets the page's live calls received (the adapter's window.__phoneStats test hook). */
export const inboundPackets = (page: Page): Promise<number> =>
  page.evaluate(async () => {
    const stats = await (window as unknown as { __phoneStats: () => Promise<{ inboundPackets: number }[]> }).__phoneStats();
    return stats.reduce((n, s) => n + s.inboundPackets, 0);
  });
