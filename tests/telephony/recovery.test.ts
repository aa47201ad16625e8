/**
 * The router and Kamailio each fail and come back; no caller is lost and the queue
 * keeps its order.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emit } from '../support/server.js';
import { sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  stack = await startSipStack({
    routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
  });
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await stack?.stop();
});

describe('the router is killed with calls waiting', () => {
  it('after a restart, all 5 waiting callers are answered, in the order they called', async () => {
    // s02 (labour) is signed in but busy: labour calls (IVR 2) wait in Kamailio's queue.
    const s02 = await stack.seat('s02', { ready: false });
    phones.push(s02);
    expect((await emit(s02.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const callers = [];
    for (let i = 1; i <= 5; i++) {
      callers.push(stack.startCall({ dialed: '123482', caller: `1380000000${i}`, talkMs: 300, timeoutMs: 90_000 }));
      await waitFor(() => stack.calls().length === i, `call ${i} queued`);
    }
    const order = stack.calls().map((c) => c.caller);
    expect(order).toEqual(['13800000001', '13800000002', '13800000003', '13800000004', '13800000005']);

    await stack.killRouter(); // SIGKILL: no shutdown code runs
    await stack.startRouter();
    expect(stack.calls().filter((c) => c.state_kind === 'queued')).toHaveLength(5);

    // The lawyer signs in again (new console, new phone) and takes calls.
    await s02.stopPhone();
    const back = await stack.seat('s02');
    phones.push(back);
    const results = await Promise.all(callers.map((c) => c.done));
    for (const r of results) expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const answered = stack
      .calls()
      .filter((c) => c.answered_at !== null)
      .sort((a, b) => a.answered_at! - b.answered_at!)
      .map((c) => c.caller);
    expect(answered).toEqual(order);
  }, 90_000);
});

describe('the router is killed while a seat answers', () => {
  it('a call answered and hung up while no router runs is recorded answered and hung up by the caller, not timed out', async () => {
    // s05's phone answers 3 s after it rings; the router dies during the ring and comes back after the hang-up.
    const s05 = await stack.seat('s05', { ringMs: 3000 });
    phones.push(s05);
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ dialed: '123485', caller: '13800000099', talkMs: 300, timeoutMs: 30_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'ringing'), 'ringing at s05');
    await stack.killRouter();
    const r = await caller.done; // answered by the seat, hung up by the caller: nobody told the router
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    await stack.startRouter();
    await waitFor(
      () =>
        stack.calls().find((c) => c.id === call.id)?.state_kind === 'wrap-up' || stack.events(call.id).some((e) => e.type === 'hung-up'),
      'the call settled',
    );
    const types = stack.events(call.id).map((e) => e.type);
    expect(types).toContain('answered');
    expect(types).not.toContain('timed-out');
    expect(stack.events(call.id).find((e) => e.type === 'hung-up')?.data.by).toBe('caller');
  }, 60_000);
});

describe('Kamailio restarts', () => {
  it('the router reconnects by itself, seats register again, and the next call is answered', async () => {
    const s03 = await stack.seat('s03');
    phones.push(s03);
    const syncs = () => fs.readFileSync(stack.logs.router, 'utf8').split('resync with Kamailio done').length;
    const before = syncs();
    await stack.stopKamailio();
    // Kamailio keeps registrations in memory only: after the restart nobody is registered.
    await stack.startKamailio();
    await waitFor(() => stack.seatState('s03').registered === false, 'registration loss noticed', 15_000);
    await waitFor(() => syncs() > before, 'router reconnected and resynchronised', 15_000);
    await s03.register();
    await waitFor(() => stack.seatState('s03').registered, 's03 registered again');
    const r = await stack.call({ dialed: '123483', talkMs: 300 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const last = stack.calls().at(-1)!;
    expect(stack.events(last.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s03');
  }, 60_000);
});
