import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundPort } from '../../server/src/features/satisfaction/visit-dial-service.js';
import { startSim12345, type Sim12345 } from '../sim-12345/http-api.js';
import { waitFor } from '../support/processes.js';
import { connect, emit, login, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * 咨询12345 (consult a 12345 agent, then transfer) against a real server, a fake outbound line
 * and the 12345 simulator's HTTP API: the seat's one-time token to call the 12345 number, the
 * work order written once (marked consult) in the transfer's commit, and how the transfer
 * result reads when the seat completes, cancels, or 12345 is busy. (The calls themselves:
 * tests/e2e/handover-consult-12345.test.ts.)
 */
const KEY = { id: 'k1', secret: 'consult-integration-shared-secret' };
let sim: Sim12345;
let srv: TestServer;
const sockets: ClientSocket[] = [];

/** A fake outbound line: records each token it is asked to open, and opens it or not. */
function fakeLine(opens = true) {
  const allowed: Parameters<OutboundPort['allow']>[0][] = [];
  const line: OutboundPort = {
    allow: (a) => {
      allowed.push(a);
      return Promise.resolve(opens);
    },
    listen: () => undefined,
  };
  return { line, allowed };
}

async function start(line?: OutboundPort) {
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  srv = await startTestServer({
    env: { H12345_API_URL: sim.apiUrl, H12345_KEY_FILE: keyFile, H12345_RETRY_BASE_MS: '50', H12345_RETRY_MAX_MS: '200' },
    ...(line ? { outbound: line } : {}),
  });
}

beforeEach(async () => {
  sim = await startSim12345({ keys: [KEY] });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv?.stop();
  await sim.stop();
});

/** s03 talking with caller c1. */
async function talkingAtS03() {
  const cookie = await login(srv.url, 'seat03');
  const s = await connect(srv.url, cookie);
  sockets.push(s);
  await emit(s, 'seat:set-status', { status: 'ready' });
  srv.app.engine.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
  srv.app.engine.answered('c1', 's03');
  return s;
}

const consult12345 = (s: ClientSocket, callId = 'c1') => emit(s, 'call:transfer', { callId, target: { kind: '12345' }, mode: 'consult' });
const orders = () => sim.accepted.filter((m) => m.path === '/work-orders');
const results = () => sim.accepted.filter((m) => m.path.endsWith('/transfer-result'));

describe('咨询12345: the consultation call and the work order', () => {
  it('when a seat consults 12345, should open a one-time token for that seat to the 12345 number and send the work order once, marked consult', async () => {
    const { line, allowed } = fakeLine();
    await start(line);
    const s = await talkingAtS03();

    const ack = await consult12345(s);

    if (!ack.ok) throw new Error(ack.error.message);
    const t = ack.data;
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ seatId: 's03', uri: 'sip:12345@127.0.0.1:5070', callerId: '12348' });
    expect(allowed[0]!.token).toMatch(/^[a-f0-9]{32}$/);
    expect(t.consultUri).toBe(`sip:c12345-${allowed[0]!.token}@12348.local`);
    expect(t.referTo).toBe(`sip:12345@127.0.0.1:5070?X-12348-Workorder=${t.handoverId}`);
    await waitFor(() => orders().length === 1, 'the work order at 12345');
    expect(orders()[0]!.body).toMatchObject({ workOrderId: t.handoverId, transferMode: 'consult', callId: 'c1' });
    expect(results()).toHaveLength(0);
    // Supervisors see the hand-over marked as consulted first (转办转介).
    const sup = await login(srv.url, 'supervisor');
    const list = (await (await fetch(`${srv.url}/api/handovers`, { headers: { cookie: sup } })).json()) as {
      data: { handovers: { id: string; consulted?: boolean }[] };
    };
    expect(list.data.handovers.find((h) => h.id === t.handoverId)?.consulted).toBe(true);
  });

  it('when the seat completes after the consultation, should send the transfer result connected and consulted, and the work order still once', async () => {
    await start(fakeLine().line);
    const s = await talkingAtS03();
    const ack = await consult12345(s);
    if (!ack.ok) throw new Error(ack.error.message);

    const done = await emit(s, 'transfer:report', { transferId: ack.data.id, outcome: 'completed' });

    expect(done.ok).toBe(true);
    await waitFor(() => results().length === 1, 'the transfer result at 12345');
    expect(results()[0]!.body).toMatchObject({ workOrderId: ack.data.handoverId, connected: true, consulted: true, reason: null });
    expect(orders()).toHaveLength(1);
  });

  it('when the seat cancels the consultation, should send the transfer result not connected with the reason', async () => {
    await start(fakeLine().line);
    const s = await talkingAtS03();
    const ack = await consult12345(s);
    if (!ack.ok) throw new Error(ack.error.message);

    await emit(s, 'transfer:report', { transferId: ack.data.id, outcome: 'cancelled' });

    await waitFor(() => results().length === 1, 'the transfer result at 12345');
    expect(results()[0]!.body).toMatchObject({
      connected: false,
      consulted: true,
      reason: '坐席咨询12345后取消转接,来电人仍由12348接待',
    });
    expect(srv.app.engine.getCall('c1')!.state.kind).toBe('talking');
  });

  it('when 12345 is busy during the consultation, should send the transfer result not connected with what the line said', async () => {
    await start(fakeLine().line);
    const s = await talkingAtS03();
    const ack = await consult12345(s);
    if (!ack.ok) throw new Error(ack.error.message);

    await emit(s, 'transfer:report', { transferId: ack.data.id, outcome: 'cancelled', detail: '咨询呼叫未接通(486 Busy)' });

    await waitFor(() => results().length === 1, 'the transfer result at 12345');
    expect(results()[0]!.body).toMatchObject({ connected: false, reason: '咨询呼叫未接通(486 Busy)' });
  });

  it('when the outbound line cannot be opened, should refuse with a sentence and write no work order', async () => {
    await start(fakeLine(false).line);
    const s = await talkingAtS03();

    const ack = await consult12345(s);

    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe('UNAVAILABLE');
    expect(ack.error.message).toContain('无法呼叫12345咨询');
    expect(srv.db.prepare('SELECT COUNT(*) AS n FROM handovers').get()).toEqual({ n: 0 });
    expect(srv.app.engine.getCall('c1')!.state.kind).toBe('talking');
  });

  it('when the call is not talking at this seat, should refuse before opening the line', async () => {
    const { line, allowed } = fakeLine();
    await start(line);
    const s = await talkingAtS03();

    const ack = await consult12345(s, 'no-such-call');

    expect(ack.ok).toBe(false);
    expect(allowed).toHaveLength(0);
  });

  it('when no outbound line is configured, should refuse 咨询12345 and say a blind 转12345 is possible', async () => {
    await start();
    const s = await talkingAtS03();

    const ack = await consult12345(s);

    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe('CONFLICT');
    expect(ack.error.message).toContain('可直接转12345');
  });
});
