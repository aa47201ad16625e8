import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallerHistoryEntry, CallSummaryInput } from '../../../client/src/contract';
import { allowedRoutes } from '../../../client/src/shared/routes';
import { AppHeader } from '../../../client/src/app/AppHeader';
import { MyCallsPage } from '../../../client/src/features/my-calls/MyCallsPage';
import { appStore } from '../../../client/src/app/store';
import { reference, seat, T0, user } from '../support/fixtures';
import { click, key, Screen, settled, type } from '../support/summary-dom';
import { FakeSummaryServer, fetchFor, filedView, type FetchLogEntry } from '../support/summary-fakes';

let screen: Screen;
let server: FakeSummaryServer;
let requests: FetchLogEntry[];

const input: CallSummaryInput = {
  categoryId: 'labor',
  topic: '拖欠工资',
  question: '公司三个月没发工资',
  answer: '可申请劳动仲裁',
  disposition: 'answered',
  referral: '',
  followUpAt: null,
  riskFlag: false,
  riskNote: '',
  knowledgeIds: [],
};

function entry(callId: string, at: number, summary: boolean, seatId = 's01'): CallerHistoryEntry {
  return {
    record: {
      callId,
      categoryId: 'labor',
      homeCentreId: 'city',
      seatId,
      enqueuedAt: at,
      answeredAt: at + 8_000,
      endedAt: at + 308_000,
      waitMs: 8_000,
      talkMs: 300_000,
      holdMs: 0,
      holds: 0,
      hungUpBy: 'caller',
      result: 'answered',
      offers: 1,
      overflowTrigger: null,
      callerMasked: '139****0001',
    },
    summary: summary ? filedView(callId, input, at + 320_000) : null,
  };
}

beforeEach(() => {
  server = new FakeSummaryServer(() => T0 + 3_600_000);
  requests = [];
  server.myCallsResponse = { day: '2025-01-06', entries: [entry('c1', T0, true), entry('c2', T0 + 1_800_000, false)] };
  server.summaries.set('c1', server.myCallsResponse.entries[0]!.summary!);
  vi.stubGlobal('fetch', fetchFor(server, requests));
  screen = new Screen();
  const s = appStore.getState();
  s.signedIn(user('seat'));
  s.setReference(reference);
});

