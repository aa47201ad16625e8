/**
 * A seat lawyer's console (with its JsSIP softphone) and a supervisor's 班长监控 page in headless
 * Chromium, left open through the kills soak: after each kill they must come back by themselves
 * (no banner saying the live connection is down, the softphone registered again), with nobody
 * touching them.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser.js';
import { profile, registration, signInSeat } from '../../tests/support/console-page.js';

export interface PageState {
  /** The seat console: no disconnected banner and the softphone registered. */
  seat: boolean;
  /** The supervisor page: no disconnected banner. */
  supervisor: boolean;
  detail: string;
}

export class SoakPages {
  private constructor(
    private readonly browser: Browser,
    private readonly seat: Page,
    private readonly supervisor: Page,
  ) {}

  static async open(url: string, seatUser: string): Promise<SoakPages> {
    const browser = await launchChromium();
    try {
      const seat = await signInSeat(await profile(browser), url, seatUser);
      const supervisor = await (await profile(browser)).newPage();
      await supervisor.goto(url);
      await supervisor.getByLabel('用户名').fill('supervisor');
      await supervisor.getByLabel('密码').fill('demo12348');
      await supervisor.getByRole('button', { name: '登录' }).click();
      await supervisor
        .getByText(/数据更新于/)
        .first()
        .waitFor({ timeout: 30_000 });
      return new SoakPages(browser, seat, supervisor);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  private static async banner(page: Page): Promise<string | null> {
    const b = page.locator('.banner[role="status"]');
    return (await b.count()) > 0 ? ((await b.first().textContent()) ?? '') : null;
  }

  async state(): Promise<PageState> {
    const [seatBanner, reg, supBanner] = await Promise.all([
      SoakPages.banner(this.seat),
      registration(this.seat).catch(() => null),
      SoakPages.banner(this.supervisor),
    ]);
    return {
      seat: seatBanner === null && reg === 'registered',
      supervisor: supBanner === null,
      detail: `seat page: ${seatBanner ?? 'no banner'}, softphone ${reg ?? '?'}; supervisor page: ${supBanner ?? 'no banner'}`,
    };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
