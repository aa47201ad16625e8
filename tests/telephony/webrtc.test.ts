/**
 * The WebRTC seat leg: headless Chromium running JsSIP registers over Kamailio's
 * WebSocket with credentials from the API and answers a SIPp trunk call; rtpengine
 * bridges DTLS-SRTP/ICE at the browser to plain RTP at the trunk. Audio is proven
 * from both ends: the browser's inbound-rtp counter and rtpengine's per-leg counters.
 * (The seat console itself, with its softphone, is a later issue; this page is the
 * smallest JsSIP client that can take a call.)
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inboundPackets,
  pageEvents,
  startBrowserSipBench,
  startPhone,
  type BrowserSipBench,
  type JssipPageServer,
} from '../support/jssip-page.js';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { connect, emit, login } from '../support/server.js';
import { sipCredentials, sippCounts, waitFor, type SipStack } from '../support/sip-stack.js';

let bench: BrowserSipBench;
let stack: SipStack;
let browser: Browser;
let pages: JssipPageServer;

beforeAll(async () => {
  bench = await startBrowserSipBench();
  ({ stack, browser, pages } = bench);
}, 90_000);

afterAll(async () => {
  await bench?.stop();
});

describe('a browser seat (JsSIP over WebSocket, DTLS-SRTP)', () => {
  it('registers with issued credentials, answers a trunk call, and audio flows both ways through rtpengine', async () => {
    const cookie = await login(stack.routerUrl, 'seat03');
    const console_ = await connect(stack.routerUrl, cookie);
    const page = await browser.newPage();
    try {
      await startPhone(page, pages.url, await sipCredentials(stack.routerUrl, cookie));
      await waitFor(() => stack.seatState('s03').registered, 'the router sees the registration');
      expect((await emit(console_, 'seat:set-status', { status: 'ready' })).ok).toBe(true);

      const caller = stack.startCall({ dialed: '123483', talkMs: 5000 });
      const call = await waitFor(() => stack.calls().find((c) => c.state_kind === 'talking'), 'answered by the browser', 20_000);
      expect(stack.events(call.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s03');
      await waitFor(async () => (await inboundPackets(page)) > 20, 'audio from the caller in the browser', 10_000);
      const legs = await waitFor(
        async () => {
          const p = await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, call.id);
          const counts = Object.values(p);
          return counts.length === 2 && counts.every((n) => n > 20) ? p : null;
        },
        'rtpengine counting packets from the trunk and from the browser',
        10_000,
      );
      expect(Object.keys(legs)).toHaveLength(2);

      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await waitFor(async () => (await pageEvents(page)).includes('0:ended'), 'the browser saw the hang-up');
      expect(await pageEvents(page)).toEqual(['0:confirmed', '0:ended']);
    } finally {
      console_.disconnect();
      await page.close();
    }
  }, 60_000);
});
