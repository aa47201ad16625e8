import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../client/src/app/store';
import { queueCounts, sortedSeats, waitingCalls } from '../../../client/src/features/monitor/selectors';
import { call, seat, snapshot, T0, user } from '../support/fixtures';

function monitorStore() {
  const store = createAppStore();
  store.getState().signedIn(user('supervisor'));
  return store;
}

describe('queue slice: snapshots', () => {
  it('when a snapshot arrives, should show it', () => {
    const store = monitorStore();
    const snap = snapshot({ calls: [call()] });
    store.getState().applySnapshot(snap, T0);
    expect(store.getState().snapshot).toBe(snap);
  });

  it('when an older snapshot arrives after a newer one, should keep the newer', () => {
    const store = monitorStore();
    store.getState().applySnapshot(snapshot({ at: T0 + 2_000 }), T0 + 2_000);
    store.getState().applySnapshot(snapshot({ at: T0 + 1_000, calls: [call()] }), T0 + 2_100);
    expect(store.getState().snapshot?.at).toBe(T0 + 2_000);
  });

  it("when the browser clock is behind the server's, should record the offset", () => {
    const store = monitorStore();
    store.getState().applySnapshot(snapshot({ at: T0 + 60_000 }), T0);
    expect(store.getState().clockOffsetMs).toBe(60_000);
  });

  it('when a subscribe ack fails, should show its message', () => {
    const store = monitorStore();
    store.getState().queueFailed({ code: 'FORBIDDEN', message: '无权查看队列' });
    expect(store.getState().queueError).toBe('无权查看队列');
  });

  it('when a newer snapshot arrives after an error, should clear the error', () => {
    const store = monitorStore();
    store.getState().queueFailed({ code: 'INTERNAL', message: '服务器错误' });
    store.getState().applySnapshot(snapshot(), T0);
    expect(store.getState().queueError).toBeNull();
  });
});

describe('queue selectors', () => {
  const snap = snapshot({
    seats: [
      seat({ kind: 'ready', since: T0 }, { id: 'a', staffNo: '1003' }),
      seat({ kind: 'talking', since: T0, callId: 'x' }, { id: 'b', staffNo: '1002' }),
      seat({ kind: 'not-ready', since: T0, reason: 'meal', autoReadyAt: null }, { id: 'c', staffNo: '1010' }),
      seat({ kind: 'offline', since: T0 }, { id: 'd', staffNo: '1001' }),
      seat({ kind: 'ringing', since: T0, callId: 'r', attempt: 1, idleSince: T0 }, { id: 'e', staffNo: '1004' }),
    ],
    calls: [
      call({ id: 'late-normal', priority: 0, enqueuedAt: T0 }),
      call({ id: 'green', priority: 50, enqueuedAt: T0 + 5_000, flags: ['elderly'] }),
      call({ id: 'early-normal', priority: 0, enqueuedAt: T0 - 5_000 }),
      call({ id: 'r', priority: 0, enqueuedAt: T0 - 1_000, state: { kind: 'ringing', since: T0, seatId: 'e' } }),
      call({ id: 'x', state: { kind: 'talking', since: T0, seatId: 'b' } }),
    ],
  });

  it('should count waiting callers (queued and ringing) and seats by state', () => {
    expect(queueCounts(snap)).toEqual({
      waiting: 4,
      ready: 1,
      ringing: 1,
      talking: 1,
      wrapUp: 0,
      notReady: 1,
      offline: 1,
      staffed: 4,
    });
  });

  it('when there is no snapshot yet, should count zeros', () => {
    expect(queueCounts(null).waiting).toBe(0);
  });

  it('should list waiting calls by priority, then longest wait, without answered calls', () => {
    expect(waitingCalls(snap).map((c) => c.id)).toEqual(['green', 'early-normal', 'r', 'late-normal']);
  });

  it('should list seats by staff number with offline seats last', () => {
    expect(sortedSeats(snap).map((s) => s.staffNo)).toEqual(['1002', '1003', '1004', '1010', '1001']);
  });
});
