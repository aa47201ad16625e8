/** Callback requests (回电请求): a callback overflow is stored with the overflow, listed and pushed to supervisors, numbers masked. */
import { describe, expect, it } from 'vitest';
import type { CallbackRequestView } from '../../server/src/contract/index.js';
import { connect, next } from '../support/server.js';
import { S, api, data, error, harness, supervisorSocket } from './support-summaries.js';

describe('callback requests (回电请求)', () => {
  const h = harness();
  const signOffEveryone = () => {
    const engine = h.srv.app.engine;
    for (const s of engine.listSeats()) if (s.state.kind !== 'offline') engine.setSeatOffline(s.profile.id);
  };

  it('when no seat is signed in, should store the callback request in the overflow commit and push it to supervisors, number masked', async () => {
    signOffEveryone();
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'callback:updated');

    h.srv.app.engine.offerCall({ id: 'cb-1', caller: '13912345678', dialed: '123482', ivrCode: '2', flags: ['elderly'] });

    const expected: CallbackRequestView = {
      id: expect.any(Number),
      callId: 'cb-1',
      callerMasked: '139****5678',
      categoryId: 'labor',
      homeCentreId: 'city',
      language: null,
      flags: ['elderly'],
      waitS: 0,
      trigger: 'no-seat',
      reason: null,
      createdAt: h.clock.now(),
      status: 'open',
    };
    expect(await pushed).toEqual(expected);
    const row = h.srv.db.prepare('SELECT caller, status FROM callback_requests WHERE call_id = ?').get('cb-1');
    expect(row).toEqual({ caller: '13912345678', status: 'open' });
    const list = data(await api<CallbackRequestView[]>(h, 'GET', '/api/callbacks', 'supervisor'));
    expect(list).toEqual([expected]);
    expect(JSON.stringify(list)).not.toContain('13912345678');
  });

  it('when an English caller finds no seat that speaks English signed in, should record why on the request', async () => {
    const engine = h.srv.app.engine;
    engine.setSeatNotReady('s02', 'rest'); // 李秀英 (劳动 5) signed in, speaks only zh
    h.clock.advance(S);

    engine.offerCall({ id: 'cb-en', caller: '13800000002', dialed: '123482', ivrCode: '2', language: 'en' });

    const [latest] = data(await api<CallbackRequestView[]>(h, 'GET', '/api/callbacks?status=open&limit=1', 'supervisor'));
    expect(latest).toMatchObject({ callId: 'cb-en', language: 'en', trigger: 'no-seat', reason: 'no-seat-with-language' });
    expect(engine.getCall('cb-en')).toBeUndefined();
  });

  it('when a call waits past its maximum wait, should store how long the caller waited', async () => {
    const engine = h.srv.app.engine;
    engine.offerCall({ id: 'cb-wait', caller: '13800000003', dialed: '123482', ivrCode: '2' });
    expect(engine.getCall('cb-wait')?.state.kind).toBe('queued');

    h.clock.advance(300 * S);

    const [latest] = data(await api<CallbackRequestView[]>(h, 'GET', '/api/callbacks?limit=1', 'supervisor'));
    expect(latest).toMatchObject({ callId: 'cb-wait', trigger: 'max-wait', waitS: 300, reason: null });
  });

  it('when a seat asks for the list, should answer 403; a seat socket gets no push', async () => {
    const r = await api(h, 'GET', '/api/callbacks', 'seat01');
    expect(r.status).toBe(403);
    const seatSocket = await connect(h.srv.url, h.cookies.seat03!);
    h.sockets.push(seatSocket);
    const got: CallbackRequestView[] = [];
    seatSocket.on('callback:updated', (c) => got.push(c));
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'callback:updated');
    signOffEveryone();
    h.srv.app.engine.offerCall({ id: 'cb-2', caller: '13800000004', dialed: '12348' });
    await pushed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(got).toEqual([]);
  });

  it('when the query is malformed, should answer 400 naming the field', async () => {
    const r = await api(h, 'GET', '/api/callbacks?status=maybe&limit=0', 'supervisor');
    expect(r.status).toBe(400);
    expect(Object.keys(error(r).fields ?? {}).sort()).toEqual(['limit', 'status']);
  });
});
