/**
 * 咨询12345 (consult a 12345 agent, then transfer) in the seat console, end to end: the built
 * console in headless Chromium as the seat, the real Kamailio and rtpengine, SIPp as the
 * citizen's trunk and as the 12345 line, and the 12345 simulator's HTTP API (tests/sim-12345).
 * The seat's phone holds the caller and calls 12345 through Kamailio's outbound route (a
 * one-time token; the consultation carries the work order id); 完成转接 ends the consultation
 * and REFERs the caller to 12345 with the same work order, which 12345 receives once, marked
 * consulted. Cancelling, a busy or silent 12345, or a trunk refusing the REFER takes the seat back to the
 * caller, audio flowing — also when the browser applies the trunk's answer to the hold late (a
 * busy computer), after the REFER was already refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { launchChromium } from '../support/browser.js';
import { inboundPackets, profile, registration, signInSeat, softphone } from '../support/console-page.js';
import type { RecordingView } from '../../server/src/contract/recordings.js';
import { login } from '../support/server.js';
import { freeMediaPort, sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const SIM_DIR = path.resolve(import.meta.dirname, '../sim-12345');
const KEY = { id: 'k1', secret: 'consult-e2e-shared-secret' };

let stack: SipStack;
let browser: Browser;
let sim: Sim12345;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  sim = await startSim12345({ keys: [KEY] });
  const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-12345-')), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  [stack, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, requireSummary: false } }),
      // OUTBOUND_RING_S: how long a consultation rings at 12345 before it counts as no answer.
      env: { CLIENT_DIST: DIST, H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '200', OUTBOUND_RING_S: '5' },
    }),
    launchChromium(),
  ]);
  // The caller's audio after a resume (trunk-held-resumed.xml); SIPp runs in the stack's directory.
  fs.copyFileSync(path.join(SIM_DIR, 'g711a-resumed.pcap'), path.join(stack.dir, 'g711a-resumed.pcap'));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sim?.stop();
});

const pop = (page: Page) => page.getByRole('region', { name: '来电弹屏' });
const consultBox = (page: Page) => page.getByRole('group', { name: '咨询转接' });
const status = (page: Page) => page.getByRole('status', { name: '转12345状态' });

async function readyInConsole(page: Page, seatId: string): Promise<void> {
  await expect.poll(() => registration(page), POLL).toBe('registered');
  if (stack.seatState(seatId).kind !== 'ready') await page.getByRole('button', { name: '就绪', exact: true }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('ready');
}

async function answerFromPop(page: Page, seatId: string): Promise<string> {
  await pop(page).waitFor({ timeout: 30_000 });
  const callId = (stack.seatState(seatId) as { callId?: string }).callId!;
  await pop(page).getByRole('button', { name: /接听/ }).click();
  await expect.poll(() => stack.seatState(seatId).kind, POLL).toBe('talking');
  return callId;
}

/** The 12345 line (SIPp at SIP_12345_URI); `calls` it answers before it exits; what it saw, per call. */
async function line12345(scenario: string, calls: number) {
  const [host, port] = stack.config.SIP_12345_URI.replace(/^sip:[^@]+@/, '').split(':') as [string, string];
  const wofile = path.join(stack.dir, `wo-${Date.now()}.txt`);
  const args = ['-sf', path.join(SIM_DIR, scenario), '-i', host, '-p', port, '-mi', host, '-mp', String(await freeMediaPort(host))];
  const done = stack.sipp([...args, '-key', 'wofile', wofile, '-m', String(calls)], { timeoutMs: 90_000 });
  const seen = () => (fs.existsSync(wofile) ? fs.readFileSync(wofile, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { done, host, port, seen };
}

function trunkCall(scenario: string, line: { host: string; port: string }, caller: string) {
  const [kamhost, kamport] = stack.env.SIP_TRUNK_ADDR!.split(':') as [string, string];
  return stack.startCall({
    dialed: '123483',
    caller,
    scenario: `../sim-12345/${scenario}`,
    keys: { h12345: line.host, p12345: line.port, kamhost, kamport },
    timeoutMs: 90_000,
  });
}

const messagesOf = (callId: string) => {
  const order = sim.accepted.find((m) => m.path === '/work-orders' && m.body.callId === callId);
  const id = order ? String(order.body.workOrderId) : '-';
  return {
    orders: sim.accepted.filter((m) => m.path === '/work-orders' && m.body.callId === callId),
    result: () => sim.accepted.filter((m) => m.path === `/work-orders/${id}/transfer-result`),
  };
};

/** The seat is back with the caller: not on hold, and the caller's audio arrives again. */
async function backWithCaller(page: Page, seatId: string) {
  await softphone(page).getByRole('button', { name: '保持', exact: true }).waitFor({ timeout: 30_000 });
  expect(stack.seatState(seatId).kind).toBe('talking');
  const before = await inboundPackets(page);
  await expect.poll(() => inboundPackets(page), POLL).toBeGreaterThan(before + 20);
}

/**
 * A slow browser: the trunk's answer to the hold re-INVITE (recvonly) is applied only when the
 * test calls the returned release(), so the phone learns that the caller is held when the test says.
 */
async function holdAnswerHeldBack(ctx: BrowserContext) {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __holdAnswer?: { waiting: boolean; release: () => void } };
    const gate = { waiting: false, release: () => {} };
    const released = new Promise<void>((resolve) => (gate.release = resolve));
    w.__holdAnswer = gate;
    type Apply = (this: RTCPeerConnection, d: RTCSessionDescriptionInit) => Promise<void>;
    const proto = RTCPeerConnection.prototype as unknown as { setRemoteDescription: Apply };
    const apply = proto.setRemoteDescription;
    proto.setRemoteDescription = function (d) {
      if (d.type !== 'answer' || !/a=recvonly/.test(d.sdp ?? '')) return apply.call(this, d);
      gate.waiting = true;
      return released.then(() => apply.call(this, d));
    };
  });
  const gate = (page: Page) => page.evaluate(() => (window as unknown as { __holdAnswer: { waiting: boolean } }).__holdAnswer.waiting);
  const release = (page: Page) =>
    page.evaluate(() => (window as unknown as { __holdAnswer: { release: () => void } }).__holdAnswer.release());
  return { waiting: gate, release };
}

