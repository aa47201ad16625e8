import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendWebhook, startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { waitFor } from '../support/processes.js';
import { connect, emit, login, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * 12345 hand-overs against a real server and the 12345 simulator's HTTP API: the work order of
 * a 转12345 goes through the outbox exactly once (outage, lost answers, a kill -9 in between),
 * and the signed webhook brings tickets in, whose results go back when the summary is filed.
 * (REFER and the 12345 SIP line: tests/telephony/handover-12345.test.ts.)
 */
const KEY = { id: 'k1', secret: 'integration-test-shared-secret' };
let sim: Sim12345;
let srv: TestServer;
let keyFile: string;
const sockets: ClientSocket[] = [];

async function startServer(dbPath?: string) {
  return startTestServer({
    dbPath,
    env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50', H12345_RETRY_MAX_MS: '200' },
  });
}

beforeEach(async () => {
  sim = await startSim12345({ keys: [KEY] });
  keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  srv = await startServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
  await sim.stop();
});

async function seatSocket(username: string) {
  const cookie = await login(srv.url, username);
  const s = await connect(srv.url, cookie);
  sockets.push(s);
  return { s, cookie };
}

/** s03 talking with a caller, with a summary draft typed so far. */
async function talkingAtS03(callId = 'c1') {
  const seat = await seatSocket('seat03');
  await emit(seat.s, 'seat:set-status', { status: 'ready' });
  srv.app.engine.offerCall({ id: callId, caller: '13812341234', dialed: '123483', ivrCode: '3' });
  srv.app.engine.answered(callId, 's03');
  const res = await fetch(`${srv.url}/api/calls/${callId}/summary/draft`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: seat.cookie },
    body: JSON.stringify({ question: '社保断缴怎么补缴', answer: '属社保经办事项,建议转12345' }),
  });
  expect(res.status).toBe(200);
  return seat;
}

async function transferTo12345(seat: { s: ClientSocket }, callId = 'c1') {
  const ack = await emit(seat.s, 'call:transfer', { callId, target: { kind: '12345' }, mode: 'blind', note: '政务服务事项' });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.data;
}

const orders = () => sim.accepted.filter((m) => m.path === '/work-orders');

