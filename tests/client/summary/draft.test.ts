import { describe, expect, it } from 'vitest';
import { draftStatusText } from '../../../client/src/features/summary/status';
import { newSummaryWork } from '../../../client/src/features/summary/slice';
import { mergeDrafts } from '../../../client/src/features/summary/merge';
import type { LocalDraftRecord } from '../../../client/src/features/summary/storage';
import { call, seat, T0 } from '../support/fixtures';
import { settle, summaryRig } from '../support/summary-fakes';

const local = (over: Partial<LocalDraftRecord>): LocalDraftRecord => ({
  v: 1,
  callId: 'c1',
  draft: { topic: '本机' },
  editedAt: T0 + 10_000,
  dirty: true,
  serverSavedAt: null,
  sentEditedAt: null,
  reported: null,
  ...over,
});
const server = (savedAt: number) => ({ callId: 'c1', draft: { topic: '服务器' }, savedAt });

describe('mergeDrafts: which copy a reload continues from', () => {
  it('when the server copy is one this browser saw acknowledged, should keep the local copy and send its unsent typing', () => {
    const m = mergeDrafts(local({ serverSavedAt: T0 + 5_000 }), server(T0 + 5_000));
    expect(m).toEqual({ source: 'local', draft: { topic: '本机' }, needsPush: true });
  });

  it('when the browser crashed with a save unanswered and typed on after it, should keep the local copy even if its clock is behind', () => {
    // Sent the content of T0+1000, typed more at T0+1500, the server stored the save at T0+2000.
    const m = mergeDrafts(local({ editedAt: T0 + 1_500, sentEditedAt: T0 + 1_000, serverSavedAt: null }), server(T0 + 2_000));
    expect(m.source).toBe('local');
  });

  it('when the unanswered save carried exactly the local content, should take the server copy without sending again', () => {
    const m = mergeDrafts(local({ editedAt: T0 + 1_000, sentEditedAt: T0 + 1_000 }), server(T0 + 2_000));
    expect(m).toMatchObject({ source: 'server', needsPush: false });
  });

  it('when another console saved later than the last local edit, should take the server copy', () => {
    const m = mergeDrafts(local({ editedAt: T0 + 1_000, serverSavedAt: T0 }), server(T0 + 9_000));
    expect(m.source).toBe('server');
  });

  it('when the local copy was edited after the server copy was saved, should take the local copy', () => {
    const m = mergeDrafts(local({ editedAt: T0 + 9_000, serverSavedAt: T0 }), server(T0 + 5_000));
    expect(m).toMatchObject({ source: 'local', needsPush: true });
  });

  it('when only one copy exists, should take it; with none, an empty draft', () => {
    expect(mergeDrafts(null, server(T0)).source).toBe('server');
    expect(mergeDrafts(local({}), null)).toMatchObject({ source: 'local', needsPush: true });
    expect(mergeDrafts(null, null)).toEqual({ source: 'none', draft: {}, needsPush: false });
  });
});

/** A seat talking on c1 with the controller following the store. */
function talkingRig(rig = summaryRig()) {
  rig.controller.attach();
  const s = rig.store.getState();
  s.applyCall(call({ state: { kind: 'talking', since: T0, seatId: 's01' } }));
  s.applySeat(seat({ kind: 'talking', since: T0, callId: 'c1' }));
  return rig;
}

