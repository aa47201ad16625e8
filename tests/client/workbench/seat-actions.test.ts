import { describe, expect, it } from 'vitest';
import { seatActionsFor } from '../../../client/src/features/workbench/seat-actions';
import { T0 } from '../support/fixtures';

describe('seat action availability', () => {
  it('when talking, should offer no status change and no logout', () => {
    const a = seatActionsFor({ kind: 'talking', since: T0, callId: 'c1' });
    expect([a.ready, a.notReady, a.offline, a.extend, a.endWrapUp, a.logout]).toEqual([false, false, false, false, false, false]);
    expect(a.hint).toMatch(/话后整理/);
  });

  it('when in wrap-up with the summary filed, should offer extend/end and not a second way back to ready', () => {
    const a = seatActionsFor({ kind: 'wrap-up', since: T0, callId: 'c1', until: T0 + 30_000, extensions: 0 }, { summaryFiled: true });
    expect([a.extend, a.endWrapUp, a.notReady, a.offline, a.logout]).toEqual([true, true, true, true, true]);
    expect(a.ready).toBe(false);
    expect(a.hint).toBeNull();
  });

  it('when in wrap-up before the summary is filed, should offer only 延长 and say to file the summary first', () => {
    const a = seatActionsFor({ kind: 'wrap-up', since: T0, callId: 'c1', until: T0 + 30_000, extensions: 0 }, { summaryFiled: false });
    expect([a.extend, a.endWrapUp, a.ready, a.notReady, a.offline, a.logout]).toEqual([true, false, false, false, false, false]);
    expect(a.hint).toContain('请先提交小结');
  });

  it('when offline, should offer ready and not-ready but not offline', () => {
    const a = seatActionsFor({ kind: 'offline', since: T0 });
    expect([a.ready, a.notReady, a.offline]).toEqual([true, true, false]);
  });

  it('when not-ready after a missed call, should offer ready', () => {
    expect(seatActionsFor({ kind: 'not-ready', since: T0, reason: 'missed', autoReadyAt: null }).ready).toBe(true);
  });

  it('when the seat has not loaded, should offer nothing but logout', () => {
    const a = seatActionsFor(null);
    expect([a.ready, a.notReady, a.offline, a.logout]).toEqual([false, false, false, true]);
  });
});

describe('seat actions when the server does not gate wrap-up on the summary', () => {
  it('when summaries are not required, should let the seat finish wrap-up without one', () => {
    const can = seatActionsFor(
      { kind: 'wrap-up', since: 0, callId: 'c1', until: 60_000, extensions: 0 },
      { summaryFiled: false, summaryRequired: false },
    );
    expect(can).toMatchObject({ endWrapUp: true, notReady: true, offline: true, hint: null });
  });
});
