import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { waitFor } from '../support/processes.js';
import { connect, emit, login, startTestServer, tempDbPath, type TestServer } from '../support/server.js';

/*
 * Ticket source `fetch` (H12345_TICKET_SOURCE): a ticket 12345 has not pushed by the webhook is
 * asked for at 12345's API, signed, bounded and retried, stored once, and moves the waiting call
 * to the specialty its category maps to. The simulator plays 12345's API.
 */
const KEY = { id: 'k1', secret: 'ticket-fetch-test-secret' };
let sim: Sim12345 | null = null;
let srv: TestServer | null = null;

afterEach(async () => {
  await srv?.stop();
  await sim?.stop();
  srv = null;
  sim = null;
});

async function start(source: 'fetch' | 'webhook', simKeys = [KEY]) {
  sim = await startSim12345({ keys: simKeys });
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  srv = await startTestServer({
    env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_TICKET_SOURCE: source, H12345_TICKET_FETCH_TIMEOUT_MS: '500' },
  });
  const admin = await login(srv.url, 'admin');
  const map = await fetch(`${srv.url}/api/handover/category-map`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ entries: [{ category: '劳动保障', categoryId: 'labor' }] }),
  });
  expect(map.status).toBe(200);
  // The reader is a supervisor of every centre: a seat reads only the tickets of its own calls.
  return { srv, sim, seat: await login(srv.url, 'supervisor') };
}

const ticket = (id: string) => ({
  id,
  category: '劳动保障',
  title: '工资拖欠',
  content: '公司拖欠三个月工资',
  citizenPhone: '13700001111',
});
const getTicket = async (s: TestServer, cookie: string, id: string) => {
  const res = await fetch(`${s.url}/api/handover/tickets/${id}`, { headers: { cookie } });
  return {
    status: res.status,
    body: (await res.json()) as { data?: { content: string; categoryId: string }; error?: { message: string } },
  };
};
const gets = (s: Sim12345, id: string) => s.log.filter((l) => l.path === `/tickets/${id}`);

describe('12345 tickets fetched from its API', () => {
  it('the screen pop fetches a ticket not on file once, signed; later reads come from the file', async () => {
    const { srv, sim, seat } = await start('fetch');
    sim.tickets.set('GD-F-1', ticket('GD-F-1'));
    const first = await getTicket(srv, seat, 'GD-F-1');
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ content: '公司拖欠三个月工资', categoryId: 'labor' });
    const again = await getTicket(srv, seat, 'GD-F-1');
    expect(again.status).toBe(200);
    expect(gets(sim, 'GD-F-1')).toEqual([{ path: '/tickets/GD-F-1', key: '', status: 200, reason: 'ticket' }]);
  });

  it('a ticket 12345 does not know is a clear 404, not asked again at once; 12345 down is a clear 503 after the retries, and works once it is back', async () => {
    const { srv, sim, seat } = await start('fetch');
    const unknown = await getTicket(srv, seat, 'GD-NONE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toBe('12345 平台没有工单 GD-NONE');
    await getTicket(srv, seat, 'GD-NONE');
    expect(gets(sim, 'GD-NONE')).toHaveLength(1);

    sim.tickets.set('GD-F-2', ticket('GD-F-2'));
    sim.setMode('fail');
    const down = await getTicket(srv, seat, 'GD-F-2');
    expect(down.status).toBe(503);
    expect(down.body.error?.message).toBe('向 12345 平台获取工单 GD-F-2 失败:暂不可用(503)');
    expect(gets(sim, 'GD-F-2')).toHaveLength(3);
    sim.setMode('ok');
    expect((await getTicket(srv, seat, 'GD-F-2')).status).toBe(200);
  });

  it('12345 refusing our signature is reported, not retried', async () => {
    const { srv, sim, seat } = await start('fetch', [{ id: 'k1', secret: 'another-secret' }]);
    sim.tickets.set('GD-F-3', ticket('GD-F-3'));
    const refused = await getTicket(srv, seat, 'GD-F-3');
    expect(refused.status).toBe(503);
    expect(refused.body.error?.message).toBe('向 12345 平台获取工单 GD-F-3 失败:拒绝了请求(401)');
    expect(gets(sim, 'GD-F-3')).toHaveLength(1);
  });

  it('a call arriving with a ticket not on file waits under its IVR choice, and moves to the mapped specialty once the ticket is fetched', async () => {
    const { srv, sim } = await start('fetch');
    // 李秀英 (labour and general) is signed in but at a meal: the call waits for her.
    const s02 = await connect(srv.url, await login(srv.url, 'seat02'));
    expect((await emit(s02, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).ok).toBe(true);
    sim.tickets.set('GD-F-4', ticket('GD-F-4'));
    expect(srv.app.ticketSpecialty('GD-F-4')).toBeNull(); // not on file yet: the fetch starts
    srv.app.engine.offerCall({ id: 'c-t4', caller: '13912340004', dialed: '123483', ivrCode: '0', ticket12345: 'GD-F-4' });
    await waitFor(() => srv.app.engine.getCall('c-t4')?.categoryId === 'labor', 'the call in the labour queue');
    expect(srv.app.ticketSpecialty('GD-F-4')).toBe('labor');
    expect(srv.app.engine.getCall('c-t4')?.events.some((e) => e.type === 'recategorized')).toBe(true);
    expect(gets(sim, 'GD-F-4')).toHaveLength(1);
    s02.disconnect();
  });

  it('with the webhook source (the default) nothing is fetched: a ticket not pushed yet is a 404', async () => {
    const { srv, sim, seat } = await start('webhook');
    sim.tickets.set('GD-F-5', ticket('GD-F-5'));
    const res = await getTicket(srv, seat, 'GD-F-5');
    expect(res.status).toBe(404);
    expect(res.body.error?.message).toBe('12345 尚未推送该工单的内容');
    expect(srv.app.ticketSpecialty('GD-F-5')).toBeNull();
    expect(sim.log).toEqual([]);
  });
});
