import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallerHistory } from '../../../client/src/contract';
import { SeatPage } from '../../../client/src/features/workbench/SeatPage';
import { phone, session } from '../../../client/src/app/root';
import { appStore } from '../../../client/src/app/store';
import { initialPhoneState } from '../../../client/src/features/phone/slice';
import { summary } from '../../../client/src/app/root';
import { call, reference, seat, user } from '../support/fixtures';
import { click, key, Screen, settled, type } from '../support/summary-dom';
import { FakeSummaryServer, fetchFor, filedView, type FetchLogEntry } from '../support/summary-fakes';

let screen: Screen;
let server: FakeSummaryServer;
let requests: FetchLogEntry[];
const now = () => Date.now();

beforeEach(() => {
  localStorage.clear();
  server = new FakeSummaryServer(now);
  requests = [];
  vi.stubGlobal('fetch', fetchFor(server, requests));
  screen = new Screen();
  const s = appStore.getState();
  s.signedIn(user('seat'));
  s.setReference(reference);
});

afterEach(() => {
  screen.close();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function ringing(flags: string[] = [], ticket: string | null = null) {
  const t = now();
  const s = appStore.getState();
  s.applyCall(call({ flags, ticket12345: ticket, enqueuedAt: t - 12_000, state: { kind: 'ringing', since: t, seatId: 's01' } }));
  s.applySeat(seat({ kind: 'ringing', since: t, callId: 'c1', attempt: 1, idleSince: t - 60_000 }));
}

async function talking() {
  const t = now();
  const s = appStore.getState();
  s.applyCall(call({ answeredAt: t - 5_000, state: { kind: 'talking', since: t - 5_000, seatId: 's01' } }));
  s.applySeat(seat({ kind: 'talking', since: t - 5_000, callId: 'c1' }));
  screen.show(SeatPage);
  await settled();
}

async function wrapUp(untilFromNow = 30_000) {
  await talking();
  act(() =>
    appStore
      .getState()
      .applySeat(seat({ kind: 'wrap-up', since: now() - 1_000, callId: 'c1', until: now() + untilFromNow, extensions: 0 })),
  );
  await settled();
}

function fillComplete() {
  type(screen.field('主题'), '拖欠工资');
  type(screen.field('来电问题'), '公司三个月没发工资');
  type(screen.field('解答内容'), '可向劳动保障监察机构投诉,或申请劳动仲裁');
  type(screen.field('处理结果'), 'answered');
}

const history: CallerHistory = {
  callId: 'c1',
  total: 3,
  entries: [
    {
      record: {
        callId: 'old-1',
        categoryId: 'labor',
        homeCentreId: 'city',
        seatId: 's02',
        enqueuedAt: Date.UTC(2025, 0, 3, 2, 30),
        answeredAt: Date.UTC(2025, 0, 3, 2, 30, 10),
        endedAt: Date.UTC(2025, 0, 3, 2, 40),
        waitMs: 10_000,
        talkMs: 590_000,
        holdMs: 0,
        holds: 0,
        hungUpBy: 'caller',
        result: 'answered',
        offers: 1,
        overflowTrigger: null,
        callerMasked: '138****1234',
      },
      summary: {
        ...filedView(
          'old-1',
          {
            categoryId: 'labor',
            topic: '工伤认定',
            question: '在工地摔伤,单位不给认定工伤',
            answer: '可自事故发生之日起一年内向社会保险行政部门申请工伤认定',
            disposition: 'legal-aid',
            referral: '法律援助中心',
            followUpAt: null,
            riskFlag: false,
            riskNote: '',
            knowledgeIds: [],
          },
          Date.UTC(2025, 0, 3, 2, 41),
        ),
        seatName: '王律师',
      },
    },
  ],
};

describe('screen pop', () => {
  it('when a green-channel call rings, should show the masked number, category, flags, wait, ticket and the caller history', async () => {
    server.history = history;
    ringing(['elderly', 'migrant-worker'], 'GD-2025-0001');
    screen.show(SeatPage);
    await settled();
    const pop = screen.host.querySelector('[aria-label="来电弹屏"]');
    const text = pop?.textContent ?? '';
    for (const want of [
      '138****1234',
      '劳动与社会保障',
      '绿色通道',
      '老年人',
      '农民工',
      'GD-2025-0001',
      '已等待',
      '历史来电',
      '引导申请法律援助',
      '工伤认定',
    ]) {
      expect(text).toContain(want);
    }
    expect(requests.some((r) => r.path === '/api/calls/c1/history?limit=10')).toBe(true);
    // The earlier summary opens in place.
    const details = pop?.querySelector('details');
    expect(details?.textContent).toContain('一年内向社会保险行政部门申请工伤认定');
    expect(details?.textContent).toContain('王律师');
  });

  it('when a transferred call rings, should say which seat transferred it', async () => {
    const t = now();
    const s = appStore.getState();
    s.applyCall(
      call({ transferredFrom: { callId: 'c0', seatId: 's03', seatName: '张伟' }, state: { kind: 'ringing', since: t, seatId: 's01' } }),
    );
    s.applySeat(seat({ kind: 'ringing', since: t, callId: 'c1', attempt: 1, idleSince: t - 60_000 }));
    screen.show(SeatPage);
    await settled();

    expect(screen.host.querySelector('[aria-label="来电弹屏"]')?.textContent).toContain('由 张伟 转入');
  });

  it('when the softphone rings, 接听 and 拒接 should go through the phone; before it rings they should wait', async () => {
    const answer = vi.spyOn(phone, 'answer').mockImplementation(() => {});
    const decline = vi.spyOn(phone, 'decline').mockImplementation(() => {});
    ringing();
    screen.show(SeatPage);
    await settled();
    expect(screen.button('接听').disabled).toBe(true);
    act(() =>
      appStore.getState().phoneChanged({
        ...initialPhoneState,
        registration: 'registered',
        incoming: { sipCallId: 'c1', remote: '138****1234', at: now(), answering: false },
      }),
    );
    const pop = screen.host.querySelector('[aria-label="来电弹屏"]') as HTMLElement;
    const popButton = (name: string) =>
      [...pop.querySelectorAll('button')].find((b) => b.textContent?.startsWith(name)) as HTMLButtonElement;
    click(popButton('接听'));
    click(popButton('拒接'));
    expect(answer).toHaveBeenCalledOnce();
    expect(decline).toHaveBeenCalledOnce();
  });
});

describe('summary during the call', () => {
  it('should offer the form while talking, preset to the IVR category, and keep each keystroke on this machine at once', async () => {
    await talking();
    expect((screen.field('咨询类别') as unknown as HTMLSelectElement).value).toBe('labor');
    type(screen.field('主题'), '拖欠工资');
    const stored = Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? '');
    expect(stored.join()).toContain('拖欠工资');
    expect(screen.host.querySelector('.draft-status')?.textContent).toBe('保存中…');
    await act(() => summary.flushAll());
    expect(screen.host.querySelector('.draft-status')?.textContent).toMatch(/^草稿已保存 \d\d:\d\d:\d\d$/);
    expect(server.drafts.get('c1')?.draft.topic).toBe('拖欠工资');
  });

  it('when 提交小结 is pressed with gaps, should mark every missing field in zh-CN and focus the first', async () => {
    await talking();
    click(screen.button('提交小结'));
    await settled();
    const topic = screen.field('主题');
    expect(topic.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(topic.getAttribute('aria-describedby') ?? '')?.textContent).toBe('请填写主题');
    expect(screen.text()).toContain('请填写来电问题');
    expect(screen.text()).toContain('请选择处理结果');
    expect(document.activeElement).toBe(topic);
    expect(server.api.fileSummary).not.toHaveBeenCalled();
  });

  it('when the disposition refers the caller or promises a callback, should ask where to or when', async () => {
    await talking();
    expect(screen.hasField('转介去向')).toBe(false);
    type(screen.field('处理结果'), 'mediation');
    expect(screen.field('转介去向').getAttribute('list')).toBeTruthy();
    type(screen.field('处理结果'), 'callback');
    // A zh-CN date (年-月-日 with a calendar) and a 24-hour time, whatever the browser's language.
    expect(screen.field('回电时间').getAttribute('placeholder')).toBe('年-月-日');
    expect(screen.host.querySelector('.datetime-input .time-input')?.getAttribute('placeholder')).toBe('时:分');
  });

  it('when the server refuses the summary with field errors, should show them under the fields', async () => {
    await talking();
    fillComplete();
    server.refuseFile = { code: 'VALIDATION', message: '输入有误', fields: { categoryId: ['未知的咨询类别 labor'] } };
    click(screen.button('提交小结'));
    await settled();
    expect(screen.field('咨询类别').getAttribute('aria-invalid')).toBe('true');
    expect(screen.text()).toContain('未知的咨询类别 labor');
  });

  it('when the risk note is written and left, should alert the supervisors at once and say 已上报班长', async () => {
    await talking();
    click(screen.field('重大事项上报'));
    const note = screen.field<HTMLTextAreaElement>('上报说明');
    type(note, '来电人称要集体到政府门前讨薪');
    act(() => {
      note.focus();
      note.blur();
    });
    await settled();
    expect(server.reports).toEqual([{ callId: 'c1', note: '来电人称要集体到政府门前讨薪' }]);
    expect(screen.text()).toMatch(/已上报班长 \d\d:\d\d:\d\d/);
    expect(server.api.fileSummary).not.toHaveBeenCalled();
  });

  it('when a knowledge entry is inserted, should append its answer and legal basis to 解答内容', async () => {
    await talking();
    type(screen.field('解答内容'), '先与单位协商。');
    act(() =>
      summary.insertKnowledge({
        id: 9,
        version: 1,
        updatedAt: now(),
        updatedBy: 'admin',
        categoryId: 'labor',
        question: '拖欠工资怎么办',
        answer: '可向劳动保障监察机构投诉。',
        legalBasis: '《保障农民工工资支付条例》',
        keywords: [],
      }),
    );
    expect(screen.field<HTMLTextAreaElement>('解答内容').value).toBe(
      '先与单位协商。\n\n可向劳动保障监察机构投诉。\n法律依据:《保障农民工工资支付条例》',
    );
    expect(screen.text()).toContain('已引用知识库 1 条');
  });

  it('after a reload mid-typing, should show everything typed before', async () => {
    await talking();
    type(screen.field('来电问题'), '房东不退押金');
    // The page goes away before any save: the next page reads this machine's copy.
    screen.close();
    appStore.getState().signedOut();
    screen = new Screen();
    appStore.getState().signedIn(user('seat'));
    appStore.getState().setReference(reference);
    await talking();
    expect(screen.field<HTMLTextAreaElement>('来电问题').value).toBe('房东不退押金');
  });
});

describe('wrap-up gate', () => {
  it('before the summary is filed, should hold 完成整理, 示忙 and 下线 and say why; after filing, should offer 完成整理', async () => {
    const endWrapUp = vi.spyOn(session, 'endWrapUp').mockResolvedValue();
    await wrapUp();
    expect(screen.button('完成整理').disabled).toBe(true);
    expect(screen.button('用餐').disabled).toBe(true);
    expect(screen.button('下线').disabled).toBe(true);
    expect(screen.text()).toContain('请先提交小结');
    fillComplete();
    click(screen.button('提交小结'));
    await settled();
    expect(server.summaries.get('c1')?.topic).toBe('拖欠工资');
    expect(localStorage.length).toBe(0);
    expect(screen.text()).toContain('小结已提交');
    expect(screen.button('完成整理').disabled).toBe(false);
    click(screen.button('完成整理'));
    expect(endWrapUp).toHaveBeenCalledOnce();
  });

  it('when the wrap-up time has run out without a summary, should show 超时 with the overdue time', async () => {
    await wrapUp(-65_000);
    const panel = screen.host.querySelector('[aria-label="话后整理"]');
    expect(panel?.className).toContain('wrapup-overdue');
    expect(panel?.textContent).toContain('超时');
    expect(panel?.textContent).toMatch(/\+01:0\d/);
    expect(panel?.textContent).toContain('提交小结后将立即恢复就绪');
  });

  it('when the summary was filed before a reload, should open filed and let 完成整理 go', async () => {
    server.summaries.set(
      'c1',
      filedView(
        'c1',
        {
          categoryId: 'labor',
          topic: '拖欠工资',
          question: 'q',
          answer: 'a',
          disposition: 'answered',
          referral: '',
          followUpAt: null,
          riskFlag: false,
          riskNote: '',
          knowledgeIds: [],
        },
        now(),
      ),
    );
    await wrapUp();
    expect(screen.button('完成整理').disabled).toBe(false);
    expect(screen.text()).toContain('第 1 版');
  });
});

describe('keyboard on the seat page', () => {
  it('Ctrl+Enter in a text field should submit the summary', async () => {
    await talking();
    fillComplete();
    key(screen.field('解答内容'), { key: 'Enter', ctrlKey: true });
    await settled();
    expect(server.api.fileSummary).toHaveBeenCalledOnce();
  });

  it('F10 in wrap-up before filing should say to file the summary first instead of leaving', async () => {
    const endWrapUp = vi.spyOn(session, 'endWrapUp').mockResolvedValue();
    await wrapUp();
    key(screen.field('主题'), { key: 'F10' });
    expect(endWrapUp).not.toHaveBeenCalled();
    const alerts = [...screen.host.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? '');
    expect(alerts.some((t) => t.includes('请先提交小结'))).toBe(true);
  });

  it('F8 should answer a ringing call even while typing; F9 should hang up a call that is up', async () => {
    const answer = vi.spyOn(phone, 'answer').mockImplementation(() => {});
    const hangup = vi.spyOn(phone, 'hangup').mockImplementation(() => {});
    ringing();
    act(() =>
      appStore
        .getState()
        .phoneChanged({ ...initialPhoneState, incoming: { sipCallId: 'c1', remote: '138****1234', at: now(), answering: false } }),
    );
    screen.show(SeatPage);
    await settled();
    key(document.body, { key: 'F8' });
    expect(answer).toHaveBeenCalledOnce();
    act(() =>
      appStore
        .getState()
        .phoneChanged({ incoming: null, active: { sipCallId: 'c1', answeredAt: now(), muted: false, held: false, holdPending: false } }),
    );
    key(document.body, { key: 'h', code: 'KeyH', ctrlKey: true, altKey: true });
    expect(hangup).toHaveBeenCalledOnce();
  });

  it('? should open the shortcut help, but not while typing', async () => {
    await talking();
    key(screen.field('主题'), { key: '?' });
    expect(screen.host.querySelector('[role="dialog"]')).toBeNull();
    key(document.body, { key: '?' });
    const help = screen.host.querySelector('[role="dialog"][aria-label="键盘快捷键"]');
    expect(help?.textContent).toContain('F8');
    expect(help?.textContent).toContain('提交小结');
    key(document.body, { key: 'Escape' });
    expect(screen.host.querySelector('[role="dialog"]')).toBeNull();
  });
});
