import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallView, QueueSnapshot, SeatView } from '../../server/src/contract/index.js';
import { connect, emit, login, next, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

let srv: TestServer;
const sockets: ClientSocket[] = [];
beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
});

async function seatSocket(username: string) {
  const s = await connect(srv.url, await login(srv.url, username));
  sockets.push(s);
  return s;
}

describe('seat status over Socket.IO', () => {
  it('when a seat goes ready, it should get an ack with its new state and a status-changed push', async () => {
    const s = await seatSocket('seat02');
    const pushed = next(s, 'seat:status-changed', (v) => v.state.kind === 'ready');
    const ack = await emit(s, 'seat:set-status', { status: 'ready' });
    expect(ack.ok).toBe(true);
    expect(ack.ok && ack.data.state.kind).toBe('ready');
    expect((await pushed).id).toBe('s02');
  });

  it('when the payload is invalid, the ack should say which field is wrong and nothing should change', async () => {
    const s = await seatSocket('seat02');
    const ack = await emit(s, 'seat:set-status', { status: 'not-ready', reason: 'napping' } as never);
    expect(ack.ok).toBe(false);
    if (!ack.ok) {
      expect(ack.error.code).toBe('VALIDATION');
      expect(Object.keys(ack.error.fields ?? {})).toContain('reason');
    }
    expect(srv.app.engine.getSeat('s02').state.kind).toBe('offline');
  });

  it('when a seat asks for a move its state does not allow, the ack should explain why', async () => {
    const s = await seatSocket('seat02');
    const ack = await emit(s, 'seat:end-wrap-up', {});
    expect(ack.ok).toBe(false);
    if (!ack.ok) {
      expect(ack.error.code).toBe('INVALID_TRANSITION');
      expect(ack.error.message).toMatch(/不在话后整理中/);
    }
  });

  it('when a supervisor uses a seat command, it should be refused', async () => {
    const s = await seatSocket('supervisor');
    const ack = await emit(s, 'seat:set-status', { status: 'ready' });
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error.code).toBe('FORBIDDEN');
  });
});

describe('a call through the engine, seen by seat and supervisor', () => {
  it('when a labour call arrives, the labour specialist should be rung, see a masked number, and the supervisor should see the call', async () => {
    const seat = await seatSocket('seat02'); // 李秀英, labor 5, city
    const sup = await seatSocket('supervisor');
    await emit(seat, 'seat:set-status', { status: 'ready' });
    const sub = await emit(sup, 'queue:subscribe', {});
    expect(sub.ok).toBe(true);

    const offered = next(seat, 'call:offered');
    const snapshot = next(sup, 'queue:updated', (q: QueueSnapshot) => q.calls.some((c) => c.id === 'it-1'));
    srv.app.engine.offerCall({ id: 'it-1', caller: '13812345678', dialed: '123482', ivrCode: '2' });

    const call = await offered;
    expect(call).toMatchObject({ id: 'it-1', callerMasked: '138****5678', categoryId: 'labor', state: { kind: 'ringing', seatId: 's02' } });
    expect(JSON.stringify(call)).not.toContain('13812345678');
    expect(srv.telephony.rings).toEqual([{ callId: 'it-1', seatId: 's02', ringMs: 20_000 }]);
    const snap = await snapshot;
    expect(snap.seats.find((s: SeatView) => s.id === 's02')?.state.kind).toBe('ringing');

    const talking = next(seat, 'seat:status-changed', (v) => v.state.kind === 'talking');
    srv.app.engine.answered('it-1', 's02');
    await talking;
    const wrap = next(seat, 'seat:status-changed', (v) => v.state.kind === 'wrap-up');
    srv.app.engine.hangup('it-1', 'caller');
    await wrap;
    const extended = await emit(seat, 'seat:extend-wrap-up', {});
    expect(extended.ok && extended.data.state.kind === 'wrap-up' && extended.data.state.extensions).toBe(1);
    const early = await emit(seat, 'seat:end-wrap-up', {});
    expect(!early.ok && early.error.message).toContain('小结');
    const filed = await fetch(`${srv.url}/api/calls/it-1/summary`, {
      method: 'POST',
      headers: { cookie: await login(srv.url, 'seat02'), 'content-type': 'application/json' },
      body: JSON.stringify({
        categoryId: 'labor',
        topic: '欠薪',
        question: '工资被拖欠三个月',
        answer: '可向劳动监察投诉或申请劳动仲裁',
        disposition: 'answered',
      }),
    });
    expect(filed.status).toBe(201);
    const done = await emit(seat, 'seat:end-wrap-up', {});
    expect(done.ok && done.data.state.kind).toBe('ready');

    const res = await fetch(`${srv.url}/api/calls/it-1`, { headers: { cookie: await login(srv.url, 'supervisor') } });
    const record = (await res.json()).data;
    expect(record.caller).toBe('138****5678');
    expect(record.events.map((e: { type: string }) => e.type)).toEqual([
      'enqueued',
      'offered',
      'answered',
      'hung-up',
      'summary-filed',
      'wrap-up-ended',
    ]);
    expect(record.events[1].why.rule).toBe('skill');
  });

  it('when the last console of a ready seat disconnects, the seat should go offline after the grace period', async () => {
    await srv.stop();
    srv = await startTestServer({ env: { SEAT_DISCONNECT_GRACE_S: '0.2' } });
    const s = await seatSocket('seat06');
    await emit(s, 'seat:set-status', { status: 'ready' });
    s.disconnect();
    await new Promise((r) => setTimeout(r, 600));
    expect(srv.app.engine.getSeat('s06').state.kind).toBe('offline');
  });

  it('when the seat reconnects within the grace period, it should stay ready', async () => {
    await srv.stop();
    srv = await startTestServer({ env: { SEAT_DISCONNECT_GRACE_S: '0.5' } });
    const cookie = await login(srv.url, 'seat06');
    const s = await connect(srv.url, cookie);
    await emit(s, 'seat:set-status', { status: 'ready' });
    s.disconnect();
    sockets.push(await connect(srv.url, cookie));
    await new Promise((r) => setTimeout(r, 900));
    expect(srv.app.engine.getSeat('s06').state.kind).toBe('ready');
  });
});

