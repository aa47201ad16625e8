import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, RecordingView } from '../../../client/src/contract';
import { RecordingPauseButton, RecordingPlayer, RecordingStoragePanel, type RecordingsApi } from '../../../client/src/features/recordings';
import { click, Screen, settled, type } from '../support/summary-dom';

const VIEW: RecordingView = {
  callId: 'c1',
  available: true,
  durationMs: 125_000,
  sizeBytes: 4000,
  sha256Ok: true,
  format: 'mp3',
  pauses: [{ fromMs: 30_000, toMs: 40_000 }],
  holds: [{ fromMs: 60_000, toMs: 65_000 }],
  reason: null,
  linked: [],
  consultations: [],
};

function fakeApi(
  view: Ack<RecordingView>,
  paused: Ack<{ callId: string; paused: boolean }> = { ok: true, data: { callId: 'c1', paused: true } },
): RecordingsApi {
  return {
    view: async () => view,
    setPaused: async () => paused,
    storage: async () => ({ ok: false, error: { code: 'INTERNAL', message: '' } }),
    sweep: async () => ({ ok: false, error: { code: 'INTERNAL', message: '' } }),
    call: async () => ({ ok: false, error: { code: 'INTERNAL', message: '' } }),
    summary: async () => ({ ok: false, error: { code: 'INTERNAL', message: '' } }),
  };
}

let screen: Screen;
beforeEach(() => {
  screen = new Screen();
});
afterEach(() => screen.close());

describe('RecordingPlayer', () => {
  it('plays the audited audio URL and shows holds and pauses on the timeline', async () => {
    const api = fakeApi({ ok: true, data: VIEW });
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api }));
    await settled();
    const audio = screen.host.querySelector('audio')!;
    expect(audio.getAttribute('src')).toBe('/api/calls/c1/recording/audio');
    expect(screen.text()).toContain('时长 02:05');
    expect(screen.text()).toContain('保持 01:00–01:05');
    expect(screen.text()).toContain('录音暂停 00:30–00:40');
    expect(screen.host.querySelectorAll('.rec-mark')).toHaveLength(2);
  });

  it('marks the consultations mixed into the file on the timeline', async () => {
    const consultations = [
      { seatId: 's03', to: 's11', fromMs: 70_000, toMs: 90_000 },
      { seatId: 's03', to: '12345', fromMs: 95_000, toMs: 100_000 },
    ];
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api: fakeApi({ ok: true, data: { ...VIEW, consultations } }) }));
    await settled();
    expect(screen.text()).toContain('咨询 坐席 s11 01:10–01:30');
    expect(screen.text()).toContain('咨询 12345 01:35–01:40');
    expect(screen.host.querySelectorAll('.rec-mark-consult')).toHaveLength(2);
  });

  it('lists the calls a transfer links to it and opens one', async () => {
    const opened: string[] = [];
    const api = fakeApi({ ok: true, data: { ...VIEW, linked: [{ callId: 'c0', relation: 'transferred-from' }] } });
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api, onOpenLinked: (id: string) => opened.push(id) }));
    await settled();
    expect(screen.text()).toContain('转接前通话');
    click([...screen.host.querySelectorAll('button')].find((b) => b.textContent === 'c0')!);
    expect(opened).toEqual(['c0']);
  });

  it('says why there is no recording', async () => {
    const api = fakeApi({ ok: true, data: { ...VIEW, available: false, sha256Ok: false, reason: 'checksum-mismatch' } });
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api }));
    await settled();
    expect(screen.host.querySelector('audio')).toBeNull();
    expect(screen.text()).toContain('校验不符');
  });

  it('shows the refusal of a recording out of scope', async () => {
    const api = fakeApi({ ok: false, error: { code: 'FORBIDDEN', message: '这通电话不属于您管辖的中心，无权收听录音' } });
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api }));
    await settled();
    expect(screen.text()).toContain('无权收听录音');
    expect(screen.host.querySelector('audio')).toBeNull();
  });

  it('asks for a reason before a download', async () => {
    const api = fakeApi({ ok: true, data: VIEW });
    screen.show(() => createElement(RecordingPlayer, { callId: 'c1', api, allowDownload: true }));
    await settled();
    click([...screen.host.querySelectorAll('button')].find((b) => b.textContent === '下载')!);
    const confirm = [...screen.host.querySelectorAll('button')].find((b) => b.textContent === '确认下载')!;
    expect(confirm.disabled).toBe(true);
    type(screen.field('下载原因'), '投诉核查');
    expect(confirm.disabled).toBe(false);
  });
});

describe('RecordingPauseButton', () => {
  it('pauses and shows a refusal', async () => {
    screen.show(() => createElement(RecordingPauseButton, { callId: 'c1', api: fakeApi({ ok: true, data: VIEW }) }));
    click(screen.host.querySelector('button')!);
    await settled();
    expect(screen.text()).toContain('恢复录音');
    expect(screen.text()).toContain('录音已暂停');
  });

  it('shows why the pause was refused', async () => {
    const api = fakeApi({ ok: true, data: VIEW }, { ok: false, error: { code: 'CONFLICT', message: '这通电话没有在录音' } });
    screen.show(() => createElement(RecordingPauseButton, { callId: 'c1', api }));
    click(screen.host.querySelector('button')!);
    await settled();
    expect(screen.text()).toContain('这通电话没有在录音');
    expect(screen.text()).toContain('暂停录音');
  });
});

describe('RecordingStoragePanel', () => {
  const storage = (daysLeft: number | null, alarm: boolean): RecordingsApi => ({
    ...fakeApi({ ok: true, data: VIEW }),
    storage: async () => ({
      ok: true,
      data: {
        dir: '/r',
        usedBytes: 5 * 1024 ** 3,
        freeBytes: 20 * 1024 ** 3,
        files: 1200,
        bytesPerDay: 1024 ** 3,
        daysLeft,
        alarm,
        alarmDays: 30,
        retentionDays: 180,
      },
    }),
  });

  it('shows the disk in use and the days left', async () => {
    screen.show(() => createElement(RecordingStoragePanel, { api: storage(200, false) }));
    await settled();
    expect(screen.text()).toContain('5.0 GB（1200 个文件）');
    expect(screen.text()).toContain('200 天');
    expect(screen.host.querySelector('[role="alert"]')).toBeNull();
  });

  it('raises the alarm below the threshold', async () => {
    screen.show(() => createElement(RecordingStoragePanel, { api: storage(20, true) }));
    await settled();
    expect(screen.host.querySelector('[role="alert"]')?.textContent).toContain('只够 20 天');
  });
});