describe('summary drafts: typing, saving and reloading', () => {
  it('when the seat types, should store the draft on this machine before any timer runs', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ topic: '拖欠工资' });
    const stored = [...rig.storage.map.values()].map((v) => JSON.parse(v) as LocalDraftRecord);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.draft.topic).toBe('拖欠工资');
    expect(stored[0]?.dirty).toBe(true);
    expect(rig.server.saves).toHaveLength(0);
  });

  it('when typing pauses for 600 ms, should save the last content to the server once and say when', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ topic: '拖' });
    await rig.timers.advance(300);
    rig.controller.edit({ topic: '拖欠工资' });
    await rig.timers.advance(599);
    expect(rig.server.saves).toHaveLength(0);
    expect(rig.work()?.sync).toBe('pending');
    await rig.timers.advance(1);
    expect(rig.server.saves.map((s) => s.draft.topic)).toEqual(['拖欠工资']);
    expect(rig.work()).toMatchObject({ sync: 'saved', savedAt: T0 + 900 });
  });

  it('when the network is down, should say the draft is kept on this machine and save it once the network is back', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.server.offline = true;
    rig.controller.edit({ question: '公司三个月没发工资' });
    await rig.timers.advance(600);
    expect(rig.work()?.sync).toBe('offline');
    rig.server.offline = false;
    await rig.timers.advance(5_000);
    expect(rig.work()?.sync).toBe('saved');
    expect(rig.server.drafts.get('c1')?.draft.question).toBe('公司三个月没发工资');
  });

  it('when the page reloads before the save went out, should show everything typed and send it', async () => {
    const first = talkingRig();
    await settle();
    first.controller.edit({ topic: '拖欠工资', answer: '可向劳动监察大队投诉' });
    // Crash: no timer ever runs. A new page starts on the same machine.
    const second = talkingRig(summaryRig({ storage: first.storage, server: first.server, timers: first.timers }));
    await settle();
    expect(second.work()?.draft).toMatchObject({ topic: '拖欠工资', answer: '可向劳动监察大队投诉', categoryId: 'labor' });
    await second.timers.advance(0);
    expect(second.server.drafts.get('c1')?.draft.answer).toBe('可向劳动监察大队投诉');
  });

  it('when a save was unanswered at the crash and typing went on, should keep the later typing', async () => {
    const first = summaryRig();
    await first.controller.open('c1');
    first.server.hold = true;
    first.controller.edit({ topic: '工伤' });
    await first.timers.advance(600); // save sent, stored by the server, answer held
    first.controller.edit({ topic: '工伤认定' });
    const second = summaryRig({ storage: first.storage, server: first.server, timers: first.timers });
    await second.timers.advance(1_000);
    await second.controller.open('c1');
    expect(second.work()?.draft.topic).toBe('工伤认定');
  });

  it('when another console saved the draft later, should open with the server copy', async () => {
    const first = summaryRig();
    await first.controller.open('c1');
    first.controller.edit({ topic: '旧' });
    await first.timers.advance(600);
    first.server.drafts.set('c1', { callId: 'c1', draft: { topic: '另一台电脑' }, savedAt: first.timers.now + 60_000 });
    const second = summaryRig({ storage: first.storage, server: first.server, timers: first.timers });
    await second.controller.open('c1');
    expect(second.work()?.draft.topic).toBe('另一台电脑');
  });

  it('when the summary is filed, should clear the local copy and send no more draft saves', async () => {
    const rig = talkingRig();
    await settle();
    rig.controller.edit({ topic: '拖欠工资', question: '三个月没发工资', answer: '可申请劳动仲裁', disposition: 'answered' });
    expect(await rig.controller.submit()).toBe(true);
    expect(rig.storage.map.size).toBe(0);
    expect(rig.work()?.filed?.revision).toBe(1);
    await rig.timers.advance(10_000);
    expect(rig.server.saves).toHaveLength(0);
  });

  it('when the server already holds the filed summary, should show it filed and drop the local copy', async () => {
    const first = summaryRig();
    await first.controller.open('c1');
    first.controller.edit({ topic: '拖欠工资', question: '问', answer: '答', disposition: 'answered', categoryId: 'labor' });
    await first.controller.submit();
    first.drafts.write('seat01', {
      v: 1,
      callId: 'c1',
      draft: { topic: '残留' },
      editedAt: T0,
      dirty: true,
      serverSavedAt: null,
      sentEditedAt: null,
      reported: null,
    });
    const second = summaryRig({ storage: first.storage, server: first.server, timers: first.timers });
    await second.controller.open('c1');
    expect(second.work()?.filed).not.toBeNull();
    expect(second.work()?.draft.topic).toBe('拖欠工资');
    expect(first.storage.map.size).toBe(0);
  });

  it('when the page is hidden, should send unsaved typing at once with keepalive', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ topic: '离婚' });
    await rig.controller.flushAll({ keepalive: true });
    expect(rig.server.saves).toEqual([{ callId: 'c1', draft: { topic: '离婚' }, keepalive: true }]);
  });

  it('when the browser refuses to store the draft, should say so and still save to the server', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.storage.full = true;
    rig.controller.edit({ topic: '继承' });
    expect(rig.work()?.localFailed).toBe(true);
    await rig.timers.advance(600);
    expect(rig.server.drafts.get('c1')?.draft.topic).toBe('继承');
  });

  it('when a call is answered, should open its summary with the IVR category preset', async () => {
    const rig = talkingRig();
    await settle();
    expect(rig.work()).toMatchObject({ callId: 'c1', loading: false, draft: { categoryId: 'labor' } });
  });

  it('when the seat signs out, should clear the summary from the screen but keep unsent typing on this machine', async () => {
    const rig = summaryRig();
    rig.controller.attach();
    await rig.controller.open('c1');
    rig.controller.edit({ topic: '未发送' });
    rig.controller.releaseSynced();
    rig.store.getState().signedOut();
    expect(rig.store.getState().summaryWork).toBeNull();
    expect([...rig.storage.map.values()].join()).toContain('未发送');
  });
});

describe('draft status line', () => {
  const base = newSummaryWork('c1', {});
  it.each([
    [{ sync: 'pending' as const }, '保存中…'],
    [{ sync: 'saving' as const }, '保存中…'],
    [{ sync: 'saved' as const, savedAt: T0 + 3_742_000 }, '草稿已保存 10:02:22'],
    [{ sync: 'offline' as const }, '离线,已保存在本机'],
    [
      { sync: 'failed' as const, syncError: '只有接听本通电话的坐席可以保存小结草稿' },
      '草稿未能保存到服务器(只有接听本通电话的坐席可以保存小结草稿),已保存在本机',
    ],
    [{ sync: 'saved' as const, localFailed: true }, '本机无法保存草稿,请暂勿关闭页面'],
  ])('%o should read %s', (over, text) => {
    expect(draftStatusText({ ...base, loading: false, ...over }).text).toBe(text);
  });
});