afterEach(() => {
  screen.close();
  localStorage.clear();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

describe('我的来电', () => {
  it('should be a page of the seat role', () => {
    expect(allowedRoutes('seat')).toContain('calls');
    expect(allowedRoutes('supervisor')).not.toContain('calls');
  });

  it("should list today's calls with time, masked caller, category, wait, talk, result and summary", async () => {
    screen.show(MyCallsPage);
    await settled();
    const rows = [...screen.host.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('09:00:00');
    expect(rows[0]).toContain('139****0001');
    expect(rows[0]).toContain('劳动与社会保障');
    expect(rows[0]).toContain('00:08');
    expect(rows[0]).toContain('05:00');
    expect(rows[0]).toContain('当场解答');
    expect(rows[0]).toContain('拖欠工资');
    expect(rows[1]).toContain('未提交');
    // The day reads 2025-01-06 whatever the browser's language (a zh-CN date input, not the native one).
    const dayInput = screen.host.querySelector('.date-input input') as HTMLInputElement;
    expect(dayInput.value).toBe('2025-01-06');
    expect(dayInput.getAttribute('placeholder')).toBe('年-月-日');
  });

  it('when 修改 is saved, should amend the summary in the same form and show the new revision', async () => {
    screen.show(MyCallsPage);
    await settled();
    click(screen.button('修改'));
    const topic = screen.field('主题');
    expect(topic.value).toBe('拖欠工资');
    type(topic, '拖欠工资(已核实)');
    click(screen.button('保存修改'));
    await settled();
    expect(requests.find((r) => r.method === 'PUT')?.path).toBe('/api/calls/c1/summary');
    expect(screen.text()).toContain('拖欠工资(已核实)');
    expect(screen.text()).toContain('第 2 版');
  });

  it('when the page is reloaded in the middle of 修改, should bring the unsaved edit back', async () => {
    screen.show(MyCallsPage);
    await settled();
    click(screen.button('修改'));
    type(screen.field('主题'), '拖欠工资(改到一半)');
    screen.close(); // the reload: the page and its state are gone, the browser's storage stays
    screen = new Screen();
    screen.show(MyCallsPage);
    await settled();
    click(screen.button('修改'));

    expect(screen.field('主题').value).toBe('拖欠工资(改到一半)');
    expect(screen.text()).toContain('已恢复上次未保存的修改');
    click(screen.button('保存修改'));
    await settled();
    expect(server.summaries.get('c1')?.topic).toBe('拖欠工资(改到一半)');
    click(screen.button('修改'));
    expect(screen.field('主题').value).toBe('拖欠工资(改到一半)');
    expect(screen.text()).not.toContain('已恢复上次未保存的修改');
  });

  it('when an amendment breaks the rules, should show the field error and send nothing', async () => {
    screen.show(MyCallsPage);
    await settled();
    click(screen.button('修改'));
    type(screen.field('主题'), '');
    click(screen.button('保存修改'));
    await settled();
    expect(screen.text()).toContain('请填写主题');
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('when a call of today has no summary, 补写小结 should file one', async () => {
    screen.show(MyCallsPage);
    await settled();
    click(screen.button('补写小结'));
    type(screen.field('主题'), '社保断缴');
    type(screen.field('来电问题'), '单位未缴社保');
    type(screen.field('解答内容'), '可向社保经办机构投诉');
    type(screen.field('处理结果'), 'answered');
    click(screen.button('提交小结'));
    await settled();
    expect(server.summaries.get('c2')?.topic).toBe('社保断缴');
  });

  it('when an earlier day is picked, should load it read-only', async () => {
    screen.show(MyCallsPage);
    await settled();
    const today = server.myCallsResponse;
    server.myCallsResponse = {
      day: '2025-01-03',
      entries: [
        { ...entry('c0', T0 - 3 * 86_400_000, true), summary: { ...filedView('c0', input, T0 - 3 * 86_400_000), amendable: false } },
      ],
    };
    const dayInput = screen.host.querySelector('.date-input input') as HTMLInputElement;
    type(dayInput, '2025-1-3');
    key(dayInput, { key: 'Enter' });
    await settled();
    expect(dayInput.value).toBe('2025-01-03');
    // The day's calls were asked for last (我的外呼 asks for the day's outbound calls alongside).
    expect(requests.filter((r) => r.path.startsWith('/api/my/calls')).at(-1)?.path).toBe('/api/my/calls?day=2025-01-03');
    expect(requests.map((r) => r.path)).toContain('/api/my/outbound-calls?day=2025-01-03');
    expect(screen.text()).toContain('往日记录只读');
    expect(screen.hasButton('修改')).toBe(false);
    expect(screen.hasButton('查看')).toBe(true);
    server.myCallsResponse = today;
    act(() => screen.button('回到今天').click());
    await settled();
    expect(screen.hasButton('修改')).toBe(true);
  });

  it('when the call without a summary is the one at the seat now, should send the seat to the workbench instead of 补写', async () => {
    act(() => appStore.getState().applySeat(seat({ kind: 'wrap-up', since: T0, callId: 'c2', until: T0 + 60_000, extensions: 0 })));
    screen.show(MyCallsPage);
    await settled();
    expect(screen.hasButton('补写小结')).toBe(false);
    click(screen.button('到工作台填写'));
    expect(appStore.getState().route).toBe('seat');
  });

  it('when a call rings while the seat is on 我的来电, should bring it back to the workbench', () => {
    act(() => {
      appStore.getState().navigate('calls');
      appStore.getState().applySeat(seat({ kind: 'ringing', since: T0, callId: 'c9', attempt: 1, idleSince: T0 }));
    });
    expect(appStore.getState().route).toBe('seat');
  });

  it('while the seat talks and looks at 我的来电, its workbench tab should say 通话中', () => {
    act(() => {
      appStore.getState().applySeat(seat({ kind: 'talking', since: T0, callId: 'c9' }));
      appStore.getState().navigate('calls');
    });
    screen.show(AppHeader);
    expect(screen.button('坐席工作台').textContent).toBe('坐席工作台通话中');
    expect(screen.button('我的来电').getAttribute('aria-current')).toBe('page');
  });
});