describe('routing configuration over HTTP', () => {
  it('when an admin sends an invalid config, it should answer 400 naming the field and keep the old config', async () => {
    const cookie = await login(srv.url, 'admin');
    const current = (await (await fetch(`${srv.url}/api/config/routing`, { headers: { cookie } })).json()).data;
    const bad = { ...current, ringTimeoutS: -5 };
    const res = await fetch(`${srv.url}/api/config/routing`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.error.fields)).toContain('ringTimeoutS');
    expect(srv.app.engine.config.ringTimeoutS).toBe(current.ringTimeoutS);
  });

  it('when an admin shortens the general-skill expansion, a waiting call should be routed at once and the change should persist', async () => {
    const cookie = await login(srv.url, 'admin');
    const put = (body: unknown) =>
      fetch(`${srv.url}/api/config/routing`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const seat = await seatSocket('seat01'); // 王建国, city: marriage-family 5, mediation 4, general 3; no labour skill
    await emit(seat, 'seat:set-status', { status: 'ready' });
    const current = (await (await fetch(`${srv.url}/api/config/routing`, { headers: { cookie } })).json()).data;
    const slow = { ...current, defaultPolicy: { ...current.defaultPolicy, lowerProficiencyAfterS: null, generalAfterS: 600 } };
    expect((await put(slow)).status).toBe(200);
    srv.app.engine.offerCall({ id: 'cfg-1', caller: '13900000001', dialed: '12348', ivrCode: '2' });
    expect(srv.app.engine.getCall('cfg-1')?.state.kind).toBe('queued');

    const offered = next(seat, 'call:offered', (c) => c.id === 'cfg-1');
    expect((await put({ ...slow, defaultPolicy: { ...slow.defaultPolicy, generalAfterS: 0 } })).status).toBe(200);
    expect((await offered).state).toMatchObject({ kind: 'ringing', seatId: 's01' });
    const stored = srv.db.prepare("SELECT value FROM settings WHERE key = 'routing_config'").get() as { value: string };
    expect(JSON.parse(stored.value).defaultPolicy.generalAfterS).toBe(0);
  });
});

describe('a console reloaded mid-call', () => {
  it('when a seat reconnects while talking, it should be sent its current call with the answer time', async () => {
    const cookie = await login(srv.url, 'seat02');
    const first = await connect(srv.url, cookie);
    await emit(first, 'seat:set-status', { status: 'ready' });
    srv.app.engine.offerCall({ id: 'rl-1', caller: '13812345678', dialed: '12348', ivrCode: '2' });
    srv.app.engine.answered('rl-1', 's02');
    first.disconnect();

    let pushed: Promise<CallView> | null = null;
    const second = await connect(srv.url, cookie, (s) => {
      pushed = next(s, 'call:updated', (c) => c.id === 'rl-1');
    });
    sockets.push(second);
    const call = await pushed!;

    expect(call.state).toMatchObject({ kind: 'talking', seatId: 's02' });
    expect(call.answeredAt).toEqual(expect.any(Number));
  });
});

describe('service status in the supervisor snapshot', () => {
  it('should say whether the hotline is in service now, the planned seats and the answer target from the config', async () => {
    const cookie = await login(srv.url, 'supervisor');
    const snap = (await (await fetch(`${srv.url}/api/queue`, { headers: { cookie } })).json()).data as QueueSnapshot;
    const cfg = srv.app.engine.config;
    expect(snap.service.answerTargetS).toBe(cfg.kpi.serviceLevelThresholdS);
    // the demo calendar covers every hour of the week with planned seats
    expect(snap.service.open).toBe(true);
    expect(snap.service.plannedSeats).toBeGreaterThan(0);
    expect(snap.service.period).toEqual({ from: expect.stringMatching(/^\d\d:\d\d$/), to: expect.stringMatching(/^\d\d:\d\d$/) });
  });
});
