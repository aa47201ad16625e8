import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, emit, login, next, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

/*
 * Starting a transfer over Socket.IO: what a seat may transfer, to whom, and what it is told
 * when it may not. Nothing here may touch the caller: a refused transfer leaves the call as it was.
 * (The SIP side, REFER and the call coming back in, is proven in tests/telephony/transfer.test.ts.)
 */
let srv: TestServer;
const sockets: ClientSocket[] = [];
beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv.stop();
});

async function seatSocket(username: string) {
  const s = await connect(srv.url, await login(srv.url, username));
  sockets.push(s);
  return s;
}

/** s03 talking with a contract-law caller. */
async function talkingAtS03() {
  const s03 = await seatSocket('seat03');
  await emit(s03, 'seat:set-status', { status: 'ready' });
  const { engine } = srv.app;
  engine.offerCall({ id: 'c1', caller: '13812341234', dialed: '123483', ivrCode: '3' });
  engine.answered('c1', 's03');
  return s03;
}

describe('starting a transfer (转接)', () => {
  it('when a seat transfers its call to a specialty queue, should get a REFER target with a token and leave the call talking', async () => {
    const s03 = await talkingAtS03();
    await seatSocket('seat02'); // a labour seat signed in
    await emit(await seatSocket('seat02'), 'seat:set-status', { status: 'ready' });

    const ack = await emit(s03, 'call:transfer', { callId: 'c1', target: { kind: 'category', categoryId: 'labor' }, mode: 'blind' });

    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.data.referTo).toMatch(/^sip:12348@[^?]+\?X-Transfer=[a-f0-9]{32}$/);
    expect(ack.data.state).toBe('pending');
    expect(srv.app.engine.getCall('c1')?.state.kind).toBe('talking');
  });

  it('when the token comes back once, should queue the new call for the target with the caller kept; a second use is a plain new call', async () => {
    const s03 = await talkingAtS03();
    const ack = await emit(s03, 'call:transfer', { callId: 'c1', target: { kind: 'category', categoryId: 'general' }, mode: 'blind' });
    if (!ack.ok) throw new Error(ack.error.message);
    const token = /X-Transfer=([a-f0-9]+)/.exec(ack.data.referTo)![1]!;

    const first = srv.app.transfers.resolve(token, 'c2');
    const again = srv.app.transfers.resolve(token, 'c3');

    expect(first).toMatchObject({
      caller: '13812341234',
      categoryId: 'general',
      transfer: { fromCallId: 'c1', fromSeatId: 's03', targetSeatId: null },
    });
    expect(again).toBeNull();
    expect(srv.app.transfers.resolve('0'.repeat(32), 'c4')).toBeNull();
  });

  it.each([
    ['a seat that is offline', { kind: 'seat', seatId: 's05' }, 'blind', 'CONFLICT', '离线'],
    ['itself', { kind: 'seat', seatId: 's03' }, 'blind', 'VALIDATION', '不能转接给自己'],
    ['a seat that does not exist', { kind: 'seat', seatId: 'nobody' }, 'blind', 'NOT_FOUND', '不存在'],
    ['a specialty nobody is signed in for', { kind: 'category', categoryId: 'forensic' }, 'blind', 'CONFLICT', '没有在线坐席'],
    [
      'a consultation with a specialty nobody is ready for',
      { kind: 'category', categoryId: 'forensic' },
      'consult',
      'CONFLICT',
      '没有就绪的坐席',
    ],
    ['a specialty that does not exist', { kind: 'category', categoryId: 'astrology' }, 'blind', 'VALIDATION', '不存在'],
  ] as const)(
    'when a seat transfers to %s, should refuse with a sentence and keep the caller',
    async (_name, target, mode, code, words) => {
      const s03 = await talkingAtS03();

      const ack = await emit(s03, 'call:transfer', { callId: 'c1', target, mode });

      expect(ack.ok).toBe(false);
      if (ack.ok) return;
      expect(ack.error.code).toBe(code);
      expect(ack.error.message).toContain(words);
      expect(srv.app.engine.getCall('c1')?.state.kind).toBe('talking');
    },
  );

  it('when a seat consults a seat that is not ready, should refuse and not hold that seat', async () => {
    const s03 = await talkingAtS03();
    const s11 = await seatSocket('seat11');
    await emit(s11, 'seat:set-status', { status: 'not-ready', reason: 'meal' });

    const ack = await emit(s03, 'call:transfer', { callId: 'c1', target: { kind: 'seat', seatId: 's11' }, mode: 'consult' });

    expect(ack.ok).toBe(false);
    expect(!ack.ok && ack.error.message).toContain('不能接受咨询转接');
    expect(srv.app.engine.getSeat('s11').state).toMatchObject({ kind: 'not-ready', reason: 'meal' });
  });

  it('when a consultation is cancelled, should free the held seat and tell both seats', async () => {
    const s03 = await talkingAtS03();
    const s11 = await seatSocket('seat11');
    await emit(s11, 'seat:set-status', { status: 'ready' });
    const told = next(s11, 'transfer:updated', (t) => t.state === 'cancelled');

    const ack = await emit(s03, 'call:transfer', { callId: 'c1', target: { kind: 'seat', seatId: 's11' }, mode: 'consult' });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(srv.app.engine.getSeat('s11').state).toMatchObject({ kind: 'not-ready', reason: 'consult' });
    const report = await emit(s03, 'transfer:report', { transferId: ack.data.id, outcome: 'cancelled' });

    expect(report.ok && report.data.state).toBe('cancelled');
    expect((await told).id).toBe(ack.data.id);
    expect(srv.app.engine.getSeat('s11').state.kind).toBe('ready');
  });

  it('when another seat reports on a transfer it did not start, should say there is no such transfer', async () => {
    const s03 = await talkingAtS03();
    const ack = await emit(s03, 'call:transfer', { callId: 'c1', target: { kind: 'category', categoryId: 'general' }, mode: 'blind' });
    if (!ack.ok) throw new Error(ack.error.message);
    const other = await seatSocket('seat02');

    const report = await emit(other, 'transfer:report', { transferId: ack.data.id, outcome: 'refused' });

    expect(!report.ok && report.error.code).toBe('NOT_FOUND');
  });

  it('when a seat that is not talking asks to transfer, should refuse', async () => {
    const s02 = await seatSocket('seat02');
    const ack = await emit(s02, 'call:transfer', { callId: 'c1', target: { kind: 'category', categoryId: 'general' }, mode: 'blind' });
    expect(!ack.ok && ack.error.code).toBe('INVALID_TRANSITION');
  });

  it('when a seat asks where it can transfer to, should list specialties with ready counts and the other signed-in seats', async () => {
    const cookie = await login(srv.url, 'seat03');
    const s02 = await seatSocket('seat02');
    await emit(s02, 'seat:set-status', { status: 'ready' });

    const res = await fetch(`${srv.url}/api/transfer-targets`, { headers: { cookie } });
    const body = (await res.json()) as { ok: true; data: { categories: { id: string; loggedInSeats: number }[]; seats: { id: string }[] } };

    expect(body.data.categories.find((c) => c.id === 'labor')?.loggedInSeats).toBe(1);
    expect(body.data.seats.map((s) => s.id)).toEqual(['s02']);
  });
});