describe('转12345: the work order', () => {
  it('when a seat transfers to 12345, the REFER goes to the 12345 number with the work order id, and the simulator gets the work order with the summary so far exactly once', async () => {
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);

    expect(t.referTo).toBe(`sip:12345@127.0.0.1:5070?X-12348-Workorder=${t.handoverId}`);
    await waitFor(() => orders().length === 1, 'the work order at 12345');
    expect(orders()[0]!.body).toMatchObject({
      workOrderId: t.handoverId,
      caller: { number: '13812341234', masked: false },
      category: { id: 'contract-debt', name: '合同与债务' },
      question: '社保断缴怎么补缴',
      lawyerAnswer: '属社保经办事项,建议转12345',
      seat: { id: 's03' },
      centre: { id: 'city' },
      reason: '政务服务事项',
    });
    expect(orders()[0]!.key).toBe(`${t.handoverId}:order`);

    const reported = await emit(seat.s, 'transfer:report', { transferId: t.id, outcome: 'completed', detail: '' });
    expect(reported.ok).toBe(true);
    await waitFor(() => sim.accepted.length === 2, 'the transfer result');
    expect(sim.accepted[1]).toMatchObject({ path: `/work-orders/${t.handoverId}/transfer-result`, body: { connected: true } });
    const view = (await (await fetch(`${srv.url}/api/handovers/${t.handoverId}`, { headers: { cookie: seat.cookie } })).json()) as {
      data: { state: string; delivery: string };
    };
    expect(view.data).toMatchObject({ state: 'connected', delivery: 'accepted' });
    expect(sim.log.filter((l) => l.status === 200)).toHaveLength(2);
  });

  it('when the REFER is refused, the work order still goes, marked not connected with the reason, and the seat may book a 12345 call-back', async () => {
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);
    await emit(seat.s, 'transfer:report', { transferId: t.id, outcome: 'refused', detail: '486 Busy Here' });
    await waitFor(() => sim.accepted.length === 2, 'order and result');
    expect(sim.accepted[1]!.body).toMatchObject({ connected: false, reason: '486 Busy Here' });
    expect(srv.app.engine.getCall('c1')?.state.kind).toBe('talking');

    const res = await fetch(`${srv.url}/api/handovers/${t.handoverId}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seat.cookie },
      body: JSON.stringify({ note: '请12345回电' }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => sim.accepted.length === 3, 'the call-back request');
    expect(sim.accepted[2]).toMatchObject({ path: `/work-orders/${t.handoverId}/callback-request`, body: { note: '请12345回电' } });
  });

  it('when the 12345 API is down and then back, every message is delivered exactly once, in order', async () => {
    await sim.down();
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);
    await emit(seat.s, 'transfer:report', { transferId: t.id, outcome: 'refused', detail: '480 Temporarily Unavailable' });
    await waitFor(() => srv.app.handover.messagesOf(t.handoverId!)[0]!.attempts >= 3, 'a few failed tries');
    const [head, behind] = srv.app.handover.messagesOf(t.handoverId!);
    expect(head!.lastError).toContain('无法送达');
    expect(behind).toMatchObject({ state: 'pending', attempts: 0 }); // waits behind the head, in order

    await sim.up();
    await waitFor(() => sim.accepted.length === 2, 'both messages after the outage', 10_000);
    expect(sim.accepted.map((m) => m.path)).toEqual(['/work-orders', `/work-orders/${t.handoverId}/transfer-result`]);
    await new Promise((r) => setTimeout(r, 400)); // a few more back-off periods: nothing else arrives
    expect(sim.log.filter((l) => l.status === 200).map((l) => l.key)).toEqual([`${t.handoverId}:order`, `${t.handoverId}:transfer-result`]);
  });

  it('when 12345 stores a message but its answer is lost, the outbox sends it again and it is acknowledged once', async () => {
    sim.setMode('lose-ack');
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);
    await waitFor(() => sim.log.length >= 1, 'the first try');
    sim.setMode('ok');
    await waitFor(() => sim.log.some((l) => l.reason === 'duplicate'), 'the repeat');
    expect(orders()).toHaveLength(1);
    expect(sim.log.map((l) => `${l.status} ${l.reason}`)).toEqual(['503 stored, answer lost', '200 duplicate']);
    expect(srv.app.handover.messagesOf(t.handoverId!)[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('when 12345 rejects the work order, supervisors see it among the stuck ones with the reason', async () => {
    sim.setMode('reject');
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);
    await waitFor(() => srv.app.handover.messagesOf(t.handoverId!)[0]?.state === 'rejected', 'rejected');
    const sup = await login(srv.url, 'supervisor');
    const body = (await (await fetch(`${srv.url}/api/handovers`, { headers: { cookie: sup } })).json()) as {
      data: { handovers: { id: string; delivery: string; lastError: string }[]; stuck: { handoverId: string; lastStatus: number }[] };
    };
    expect(body.data.stuck).toMatchObject([{ handoverId: t.handoverId, lastStatus: 422 }]);
    expect(body.data.handovers.find((h) => h.id === t.handoverId)).toMatchObject({ delivery: 'failed' });
    expect(body.data.handovers[0]!.lastError).toContain('对方拒收(422)');
    const asSeat = await fetch(`${srv.url}/api/handovers`, { headers: { cookie: seat.cookie } });
    expect(asSeat.status).toBe(403);

    // A chosen period: one that ends before the hand-over has none of it; a reversed one is refused.
    const before = (await (await fetch(`${srv.url}/api/handovers?from=0&to=1000`, { headers: { cookie: sup } })).json()) as {
      data: { handovers: unknown[] };
    };
    expect(before.data.handovers).toEqual([]);
    const reversed = await fetch(`${srv.url}/api/handovers?from=2000&to=1000`, { headers: { cookie: sup } });
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: { message: string } }).error.message).toBe('开始时间必须早于结束时间');
  });

  it('when the router is killed with SIGKILL between the decision and the delivery, a restarted router delivers the work order exactly once', async () => {
    await srv.stop();
    const dbPath = tempDbPath();
    await sim.down();
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/handover-decide-and-hang.ts', dbPath, sim.apiUrl, keyFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY\n')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited: ${code}`))));
    });
    await new Promise((r) => child.once('exit', r));
    await sim.up();
    expect(orders()).toHaveLength(0);

    srv = await startServer(dbPath);
    await waitFor(() => orders().length === 1, 'the work order after the restart');
    expect(orders()[0]!.body).toMatchObject({ callId: 'kill-1', reason: '社保缴费问题,属政务服务' });
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.log.filter((l) => l.path === '/work-orders')).toHaveLength(1);
  });
});

