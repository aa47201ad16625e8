/**
 * The recorded-call notice on the real stack (Kamailio, rtpengine, router; a SIPp caller sending
 * sip-tester's G.711 pcap from the answer; a browser seat: JsSIP in headless Chromium): while the
 * notice plays to the caller the seat receives none of the caller's audio. (That pcap's first
 * stream lasts about 1.5 s, so only the start of the notice is measured here; that the parties
 * hear each other once it has played is tests/telephony/recording-notice.test.ts.) Without the
 * block the seat gets ~20 of the caller's packets in its first half second.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { pageEvents, startJssipPageServer, startPhone, type JssipPageServer } from '../support/jssip-page.js';
import { sleep } from '../support/processes.js';
import { connect, emit, login } from '../support/server.js';
import { sipCredentials, sippCounts, startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
let browser: Browser;
let pages: JssipPageServer;

beforeAll(async () => {
  [stack, pages, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
      env: { RECORDING_NOTICE_FILE: path.resolve('sip-config/prompts/recording-notice-zh-CN.wav') },
    }),
    startJssipPageServer(),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  pages?.close();
  await stack?.stop();
});

describe('the recorded-call notice on the real stack', () => {
  it("the seat receives none of the caller's audio while the notice plays", async () => {
    const cookie = await login(stack.routerUrl, 'seat03');
    const socket = await connect(stack.routerUrl, cookie);
    const page = await browser.newPage();
    try {
      await startPhone(page, pages.url, await sipCredentials(stack.routerUrl, cookie));
      await waitFor(() => stack.seatState('s03').registered, 's03 registered');
      expect((await emit(socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
      const call = stack.startCall({ dialed: '123483', caller: '13800000041', talkMs: 4000, timeoutMs: 60_000 });
      await waitFor(async () => (await pageEvents(page)).includes('0:confirmed'), 'the seat answered');
      // Packets received per source (SSRC) in the first 1.2 s after the answer.
      const bySsrc = new Map<string, number>();
      const until = Date.now() + 1200;
      while (Date.now() < until) {
        const stats = await page.evaluate(async () => {
          const w = window as unknown as { sessions: { connection?: RTCPeerConnection }[] };
          const out: [string, number][] = [];
          (await w.sessions[0]!.connection!.getStats()).forEach(
            (r: { type: string; kind?: string; ssrc?: number; packetsReceived?: number }) => {
              if (r.type === 'inbound-rtp' && r.kind === 'audio') out.push([String(r.ssrc), r.packetsReceived ?? 0]);
            },
          );
          return out;
        });
        for (const [ssrc, n] of stats) bySsrc.set(ssrc, Math.max(n, bySsrc.get(ssrc) ?? 0));
        await sleep(100);
      }
      // At most a packet or two before the router's block reaches rtpengine.
      expect(Math.max(0, ...bySsrc.values()), JSON.stringify([...bySsrc])).toBeLessThanOrEqual(5);
      const r = await call.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    } finally {
      socket.disconnect();
      await page.close();
    }
  }, 120_000);
});
