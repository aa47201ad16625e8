import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, CallerHistoryEntry, MyCallsResponse } from '../../../client/src/contract';
import { MyCallsPage } from '../../../client/src/features/my-calls/MyCallsPage';
import { appStore } from '../../../client/src/app/store';
import { reference, T0, user } from '../support/fixtures';
import { click, Screen, settled } from '../support/summary-dom';

/** 小结未填 in 我的来电: a call of an earlier day left without a summary is a to-do that opens that day, where 补写小结 is offered. */
const EARLIER = T0 - 2 * 86_400_000;

function unfiledEntry(): CallerHistoryEntry {
  return {
    record: {
      callId: 'u-1',
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId: 's01',
      enqueuedAt: EARLIER,
      answeredAt: EARLIER + 5_000,
      endedAt: EARLIER + 65_000,
      waitMs: 5_000,
      talkMs: 60_000,
      holdMs: 0,
      holds: 0,
      hungUpBy: 'caller',
      result: 'answered',
      offers: 1,
      overflowTrigger: null,
      callerMasked: '136****1111',
    },
    summary: null,
  };
}

let screen: Screen;
let paths: string[];
let unfiled: CallerHistoryEntry[];

beforeEach(() => {
  paths = [];
  unfiled = [unfiledEntry()];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    paths.push(url.pathname + url.search);
    let ack: Ack<unknown> = { ok: false, error: { code: 'NOT_FOUND', message: '未找到' } };
    if (url.pathname === '/api/my/unfiled') ack = { ok: true, data: unfiled };
    if (url.pathname === '/api/my/calls') {
      const day = url.searchParams.get('day');
      const data: MyCallsResponse = day ? { day, entries: unfiled } : { day: '2025-01-06', entries: [] };
      ack = { ok: true, data };
    }
    return new Response(JSON.stringify(ack), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  screen = new Screen();
  appStore.getState().signedIn(user('seat'));
  appStore.getState().setReference(reference);
});

afterEach(() => {
  screen.close();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

describe('我的来电: 小结未填', () => {
  it('at sign-in, should list the seat’s calls left without a summary as a to-do', async () => {
    screen.show(MyCallsPage);
    await settled();
    expect(paths).toContain('/api/my/unfiled');
    const todo = screen.host.querySelector('section[aria-label="小结未填"]');
    expect(todo?.textContent).toContain('小结未填');
    expect(todo?.textContent).toContain('136****1111');
  });

  it('clicking the to-do opens that earlier day, where the summary can be written late (补写小结)', async () => {
    screen.show(MyCallsPage);
    await settled();
    const link = screen.host.querySelector<HTMLButtonElement>('section[aria-label="小结未填"] button.link')!;
    click(link);
    await settled();
    // The day's calls were asked for last (我的外呼 asks for the day's outbound calls alongside).
    expect(paths.filter((p) => p.startsWith('/api/my/calls')).at(-1)).toBe('/api/my/calls?day=2025-01-04');
    expect(paths).toContain('/api/my/outbound-calls?day=2025-01-04');
    expect(screen.text()).toContain('往日记录只读');
    expect(screen.hasButton('补写小结')).toBe(true);
  });

  it('with nothing unfiled, should show no to-do', async () => {
    unfiled = [];
    screen.show(MyCallsPage);
    await settled();
    expect(screen.host.querySelector('section[aria-label="小结未填"]')).toBeNull();
  });
});
