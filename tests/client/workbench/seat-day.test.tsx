import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, SeatTodayView } from '../../../client/src/contract';
import { AppHeader } from '../../../client/src/app/AppHeader';
import { appStore, createAppStore } from '../../../client/src/app/store';
import { CallCard } from '../../../client/src/features/workbench/CallCard';
import { createSeatDayController } from '../../../client/src/features/workbench/day-controller';
import { SeatDayPanel } from '../../../client/src/features/workbench/SeatDayPanel';
import { SeatStatePanel } from '../../../client/src/features/workbench/SeatStatePanel';
import { call, reference, seat, T0, user } from '../support/fixtures';
import { Screen, settled } from '../support/summary-dom';

const DAY: SeatTodayView = {
  at: T0,
  day: '2025-01-06',
  queue: { waiting: 2, oldestEnqueuedAt: T0 - 95_000 },
  answered: 14,
  missed: 1,
  declined: 2,
  talkMs: (42 * 60 + 5) * 1000,
};

describe('the seat day controller', () => {
  it('when the server answers, should put the figures in the store; when it fails, should keep them and say why', async () => {
    const store = createAppStore();
    let answer: Ack<SeatTodayView> = { ok: true, data: DAY };
    const ctl = createSeatDayController({ load: async () => answer, store });
    await ctl.refresh();
    expect(store.getState().seatDay).toEqual(DAY);
    answer = { ok: false, error: { code: 'INTERNAL', message: '服务器暂时无法处理' } };
    await ctl.refresh();
    expect(store.getState().seatDay).toEqual(DAY);
    expect(store.getState().seatDayError).toContain('服务器暂时无法处理');
  });

  it('when signed out meanwhile, should not report an error', async () => {
    const store = createAppStore();
    const ctl = createSeatDayController({
      load: async () => ({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } }),
      store,
    });
    await ctl.refresh();
    expect(store.getState().seatDayError).toBeNull();
  });
});

let screen: Screen;
let asked: string[];
beforeEach(() => {
  screen = new Screen();
  asked = [];
  vi.stubGlobal('fetch', async (input: string) => {
    asked.push(input);
    // The longest wait runs on the page's clock: 95 s ago by this computer's time.
    const data = { ...DAY, queue: { waiting: 2, oldestEnqueuedAt: Date.now() - 95_000 } };
    return new Response(JSON.stringify({ ok: true, data }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  act(() => {
    appStore.getState().signedIn(user('seat'));
    appStore.getState().setReference(reference);
  });
});
afterEach(() => {
  screen.close();
  act(() => appStore.getState().signedOut());
  vi.unstubAllGlobals();
});

describe('我的队列与今日 on the workbench', () => {
  it('should read the seat day and show the queue in its specialties with the longest wait, answered, missed, declined and talk time', async () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'ready', since: T0 })));
    screen.show(SeatDayPanel);
    await settled();
    expect(asked.some((u) => u.endsWith('/api/seats/me/today'))).toBe(true);
    const text = screen.text();
    expect(text).toContain('专长排队2');
    expect(text).toMatch(/最长 01:3\d/);
    expect(text).toContain('今日接听14');
    expect(text).toContain('未接1');
    expect(text).toContain('拒接 2');
    expect(text).toContain('通话时长42:05');
  });

  it('when the seat state changes (a call ends), should read the figures again', async () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'talking', since: T0, callId: 'c1' })));
    screen.show(SeatDayPanel);
    await settled();
    const before = asked.length;
    act(() => appStore.getState().applySeat(seat({ kind: 'wrap-up', since: T0 + 1000, callId: 'c1', until: T0 + 61_000, extensions: 0 })));
    await settled();
    expect(asked.length).toBe(before + 1);
  });
});

describe('who hung up', () => {
  it.each([
    ['caller', '对方已挂断'],
    ['seat', '您已挂断'],
    ['system', '通话已中断'],
  ] as const)('when the %s ended the call, the card and the state should say %s', (by, words) => {
    act(() => {
      appStore.getState().applySeat(seat({ kind: 'wrap-up', since: T0, callId: 'c1', until: T0 + 60_000, extensions: 0 }));
      appStore.getState().applyCall(call({ hungUpBy: by, answeredAt: T0 - 30_000, state: { kind: 'wrap-up', since: T0, seatId: 's01' } }));
    });
    screen.show(() => (
      <>
        <SeatStatePanel />
        <CallCard />
      </>
    ));
    expect(screen.host.querySelector('.call-card h2')?.textContent).toBe(words);
    expect(screen.host.querySelector('.state-panel')?.textContent).toContain(`${words},提交小结后完成整理`);
  });
});

describe('the header', () => {
  it('when the display name is the role (系统管理员), should not say it twice', () => {
    act(() => appStore.getState().signedIn(user('admin', { displayName: '系统管理员' })));
    screen.show(AppHeader);
    expect(screen.host.querySelector('.user-info')?.textContent).toBe('系统管理员');
  });

  it('when a supervisor has a name, should show the name and the role', () => {
    act(() => appStore.getState().signedIn(user('supervisor')));
    screen.show(AppHeader);
    expect(screen.host.querySelector('.user-info')?.textContent).toBe('李班长班长/质检');
  });
});
