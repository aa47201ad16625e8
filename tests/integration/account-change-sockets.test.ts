/**
 * A changed account does not keep its old socket scope (issue 11 items 4 and 5): when an
 * administrator changes a supervisor's centres, its open sockets get no push from the old scope
 * and are closed (the console checks its session and reconnects with the new scope); disabling an
 * account closes its sockets too. Real server, real Socket.IO clients.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueSnapshot, UserAdminView } from '../../server/src/contract/index.js';
import { connect, emit, login } from '../support/server.js';
import { createAccount, useCentreTrunks, waitingCall } from './support-accounts.js';
import { api, data, harness } from './support-summaries.js';

describe('sockets follow account changes', () => {
  const h = harness();
  let account: UserAdminView;
  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
    account = await createAccount(h, { username: 'sup-moving', role: 'supervisor', centres: ['dongcheng'] });
    useCentreTrunks(h);
    h.srv.app.engine.setSeatNotReady('s14', 'rest'); // a 西山 seat signed in: the call waits
    waitingCall(h, 'xishan', 'w-xs-1', '13800000001');
  });

  const update = (centres: string[]) =>
    api(h, 'PUT', `/api/users/${account.id}`, 'admin', { displayName: 'sup-moving', role: 'supervisor', seatId: null, centres });

  it('centres changed: the old-scope socket gets no further push and is closed; a new socket has the new scope', async () => {
    const s = await connect(h.srv.url, h.cookies['sup-moving']!);
    h.sockets.push(s);
    const first = await emit(s, 'queue:subscribe', {});
    expect(first.ok && first.data.calls.map((c) => c.id)).toEqual([]); // 东城 only: the 西山 call is not shown
    const pushes: QueueSnapshot[] = [];
    s.on('queue:updated', (q) => pushes.push(q));
    const closed = new Promise<string>((resolve) => s.on('disconnect', resolve));
    expect((await update(['xishan'])).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    h.srv.app.engine.setSeatNotReady('s18', 'rest'); // would push to the old scope's room
    h.clock.advance(1000);
    expect(pushes).toEqual([]);
    h.srv.app.engine.setSeatOffline('s18');

    const again = await connect(h.srv.url, h.cookies['sup-moving']!);
    h.sockets.push(again);
    const ack = await emit(again, 'queue:subscribe', {});
    expect(ack.ok && ack.data.calls.map((c) => c.id)).toEqual(['w-xs-1']);
  });

  it('an unchanged scope (display name only) keeps the socket', async () => {
    const s = await connect(h.srv.url, h.cookies['sup-moving']!);
    h.sockets.push(s);
    expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
    const r = await api(h, 'PUT', `/api/users/${account.id}`, 'admin', {
      displayName: '西山班长',
      role: 'supervisor',
      seatId: null,
      centres: ['xishan'],
    });
    expect(r.status).toBe(200);
    expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
    expect(s.connected).toBe(true);
  });

  it('disabled: its sockets close at once', async () => {
    const s = await connect(h.srv.url, h.cookies['sup-moving']!);
    h.sockets.push(s);
    const closed = new Promise<string>((resolve) => s.on('disconnect', resolve));
    expect(data(await api<UserAdminView>(h, 'POST', `/api/users/${account.id}/disabled`, 'admin', { disabled: true })).disabled).toBe(true);
    expect(await closed).toBe('io server disconnect');
  });
});
