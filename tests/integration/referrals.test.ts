import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { waitFor } from '../support/processes.js';
import { fileSummaryAtSeat } from '../support/file-summary.js';
import { login, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * Onward referrals (转介) through the same hand-over: a summary whose disposition sends the
 * citizen on creates a referral for the office its centre names; an office with an endpoint gets
 * it through the outbox (the simulator plays the office), one without gets a printable form;
 * complaints carry the bureau's due date, and overdue ones reach supervisors.
 */
const KEY = { id: 'k1', secret: 'referral-test-shared-secret' };
let sim: Sim12345;
let srv: TestServer;
const sockets: ClientSocket[] = [];

beforeEach(async () => {
  sim = await startSim12345({ keys: [KEY], basePath: '/offices' });
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  srv = await startTestServer({ env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50' } });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
  await sim.stop();
});

async function put(url: string, cookie: string, body: unknown) {
  return fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
}

/** s03 (city) answers a call, the caller hangs up, and s03 files a summary with this disposition. */
async function fileAtS03(callId: string, disposition: string, referral = '') {
  sockets.push(await fileSummaryAtSeat(srv, { callId, disposition, referral }));
}

describe('onward referrals', () => {
  it('a 投诉受理 summary creates a complaint referral for the complaint desk (sent to its endpoint once); once past the due date the bureau set it is shown to supervisors as overdue, until closed', async () => {
    const admin = await login(srv.url, 'admin');
    const offices = await put(`${srv.url}/api/referrals/offices`, admin, {
      offices: [
        { centreId: 'city', kind: 'complaint', name: '市司法局投诉受理科', endpointUrl: `${sim.apiUrl}/complaints`, dueDays: 15 },
        { centreId: 'city', kind: 'mediation', name: '市人民调解委员会' },
      ],
    });
    expect(offices.status).toBe(200);
    const badOffice = await put(`${srv.url}/api/referrals/offices`, admin, {
      offices: [{ centreId: 'mars', kind: 'complaint', name: 'x' }],
    });
    expect(badOffice.status).toBe(400);

    await fileAtS03('c1', 'complaint');
    await waitFor(() => sim.accepted.length === 1, 'the complaint at the desk');
    expect(sim.accepted[0]).toMatchObject({
      path: '/complaints',
      body: { kind: 'complaint', kindLabel: '司法局投诉受理', question: '对律所收费不满', seat: { id: 's03' }, callId: 'c1' },
    });

    const sup = await login(srv.url, 'supervisor');
    const list = async () =>
      (await (await fetch(`${srv.url}/api/referrals`, { headers: { cookie: sup } })).json()) as {
        data: {
          referrals: { id: string; dueAt: number; overdue: boolean; delivery: string; officeName: string }[];
          overdue: { id: string }[];
        };
      };
    const before = await list();
    const ref = before.data.referrals[0]!;
    expect(ref).toMatchObject({ officeName: '市司法局投诉受理科', overdue: false, delivery: 'accepted' });
    expect(ref.dueAt - Date.now()).toBeGreaterThan(14 * 24 * 3600_000);
    expect(before.data.overdue).toEqual([]);

    // The bureau sets the due date; it passes.
    expect((await put(`${srv.url}/api/referrals/${ref.id}`, sup, { dueAt: Date.now() - 1000 })).status).toBe(200);
    const after = await list();
    expect(after.data.overdue.map((r) => r.id)).toEqual([ref.id]);
    expect(after.data.referrals[0]!.overdue).toBe(true);

    const closed = await put(`${srv.url}/api/referrals/${ref.id}`, sup, { close: { outcome: '已答复投诉人' } });
    expect(closed.status).toBe(200);
    expect((await list()).data.overdue).toEqual([]);
    expect((await put(`${srv.url}/api/referrals/${ref.id}`, sup, { close: { outcome: '再次' } })).status).toBe(409);

    const manager = await login(srv.url, 'manager');
    const report = (await (await fetch(`${srv.url}/api/referrals/report`, { headers: { cookie: manager } })).json()) as { data: unknown };
    expect(report.data).toMatchObject({ byOffice: [{ office: '市司法局投诉受理科', kind: 'complaint', open: 0, closed: 1, overdue: 0 }] });
  });

  it('an office without an endpoint gets a printable form; a summary that sends nobody on creates no referral', async () => {
    const admin = await login(srv.url, 'admin');
    await put(`${srv.url}/api/referrals/offices`, admin, { offices: [{ centreId: 'city', kind: 'mediation', name: '市人民调解委员会' }] });
    await fileAtS03('c2', 'mediation', '邻里纠纷调解');
    await fileAtS03('c3', 'answered');
    const sup = await login(srv.url, 'supervisor');
    const body = (await (await fetch(`${srv.url}/api/referrals`, { headers: { cookie: sup } })).json()) as {
      data: { referrals: { id: string; callId: string; channel: string; delivery: string | null }[] };
    };
    expect(body.data.referrals.map((r) => [r.callId, r.channel, r.delivery])).toEqual([['c2', 'form', null]]);
    const form = await fetch(`${srv.url}/api/referrals/${body.data.referrals[0]!.id}/form`, { headers: { cookie: sup } });
    const text = await form.text();
    expect(text).toContain('转介单(人民调解委员会)');
    expect(text).toContain('接收单位:市人民调解委员会');
    expect(text).toContain('转介说明:邻里纠纷调解');
    expect(sim.log).toEqual([]);
  });
});
