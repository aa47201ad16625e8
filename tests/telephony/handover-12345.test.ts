/**
 * 转12345 through the real Kamailio and rtpengine: a browser seat (JsSIP in headless Chromium)
 * REFERs its caller to the 12345 number; the citizen's trunk (SIPp, tests/sim-12345/
 * trunk-refer-12345.xml) accepts and dials the 12345 line (SIPp, the simulator's SIP side) with
 * the work order header; the 12345 simulator's HTTP API receives the work order exactly once
 * through the router's outbox. 12345 busy, not answering, or a trunk refusing the REFER keep the
 * caller with the seat (audio still flowing), and the work order still goes, marked not connected.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook, startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { launchChromium } from '../support/browser.js';
import { browserSeat, inboundPackets, startJssipPageServer, type JssipPageServer } from '../support/jssip-page.js';
import { freeMediaPort, sippCounts, startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';
import { emit, login } from '../support/server.js';

const SIM_DIR = path.resolve(import.meta.dirname, '../sim-12345');
const KEY = { id: 'k1', secret: 'telephony-test-shared-secret' };
let stack: SipStack;
let browser: Browser;
let pages: JssipPageServer;
let sim: Sim12345;

beforeAll(async () => {
  sim = await startSim12345({ keys: [KEY] });
  const keyDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'hotline-12345-keys-'));
  const keyFile = path.join(keyDir, '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  [stack, pages, browser] = await Promise.all([
    startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
      env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '100', H12345_RETRY_MAX_MS: '500' },
    }),
    startJssipPageServer(),
    launchChromium(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  pages?.close();
  await stack?.stop();
  await sim?.stop();
});

/** REFERs the page's first call; resolves to "accepted" or "failed:<code or notify>". */
function refer(page: Page, uri: string): Promise<string> {
  return page.evaluate(
    (target) =>
      new Promise<string>((resolve) => {
        const s = (window as unknown as { sessions: import('jssip/lib/RTCSession').RTCSession[] }).sessions[0]!;
        s.refer(target, {
          eventHandlers: {
            requestFailed: (e: { response?: { status_code: number } }) => resolve(`failed:${e.response?.status_code ?? 'no response'}`),
            accepted: () => resolve('accepted'),
            failed: (e: { status_line?: { status_code: number } }) => resolve(`failed:notify ${e.status_line?.status_code ?? ''}`.trim()),
          },
        });
      }),
    uri,
  );
}

const hangUp = (page: Page) => page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[0]!.terminate());

/** The 12345 line: a SIPp UAS at SIP_12345_URI running one of the simulator's scenarios. */
async function line12345(scenario: string, keys: Record<string, string> = {}) {
  const [host, port] = stack.config.SIP_12345_URI.replace(/^sip:[^@]+@/, '').split(':') as [string, string];
  const wofile = path.join(stack.dir, `wo-${Date.now()}.txt`);
  const args = ['-sf', path.join(SIM_DIR, scenario), '-i', host, '-p', port, '-mi', host, '-mp', String(await freeMediaPort(host))];
  for (const [k, v] of Object.entries({ wofile, ...keys })) args.push('-key', k, v);
  const done = stack.sipp([...args, '-m', '1'], { timeoutMs: 60_000 });
  return { done, host, port, workOrders: () => (fs.existsSync(wofile) ? fs.readFileSync(wofile, 'utf8').trim().split('\n') : []) };
}

/** The citizen's call from the trunk, answered by seat s03. */
async function callAtS03(line: { host: string; port: string }, scenario = '../sim-12345/trunk-refer-12345.xml') {
  const [kamhost, kamport] = stack.env.SIP_TRUNK_ADDR!.split(':') as [string, string];
  const caller = stack.startCall({
    dialed: '123483',
    caller: '13912345678',
    scenario,
    keys: { h12345: line.host, p12345: line.port, kamhost, kamport },
    timeoutMs: 90_000,
  });
  const call = await waitFor(
    () =>
      stack
        .calls()
        .find((c) => c.state_kind === 'talking' && stack.events(c.id).some((e) => e.type === 'answered' && e.data.seatId === 's03')),
    'a call talking at s03',
    20_000,
  );
  return { caller, call };
}

const ordersFor = (handoverId: string) => sim.accepted.filter((m) => m.body.workOrderId === handoverId);

