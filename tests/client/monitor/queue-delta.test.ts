import { describe, expect, it } from 'vitest';
import type { QueueDelta } from '../../../client/src/contract';
import { createAppStore } from '../../../client/src/app/store';
import { bindSocket } from '../../../client/src/app/socket-bindings';
import { applyQueueDelta } from '../../../client/src/features/monitor/queue-delta';
import { FakeSocket, flush } from '../support/fake-socket';
import { call, seat, snapshot, T0, user } from '../support/fixtures';

const delta = (over: Partial<QueueDelta>): QueueDelta => ({
  seq: 1,
  base: 0,
  at: T0 + 200,
  seats: [],
  calls: [],
  removedSeats: [],
  removedCalls: [],
  ...over,
});

describe('queue deltas: application', () => {
  const s1 = seat({ kind: 'ready', since: T0 }, { id: 's01' });
  const s2 = seat({ kind: 'offline', since: T0 }, { id: 's02' });
  const base = snapshot({ seq: 4, seats: [s1, s2], calls: [call({ id: 'c1' }), call({ id: 'c2' })] });

  it('replaces changed seats and calls in place, appends new ones, drops removed ones, and takes the new sequence number', () => {
    const talking = seat({ kind: 'talking', since: T0 + 100, callId: 'c1' } as never, { id: 's01' });
    const next = applyQueueDelta(base, delta({ seq: 5, base: 4, seats: [talking], calls: [call({ id: 'c3' })], removedCalls: ['c2'] }));
    expect(next).not.toBe('gap');
    if (typeof next === 'string') return;
    expect(next.seq).toBe(5);
    expect(next.at).toBe(T0 + 200);
    expect(next.seats).toEqual([talking, s2]);
    expect(next.calls.map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(next.service).toBe(base.service);
  });

  it('takes the service status and alerts only when the delta carries them', () => {
    const closed = { ...base.service, open: false, period: null };
    const next = applyQueueDelta(base, delta({ seq: 5, base: 4, service: closed, alerts: [] }));
    expect(typeof next !== 'string' && next.service).toEqual(closed);
    expect(typeof next !== 'string' && next.alerts).toEqual([]);
  });

  it('a delta not following the shown push is a gap; one already applied is stale; without a numbered snapshot everything is a gap', () => {
    expect(applyQueueDelta(base, delta({ seq: 6, base: 5 }))).toBe('gap');
    expect(applyQueueDelta(base, delta({ seq: 4, base: 3 }))).toBe('stale');
    expect(applyQueueDelta(snapshot(), delta({ seq: 1, base: 0 }))).toBe('gap');
    expect(applyQueueDelta(null, delta({ seq: 1, base: 0 }))).toBe('gap');
  });
});

describe('queue deltas: the socket bindings', () => {
  it('subscribes for deltas, applies the next one, and on a gap subscribes again and shows the new snapshot', async () => {
    const store = createAppStore();
    store.getState().signedIn(user('supervisor'));
    let answer = snapshot({ seq: 1, calls: [call({ id: 'c1' })] });
    const socket = new FakeSocket((event) => (event === 'queue:subscribe' ? { ok: true, data: answer } : 'no-answer'));
    bindSocket(socket.asSocket(), store, { onRefused: () => undefined });
    socket.connect();
    await flush();
    expect(socket.emitted).toEqual([{ event: 'queue:subscribe', payload: { deltas: true } }]);
    expect(store.getState().snapshot?.seq).toBe(1);

    socket.fire('queue:changed', delta({ seq: 2, base: 1, removedCalls: ['c1'] }));
    expect(store.getState().snapshot?.calls).toEqual([]);
    expect(socket.emitted).toHaveLength(1);

    // push 3 is lost; push 4 does not follow 2: the page subscribes again
    answer = snapshot({ seq: 4, at: T0 + 800, calls: [call({ id: 'c9' })] });
    socket.fire('queue:changed', delta({ seq: 4, base: 3, calls: [call({ id: 'c8' })] }));
    await flush();
    expect(socket.emitted.map((e) => e.event)).toEqual(['queue:subscribe', 'queue:subscribe']);
    expect(store.getState().snapshot).toMatchObject({ seq: 4, calls: [{ id: 'c9' }] });
    socket.fire('queue:changed', delta({ seq: 5, base: 4, calls: [call({ id: 'c10' })] }));
    expect(store.getState().snapshot?.calls.map((c) => c.id)).toEqual(['c9', 'c10']);
  });
});
