import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../client/src/app/store';
import { reference, seat, snapshot, T0, user } from '../support/fixtures';

describe('session slice: login errors', () => {
  it('when the server rejects the password (401), should show its message', () => {
    const store = createAppStore();
    store.getState().loginStarted();
    store.getState().loginFailed({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    expect(store.getState().login).toEqual({ submitting: false, message: '用户名或密码错误', fields: {} });
  });

  it('when the server returns field errors, should show them by field without a headline', () => {
    const store = createAppStore();
    store.getState().loginFailed({
      code: 'VALIDATION',
      message: '输入有误',
      fields: { username: ['请输入用户名'], password: [] },
    });
    const { login } = store.getState();
    expect(login.message).toBeNull();
    expect(login.fields.username).toEqual(['请输入用户名']);
  });

  it('when rate limited, should say so', () => {
    const store = createAppStore();
    store.getState().loginFailed({ code: 'RATE_LIMITED', message: '' });
    expect(store.getState().login.message).toBe('操作过于频繁,请稍后再试');
  });

  it('while submitting, should mark the form busy and clear old errors', () => {
    const store = createAppStore();
    store.getState().loginFailed({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    store.getState().loginStarted();
    expect(store.getState().login).toEqual({ submitting: true, message: null, fields: {} });
  });
});

describe('session slice: sign in and out', () => {
  it('when a supervisor signs in, should route to the monitor page', () => {
    const store = createAppStore();
    store.getState().signedIn(user('supervisor'));
    expect(store.getState().route).toBe('monitor');
    expect(store.getState().authStatus).toBe('authenticated');
  });

  it('when signed out, should forget the seat and the queue but keep reference data', () => {
    const store = createAppStore();
    store.getState().signedIn(user('seat'));
    store.getState().setReference({ categories: [], centres: [], notReadyReasons: [], summaryRequired: true });
    store.getState().applySeat(seat({ kind: 'ready', since: T0 }));
    store.getState().applySnapshot(snapshot(), T0);
    store.getState().signedOut('您已退出登录');
    const s = store.getState();
    expect([s.user, s.seat, s.snapshot, s.route, s.notice]).toEqual([null, null, null, 'login', '您已退出登录']);
    expect(s.reference).not.toBeNull();
  });

  it('when a coarse clock reading is within its precision of the current offset, should keep the offset', () => {
    const store = createAppStore();
    store.getState().noteServerTime(T0 + 10_000, T0, 250);
    store.getState().noteServerTime(T0 + 9_000, T0, 2_000);
    expect(store.getState().clockOffsetMs).toBe(10_000);
  });

  it('when navigating to a page the role may not see, should go home instead', () => {
    const store = createAppStore();
    store.getState().signedIn(user('supervisor'));
    store.getState().navigate('reports');
    expect(store.getState().route).toBe('monitor');
  });
});

describe('the one sign-out reset (resetAll)', () => {
  it('when signed out, should return every slice to its initial state but keep reference data and audio devices', () => {
    const fresh = createAppStore().getState();
    const store = createAppStore();
    const s = store.getState();
    s.signedIn(user('seat'));
    s.setReference(reference);
    s.applySeat(seat({ kind: 'ready', since: T0 }));
    s.applySnapshot(snapshot(), T0);
    s.applyAlert({ id: 7, acknowledgedAt: T0, raisedAt: T0 } as never);
    s.summaryOpened({ callId: 'c1' } as never);
    s.transferPhase('failed', { error: 'x' });
    s.phoneChanged({
      registration: 'registered',
      devices: { inputs: [], outputs: [], inputId: 'mic-2', outputId: null, canSelectOutput: true },
    });

    store.getState().signedOut('您已退出登录');

    const after = store.getState();
    expect(after.authStatus).toBe('anonymous');
    expect(after.notice).toBe('您已退出登录');
    expect(after.reference).toEqual(reference);
    expect(after.phone).toEqual({
      ...fresh.phone,
      devices: { inputs: [], outputs: [], inputId: 'mic-2', outputId: null, canSelectOutput: true },
    });
    for (const key of [
      'user',
      'route',
      'seat',
      'call',
      'snapshot',
      'alerts',
      'alertsAcknowledged',
      'summaryWork',
      'callerHistory',
      'myCalls',
      'knowledge',
      'transfer',
    ] as const) {
      expect(after[key], key).toEqual(fresh[key]);
    }
  });
});
