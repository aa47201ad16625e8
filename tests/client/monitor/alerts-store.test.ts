import { describe, expect, it } from 'vitest';
import type { Ack, MajorAlert } from '../../../client/src/contract';
import { bindSocket } from '../../../client/src/app/socket-bindings';
import { createAppStore } from '../../../client/src/app/store';
import { FakeSocket } from '../support/fake-socket';
import { T0, user } from '../support/fixtures';
import { majorAlert } from '../support/knowledge-fixtures';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
const acked = (a: MajorAlert): MajorAlert => ({ ...a, acknowledgedAt: T0 + 60_000, acknowledgedBy: '李班长' });

describe('alerts slice', () => {
  it("when 'alert:updated' is pushed, should list the alert, newest first", () => {
    const store = createAppStore();
    store.getState().signedIn(user('supervisor'));
    const socket = new FakeSocket();
    bindSocket(socket.asSocket(), store, { onRefused: () => {} });
    socket.fire('alert:updated', majorAlert({ id: 1, raisedAt: T0 }));
    socket.fire('alert:updated', majorAlert({ id: 2, raisedAt: T0 + 1_000 }));
    expect(store.getState().alerts.map((a) => a.id)).toEqual([2, 1]);
  });

  it('when an acknowledged alert is pushed (another supervisor confirmed it), should drop it', () => {
    const store = createAppStore();
    store.getState().applyAlert(majorAlert());
    store.getState().applyAlert(acked(majorAlert()));
    expect(store.getState().alerts).toEqual([]);
  });

  it('when an open alert is pushed again with a changed note, should show the new note once', () => {
    const store = createAppStore();
    store.getState().applyAlert(majorAlert());
    store.getState().applyAlert(majorAlert({ note: '补充:人数约 50 人' }));
    expect(store.getState().alerts.map((a) => a.note)).toEqual(['补充:人数约 50 人']);
  });

  it('when the open list loads, should keep alerts pushed while it was in flight and not revive acknowledged ones', async () => {
    const store = createAppStore();
    const answer = deferred<Ack<MajorAlert[]>>();
    const loading = store.getState().loadOpenAlerts(() => answer.promise);
    store.getState().applyAlert(majorAlert({ id: 5, raisedAt: T0 + 5_000 }));
    store.getState().applyAlert(acked(majorAlert({ id: 3 })));
    answer.resolve({ ok: true, data: [majorAlert({ id: 4, raisedAt: T0 + 4_000 }), majorAlert({ id: 3, raisedAt: T0 + 3_000 })] });
    await loading;
    expect(store.getState().alerts.map((a) => a.id)).toEqual([5, 4]);
    expect(store.getState().alertsLoaded).toBe(true);
  });

  it('when 确认 succeeds, should drop the alert; while in flight, should mark it pending and ignore a second click', async () => {
    const store = createAppStore();
    store.getState().applyAlert(majorAlert());
    const answer = deferred<Ack<MajorAlert>>();
    let sent = 0;
    const send = () => {
      sent += 1;
      return answer.promise;
    };
    const first = store.getState().ackAlert(1, send);
    await store.getState().ackAlert(1, send);
    expect(store.getState().alertAckPending).toEqual([1]);
    answer.resolve({ ok: true, data: acked(majorAlert()) });
    await first;
    expect(sent).toBe(1);
    expect(store.getState().alerts).toEqual([]);
    expect(store.getState().alertAckPending).toEqual([]);
  });

  it('when 确认 fails, should keep the alert and say why', async () => {
    const store = createAppStore();
    store.getState().applyAlert(majorAlert());
    await store.getState().ackAlert(1, async () => ({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限执行该操作' } }));
    expect(store.getState().alerts).toHaveLength(1);
    expect(store.getState().alertsError).toBe('确认失败:没有权限执行该操作');
  });

  it('when the supervisor signs out, should forget every alert', () => {
    const store = createAppStore();
    store.getState().signedIn(user('supervisor'));
    store.getState().applyAlert(majorAlert());
    store.getState().signedOut();
    expect(store.getState().alerts).toEqual([]);
    expect(store.getState().alertsLoaded).toBe(false);
  });
});