describe('转12345 through Kamailio (REFER to the 12345 number)', () => {
  it('a blind transfer reaches the 12345 line with the work order header, and 12345 receives the work order exactly once', async () => {
    const a = await browserSeat({ stack, browser, pages }, 'seat03', 's03');
    const line = await line12345('line-answer.xml');
    try {
      const { caller, call } = await callAtS03(line);
      await waitFor(async () => (await inboundPackets(a.page)) > 10, 'audio at the seat');
      const ack = await emit(a.socket, 'call:transfer', {
        callId: call.id,
        target: { kind: '12345' },
        mode: 'blind',
        note: '户籍办理,属政务服务',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.data.referTo).toBe(`${stack.config.SIP_12345_URI}?X-12348-Workorder=${ack.data.handoverId}`);

      expect(await refer(a.page, ack.data.referTo)).toBe('accepted');
      expect((await emit(a.socket, 'transfer:report', { transferId: ack.data.id, outcome: 'completed', detail: '' })).ok).toBe(true);
      await hangUp(a.page);
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      const l = await line.done;
      expect(sippCounts(l), l.errors).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => line.workOrders(), { timeout: 10_000 }).toEqual([ack.data.handoverId]); // SIPp's <exec> may land late

      await waitFor(() => ordersFor(ack.data.handoverId!).length === 2, 'work order and transfer result at 12345');
      const [order, result] = ordersFor(ack.data.handoverId!);
      expect(order).toMatchObject({
        path: '/work-orders',
        body: { callId: call.id, caller: { number: '13912345678' }, reason: '户籍办理,属政务服务' },
      });
      expect(result).toMatchObject({ path: `/work-orders/${ack.data.handoverId}/transfer-result`, body: { connected: true } });
      expect(sim.log.filter((x) => x.key === `${ack.data.handoverId}:order`)).toHaveLength(1);
    } finally {
      await a.close();
    }
  }, 120_000);

  it.each([
    ['busy', 'line-busy.xml', 'failed:notify 486', '486 Busy Here'],
    ['rejecting the call', 'line-reject.xml', 'failed:notify 603', '603 Decline'],
    ['not answering', 'line-noanswer.xml', 'failed:notify 480', '480 Temporarily Unavailable'],
  ])(
    'when 12345 is %s, the caller stays with the seat with audio, and the work order goes marked not connected',
    async (_what, scenario, referResult, detail) => {
      const a = await browserSeat({ stack, browser, pages }, 'seat03', 's03');
      const line = await line12345(scenario);
      try {
        const { caller, call } = await callAtS03(line);
        const ack = await emit(a.socket, 'call:transfer', { callId: call.id, target: { kind: '12345' }, mode: 'blind' });
        if (!ack.ok) throw new Error(ack.error.message);
        expect(await refer(a.page, ack.data.referTo)).toBe(referResult);
        await emit(a.socket, 'transfer:report', { transferId: ack.data.id, outcome: 'refused', detail });

        expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');
        const before = await inboundPackets(a.page);
        await waitFor(async () => (await inboundPackets(a.page)) > before + 20, 'audio still arriving after the failed transfer');
        await waitFor(() => ordersFor(ack.data.handoverId!).length === 2, 'work order and result at 12345');
        expect(ordersFor(ack.data.handoverId!)[1]!.body).toMatchObject({ connected: false, reason: detail });
        await expect.poll(() => line.workOrders(), { timeout: 10_000 }).toEqual([ack.data.handoverId]); // SIPp's <exec> may land late

        await hangUp(a.page);
        const r = await caller.done;
        expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
        const l = await line.done;
        expect(sippCounts(l), l.errors).toEqual({ ok: 1, failed: 0 });
      } finally {
        await a.close();
      }
    },
    120_000,
  );

  it('when the trunk refuses the REFER, the caller stays with the seat and the work order goes marked not connected', async () => {
    const a = await browserSeat({ stack, browser, pages }, 'seat03', 's03');
    try {
      const { caller, call } = await callAtS03({ host: '127.0.0.1', port: '9' }, 'caller-refer-refused.xml');
      const ack = await emit(a.socket, 'call:transfer', { callId: call.id, target: { kind: '12345' }, mode: 'blind' });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(await refer(a.page, ack.data.referTo)).toBe('failed:501');
      await emit(a.socket, 'transfer:report', { transferId: ack.data.id, outcome: 'refused', detail: '501 Not Implemented' });
      await waitFor(() => ordersFor(ack.data.handoverId!).length === 2, 'work order and result at 12345');
      expect(ordersFor(ack.data.handoverId!)[1]!.body).toMatchObject({ connected: false, reason: '501 Not Implemented' });
      const before = await inboundPackets(a.page);
      await waitFor(async () => (await inboundPackets(a.page)) > before + 20, 'audio still arriving');
      await hangUp(a.page);
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    } finally {
      await a.close();
    }
  }, 90_000);
});

describe('from 12345 (X-12345-Ticket)', () => {
  it('a call carrying a ticket 12345 sent by webhook is routed by the mapped specialty, and the filed summary goes back as the ticket result', async () => {
    const admin = await login(stack.routerUrl, 'admin');
    const put = await fetch(`${stack.routerUrl}/api/handover/category-map`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ entries: [{ category: '劳动保障', categoryId: 'labor' }] }),
    });
    expect(put.status).toBe(200);
    const hook = await sendWebhook(
      `${stack.routerUrl}/api/12345/webhook`,
      {
        deliveryId: 'tel-1',
        event: 'ticket.transferred',
        ticket: { id: 'GD-TEL-1', category: '劳动保障', title: '欠薪', content: '工地拖欠工资两个月', citizenPhone: null },
      },
      KEY,
    );
    expect(hook.status).toBe(200);

    const s02 = await stack.seat('s02', { behaviour: 'answer' });
    try {
      // 12348 without IVR digits would be 综合咨询: the ticket's category makes it 劳动.
      const r = await stack.call({ dialed: '12348', caller: '13700002222', ticket: 'GD-TEL-1', talkMs: 500 });
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      const call = stack.calls().find((c) => c.caller === '13700002222')!;
      expect(call.category_id).toBe('labor');
      expect(stack.events(call.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s02');

      const filed = await fetch(`${stack.routerUrl}/api/calls/${call.id}/summary`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: s02.cookie },
        body: JSON.stringify({
          categoryId: 'labor',
          topic: '欠薪',
          question: '拖欠工资',
          answer: '可申请劳动仲裁',
          disposition: 'answered',
        }),
      });
      expect(filed.status).toBe(201);
      await waitFor(() => sim.accepted.find((m) => m.path === '/tickets/GD-TEL-1/result'), 'the ticket result at 12345');
      expect(sim.accepted.find((m) => m.path === '/tickets/GD-TEL-1/result')!.body).toMatchObject({ result: 'closed', callId: call.id });
    } finally {
      await s02.stop();
    }
  }, 90_000);
});