describe('from 12345: the signed ticket webhook', () => {
  const ticket = (deliveryId: string, id = 'GD-20261206-001') => ({
    deliveryId,
    event: 'ticket.transferred',
    ticket: { id, category: '劳动保障', title: '工资拖欠', content: '公司拖欠三个月工资,市民要求法律意见', citizenPhone: '13700001111' },
  });
  const hook = () => `${srv.url}/api/12345/webhook`;

  it('refuses a bad signature, an unknown key, an old timestamp and a replayed delivery id, each with a clear error', async () => {
    const bad = await sendWebhook(hook(), ticket('d-1'), KEY, { badSignature: true });
    expect(bad.status).toBe(401);
    expect(bad.body.error?.message).toBe('签名校验失败:签名不正确');

    const unknown = await sendWebhook(hook(), ticket('d-1'), { id: 'k9', secret: KEY.secret });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.message).toContain('签名密钥 k9 未登记');

    const old = await sendWebhook(hook(), ticket('d-1'), KEY, { timestampS: Math.floor(Date.now() / 1000) - 3600 });
    expect(old.status).toBe(401);
    expect(old.body.error?.message).toContain('时间戳超出允许范围');

    expect((await sendWebhook(hook(), ticket('d-1'), KEY)).status).toBe(200);
    const replay = await sendWebhook(hook(), ticket('d-1'), KEY);
    expect(replay.status).toBe(409);
    expect(replay.body.error?.message).toContain('重复投递:deliveryId d-1 已处理过');

    const invalid = await sendWebhook(hook(), { deliveryId: 'd-2', event: 'ticket.transferred', ticket: { id: 'x y' } }, KEY);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.message).toContain('工单内容不符合约定');
  });

  it('maps the 12345 category to a specialty (admin-edited), shows the content to the seat, and sends the result back when the summary is filed', async () => {
    const admin = await login(srv.url, 'admin');
    const put = await fetch(`${srv.url}/api/handover/category-map`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ entries: [{ category: '劳动保障', categoryId: 'labor' }] }),
    });
    expect(put.status).toBe(200);
    const badMap = await fetch(`${srv.url}/api/handover/category-map`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ entries: [{ category: '占星', categoryId: 'astrology' }] }),
    });
    expect(badMap.status).toBe(400);
    expect((await sendWebhook(hook(), ticket('d-10'), KEY)).status).toBe(200);
    expect(srv.app.handover.specialtyForTicket('GD-20261206-001')).toBe('labor');

    const seat = await seatSocket('seat02');
    await emit(seat.s, 'seat:set-status', { status: 'ready' });
    srv.app.engine.offerCall({ id: 'c9', caller: '13700001111', dialed: '12348', ivrCode: '2', ticket12345: 'GD-20261206-001' });
    srv.app.engine.answered('c9', 's02');
    const pop = (await (await fetch(`${srv.url}/api/handover/tickets/GD-20261206-001`, { headers: { cookie: seat.cookie } })).json()) as {
      data: unknown;
    };
    expect(pop.data).toMatchObject({
      category: '劳动保障',
      categoryId: 'labor',
      title: '工资拖欠',
      content: '公司拖欠三个月工资,市民要求法律意见',
    });
    // Nobody else's screen pop: another seat, and a supervisor of another centre, are told there is none.
    const read = async (username: string) =>
      (await fetch(`${srv.url}/api/handover/tickets/GD-20261206-001`, { headers: { cookie: await login(srv.url, username) } })).status;
    expect(await read('seat03')).toBe(404);
    expect(await read('supervisor-dc')).toBe(404);
    expect(await read('supervisor')).toBe(200);

    srv.app.engine.hangup('c9', 'caller');
    const filed = await fetch(`${srv.url}/api/calls/c9/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seat.cookie },
      body: JSON.stringify({ categoryId: 'labor', topic: '欠薪', question: '拖欠工资', answer: '可申请劳动仲裁', disposition: 'answered' }),
    });
    expect(filed.status).toBe(201);
    await waitFor(() => sim.accepted.some((m) => m.path === '/tickets/GD-20261206-001/result'), 'the result at 12345');
    expect(sim.accepted.find((m) => m.path === '/tickets/GD-20261206-001/result')!.body).toMatchObject({
      result: 'closed',
      disposition: 'answered',
      dispositionLabel: '当场解答',
      seat: { id: 's02' },
    });
  });

  it('when the seat files 转12345, the ticket is returned (退回) with the reason', async () => {
    expect((await sendWebhook(hook(), ticket('d-20', 'GD-2'), KEY)).status).toBe(200);
    const seat = await seatSocket('seat02');
    await emit(seat.s, 'seat:set-status', { status: 'ready' });
    srv.app.engine.offerCall({ id: 'c10', caller: '13700001111', dialed: '12348', ivrCode: '2', ticket12345: 'GD-2' });
    srv.app.engine.answered('c10', 's02');
    srv.app.engine.hangup('c10', 'caller');
    const filed = await fetch(`${srv.url}/api/calls/c10/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seat.cookie },
      body: JSON.stringify({
        categoryId: 'labor',
        topic: '社保',
        question: '社保转移',
        answer: '非法律问题',
        disposition: 'to-12345',
        referral: '属社保经办,非法律事项',
      }),
    });
    expect(filed.status).toBe(201);
    await waitFor(() => sim.accepted.some((m) => m.path === '/tickets/GD-2/result'), 'the return at 12345');
    expect(sim.accepted.find((m) => m.path === '/tickets/GD-2/result')!.body).toMatchObject({
      result: 'returned',
      reason: '属社保经办,非法律事项',
    });
  });
});

