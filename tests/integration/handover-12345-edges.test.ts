import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { sendWebhook, startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { waitFor } from '../support/processes.js';
import { connect, emit, login, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * 12345 hand-overs as a seat, the 12345 platform and an attacker would try them against a real
 * server and the simulator: a second transfer of the same call, call-backs booked twice or
 * before the transfer ended, and webhook bodies outside the contract.
 */
const KEY = { id: 'k1', secret: 'integration-test-shared-secret' };
let sim: Sim12345;
let srv: TestServer;
const sockets: ClientSocket[] = [];

beforeEach(async () => {
  sim = await startSim12345({ keys: [KEY] });
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  srv = await startTestServer({
    env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50', H12345_RETRY_MAX_MS: '200' },
  });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
  await sim.stop();
});

async function talkingAtS03(callId = 'c1') {
  const cookie = await login(srv.url, 'seat03');
  const s = await connect(srv.url, cookie);
  sockets.push(s);
  await emit(s, 'seat:set-status', { status: 'ready' });
  srv.app.engine.offerCall({ id: callId, caller: '13812341234', dialed: '123483', ivrCode: '3' });
  srv.app.engine.answered(callId, 's03');
  return { s, cookie };
}

const orders = () => sim.accepted.filter((m) => m.path === '/work-orders');
const transfer12345 = (s: ClientSocket) => emit(s, 'call:transfer', { callId: 'c1', target: { kind: '12345' }, mode: 'blind' });
const book = (cookie: string, id: string) =>
  fetch(`${srv.url}/api/handovers/${id}/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ note: '请回电' }),
  });

describe('转12345 exactly once, whatever the seat does twice', () => {
  it('when the seat sends the same 转12345 twice (a double click, a retry after its answer was lost), 12345 gets one work order and both answers name it', async () => {
    const seat = await talkingAtS03();

    const [a, b] = await Promise.all([transfer12345(seat.s), transfer12345(seat.s)]);
    const c = await transfer12345(seat.s);

    if (!a.ok || !b.ok || !c.ok) throw new Error('a transfer was refused');
    expect(new Set([a.data.id, b.data.id, c.data.id]).size).toBe(1);
    expect(new Set([a.data.referTo, b.data.referTo, c.data.referTo]).size).toBe(1);
    await waitFor(() => orders().length === 1, 'the work order at 12345');
    const done = await emit(seat.s, 'transfer:report', { transferId: a.data.id, outcome: 'completed' });
    expect(done.ok).toBe(true);
    await waitFor(() => sim.accepted.length === 2, 'the transfer result');
    expect(orders()).toHaveLength(1);
    expect(srv.db.prepare("SELECT COUNT(*) AS n FROM handovers WHERE call_id = 'c1'").get()).toEqual({ n: 1 });
  });

  it('while a transfer of the call is under way, another one is refused with a sentence and the caller stays; once it has failed, 转12345 may be tried again', async () => {
    const seat = await talkingAtS03();
    const first = await transfer12345(seat.s);
    if (!first.ok) throw new Error(first.error.message);

    const other = await emit(seat.s, 'call:transfer', { callId: 'c1', target: { kind: 'category', categoryId: 'general' }, mode: 'blind' });

    expect(other.ok).toBe(false);
    expect(!other.ok && other.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('已有一次转接正在进行') });
    expect(srv.app.engine.getCall('c1')?.state.kind).toBe('talking');

    await emit(seat.s, 'transfer:report', { transferId: first.data.id, outcome: 'refused', detail: '486 Busy Here' });
    const retry = await transfer12345(seat.s);
    if (!retry.ok) throw new Error(retry.error.message);
    expect(retry.data.handoverId).not.toBe(first.data.handoverId);
    await waitFor(() => orders().length === 2, 'the retry has its own work order');
  });
});

describe('预约12345回电', () => {
  it('is refused while the transfer has no outcome yet, and booked once however often the seat asks', async () => {
    const seat = await talkingAtS03();
    const t = await transfer12345(seat.s);
    if (!t.ok) throw new Error(t.error.message);
    const id = t.data.handoverId!;

    const early = await book(seat.cookie, id);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { message: string } }).error.message).toContain('转接还没有结果');

    await emit(seat.s, 'transfer:report', { transferId: t.data.id, outcome: 'refused', detail: '486 Busy Here' });
    const once = await book(seat.cookie, id);
    const twice = await book(seat.cookie, id);

    expect([once.status, twice.status]).toEqual([200, 200]);
    const view = ((await twice.json()) as { data: { state: string; detail: string; callbackRequested: boolean } }).data;
    expect(view).toMatchObject({ state: 'not-connected', detail: '486 Busy Here;已预约12345回电', callbackRequested: true });
    await waitFor(() => sim.accepted.some((m) => m.path.endsWith('/callback-request')), 'the call-back request');
    const pending = () => (srv.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }).n;
    await waitFor(() => pending() === 0, 'every message delivered');
    expect(sim.accepted.filter((m) => m.path.endsWith('/callback-request'))).toHaveLength(1);
  });
});

describe('a console closed in the middle of 转12345', () => {
  const GRACE_MS = 60_000;
  let clock: VirtualClock;
  let vsrv: TestServer | null = null;
  const start = async (dbPath?: string) => {
    const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
    fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
    vsrv = await startTestServer({ dbPath, clock, env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile } });
    return vsrv;
  };
  const handover = (s: TestServer, id: string) =>
    s.db.prepare('SELECT state, detail FROM handovers WHERE id = ?').get(id) as { state: string; detail: string };
  const messages = (s: TestServer, id: string) =>
    (s.db.prepare('SELECT kind, body_json FROM outbox WHERE ref_id = ? ORDER BY id').all(id) as { kind: string; body_json: string }[]).map(
      (m) => ({ kind: m.kind, body: JSON.parse(m.body_json) as Record<string, unknown> }),
    );
  const transferTalkingCall = async (s: TestServer) => {
    const cookie = await login(s.url, 'seat03');
    const sock = await connect(s.url, cookie);
    sockets.push(sock);
    await emit(sock, 'seat:set-status', { status: 'ready' });
    s.app.engine.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
    s.app.engine.answered('c1', 's03');
    const ack = await emit(sock, 'call:transfer', { callId: 'c1', target: { kind: '12345' }, mode: 'blind' });
    if (!ack.ok) throw new Error(ack.error.message);
    sock.disconnect(); // the console is gone: nobody will report how the REFER ended
    return ack.data;
  };
  beforeEach(() => {
    clock = new VirtualClock(Date.now());
  });
  afterEach(async () => {
    await vsrv?.stop();
    vsrv = null;
  });

  it('when the call ends and the seat never reports, the hand-over stops saying 转接中 and 12345 gets a transfer result saying why, once', async () => {
    const s = await start();
    const t = await transferTalkingCall(s);
    s.app.engine.hangup('c1', 'caller');

    clock.advance(GRACE_MS - 1000);
    expect(handover(s, t.handoverId!).state).toBe('pending');
    clock.advance(1000);

    expect(handover(s, t.handoverId!)).toMatchObject({ state: 'not-connected', detail: expect.stringContaining('坐席端未报告转接结果') });
    expect(messages(s, t.handoverId!).map((m) => m.kind)).toEqual(['work-order', 'transfer-result']);
    expect(messages(s, t.handoverId!)[1]!.body).toMatchObject({
      connected: false,
      reason: expect.stringContaining('以12345收到的来电为准'),
    });
    expect(s.db.prepare('SELECT state FROM transfers WHERE id = ?').get(t.id)).toEqual({ state: 'expired' });
    clock.advance(GRACE_MS);
    expect(messages(s, t.handoverId!)).toHaveLength(2);
  });

  it('when the console reports in time, its outcome stands and nothing more is sent', async () => {
    const s = await start();
    const cookie = await login(s.url, 'seat03');
    const sock = await connect(s.url, cookie);
    sockets.push(sock);
    await emit(sock, 'seat:set-status', { status: 'ready' });
    s.app.engine.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
    s.app.engine.answered('c1', 's03');
    const ack = await emit(sock, 'call:transfer', { callId: 'c1', target: { kind: '12345' }, mode: 'blind' });
    if (!ack.ok) throw new Error(ack.error.message);
    s.app.engine.hangup('c1', 'caller'); // the trunk leaves the seat once the caller is at 12345
    await emit(sock, 'transfer:report', { transferId: ack.data.id, outcome: 'completed' });

    clock.advance(2 * GRACE_MS);

    expect(handover(s, ack.data.handoverId!).state).toBe('connected');
    expect(messages(s, ack.data.handoverId!).map((m) => m.body.connected)).toEqual([undefined, true]);
  });

  it('when the router restarts after the call ended and before any report, the restarted router settles it', async () => {
    const first = await start();
    const t = await transferTalkingCall(first);
    first.app.engine.hangup('c1', 'caller');
    await first.stop({ keepDb: true });
    vsrv = null;

    const again = await start(first.dbPath);
    clock.advance(GRACE_MS);

    expect(handover(again, t.handoverId!).state).toBe('not-connected');
    expect(messages(again, t.handoverId!).map((m) => m.kind)).toEqual(['work-order', 'transfer-result']);
  });
});

describe('a 12345 endpoint that redirects', () => {
  it('a work order answered with 301 is not taken as delivered: it waits, tried again, and says to correct the address', async () => {
    // A gateway in front of 12345 that moves http to another address: a followed POST would
    // become a GET of its sign-in page, answered 200, while the work order never arrived.
    const posts: string[] = [];
    const gateway = http.createServer((req, res) => {
      if (req.method === 'POST') posts.push(req.url ?? '');
      if (req.url?.startsWith('/api/12348/')) {
        res.writeHead(301, { location: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/login` });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>请登录</html>');
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
    fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
    const base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/api/12348`;
    const s = await startTestServer({
      env: { H12345_API_URL: base, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50', H12345_RETRY_MAX_MS: '100' },
    });
    try {
      const cookie = await login(s.url, 'seat03');
      const sock = await connect(s.url, cookie);
      sockets.push(sock);
      await emit(sock, 'seat:set-status', { status: 'ready' });
      s.app.engine.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
      s.app.engine.answered('c1', 's03');
      const ack = await emit(sock, 'call:transfer', { callId: 'c1', target: { kind: '12345' }, mode: 'blind' });
      if (!ack.ok) throw new Error(ack.error.message);

      await waitFor(() => posts.length >= 2, 'the work order tried twice');
      const view = (await (await fetch(`${s.url}/api/handovers/${ack.data.handoverId}`, { headers: { cookie } })).json()) as {
        data: { delivery: string; lastError: string };
      };
      expect(view.data.delivery).toBe('retrying');
      expect(view.data.lastError).toContain('对方要求重定向(301)');
      expect(view.data.lastError).toContain('/login');
      expect(posts.every((p) => p === '/api/12348/work-orders')).toBe(true);
    } finally {
      await s.stop();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});

describe('a ticket pushed after its call arrived', () => {
  it('the call already waiting under its IVR choice moves to the specialty the ticket maps to', async () => {
    const admin = await login(srv.url, 'admin');
    const map = await fetch(`${srv.url}/api/handover/category-map`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ entries: [{ category: '劳动保障', categoryId: 'labor' }] }),
    });
    expect(map.status).toBe(200);
    // 李秀英 (labour and general) is signed in but at a meal: the call waits for her.
    const s02 = await connect(srv.url, await login(srv.url, 'seat02'));
    sockets.push(s02);
    expect((await emit(s02, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).ok).toBe(true);
    expect(srv.app.ticketSpecialty('GD-W-1')).toBeNull(); // 12345's call came first
    srv.app.engine.offerCall({ id: 'c-w1', caller: '13912340001', dialed: '123483', ivrCode: '0', ticket12345: 'GD-W-1' });
    expect(srv.app.engine.getCall('c-w1')?.categoryId).not.toBe('labor');

    const hook = await sendWebhook(
      `${srv.url}/api/12345/webhook`,
      {
        deliveryId: 'w-1',
        event: 'ticket.transferred',
        ticket: { id: 'GD-W-1', category: '劳动保障', title: '工资拖欠', content: '公司拖欠三个月工资', citizenPhone: '13912340001' },
      },
      KEY,
    );

    expect(hook.status).toBe(200);
    expect(srv.app.engine.getCall('c-w1')?.categoryId).toBe('labor');
    expect(srv.app.engine.getCall('c-w1')?.events.some((e) => e.type === 'recategorized')).toBe(true);
  });
});

describe('a 12345 ticket call sent on to another seat', () => {
  it('the first seat filing 转其他坐席 does not close the ticket: the result 12345 gets is the answering seat’s', async () => {
    const hook = await sendWebhook(
      `${srv.url}/api/12345/webhook`,
      {
        deliveryId: 'o-1',
        event: 'ticket.transferred',
        ticket: { id: 'GD-O-1', category: '劳动保障', title: '工资拖欠', content: '公司拖欠三个月工资', citizenPhone: null },
      },
      KEY,
    );
    expect(hook.status).toBe(200);
    const cookie = await login(srv.url, 'seat03');
    const s = await connect(srv.url, cookie);
    sockets.push(s);
    const file = async (callId: string, disposition: string, answer: string) => {
      await emit(s, 'seat:set-status', { status: 'ready' });
      srv.app.engine.offerCall({ id: callId, caller: '13812341234', dialed: '123483', ivrCode: '3', ticket12345: 'GD-O-1' });
      srv.app.engine.answered(callId, 's03');
      srv.app.engine.hangup(callId, 'seat');
      const res = await fetch(`${srv.url}/api/calls/${callId}/summary`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          categoryId: 'labor',
          topic: '欠薪',
          question: '公司拖欠工资',
          answer,
          disposition,
          referral: '劳动争议专席',
        }),
      });
      expect(res.status).toBe(201);
      await emit(s, 'seat:end-wrap-up', {});
    };

    await file('c-o1', 'to-other-seat', '转劳动争议专席');
    await file('c-o2', 'answered', '可申请劳动仲裁,时效一年');

    await waitFor(() => sim.accepted.some((m) => m.path === '/tickets/GD-O-1/result'), 'the ticket result');
    const results = sim.accepted.filter((m) => m.path === '/tickets/GD-O-1/result');
    expect(results).toHaveLength(1);
    expect(results[0]!.body).toMatchObject({
      result: 'closed',
      disposition: 'answered',
      answer: '可申请劳动仲裁,时效一年',
      callId: 'c-o2',
    });
  });
});

describe('hand-over reports over a busy year', () => {
  it('counts a past period in full however many hand-overs came after it', async () => {
    const now = Date.now();
    const DAY = 86_400_000;
    const insert = srv.db.prepare(
      `INSERT INTO handovers (id, direction, call_id, seat_id, ticket, transfer_id, state, detail, payload_json, created_at, updated_at)
       VALUES (?, 'to-12345', ?, 's03', NULL, NULL, ?, '', '{}', ?, ?)`,
    );
    srv.db.transaction(() => {
      // January: two hand-overs; since then, 5001 more.
      insert.run('ho-jan-1', 'cj1', 'connected', now - 300 * DAY, now - 300 * DAY);
      insert.run('ho-jan-2', 'cj2', 'not-connected', now - 299 * DAY, now - 299 * DAY);
      for (let i = 0; i < 5001; i++)
        insert.run(`ho-later-${i}`, `cl${i}`, 'connected', now - 200 * DAY + i * 1000, now - 200 * DAY + i * 1000);
    })();
    const manager = await login(srv.url, 'manager');
    const get = async <T>(p: string) =>
      ((await (await fetch(`${srv.url}${p}`, { headers: { cookie: manager } })).json()) as { data: T }).data;
    type Report = { to12345: { total: number; byState: Record<string, number> } };

    const jan = await get<Report>(`/api/handover/report?from=${now - 301 * DAY}&to=${now - 298 * DAY}`);
    const all = await get<Report>(`/api/handover/report?from=${now - 365 * DAY}&to=${now}`);
    const list = await get<{ handovers: { id: string }[] }>(`/api/handovers?from=${now - 301 * DAY}&to=${now - 298 * DAY}`);

    expect(jan.to12345).toEqual({ total: 2, byState: { connected: 1, 'not-connected': 1 } });
    expect(all.to12345.total).toBe(5003);
    expect(list.handovers.map((h) => h.id)).toEqual(['ho-jan-2', 'ho-jan-1']);
  });
});

describe('转12345 of a caller who asked for 保密', () => {
  it('tells 12345 in the work order', async () => {
    const seat = await talkingAtS03();
    const draft = await fetch(`${srv.url}/api/calls/c1/summary/draft`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: seat.cookie },
      body: JSON.stringify({ question: '家暴求助,要求保密', confidential: true }),
    });
    expect(draft.status).toBe(200);
    const t = await transfer12345(seat.s);
    if (!t.ok) throw new Error(t.error.message);
    await waitFor(() => orders().length === 1, 'the work order');
    expect(orders()[0]!.body).toMatchObject({ question: '家暴求助,要求保密', confidential: true });
  });
});
