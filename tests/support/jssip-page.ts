/**
 * The smallest JsSIP client that can take calls in headless Chromium, for the telephony tests
 * (the seat console's own softphone is proven by tests/e2e). Each page registers one seat
 * over Kamailio's WebSocket and answers every incoming call with the fake microphone.
 */
import { build } from 'esbuild';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { SipCredentials } from '../../server/src/contract/index.js';
import { expect } from 'vitest';
import { launchChromium } from './browser.js';
import { connect, emit, login, type ClientSocket } from './server.js';
import { sipCredentials, startSipStack, waitFor, type SipStack } from './sip-stack.js';

export interface JssipPageServer {
  url: string;
  close(): void;
}

/** Serves an empty page with JsSIP bundled (http://127.0.0.1 is a secure context: getUserMedia and ws:// work). */
export async function startJssipPageServer(): Promise<JssipPageServer> {
  const bundle = await build({
    stdin: { contents: "export * from 'jssip';", resolveDir: process.cwd() },
    bundle: true,
    format: 'iife',
    globalName: 'JsSIP',
    platform: 'browser',
    write: false,
  });
  const js = bundle.outputFiles[0]!.text;
  const server = http.createServer((req, res) => {
    if (req.url === '/jssip.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>seat phone</title><script src="/jssip.js"></script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/**
 * Registers a JsSIP phone in the page. Every incoming call is answered and kept in
 * `window.sessions` (newest last, `window.session` is the newest); `window.events` records
 * "<n>:confirmed", "<n>:ended", "<n>:failed:<cause>" per session number n (from 0).
 */
export async function startPhone(page: Page, pageUrl: string, creds: SipCredentials): Promise<void> {
  await page.goto(pageUrl);
  await page.evaluate(async (c) => {
    type Session = import('jssip/lib/RTCSession').RTCSession;
    const w = window as unknown as Record<string, unknown> & { JsSIP: typeof import('jssip') };
    const socket = new w.JsSIP.WebSocketInterface(c.wsUrl);
    const ua = new w.JsSIP.UA({
      sockets: [socket],
      uri: c.uri,
      authorization_user: c.username,
      password: c.password,
      register: true,
      session_timers: false,
    });
    const sessions: Session[] = [];
    const events: string[] = [];
    Object.assign(w, { ua, sessions, events });
    ua.on('newRTCSession', (e: { session: Session; originator: string }) => {
      const s = e.session;
      const n = sessions.length;
      sessions.push(s);
      w.session = s;
      s.on('icecandidate', (ev: { ready: () => void }) => ev.ready()); // host candidates are enough towards rtpengine
      s.on('confirmed', () => events.push(`${n}:confirmed`));
      s.on('ended', () => events.push(`${n}:ended`));
      s.on('failed', (ev: { cause: string }) => events.push(`${n}:failed:${ev.cause}`));
      if (e.originator === 'remote') s.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    });
    await new Promise<void>((resolve, reject) => {
      ua.on('registered', () => resolve());
      ua.on('registrationFailed', (e) => reject(new Error(`registration failed: ${String(e.cause)}`)));
      ua.start();
    });
  }, creds);
}

/** Audio packets received so far by session n (default: the newest). */
export function inboundPackets(page: Page, n?: number): Promise<number> {
  return page.evaluate(async (i) => {
    const w = window as unknown as { sessions?: { connection?: RTCPeerConnection }[] };
    const list = w.sessions ?? [];
    const s = list[i ?? list.length - 1];
    if (!s?.connection) return 0;
    let count = 0;
    (await s.connection.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') count += r.packetsReceived ?? 0;
    });
    return count;
  }, n);
}

export function pageEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { events: string[] }).events);
}

/** The telephony tests' browser bench: the SIP stack (wrap-up 1 s, no summary needed), the page server and Chromium. */
export interface BrowserSipBench {
  stack: SipStack;
  pages: JssipPageServer;
  browser: Browser;
  stop(): Promise<void>;
}

/** A browser seat: signed in (console socket), its phone registered in a page of its own, ready. */
export async function browserSeat(
  on: Pick<BrowserSipBench, 'stack' | 'browser' | 'pages'>,
  account: string,
  seatId: string,
): Promise<BrowserSeat> {
  const { stack, browser, pages } = on;
  const cookie = await login(stack.routerUrl, account);
  const socket = await connect(stack.routerUrl, cookie);
  const page = await browser.newPage();
  await startPhone(page, pages.url, await sipCredentials(stack.routerUrl, cookie));
  await waitFor(() => stack.seatState(seatId).registered, `${seatId} registered`);
  expect((await emit(socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
  return {
    page,
    socket,
    close: async () => {
      socket.disconnect();
      await page.close();
    },
  };
}

export interface BrowserSeat {
  page: Page;
  socket: ClientSocket;
  close(): Promise<void>;
}

export async function startBrowserSipBench(): Promise<BrowserSipBench> {
  const [stack, pages, browser] = await Promise.all([
    startSipStack({ routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }) }),
    startJssipPageServer(),
    launchChromium(),
  ]);
  return {
    stack,
    pages,
    browser,
    stop: async () => {
      await browser.close();
      pages.close();
      await stack.stop();
    },
  };
}
