/**
 * The router's policy decisions carried out by Kamailio: overflow to the 12345
 * hotline at the queue maximum, the branch budget, hold and unhold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerBudgetFor } from '../../server/src/telephony/kamailio-protocol.js';
import { SIPP_DIR, freeMediaPort, sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';
import { emit, login } from '../support/server.js';

let stack: SipStack;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  stack = await startSipStack({
    routing: (cfg) => ({
      ...cfg,
      ringTimeoutS: 2,
      maxOfferAttempts: 30, // more than Kamailio's branch budget allows: the budget must win
      wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false },
      defaultPolicy: {
        ...cfg.defaultPolicy,
        maxWaitS: 3,
        overflow: { ...cfg.defaultPolicy.overflow, 'max-wait': ['12345'], 'offers-exhausted': ['12345'] },
      },
      // criminal calls may wait long in the router's policy: Kamailio's backstop (6 s here) ends them first
      categoryPolicies: { criminal: { maxWaitS: 600 } },
    }),
    queueMaxMs: 6000,
    // A small branch limit, so a handful of seats can use the whole budget: 3 offers.
    env: { SIP_MAX_BRANCHES: '8' },
  });
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await stack?.stop();
});

/** The 12345 government hotline: a SIPp phone at SIP_12345_URI that answers one call (`done` when it has). */
async function hotline12345() {
  const [host, port] = stack.config.SIP_12345_URI.replace(/^sip:[^@]+@/, '').split(':') as [string, string];
  const done = stack.sipp(
    [
      '-sf',
      path.join(SIPP_DIR, 'seat-answer.xml'),
      '-i',
      host,
      '-p',
      port,
      '-mi',
      host,
      '-mp',
      String(await freeMediaPort(host)),
      '-d',
      '100',
      '-m',
      '1',
    ],
    { timeoutMs: 30_000 },
  );
  return { done };
}

describe('overflow', () => {
  it('when the queue maximum is reached, the call is sent on to the 12345 hotline and answered there', async () => {
    // s02 (labour) is signed in but busy, so the labour call waits until its maximum (3 s).
    const s02 = await stack.seat('s02', { ready: false });
    phones.push(s02);
    expect((await emit(s02.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const gw = await hotline12345();
    const r = await stack.call({ dialed: '123482', talkMs: 500 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(sippCounts(await gw.done)).toEqual({ ok: 1, failed: 0 });
    const call = stack.calls().at(-1)!;
    expect(call.state_kind).toBe('overflowed');
    expect(stack.events(call.id).find((e) => e.type === 'overflowed')?.data).toEqual({ target: '12345', trigger: 'max-wait' });
    await s02.stop();
  });
});

describe("Kamailio's queue backstop", () => {
  it("when a call outlives Kamailio's own queue timer, the caller hears 480 and the call is recorded as timed out", async () => {
    const s06 = await stack.seat('s06', { ready: false });
    phones.push(s06);
    expect((await emit(s06.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const r = await stack.call({ dialed: '123488', expectCode: 480 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = stack.calls().at(-1)!;
    await waitFor(() => stack.calls().find((c) => c.id === call.id)?.state_kind === 'timed-out', 'timed out');
    await s06.stop();
  });
});

describe("Kamailio's branch budget", () => {
  const budget = offerBudgetFor(8);
  it(`a call declined by more seats than the branch budget allows goes on to 12345 after ${budget} offers instead of dying`, async () => {
    const ids = ['s01', 's03', 's04', 's05', 's06'];
    const decliners: SeatPhone[] = [];
    for (const id of ids) decliners.push(await stack.seat(id, { behaviour: 'decline' }));
    phones.push(...decliners);
    const gw = await hotline12345();
    const r = await stack.call({ dialed: '12348', talkMs: 300 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(sippCounts(await gw.done)).toEqual({ ok: 1, failed: 0 });
    const call = stack.calls().at(-1)!;
    const ev = stack.events(call.id);
    expect(ev.filter((e) => e.type === 'declined')).toHaveLength(budget);
    expect(ev.find((e) => e.type === 'overflowed')?.data).toEqual({ target: '12345', trigger: 'offers-exhausted' });
    expect(fs.readFileSync(stack.logs.kamailio, 'utf8')).not.toMatch(/maximum number of branches/i);
    for (const p of decliners) await p.stop();
  });
});

describe('hold', () => {
  it('the seat puts the caller on hold and takes the call back; hold time is recorded', async () => {
    const s03 = await stack.seat('s03', { behaviour: 'hold', ringMs: 1000 });
    phones.push(s03);
    const r = await stack.call({ scenario: 'caller-held.xml', dialed: '123483', talkMs: 500 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = stack.calls().at(-1)!;
    // The BYE reaches the router over evapi a moment after SIPp has its 200.
    await waitFor(() => stack.events(call.id).some((e) => e.type === 'hung-up'), 'hang-up recorded');
    const ev = stack.events(call.id).map((e) => e.type);
    expect(ev).toEqual(expect.arrayContaining(['answered', 'held', 'resumed', 'hung-up']));
    expect(ev.indexOf('held')).toBeLessThan(ev.indexOf('resumed'));
    // The call record (话单) counts the time on hold apart from talk time.
    const cookie = await login(stack.routerUrl, 'supervisor');
    const body = (await (await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(call.id)}`, { headers: { cookie } })).json()) as {
      data: { record: { holdMs: number; talkMs: number; hungUpBy: string; result: string } };
    };
    expect(body.data.record).toMatchObject({ hungUpBy: 'caller', result: 'answered' });
    expect(body.data.record.holdMs).toBeGreaterThan(500); // the seat held the call for -d 1000 ms
    expect(body.data.record.talkMs).toBeGreaterThan(0);
  });
});
