/**
 * Issue 10's routing rules carried out through Kamailio with SIPp callers and SIPp seat phones:
 * a seat that missed a call gets it once it is ready again (no other seat free), and crossed
 * specialties each get their own call. (The county seat answering a city caller is in
 * calls.test.ts; callback requests and callers in other languages, with the console in
 * Chromium, in tests/e2e/routing.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emit } from '../support/server.js';
import { sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  stack = await startSipStack({
    routing: (cfg) => ({
      ...cfg,
      ringTimeoutS: 2,
      // A missed call keeps the seat not-ready until it says it is ready again.
      missedOffer: { windowS: 3600, steps: [{ autoReadyAfterS: null }] },
      wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false },
      // Any seat with the general skill may take a call after 1 s (the crossed-specialties case).
      defaultPolicy: { ...cfg.defaultPolicy, lowerProficiencyAfterS: null, generalAfterS: 1 },
    }),
  });
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await stack?.stop();
});

const offered = (callId: string) => stack.events(callId).filter((e) => e.type === 'offered');

describe('missed is not forever', () => {
  it('when the only seat misses the call, the caller keeps waiting, and the seat gets the call again once it is ready again', async () => {
    const first = await stack.seat('s02', { behaviour: 'noanswer' });
    phones.push(first);
    const caller = stack.startCall({ dialed: '123482', caller: '13900000011', talkMs: 300, timeoutMs: 60_000 });
    await waitFor(() => stack.seatState('s02').reason === 'missed', 's02 missed the call', 20_000);
    const call = stack.calls().at(-1)!;
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('queued');

    // The lawyer is back at the desk (its phone now answers) and presses 就绪.
    await first.stopPhone();
    const again = await stack.seat('s02');
    phones.push(again);

    const r = await caller.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const offers = offered(call.id);
    expect(offers.map((o) => o.data.seatId)).toEqual(['s02', 's02']);
    expect(offers[0]!.data.why).not.toHaveProperty('reoffer');
    expect(offers[1]!.data.why).toMatchObject({ reoffer: true });
    expect(stack.events(call.id).find((e) => e.type === 'answered')?.data.seatId).toBe('s02');
    await again.stop();
    await first.stop();
  });
});

describe('best pairing', () => {
  it('when 张伟 (合同 5) and then 李秀英 (劳动 5) become ready with an older 劳动 call and a 合同 call waiting, each gets the call of their own specialty', async () => {
    const s02 = await stack.seat('s02', { ready: false }); // 李秀英, 劳动与社会保障 5, general 3
    const s03 = await stack.seat('s03', { ready: false }); // 张伟, 合同与债务 5, general 3
    phones.push(s02, s03);
    for (const s of [s02, s03]) expect((await emit(s.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const before = stack.calls().length;
    const labour = stack.startCall({ dialed: '123482', flags: 'elderly', caller: '13900000021', talkMs: 300, timeoutMs: 60_000 });
    await waitFor(() => stack.calls().length === before + 1, 'the labour call queued');
    const contract = stack.startCall({ dialed: '123483', flags: 'disabled', caller: '13900000022', talkMs: 300, timeoutMs: 60_000 });
    await waitFor(() => stack.calls().length === before + 2, 'the contract call queued');
    const labourCall = stack.calls().at(-2)!;
    const contractCall = stack.calls().at(-1)!;
    // Past generalAfterS: either seat could now take either call by its general skill.
    await waitFor(() => stack.events(contractCall.id).some((e) => e.type === 'expanded'), 'the contract call expanded to general seats');

    expect((await emit(s03.socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    await waitFor(() => offered(contractCall.id).length > 0 || offered(labourCall.id).length > 0, '张伟 offered a call');
    expect((await emit(s02.socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);

    for (const r of [await labour.done, await contract.done]) expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(offered(contractCall.id).map((o) => o.data.seatId)).toEqual(['s03']);
    expect(offered(labourCall.id).map((o) => o.data.seatId)).toEqual(['s02']);
    expect(offered(contractCall.id)[0]!.data.why).toMatchObject({ rule: 'best-match' });
  });
});
