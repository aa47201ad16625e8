/** Major-matter alerts (重大事项上报): raised by a report or a risk-flagged summary, pushed to supervisors, acknowledged. */
import { describe, expect, it } from 'vitest';
import type { MajorAlert } from '../../server/src/contract/index.js';
import { connect, next } from '../support/server.js';
import { MIN, SUMMARY, harness, api, data, error, answeredCall, supervisorSocket } from './support-summaries.js';

describe('major-matter alerts (重大事项上报)', () => {
  const h = harness();

  it('when the seat reports during the call, should answer 201 and push the alert to supervisors at once, not to seats', async () => {
    answeredCall(h, 's02', 'g-1', '13500000001', { keepTalking: true });
    const sup = await supervisorSocket(h);
    const otherSeat = await connect(h.srv.url, h.cookies.seat03!);
    h.sockets.push(otherSeat);
    const seatGot: MajorAlert[] = [];
    otherSeat.on('alert:updated', (a) => seatGot.push(a));
    const pushed = next(sup, 'alert:updated');

    const r = await api<MajorAlert>(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '三十余名工人欲集体上访讨薪' });

    expect(r.status).toBe(201);
    const expected: MajorAlert = {
      id: data(r).id,
      callId: 'g-1',
      seatId: 's02',
      seatName: '李秀英',
      categoryId: 'general',
      callerMasked: '135****0001',
      note: '三十余名工人欲集体上访讨薪',
      raisedAt: h.clock.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    expect(data(r)).toEqual(expected);
    expect(await pushed).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seatGot).toEqual([]);
  });

  it('when the seat reports again on the same call, should update the one alert (200) and push it again', async () => {
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'alert:updated');

    const r = await api<MajorAlert>(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '已约定明早到现场' });

    expect(r.status).toBe(200);
    expect((await pushed).note).toBe('已约定明早到现场');
    const all = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor'));
    expect(all.filter((a) => a.callId === 'g-1')).toHaveLength(1);
  });

  it('when the note is empty, should answer 400 on note', async () => {
    const r = await api(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '  ' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ note: ['请填写上报说明'] });
  });

  it('when a seat that did not answer the call reports, should answer 404', async () => {
    expect((await api(h, 'POST', '/api/calls/g-1/major-report', 'seat03', { note: '？' })).status).toBe(404);
  });

  it('when a supervisor acknowledges it, should record who and when, push it again and drop it from the open list', async () => {
    const sup = await supervisorSocket(h);
    const [alert] = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'));
    const pushed = next(sup, 'alert:updated', (a) => a.acknowledgedAt !== null);
    h.clock.advance(MIN);

    const r = await api<MajorAlert>(h, 'POST', `/api/alerts/${alert!.id}/ack`, 'supervisor');

    expect(data(r)).toMatchObject({ id: alert!.id, acknowledgedAt: h.clock.now(), acknowledgedBy: '班长 林晓' });
    expect((await pushed).acknowledgedBy).toBe('班长 林晓');
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'))).toEqual([]);
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).map((a) => a.id)).toEqual([alert!.id]);
  });

  it('when an unknown alert is acknowledged, should answer 404', async () => {
    expect((await api(h, 'POST', '/api/alerts/99999/ack', 'supervisor')).status).toBe(404);
    expect((await api(h, 'POST', '/api/alerts/abc/ack', 'supervisor')).status).toBe(404);
  });

  it('when a seat lists alerts, should answer 403', async () => {
    expect((await api(h, 'GET', '/api/alerts', 'seat02')).status).toBe(403);
  });

  it('when a summary is filed with the risk flag, should raise an alert with its note and category, newest first', async () => {
    answeredCall(h, 's04', 'g-2', '13500000002');
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'alert:updated', (a) => a.callId === 'g-2');

    await api(h, 'POST', '/api/calls/g-2/summary', 'seat04', {
      ...SUMMARY,
      categoryId: 'property-land',
      disposition: 'major-report',
      riskNote: '征地补偿纠纷,村民情绪激动',
    });

    expect(await pushed).toMatchObject({ callId: 'g-2', categoryId: 'property-land', note: '征地补偿纠纷,村民情绪激动', seatId: 's04' });
    const open = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'));
    expect(open.map((a) => a.callId)).toEqual(['g-2']);
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).map((a) => a.callId)).toEqual(['g-2', 'g-1']);
  });

  it("when a risk-flagged summary is filed for a call already reported, should keep the one alert, now under the summary's category", async () => {
    const before = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).find((a) => a.callId === 'g-1');
    h.srv.app.engine.hangup('g-1', 'seat');

    const r = await api(h, 'POST', '/api/calls/g-1/summary', 'seat02', { ...SUMMARY, riskFlag: true, riskNote: '群体性纠纷' });

    expect(r.status).toBe(201);
    const after = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).filter((a) => a.callId === 'g-1');
    expect(after).toEqual([{ ...before, categoryId: 'labor' }]);
  });
});
