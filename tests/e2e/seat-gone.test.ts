/**
 * 坐席掉线 with a real browser seat: the built console in headless Chromium (JsSIP over Kamailio's
 * WebSocket) answers a SIPp caller, then the page's renderer crashes (CDP Page.crash: no pagehide,
 * so no BYE from JsSIP; its Socket.IO and SIP WebSockets simply drop). After the disconnect grace
 * (short here) the router ends the call: the caller gets a BYE, the call record says 坐席掉线, the
 * seat is offline and a 坐席掉线回电 task is on the 回访 worklist.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitTaskView } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat } from '../support/console-page.js';
import { login } from '../support/server.js';
import { sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const GRACE_S = 2;

let stack: SipStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [stack, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }),
      env: { CLIENT_DIST: DIST, SEAT_DISCONNECT_GRACE_S: String(GRACE_S) },
    }),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a browser seat that crashes mid-call', () => {
  it('the caller gets a BYE after the grace, 坐席掉线 on record, the seat offline, a call-back task', async () => {
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat02');
      await expect.poll(() => registration(page), POLL).toBe('registered');
      await page.getByRole('button', { name: '就绪', exact: true }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('ready');

      const caller = stack.startCall({ caller: '13912346666', scenario: 'caller-seat-hangup.xml', timeoutMs: 90_000 });
      const pop = page.getByRole('region', { name: '来电弹屏' });
      await pop.waitFor({ timeout: 30_000 });
      const callId = (stack.seatState('s02') as { callId?: string }).callId!;
      await pop.getByRole('button', { name: /接听/ }).click();
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('talking');

      // The renderer dies: nothing is said to the router or to Kamailio.
      const cdp = await ctx.newCDPSession(page);
      const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
      void cdp.send('Page.crash').catch(() => undefined); // answered by nobody: the page is gone
      await crashed;

      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => stack.seatState('s02').kind, POLL).toBe('offline');
      expect(stack.events(callId).find((e) => e.type === 'hung-up')?.data.by).toBe('seat-lost');

      const sup = await login(stack.routerUrl, 'supervisor');
      const res = await fetch(`${stack.routerUrl}/api/visits?status=open`, { headers: { cookie: sup } });
      const tasks = ((await res.json()) as { data: VisitTaskView[] }).data;
      expect(tasks.filter((t) => t.callId === callId)).toEqual([expect.objectContaining({ source: 'seat-lost', seatId: 's02' })]);
    } finally {
      await ctx.close().catch(() => undefined);
    }
  }, 120_000);
});
