/**
 * Issue 11 item 7 in a real browser: the built client runs under the router's security headers
 * (a strict CSP: no inline script or style, connections only to the router and Kamailio's
 * WebSocket). A seat signs in, the workbench renders and the softphone registers over JsSIP; a
 * supervisor's monitor renders; not one CSP violation is reported. Another site cannot frame it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { inboundPackets, profile, registration, signInSeat, softphone } from '../support/console-page.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
      env: { CLIENT_DIST: DIST },
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Every CSP violation the page reports (the DOM event) and every console line that names the CSP. */
async function watched(ctx: BrowserContext): Promise<{ violations: string[] }> {
  const violations: string[] = [];
  await ctx.exposeFunction('__cspViolation', (v: string) => void violations.push(v));
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  ctx.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  return { violations };
}

describe('the console under its CSP', () => {
  it('when a seat signs in and its softphone registers, the browser should report no CSP violation', async () => {
    const ctx = await profile(browser);
    const { violations } = await watched(ctx);
    const res = await (await ctx.newPage()).goto(stack.routerUrl);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${stack.env.SIP_WS_ADDR ? `ws://${stack.env.SIP_WS_ADDR}` : ''}`);
    const page: Page = await signInSeat(ctx, stack.routerUrl, 'seat03');
    await expect.poll(() => registration(page), POLL).toBe('registered');
    await expect.poll(() => stack.seatState('s03').registered, POLL).toBe(true);
    await page.getByRole('button', { name: '就绪', exact: true }).click();
    await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    // a call: ringing (WebAudio tone), answered with audio (WebRTC through rtpengine), hung up
    const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', caller: '13800000399', timeoutMs: 60_000 });
    await softphone(page).getByText('来电振铃').waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: '来电弹屏' }).getByRole('button', { name: /接听/ }).click();
    await softphone(page).getByText('通话中').waitFor({ timeout: 20_000 });
    await expect.poll(() => inboundPackets(page), POLL).toBeGreaterThan(20);
    await softphone(page).getByRole('button', { name: '挂断' }).click();
    expect(sippCounts(await caller.done)).toEqual({ ok: 1, failed: 0 });
    await page.getByText('知识库').first().click();
    await page.waitForTimeout(300);
    expect(violations, violations.join('\n')).toEqual([]);
    await ctx.close();
  });

  it('when a supervisor signs in, the live monitor should render with no CSP violation', async () => {
    const ctx = await profile(browser);
    const { violations } = await watched(ctx);
    const page = await ctx.newPage();
    await page.goto(stack.routerUrl);
    await page.getByLabel('用户名').fill('supervisor');
    await page.getByLabel('密码').fill('demo12348');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('班长监控').first().waitFor();
    await expect.poll(() => page.getByText('王建国').count(), POLL).toBeGreaterThan(0);
    expect(violations, violations.join('\n')).toEqual([]);
    await ctx.close();
  });

  it('when another site frames the console, the browser should refuse to show it', async () => {
    const ctx = await profile(browser);
    const page = await ctx.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => void blocked.push(m.text()));
    await page.setContent(`<iframe id="f" src="${stack.routerUrl}/" width="800" height="600"></iframe>`);
    await expect.poll(() => blocked.some((t) => /frame-ancestors|Refused to display/i.test(t)), POLL).toBe(true);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(
      await frame
        ?.locator('text=用户名')
        .count()
        .catch(() => 0),
    ).toBe(0);
    await ctx.close();
  });
});
