import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localParts } from '../../server/src/domain/calendar.js';
import { fileSummaryAtSeat } from '../support/file-summary.js';
import { connect, emit, login, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * Onward referrals as an office and a scoped manager read them: the printed form's times in the
 * hotline's own time, and the referral counts limited to the manager's centres.
 */
let srv: TestServer;
const sockets: ClientSocket[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  const admin = await login(srv.url, 'admin');
  const res = await fetch(`${srv.url}/api/referrals/offices`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ offices: [{ centreId: 'city', kind: 'complaint', name: '市司法局投诉受理科', dueDays: 15 }] }),
  });
  expect(res.status).toBe(200);
  sockets.push(await fileSummaryAtSeat(srv, { callId: 'c1', disposition: 'complaint' }));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
});

const referral = () =>
  srv.db.prepare("SELECT id, created_at AS createdAt, due_at AS dueAt FROM referrals WHERE call_id = 'c1'").get() as {
    id: string;
    createdAt: number;
    dueAt: number;
  };

describe('the printed 转介单', () => {
  it("gives the referral's time and due date in China time, as the office reads them", async () => {
    const r = referral();
    const sup = await login(srv.url, 'supervisor');

    const text = await (await fetch(`${srv.url}/api/referrals/${r.id}/form`, { headers: { cookie: sup } })).text();

    const china = (at: number) => `${localParts(at, 480).date} ${localParts(at, 480).hhmm}`;
    expect(text).toContain(`转介时间:${china(r.createdAt)}`);
    expect(text).toContain(`办结期限:${china(r.dueAt)}`);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe('referral counts', () => {
  it("a manager limited to 东城区 counts only 东城区's referrals, not the city's", async () => {
    srv.db.prepare(`UPDATE users SET centres_json = '["dongcheng"]' WHERE username = 'manager'`).run();
    const manager = await login(srv.url, 'manager');
    const admin = await login(srv.url, 'admin');
    const report = async (cookie: string) =>
      ((await (await fetch(`${srv.url}/api/referrals/report`, { headers: { cookie } })).json()) as { data: { byOffice: unknown[] } }).data
        .byOffice;

    expect(await report(manager)).toEqual([]);
    expect(await report(admin)).toEqual([{ office: '市司法局投诉受理科', kind: 'complaint', open: 1, closed: 0, overdue: 0 }]);
  });
});

describe('referral counts over a busy year', () => {
  it('count every referral of the period, past 5000', async () => {
    const insert = srv.db.prepare(
      `INSERT INTO referrals (id, call_id, seat_id, centre_id, kind, office_id, office_name, channel, state, outcome, due_at, payload_json, created_at, updated_at)
       VALUES (?, ?, 's03', 'city', 'legal-aid', NULL, '市法律援助中心', 'form', 'open', '', NULL, '{}', ?, ?)`,
    );
    const at = Date.now() - 100 * 86_400_000;
    srv.db.transaction(() => {
      for (let i = 0; i < 5002; i++) insert.run(`rf-busy-${i}`, `cb${i}`, at + i, at + i);
    })();
    const admin = await login(srv.url, 'admin');
    const report = (await (
      await fetch(`${srv.url}/api/referrals/report?from=${at - 1}&to=${Date.now() + 1}`, { headers: { cookie: admin } })
    ).json()) as { data: { byOffice: { office: string; open: number }[] } };

    expect(report.data.byOffice.find((r) => r.office === '市法律援助中心')?.open).toBe(5002);
  });
});

describe('the 转介单 of a 保密 summary', () => {
  it('is printed for the office, and anyone but its seat who reads it is recorded in the audit log', async () => {
    const cookie = await login(srv.url, 'seat03');
    const s = await connect(srv.url, cookie);
    sockets.push(s);
    await emit(s, 'seat:set-status', { status: 'ready' });
    srv.app.engine.offerCall({ id: 'c-secret', caller: '13812349999', dialed: '123483', ivrCode: '3' });
    srv.app.engine.answered('c-secret', 's03');
    srv.app.engine.hangup('c-secret', 'caller');
    const filed = await fetch(`${srv.url}/api/calls/c-secret/summary`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        categoryId: 'contract-debt',
        topic: '投诉',
        question: '被家人侵占房产,请求保密',
        answer: '已受理投诉',
        disposition: 'complaint',
        referral: '',
        confidential: true,
      }),
    });
    expect(filed.status).toBe(201);
    const id = (srv.db.prepare("SELECT id FROM referrals WHERE call_id = 'c-secret'").get() as { id: string }).id;
    const audited = () =>
      srv.db.prepare("SELECT target FROM audit_log WHERE action = 'referral.confidential-form'").all() as { target: string }[];

    expect((await fetch(`${srv.url}/api/referrals/${id}/form`, { headers: { cookie } })).status).toBe(200);
    expect(audited()).toEqual([]); // its own seat
    const sup = await login(srv.url, 'supervisor');
    const form = await fetch(`${srv.url}/api/referrals/${id}/form`, { headers: { cookie: sup } });

    expect(form.status).toBe(200);
    expect(await form.text()).toContain('被家人侵占房产');
    expect(audited()).toEqual([{ target: `referral:${id}` }]);
  });
});
