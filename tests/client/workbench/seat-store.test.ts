import { describe, expect, it } from 'vitest';
import type { Ack, SeatView } from '../../../client/src/contract';
import { createAppStore } from '../../../client/src/app/store';
import { isStaleSeat } from '../../../client/src/features/workbench/slice';
import { call, seat, T0, user } from '../support/fixtures';

function seatStore() {
  const store = createAppStore();
  store.getState().signedIn(user('seat'));
  return store;
}

describe('seat slice: applying status changes', () => {
  it('when a status change arrives, should show the new state', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'offline', since: T0 }));
    store.getState().applySeat(seat({ kind: 'ready', since: T0 + 1_000 }));
    expect(store.getState().seat?.state).toEqual({ kind: 'ready', since: T0 + 1_000 });
  });

  it('when an older change arrives after a newer one, should keep the newer', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'ringing', since: T0 + 2_000, callId: 'c1', attempt: 1, idleSince: T0 }));
    store.getState().applySeat(seat({ kind: 'ready', since: T0 + 1_000 }));
    expect(store.getState().seat?.state.kind).toBe('ringing');
  });

  it('when a wrap-up extension arrives with the same since, should take the higher extension count', () => {
    const wrap = (extensions: number) =>
      seat({ kind: 'wrap-up', since: T0, callId: 'c1', until: T0 + 30_000 * (extensions + 1), extensions });
    expect(isStaleSeat(wrap(1), wrap(0))).toBe(true);
    expect(isStaleSeat(wrap(0), wrap(1))).toBe(false);
  });

  it('when a view for another seat arrives, should ignore it', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'ready', since: T0 }));
    store.getState().applySeat(seat({ kind: 'offline', since: T0 + 5 }, { id: 's02' }));
    expect(store.getState().seat?.id).toBe('s01');
  });
});

describe('seat slice: calls', () => {
  it('when an offer arrives before the ringing change, should keep it for the ringing seat', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'ready', since: T0 }));
    store.getState().applyCall(call({ id: 'c9', state: { kind: 'ringing', since: T0 + 1, seatId: 's01' } }));
    store.getState().applySeat(seat({ kind: 'ringing', since: T0 + 1, callId: 'c9', attempt: 1, idleSince: T0 }));
    expect(store.getState().call?.id).toBe('c9');
  });

  it('when busy with one call, should ignore a late update about another', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'talking', since: T0, callId: 'c2' }));
    store.getState().applyCall(call({ id: 'c2' }));
    store.getState().applyCall(call({ id: 'c1', state: { kind: 'ended', since: T0 } }));
    expect(store.getState().call?.id).toBe('c2');
  });

  it('when the call is updated, should show the update', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'talking', since: T0, callId: 'c1' }));
    store.getState().applyCall(call({ offers: 1 }));
    store.getState().applyCall(call({ offers: 2 }));
    expect(store.getState().call?.offers).toBe(2);
  });
});

describe('seat slice: command acks', () => {
  it('while a command is in flight, should mark it pending', async () => {
    const store = seatStore();
    let resolve!: (a: Ack<SeatView>) => void;
    const done = store.getState().runSeatCommand('ready', () => new Promise((r) => (resolve = r)));
    expect(store.getState().seatPending).toBe('ready');
    resolve({ ok: true, data: seat({ kind: 'ready', since: T0 }) });
    await done;
    expect(store.getState().seatPending).toBeNull();
  });

  it('when the ack succeeds, should apply the returned seat', async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('ready', async () => ({ ok: true, data: seat({ kind: 'ready', since: T0 }) }));
    expect(store.getState().seat?.state.kind).toBe('ready');
  });

  it("when the ack fails, should show the server's message inline", async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('extend', async () => ({
      ok: false,
      error: { code: 'CONFLICT', message: '话后整理最多延长 2 次' },
    }));
    expect(store.getState().seatError).toBe('话后整理最多延长 2 次');
    expect(store.getState().seatPending).toBeNull();
  });

  it('when the server message is English developer text, should lead with a zh-CN line', async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('ready', async () => ({
      ok: false,
      error: { code: 'INVALID_TRANSITION', message: 'Seat s01 cannot go from talking to ready.' },
    }));
    expect(store.getState().seatError).toBe('当前状态下不能执行该操作(Seat s01 cannot go from talking to ready.)');
  });

  it('when the send throws, should show a connection error instead of failing', async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('ready', () => Promise.reject(new Error('boom')));
    expect(store.getState().seatError).toMatch(/无法连接服务器/);
  });

  it('when the ack says the session expired, should sign out with the message', async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('ready', async () => ({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '登录已失效,请重新登录' },
    }));
    expect(store.getState().authStatus).toBe('anonymous');
    expect(store.getState().route).toBe('login');
    expect(store.getState().notice).toBe('登录已失效,请重新登录');
  });

  it('when a new command starts, should clear the previous error', async () => {
    const store = seatStore();
    await store.getState().runSeatCommand('ready', async () => ({ ok: false, error: { code: 'CONFLICT', message: '冲突' } }));
    const p = store.getState().runSeatCommand('ready', () => new Promise(() => {}));
    expect(store.getState().seatError).toBeNull();
    void p;
  });
});

describe('seat slice: answer time', () => {
  it('when the seat goes from talking to wrap-up, should remember when the call was answered', () => {
    const store = seatStore();
    store.getState().applySeat(seat({ kind: 'talking', since: T0 + 3_000, callId: 'c1' }));
    store.getState().applySeat(seat({ kind: 'wrap-up', since: T0 + 63_000, callId: 'c1', until: T0 + 123_000, extensions: 0 }));
    expect(store.getState().answered).toEqual({ callId: 'c1', at: T0 + 3_000 });
  });
});