describe('reports', () => {
  it('count hand-overs each way with their outcome, delivery delays and failures by cause', async () => {
    const seat = await talkingAtS03();
    const t = await transferTo12345(seat);
    await emit(seat.s, 'transfer:report', { transferId: t.id, outcome: 'refused', detail: '486 Busy Here' });
    await waitFor(() => sim.accepted.length === 2, 'both messages');
    sim.setMode('reject');
    expect(
      (
        await sendWebhook(
          `${srv.url}/api/12345/webhook`,
          { deliveryId: 'r-1', event: 'ticket.callback-requested', ticket: { id: 'GD-R1', category: '其他' } },
          KEY,
        )
      ).status,
    ).toBe(200);
    srv.app.engine.hangup('c1', 'caller');
    const filed = await fetch(`${srv.url}/api/calls/c1/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: seat.cookie },
      body: JSON.stringify({
        categoryId: 'contract-debt',
        topic: '社保',
        question: '社保',
        answer: '转12345',
        disposition: 'to-12345',
        referral: '12345',
      }),
    });
    expect(filed.status).toBe(201);
    expect((await emit(seat.s, 'seat:end-wrap-up', {})).ok).toBe(true);
    srv.app.engine.offerCall({ id: 'c2', caller: '13812341235', dialed: '123483', ivrCode: '3' });
    srv.app.engine.answered('c2', 's03');
    const t2 = await transferTo12345(seat, 'c2');
    await waitFor(() => srv.app.handover.messagesOf(t2.handoverId!)[0]?.state === 'rejected', 'the refusal');

    const manager = await login(srv.url, 'manager');
    const res = await fetch(`${srv.url}/api/handover/report`, { headers: { cookie: manager } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      to12345: { total: 2, byState: { 'not-connected': 1, pending: 1 } },
      from12345: { total: 1, byState: { 'callback-requested': 1 } },
      messages: { total: 3, delivered: 2, rejected: 1, pending: 0, failuresByCause: { '拒收 422': 1 } },
    });
    expect((data.messages as { delayMs: { max: number } }).delayMs.max).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${srv.url}/api/handover/report`, { headers: { cookie: seat.cookie } })).status).toBe(403);
    const bad = await fetch(`${srv.url}/api/handover/report?from=abc`, { headers: { cookie: manager } });
    expect(bad.status).toBe(400);
  });
});
