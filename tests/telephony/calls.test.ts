/**
 * Calls through the real stack: SIPp trunk callers → Kamailio (queue held as a
 * suspended transaction) ⇄ routing server over evapi → SIPp seat phones registered
 * with credentials from the router's API, media anchored by rtpengine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { emit } from '../support/server.js';
import { SIPP_DIR, sipCredentials, sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  stack = await startSipStack({
    routing: (cfg) => ({
      ...cfg,
      ringTimeoutS: 2,
      wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false },
    }),
  });
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await stack?.stop();
});

async function seat(seatId: string, o?: Parameters<SipStack['seat']>[1]) {
  const p = await stack.seat(seatId, o);
  phones.push(p);
  return p;
}

const lastCall = () => stack.calls().at(-1)!;
const types = (callId: string) => stack.events(callId).map((e) => e.type);

describe('a call to 12348 through Kamailio and rtpengine', () => {
  it("reaches a registered seat of the IVR specialty, with audio both ways and the caller's digits reported", async () => {
    // s01 has been ready longest but only knows contract law at the general level;
    // s03's specialty is contracts and debts (IVR 3).
    const s01 = await seat('s01');
    const s03 = await seat('s03');
    const caller = stack.startCall({ dialed: '123483', caller: '13912345678', talkMs: 3000 });
    const call = await waitFor(() => stack.calls().find((c) => c.state_kind === 'talking'), 'the call to be answered');
    expect(call.category_id).toBe('contract-debt');
    const answered = stack.events(call.id).find((e) => e.type === 'answered');
    expect(answered?.data.seatId).toBe('s03');
    // rtpengine's own counters: packets arrived from both the caller and the seat.
    const packets = await waitFor(
      async () => {
        const p = await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, call.id);
        const counts = Object.values(p);
        return counts.length >= 2 && counts.every((n) => n > 20) ? p : null;
      },
      'RTP from both sides',
      8000,
    );
    expect(Object.keys(packets)).toHaveLength(2);
    const r = await caller.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    await waitFor(() => stack.calls().find((c) => c.id === call.id)?.state_kind !== 'talking', 'hang-up recorded');
    expect(stack.events(call.id).find((e) => e.type === 'hung-up')?.data.by).toBe('caller');
    // The RFC 4733 digit the caller sent (5) reached the router through rtpengine's DTMF log.
    await waitFor(() => fs.readFileSync(stack.logs.router, 'utf8').includes(`"callId":"${call.id}","digit":"5"`), 'DTMF in the router');
    await s01.stop();
    await s03.stop();
  });

  it('when the caller hangs up while waiting in the queue, the call is recorded as abandoned in the queue', async () => {
    // The notary seat is signed in but busy, so a notary call (IVR 13) waits.
    const s08 = await seat('s08', { ready: false });
    expect((await emit(s08.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const r = await stack.call({ scenario: 'caller-cancel.xml', dialed: '1234813' });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = lastCall();
    await waitFor(() => stack.calls().find((c) => c.id === call.id)?.state_kind === 'abandoned', 'abandoned');
    expect(stack.events(call.id).find((e) => e.type === 'abandoned')?.data.where).toBe('queue');
    await s08.stop();
  });

  it('when the caller hangs up while a seat rings, the seat is free again and the call is abandoned while ringing', async () => {
    const s06 = await seat('s06', { behaviour: 'noanswer' });
    const r = await stack.call({ scenario: 'caller-cancel.xml', dialed: '123488', talkMs: 1000 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = lastCall();
    await waitFor(() => stack.calls().find((c) => c.id === call.id)?.state_kind === 'abandoned', 'abandoned');
    expect(types(call.id)).toContain('offered');
    expect(stack.events(call.id).find((e) => e.type === 'abandoned')?.data.where).toBe('ringing');
    // Not the seat's fault: it is ready again, not marked as missing the call.
    await waitFor(() => stack.seatState('s06').kind === 'ready', 's06 ready again');
    await s06.stop();
  });

  it('when a seat does not answer, the call goes to the next seat and the missing seat is set not-ready', async () => {
    // Both city seats know general questions equally well; s02 has been ready longer, so it rings first.
    const s02 = await seat('s02', { behaviour: 'noanswer' });
    const s06 = await seat('s06');
    const r = await stack.call({ dialed: '12348', talkMs: 500 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const ev = stack.events(lastCall().id);
    expect(ev.filter((e) => e.type === 'offered').map((e) => e.data.seatId)).toEqual(['s02', 's06']);
    expect(ev.find((e) => e.type === 'ring-timeout')?.data.seatId).toBe('s02');
    expect(ev.find((e) => e.type === 'answered')?.data.seatId).toBe('s06');
    expect(stack.seatState('s02')).toMatchObject({ kind: 'not-ready', reason: 'missed' });
    await s02.stop();
    await s06.stop();
  });

  it('a seat that declines (486) sends the call back to the queue, which offers it to another seat', async () => {
    const s01 = await seat('s01', { behaviour: 'decline' });
    const s07 = await seat('s07');
    const r = await stack.call({ dialed: '12348', talkMs: 500 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const ev = stack.events(lastCall().id);
    expect(ev.find((e) => e.type === 'declined')?.data.seatId).toBe('s01');
    expect(ev.find((e) => e.type === 'answered')?.data.seatId).toBe('s07');
    // Declining is not missing: the seat is ready for the next caller.
    expect(stack.seatState('s01').kind).toBe('ready');
    await s01.stop();
    await s07.stop();
  });
});

describe('city and county share the load', () => {
  it('a city caller reaches the only seat signed in, a county specialist (东城 s11, 合同与债务 4), instead of a 480 call-back', async () => {
    const s11 = await seat('s11');
    const r = await stack.call({ dialed: '123483', talkMs: 300 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = lastCall();
    const ev = stack.events(call.id);
    expect(ev.find((e) => e.type === 'enqueued')?.data).toMatchObject({ categoryId: 'contract-debt', centreId: 'city' });
    expect(ev.find((e) => e.type === 'offered')?.data).toMatchObject({ seatId: 's11', why: { rule: 'county' } });
    expect(ev.find((e) => e.type === 'answered')?.data.seatId).toBe('s11');
    expect(ev.some((e) => e.type === 'overflowed')).toBe(false);
    await s11.stop();
  });
});

describe('trunk conventions', () => {
  it('a caller flagged elderly (X-Caller-Flags) is served before an earlier caller; a 12345 ticket is kept with the call', async () => {
    // The labour seat is busy while two callers queue: first an ordinary one, then an elderly one.
    const s02 = await seat('s02', { ready: false });
    expect((await emit(s02.socket, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const first = stack.startCall({ dialed: '123482', caller: '13700000001', talkMs: 300 });
    await waitFor(() => stack.calls().some((c) => c.caller === '13700000001'), 'first queued');
    const second = stack.startCall({ dialed: '123482', caller: '13700000002', flags: 'elderly', ticket: 'GZ12345-2026-0042', talkMs: 300 });
    await waitFor(() => stack.calls().some((c) => c.caller === '13700000002'), 'second queued');
    expect((await emit(s02.socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    for (const r of [await first.done, await second.done]) expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const byCaller = (n: string) => stack.calls().find((c) => c.caller === n)!;
    expect(byCaller('13700000002').answered_at!).toBeLessThan(byCaller('13700000001').answered_at!);
    const snap = JSON.parse(byCaller('13700000002').snapshot) as { flags: string[]; ticket12345: string | null };
    expect(snap).toMatchObject({ flags: ['elderly'], ticket12345: 'GZ12345-2026-0042' });
    expect((JSON.parse(byCaller('13700000001').snapshot) as { ticket12345: string | null }).ticket12345).toBeNull();
    await s02.stop();
  });
});

describe('refusals', () => {
  it('an INVITE from an address that is not a configured trunk is refused with 403 and never queued', async () => {
    const before = stack.calls().length;
    const r = await stack.call({ fromIp: '127.0.0.3', expectCode: 403 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(stack.calls().length).toBe(before);
  });

  it('an INVITE to a number other than 12348[IVR] is refused with 404', async () => {
    const r = await stack.call({ dialed: '12345', expectCode: 404 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
  });

  it("REGISTER with a wrong password, or with another seat's credentials, is refused", async () => {
    const cookie = (await stack.seat('s07', { ready: false })).cookie;
    const creds = await sipCredentials(stack.routerUrl, cookie);
    const reg = (seat: string, password: string) =>
      stack.sipp([
        stack.env.SIP_TRUNK_ADDR!,
        '-sf',
        path.join(SIPP_DIR, 'register.xml'),
        '-au',
        creds.username,
        '-ap',
        password,
        '-key',
        'seat',
        seat,
        '-key',
        'domain',
        creds.domain,
        '-key',
        'contact',
        '127.0.0.2:5999',
        '-key',
        'expires',
        '60',
        '-i',
        '127.0.0.2',
        '-p',
        '0',
        '-m',
        '1',
      ]);
    const wrong = await reg('s07', 'not-the-password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.errors).toMatch(/401 Unauthorized/);
    const other = await reg('s08', creds.password); // s07's credentials, s08's identity
    expect(other.code).not.toBe(0);
    expect(other.errors).toMatch(/403 Forbidden/);
    const right = await reg('s07', creds.password);
    expect(right.code).toBe(0);
  });
});
