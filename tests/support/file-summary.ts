/**
 * A call answered and summarised at a seat through the real API (the engine is driven directly
 * for the call itself): the seat signs in and goes ready, the call is offered, answered and hung
 * up, and the seat files the summary and leaves wrap-up. Shared by the referral tests.
 */
import { expect } from 'vitest';
import { connect, emit, login, type ClientSocket, type TestServer } from './server.js';

export interface FiledCall {
  callId: string;
  disposition: string;
  referral?: string;
  /** The seat's account and id (default s03, 张伟, city). */
  username?: string;
  seatId?: string;
}

/** Files the summary and returns the seat's socket (the caller disconnects it). */
export async function fileSummaryAtSeat(srv: TestServer, c: FiledCall): Promise<ClientSocket> {
  const cookie = await login(srv.url, c.username ?? 'seat03');
  const s = await connect(srv.url, cookie);
  await emit(s, 'seat:set-status', { status: 'ready' });
  srv.app.engine.offerCall({ id: c.callId, caller: '13812340000', dialed: '123483', ivrCode: '3' });
  srv.app.engine.answered(c.callId, c.seatId ?? 's03');
  srv.app.engine.hangup(c.callId, 'caller');
  const res = await fetch(`${srv.url}/api/calls/${c.callId}/summary`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      categoryId: 'contract-debt',
      topic: '投诉',
      question: '对律所收费不满',
      answer: '已受理投诉',
      disposition: c.disposition,
      referral: c.referral ?? '',
    }),
  });
  expect(res.status).toBe(201);
  await emit(s, 'seat:end-wrap-up', {});
  return s;
}
