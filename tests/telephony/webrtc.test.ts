/**
 * The WebRTC seat leg: headless Chromium running JsSIP registers over Kamailio's
 * WebSocket with credentials from the API and answers a SIPp trunk call; rtpengine
 * bridges DTLS-SRTP/ICE at the browser to plain RTP at the trunk. Audio is proven
 * from both ends: the browser's inbound-rtp counter and rtpengine's per-leg counters.
 * (The seat console itself, with its softphone, is a later issue; this page is the
 * smallest JsSIP client that can take a call.)
 */
import { build } from 'esbuild';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { connect, emit, login } from '../support/server.js';
import { sipCredentials, sippCounts, startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
let browser: Browser;
let pageServer: http.Server;
let pageUrl: string;

beforeAll(async () => {
  const [s, bundle] = await Promise.all([
    startSipStack({ routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }) }),
    build({ stdin: { contents: "export * from 'jssip';", resolveDir: process.cwd() }, bundle: true, format: 'iife', globalName: 'JsSIP', platform: 'browser', write: false }),
  ]);
  stack = s;
  const js = bundle.outputFiles[0]!.text;
  // http://127.0.0.1 is a secure context, so getUserMedia and plain ws:// are allowed.
  pageServer = http.createServer((req, res) => {
    if (req.url === '/jssip.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>seat phone</title><script src="/jssip.js"></script>');
  });
  await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', () => r()));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  pageServer?.close();
  await stack?.stop();
});

/** Registers a JsSIP phone in the page; it answers the first incoming call with the fake microphone. */
async function startPhone(page: Page, creds: Awaited<ReturnType<typeof sipCredentials>>): Promise<void> {
  await page.goto(pageUrl);
  await page.evaluate(async (c) => {
    const w = window as unknown as Record<string, unknown> & { JsSIP: typeof import('jssip') };
    const socket = new w.JsSIP.WebSocketInterface(c.wsUrl);
    const ua = new w.JsSIP.UA({ sockets: [socket], uri: c.uri, authorization_user: c.username, password: c.password, register: true, session_timers: false });
    w.events = [] as string[];
    ua.on('newRTCSession', (e: { session: import('jssip/lib/RTCSession').RTCSession; originator: string }) => {
      if (e.originator !== 'remote') return;
      const s = e.session;
      w.session = s;
      s.on('icecandidate', (ev: { ready: () => void }) => ev.ready()); // host candidates are enough towards rtpengine
      s.on('confirmed', () => (w.events as string[]).push('confirmed'));
      s.on('ended', () => (w.events as string[]).push('ended'));
      s.on('failed', (ev: { cause: string }) => (w.events as string[]).push(`failed:${ev.cause}`));
      s.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    });
    await new Promise<void>((resolve, reject) => {
      ua.on('registered', () => resolve());
      ua.on('registrationFailed', (e) => reject(new Error(`registration failed: ${String(e.cause)}`)));
      ua.start();
    });
  }, creds);
}

const inboundPackets = (page: Page) =>
  page.evaluate(async () => {
    const s = (window as unknown as { session?: { connection: RTCPeerConnection } }).session;
    if (!s?.connection) return 0;
    let n = 0;
    (await s.connection.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') n += r.packetsReceived ?? 0;
    });
    return n;
  });

describe('a browser seat (JsSIP over WebSocket, DTLS-SRTP)', () => {
  it('registers with issued credentials, answers a trunk call, and audio flows both ways through rtpengine', async () => {
    const cookie = await login(stack.routerUrl, 'seat03');
    const console_ = await connect(stack.routerUrl, cookie);
    const page = await browser.newPage();
    try {
      await startPhone(page, await sipCredentials(stack.routerUrl, cookie));
      await waitFor(() => stack.seatState('s03').registered, 'the router sees the registration');
      expect((await emit(console_, 'seat:set-status', { status: 'ready' })).ok).toBe(true);

      const caller = stack.startCall({ dialed: '123483', talkMs: 5000 });
      const call = await waitFor(() => stack.calls().find((c) => c.state_kind === 'talking'), 'answered by the browser', 20_000);
      expect(stack.events(call.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s03');
      await waitFor(async () => (await inboundPackets(page)) > 20, 'audio from the caller in the browser', 10_000);
      const legs = await waitFor(async () => {
        const p = await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, call.id);
        const counts = Object.values(p);
        return counts.length === 2 && counts.every((n) => n > 20) ? p : null;
      }, 'rtpengine counting packets from the trunk and from the browser', 10_000);
      expect(Object.keys(legs)).toHaveLength(2);

      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await waitFor(async () => (await page.evaluate(() => (window as unknown as { events: string[] }).events)).includes('ended'), 'the browser saw the hang-up');
      expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(['confirmed', 'ended']);
    } finally {
      console_.disconnect();
      await page.close();
    }
  }, 60_000);
});