describe('咨询12345 in the seat console', () => {
  it('when the seat consults a 12345 agent and then completes, the caller reaches 12345 and 12345 receives the work order once, marked consulted', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-consult.xml', 2);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-refer-12345.xml', line, '13655550011');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      await consultBox(page).getByText('正在与 12345 坐席 咨询,来电人保持中。').waitFor({ timeout: 30_000 });
      // SIPp writes what it saw through a shell it does not wait for: under load it can land late.
      await expect.poll(() => line.seen().length, POLL).toBe(1);
      const [consultation] = line.seen();
      const workOrderId = consultation!.split(' ')[0]!;
      expect(workOrderId).toMatch(/^ho-[a-f0-9]{32}$/);
      expect(consultation).toBe(`${workOrderId} 12348`); // the consultation comes from the hotline's number

      await consultBox(page).getByRole('button', { name: '完成转接' }).click();
      await page.getByText('已转出,请填写本次通话小结').waitFor({ timeout: 30_000 });
      await expect.poll(async () => (await status(page).textContent()) ?? '', POLL).toContain('转接:已接通12345;工单:12345 已接收');

      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      expect(sippCounts(await line.done)).toEqual({ ok: 2, failed: 0 });
      // The caller came to 12345 with the work order the consultation named.
      await expect.poll(() => line.seen(), POLL).toEqual([`${workOrderId} 12348`, `${workOrderId} 13655550011`]);
      const m = messagesOf(callId);
      expect(m.orders).toHaveLength(1);
      expect(m.orders[0]!.body).toMatchObject({ workOrderId, transferMode: 'consult', seat: { id: 's03' } });
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.result()[0]!.body).toMatchObject({ connected: true, consulted: true });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when the seat cancels the consultation, it is back with the caller (audio flowing) and the work order says not connected', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-consult.xml', 1);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-held-resumed.xml', line, '13655550012');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      await consultBox(page).getByText('正在与 12345 坐席 咨询,来电人保持中。').waitFor({ timeout: 30_000 });
      await consultBox(page).getByRole('button', { name: '取消,回到来电人' }).click();

      await backWithCaller(page, 's03');
      expect(sippCounts(await line.done)).toEqual({ ok: 1, failed: 0 }); // the consultation ended
      const m = messagesOf(callId);
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.orders).toHaveLength(1);
      expect(m.result()[0]!.body).toMatchObject({
        connected: false,
        consulted: true,
        reason: '坐席咨询12345后取消转接,来电人仍由12348接待',
      });

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
      // The consultation with 12345 is recorded with the call and marked on its timeline.
      const sup = await login(stack.routerUrl, 'supervisor');
      const recording = async () => {
        const res = await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/recording`, { headers: { cookie: sup } });
        return ((await res.json()) as { data: RecordingView }).data;
      };
      await expect.poll(async () => (await recording()).reason, POLL).not.toBe('in-progress');
      const view = await recording();
      expect(view, JSON.stringify(view)).toMatchObject({ available: true, sha256Ok: true });
      expect(view.consultations).toEqual([expect.objectContaining({ seatId: 's03', to: '12345' })]);
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when 12345 is busy during the consultation, the seat is back with the caller, reads why, and the work order says not connected', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-busy.xml', 1);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-held-resumed.xml', line, '13655550013');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      const alert = page.getByRole('alert').filter({ hasText: '咨询呼叫未接通(486' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toContain('来电人仍在线,已恢复通话');
      await backWithCaller(page, 's03');
      await expect(softphone(page).getByRole('button', { name: '重试转12345' }).isVisible()).resolves.toBe(true);

      await line.done;
      const m = messagesOf(callId);
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.orders).toHaveLength(1);
      expect(m.result()[0]!.body).toMatchObject({ connected: false, consulted: true });
      expect(String(m.result()[0]!.body.reason)).toContain('486');

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when 12345 does not answer the consultation, the seat is back with the caller and reads why', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-noanswer.xml', 1);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-held-resumed.xml', line, '13655550015');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      await consultBox(page).getByText('正在呼叫 12345 坐席…').waitFor({ timeout: 30_000 });
      const alert = page.getByRole('alert').filter({ hasText: '咨询呼叫未接通(408' });
      await alert.waitFor({ timeout: 30_000 });
      await backWithCaller(page, 's03');
      expect(sippCounts(await line.done)).toEqual({ ok: 1, failed: 0 }); // Kamailio cancelled the ringing consultation
      const m = messagesOf(callId);
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.result()[0]!.body).toMatchObject({ connected: false, consulted: true });
      expect(String(m.result()[0]!.body.reason)).toContain('408');

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when the trunk refuses the REFER after the consultation, the caller stays with the seat (audio flowing) and the work order says not connected', async () => {
    const ctx = await profile(browser);
    const line = await line12345('line-consult.xml', 1);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-held-resumed.xml', line, '13655550014');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      await consultBox(page).getByText('正在与 12345 坐席 咨询,来电人保持中。').waitFor({ timeout: 30_000 });
      await consultBox(page).getByRole('button', { name: '完成转接' }).click();

      await page.getByRole('alert').filter({ hasText: '转接未成功(501' }).waitFor({ timeout: 30_000 });
      await backWithCaller(page, 's03');
      expect(sippCounts(await line.done)).toEqual({ ok: 1, failed: 0 }); // only the consultation reached 12345
      const m = messagesOf(callId);
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.orders).toHaveLength(1);
      expect(m.result()[0]!.body).toMatchObject({ connected: false, consulted: true });

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 150_000);

  it('when the trunk refuses the REFER before the browser has applied the answer to the hold, the caller still comes back to the seat (audio flowing)', async () => {
    const ctx = await profile(browser);
    const slow = await holdAnswerHeldBack(ctx);
    const line = await line12345('line-consult.xml', 1);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat03');
      await readyInConsole(page, 's03');
      const caller = trunkCall('trunk-held-resumed.xml', line, '13655550016');
      const callId = await answerFromPop(page, 's03');

      await softphone(page).getByRole('button', { name: '先咨询12345' }).click();
      await consultBox(page).getByText('正在与 12345 坐席 咨询,来电人保持中。').waitFor({ timeout: 30_000 });
      await consultBox(page).getByRole('button', { name: '完成转接' }).click();
      await page.getByRole('alert').filter({ hasText: '转接未成功(501' }).waitFor({ timeout: 30_000 });
      // The refusal came while the hold was still being set up in the browser.
      expect(await slow.waiting(page)).toBe(true);
      expect(await softphone(page).getByRole('button', { name: '处理中…' }).isVisible()).toBe(true);

      await slow.release(page);
      await backWithCaller(page, 's03');
      expect(sippCounts(await line.done)).toEqual({ ok: 1, failed: 0 });
      const m = messagesOf(callId);
      await expect.poll(() => m.result().length, POLL).toBe(1);
      expect(m.result()[0]!.body).toMatchObject({ connected: false, consulted: true });

      await softphone(page).getByRole('button', { name: '挂断' }).click();
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await page.getByRole('button', { name: '完成整理' }).click();
      await expect.poll(() => stack.seatState('s03').kind, POLL).toBe('ready');
    } finally {
      await ctx.close();
    }
  }, 150_000);
});
