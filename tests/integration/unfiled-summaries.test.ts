/**
 * 小结未填 (issue 11 item 9): a seat that closes its console in wrap-up goes offline after the
 * grace period with its summary unfiled; supervisors of that centre see the call in a list, and
 * the seat sees it as a to-do at its next sign-in until it files the summary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallerHistoryEntry } from '../../server/src/contract/index.js';
import { connect, emit, login } from '../support/server.js';
import { S, SUMMARY, answeredCall, api, data, harness } from './support-summaries.js';

describe('unfiled summaries', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies['supervisor-dc'] = await login(h.srv.url, 'supervisor-dc');
  });

  it('a seat whose console closed in wrap-up goes offline, and its call is listed as 小结未填', async () => {
    const socket = await connect(h.srv.url, h.cookies.seat04!);
    expect((await emit(socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    answeredCall(h, 's04', 'u-1', '13600001111');
    expect(h.srv.app.engine.getSeat('s04').state.kind).toBe('wrap-up');
    expect(data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/summaries/unfiled', 'supervisor'))).toEqual([]);

    socket.disconnect();
    await new Promise((r) => setTimeout(r, 200)); // the server notices the console is gone
    h.clock.advance(31 * S); // SEAT_DISCONNECT_GRACE_S (30 s)
    expect(h.srv.app.engine.getSeat('s04').state.kind).toBe('offline');

    const list = data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/summaries/unfiled', 'supervisor'));
    expect(list.map((e) => [e.record.callId, e.record.seatId, e.summary])).toEqual([['u-1', 's04', null]]);
    expect(list[0]!.record.callerMasked).toBe('136****1111');
  });

  it('a supervisor of another centre does not see it; a seat may not ask for the list', async () => {
    expect(data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/summaries/unfiled', 'supervisor-dc'))).toEqual([]);
    expect((await api(h, 'GET', '/api/summaries/unfiled', 'seat01')).status).toBe(403);
  });

  it("the seat sees it as its to-do after signing in again, and no other seat's", async () => {
    h.cookies.seat04 = await login(h.srv.url, 'seat04');
    const todo = data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/my/unfiled', 'seat04'));
    expect(todo.map((e) => e.record.callId)).toEqual(['u-1']);
    expect(data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/my/unfiled', 'seat05'))).toEqual([]);
    expect((await api(h, 'GET', '/api/my/unfiled', 'supervisor')).status).toBe(403);
  });

  it('once the seat files the summary, it leaves both lists', async () => {
    expect((await api(h, 'POST', '/api/calls/u-1/summary', 'seat04', SUMMARY)).status).toBe(201);
    expect(data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/my/unfiled', 'seat04'))).toEqual([]);
    expect(data(await api<CallerHistoryEntry[]>(h, 'GET', '/api/summaries/unfiled', 'supervisor'))).toEqual([]);
  });
});
