/**
 * 班长干预 (issue 12 item 5) against a real server: a seat forced not-ready or signed out, a
 * waiting call's priority, category and seat changed, a message to seats; every action in the
 * audit log with its reason, and a county supervisor refused outside its centre.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, QueueCallView, QueueSnapshot, SeatView, SupervisorMessage } from '../../server/src/contract/index.js';
import { connect, login, next } from '../support/server.js';
import { useCentreTrunks, waitingCall } from './support-accounts.js';
import { S, api, data, error, harness } from './support-summaries.js';

describe('supervisor actions', () => {
  const h = harness();
  beforeAll(async () => {
    for (const u of ['admin', 'supervisor-dc', 'seat09']) h.cookies[u] = await login(h.srv.url, u);
    useCentreTrunks(h);
  });
  const engine = () => h.srv.app.engine;
  const audit = async (action: string) =>
    data(await api<AuditListResponse>(h, 'GET', `/api/audit?action=${action}&limit=50`, 'admin')).entries;

  it('forces a ready seat not-ready with a reason, and the audit log says who, why, before and after', async () => {
    engine().setSeatReady('s03');
    const r = await api<SeatView>(h, 'POST', '/api/supervisor/seats/s03/status', 'supervisor', {
      status: 'not-ready',
      reason: 'meeting',
      note: '临时开会',
    });
    expect(data(r).state).toMatchObject({ kind: 'not-ready', reason: 'meeting' });
    expect(engine().getSeat('s03').state.kind).toBe('not-ready');
    const [entry] = await audit('supervisor.seat-not-ready');
    expect(entry).toMatchObject({
      username: 'supervisor',
      target: 'seat:s03',
      reason: '临时开会',
      before: { state: 'ready' },
      after: { state: 'not-ready', reason: 'meeting' },
    });
  });

  it('refuses a forced not-ready or sign-out without a reason, and changes nothing', async () => {
    engine().setSeatReady('s04');
    for (const body of [
      { status: 'not-ready', reason: 'rest' },
      { status: 'offline', note: '  ' },
    ]) {
      const e = error(await api(h, 'POST', '/api/supervisor/seats/s04/status', 'supervisor', body));
      expect(e.code).toBe('VALIDATION');
      expect(Object.keys(e.fields ?? {})).toContain('note');
    }
    expect(engine().getSeat('s04').state.kind).toBe('ready');
  });

  it('signs a seat out, audited', async () => {
    const r = await api<SeatView>(h, 'POST', '/api/supervisor/seats/s04/status', 'supervisor', { status: 'offline', note: '已下班未签出' });
    expect(data(r).state.kind).toBe('offline');
    expect((await audit('supervisor.seat-sign-out'))[0]).toMatchObject({ target: 'seat:s04', reason: '已下班未签出' });
  });

  it('a signed-out seat is neither forced not-ready (that would sign it in with nobody there) nor signed out again; nothing audited', async () => {
    // s04 was signed out above, e.g. by another supervisor a moment ago.
    expect(engine().getSeat('s04').state.kind).toBe('offline');
    const before = (await audit('supervisor.seat-sign-out')).length + (await audit('supervisor.seat-not-ready')).length;
    const busy = error(
      await api(h, 'POST', '/api/supervisor/seats/s04/status', 'supervisor', { status: 'not-ready', reason: 'meeting', note: '开会' }),
    );
    expect(busy).toMatchObject({ code: 'CONFLICT', message: '坐席 刘洋 已签出(离线),无法置为示忙' });
    const again = error(await api(h, 'POST', '/api/supervisor/seats/s04/status', 'supervisor', { status: 'offline', note: '下班' }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: '坐席 刘洋 已签出(离线)' });
    expect(engine().getSeat('s04').state.kind).toBe('offline');
    expect((await audit('supervisor.seat-sign-out')).length + (await audit('supervisor.seat-not-ready')).length).toBe(before);
  });

  it('a seat that is ringing cannot be forced: the refusal says why', async () => {
    waitingCall(h, 'city', 'ring-1', '13700000001');
    engine().setSeatReady('s01');
    expect(engine().getCall('ring-1')?.state).toMatchObject({ kind: 'ringing', seatId: 's01' });
    const e = error(await api(h, 'POST', '/api/supervisor/seats/s01/status', 'supervisor', { status: 'offline', note: '测试' }));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toMatch(/振铃/);
    engine().hangup('ring-1', 'caller');
  });

  it("a seat in a call, or in wrap-up with its summary unfiled, is refused in the supervisor's words (what stands in the way, what to do)", async () => {
    const force = async (body: object) => error(await api(h, 'POST', '/api/supervisor/seats/s01/status', 'supervisor', body));
    const busy = { status: 'not-ready', reason: 'meeting', note: '开会' };
    const out = { status: 'offline', note: '下班' };
    waitingCall(h, 'city', 'talk-1', '13700000002');
    engine().setSeatReady('s01');
    expect((await force(busy)).message).toBe('坐席 王建国 有来电正在振铃,请等振铃结束后再操作');
    engine().answered('talk-1', 's01');
    expect(await force(busy)).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: '坐席 王建国 正在通话,不能置为示忙(通话结束后会先进入话后整理)',
    });
    expect((await force(out)).message).toBe('坐席 王建国 正在通话,不能签出;如需结束这通电话,请用强拆');
    engine().hangup('talk-1', 'caller');
    expect(engine().getSeat('s01').state.kind).toBe('wrap-up');
    expect(await force(busy)).toMatchObject({
      code: 'CONFLICT',
      message: '坐席 王建国 尚未提交上一通电话的小结,不能置为示忙;可发消息提醒,或将其签出',
    });
    expect(engine().getSeat('s01').state.kind).toBe('wrap-up');
    // 签出 is the supervisor's way out for a seat that left without filing.
    expect(data(await api<SeatView>(h, 'POST', '/api/supervisor/seats/s01/status', 'supervisor', out)).state.kind).toBe('offline');
  });

  it('changes a waiting call priority and category, and gives it to a chosen ready seat; each audited', async () => {
    waitingCall(h, 'city', 'w-1', '13800000001');
    expect(engine().getCall('w-1')).toMatchObject({ categoryId: 'general', priority: 0 });

    const p = data(
      await api<QueueCallView>(h, 'POST', '/api/supervisor/calls/w-1/priority', 'supervisor', { priority: 20, note: '老人来电' }),
    );
    expect(p.priority).toBe(20);
    const c = data(await api<QueueCallView>(h, 'POST', '/api/supervisor/calls/w-1/category', 'supervisor', { categoryId: 'labor' }));
    expect(c.categoryId).toBe('labor');
    expect(
      engine()
        .getCall('w-1')
        ?.events.some((e) => e.type === 'recategorized' && e.categoryId === 'labor'),
    ).toBe(true);

    // s05 has no labour skill: only the supervisor's choice rings it there.
    engine().setSeatReady('s05');
    expect(engine().getCall('w-1')?.state.kind).toBe('queued');
    const a = data(
      await api<QueueCallView>(h, 'POST', '/api/supervisor/calls/w-1/assign', 'supervisor', { seatId: 's05', note: '指定处理' }),
    );
    expect(a.state).toMatchObject({ kind: 'ringing', seatId: 's05' });
    expect(a.offeredTo).toEqual(['s05']);
    expect(h.srv.telephony.rings.at(-1)).toMatchObject({ callId: 'w-1', seatId: 's05' });

    expect((await audit('supervisor.call-priority'))[0]).toMatchObject({
      target: 'call:w-1',
      before: { priority: 0 },
      after: { priority: 20 },
    });
    expect((await audit('supervisor.call-category'))[0]).toMatchObject({
      before: { categoryId: 'general' },
      after: { categoryId: 'labor' },
    });
    expect((await audit('supervisor.call-assign'))[0]).toMatchObject({ target: 'call:w-1', after: { seatId: 's05' }, reason: '指定处理' });
  });

  it('if the chosen seat does not answer, the call goes back to its queue in its place', () => {
    h.clock.advance(25 * S);
    const call = engine().getCall('w-1')!;
    expect(call.state.kind).not.toBe('ringing');
    expect(call.events.some((e) => e.type === 'ring-timeout' && e.seatId === 's05')).toBe(true);
    engine().hangup('w-1', 'caller');
  });

  it('refuses to give a call to a seat that is not ready, or a call that is ringing, and leaves both as they were', async () => {
    waitingCall(h, 'city', 'w-2', '13800000002');
    const e = error(await api(h, 'POST', '/api/supervisor/calls/w-2/assign', 'supervisor', { seatId: 's06' }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/只能指派给就绪的坐席/);
    expect(engine().getCall('w-2')?.state.kind).toBe('queued');
    expect(error(await api(h, 'POST', '/api/supervisor/calls/nope/priority', 'supervisor', { priority: 1 })).code).toBe('NOT_FOUND');
    expect(error(await api(h, 'POST', '/api/supervisor/calls/w-2/category', 'supervisor', { categoryId: 'astrology' })).code).toBe(
      'VALIDATION',
    );
    expect(error(await api(h, 'POST', '/api/supervisor/calls/w-2/priority', 'supervisor', { priority: 500 })).code).toBe('VALIDATION');
    engine().hangup('w-2', 'caller');
  });

  it('a county supervisor acts only within its centre; a seat may not act at all', async () => {
    waitingCall(h, 'city', 'w-city', '13800000003');
    waitingCall(h, 'dongcheng', 'w-dc', '13800000004');
    expect((await api(h, 'POST', '/api/supervisor/calls/w-city/priority', 'supervisor-dc', { priority: 5 })).status).toBe(403);
    expect((await api(h, 'POST', '/api/supervisor/seats/s01/status', 'supervisor-dc', { status: 'offline', note: 'x' })).status).toBe(403);
    expect(
      data(await api<QueueCallView>(h, 'POST', '/api/supervisor/calls/w-dc/priority', 'supervisor-dc', { priority: 5 })).priority,
    ).toBe(5);
    expect((await api(h, 'POST', '/api/supervisor/calls/w-dc/priority', 'seat09', { priority: 5 })).status).toBe(403);
    const q = data(await api<QueueSnapshot>(h, 'GET', '/api/queue', 'supervisor-dc'));
    expect(q.calls.map((c) => c.id)).toEqual(['w-dc']);
    expect(new Set(q.seats.map((s) => s.centreId))).toEqual(new Set(['dongcheng']));
    engine().hangup('w-city', 'caller');
    engine().hangup('w-dc', 'caller');
  });

  it('a message reaches the chosen seat console, is audited, and a county supervisor cannot message the city', async () => {
    const seat = await connect(h.srv.url, h.cookies.seat09!);
    h.sockets.push(seat);
    const got = next(seat, 'supervisor:message-posted');
    const sent = data(
      await api<SupervisorMessage>(h, 'POST', '/api/supervisor/messages', 'supervisor-dc', {
        to: { kind: 'centre', centreId: 'dongcheng' },
        text: '请注意排队',
      }),
    );
    expect(sent.recipients).toBe(5);
    expect(await got).toMatchObject({ text: '请注意排队', fromName: '东城区班长 韩雪' });
    expect((await audit('supervisor.message'))[0]).toMatchObject({
      target: 'centre:dongcheng',
      after: { text: '请注意排队', recipients: 5 },
    });
    expect(
      (await api(h, 'POST', '/api/supervisor/messages', 'supervisor-dc', { to: { kind: 'centre', centreId: 'city' }, text: 'x' })).status,
    ).toBe(403);
    expect(error(await api(h, 'POST', '/api/supervisor/messages', 'supervisor', { to: { kind: 'all' }, text: '' })).code).toBe(
      'VALIDATION',
    );
  });

  it('the live queue shows offers made, to whom, the step reached, and each seat answered and missed today', async () => {
    const q = data(await api<QueueSnapshot>(h, 'GET', '/api/queue', 'supervisor'));
    expect(q.seats.find((s) => s.id === 's05')).toMatchObject({ answeredToday: 0, missedToday: 1 });
    expect(q.seats.find((s) => s.id === 's01')).toMatchObject({ missedToday: 0 });
  });
});
