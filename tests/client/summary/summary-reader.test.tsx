import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIDENTIAL_READ_REFUSAL,
  type Ack,
  type ApiError,
  type CallSummaryInput,
  type CallSummaryView,
} from '../../../client/src/contract';
import { RecordingsPage } from '../../../client/src/features/recordings/RecordingsPage';
import type { RecordingsApi } from '../../../client/src/features/recordings/recordings-api';
import { SummaryReader } from '../../../client/src/features/summary/SummaryReader';
import { click, Screen, settled, type } from '../support/summary-dom';
import { filedView } from '../support/summary-fakes';

/**
 * A 保密 summary on a staff page: the server refuses it without a reason; the page asks for one
 * (at least 4 characters, audited) and reads it with that reason.
 */
const INPUT: CallSummaryInput = {
  categoryId: 'labor',
  topic: '工伤认定咨询',
  question: '单位不认工伤',
  answer: '告知申请工伤认定的时限',
  disposition: 'answered',
  referral: '',
  followUpAt: null,
  riskFlag: false,
  riskNote: '',
  knowledgeIds: [],
  confidential: true,
};
const SUMMARY: CallSummaryView = filedView('c1', INPUT, 1_700_000_000_000);
const REFUSAL: ApiError = { code: 'FORBIDDEN', message: CONFIDENTIAL_READ_REFUSAL };

/** The summary endpoint: the summary only with a reason of 4 characters or more, like the server. */
function confidentialServer() {
  const calls: { callId: string; reason: string | undefined }[] = [];
  const load = async (callId: string, reason?: string): Promise<Ack<{ summary: CallSummaryView | null }>> => {
    calls.push({ callId, reason });
    if (!reason || [...reason].length < 4) return { ok: false, error: REFUSAL };
    return { ok: true, data: { summary: SUMMARY } };
  };
  return { calls, load };
}

const show = (s: CallSummaryView | null) => createElement('p', { className: 'shown' }, s ? s.topic : '尚未提交小结');

let screen: Screen;
beforeEach(() => {
  screen = new Screen();
});
afterEach(() => screen.close());

describe('SummaryReader', () => {
  it('shows a summary that needs no reason at once, without a prompt', async () => {
    const calls: (string | undefined)[] = [];
    const load = async (_id: string, reason?: string): Promise<Ack<{ summary: CallSummaryView | null }>> => {
      calls.push(reason);
      return { ok: true, data: { summary: { ...SUMMARY, confidential: undefined } } };
    };
    screen.show(() => createElement(SummaryReader, { callId: 'c1', load, children: show }));
    await settled();
    expect(screen.text()).toContain('工伤认定咨询');
    expect(screen.hasField('查看理由')).toBe(false);
    expect(calls).toEqual([undefined]);
  });

  it('asks for a reason for a 保密 summary (at least 4 characters, audited), then reads it with the reason', async () => {
    const srv = confidentialServer();
    screen.show(() => createElement(SummaryReader, { callId: 'c1', load: srv.load, children: show }));
    await settled();
    expect(screen.text()).not.toContain('工伤认定咨询');
    expect(screen.text()).toContain('来电人要求保密');
    expect(screen.text()).toContain('审计日志');
    // Three characters (or spaces around them) are not enough: the button stays off.
    type(screen.field('查看理由'), '  核查  ');
    expect(screen.button('查看小结').disabled).toBe(true);
    type(screen.field('查看理由'), ' 核查投诉 ');
    expect(screen.button('查看小结').disabled).toBe(false);
    click(screen.button('查看小结'));
    await settled();
    expect(screen.text()).toContain('工伤认定咨询');
    expect(srv.calls).toEqual([
      { callId: 'c1', reason: undefined },
      { callId: 'c1', reason: '核查投诉' },
    ]);
  });

  it('a reason the server still refuses keeps the prompt with its sentence; another refusal is shown as such', async () => {
    const strict = async (): Promise<Ack<{ summary: CallSummaryView | null }>> => ({ ok: false, error: REFUSAL });
    screen.show(() => createElement(SummaryReader, { callId: 'c1', load: strict, children: show }));
    await settled();
    type(screen.field('查看理由'), '核查投诉');
    click(screen.button('查看小结'));
    await settled();
    expect(screen.hasField('查看理由')).toBe(true);
    expect(screen.host.querySelector('[role=alert]')?.textContent).toBe(CONFIDENTIAL_READ_REFUSAL);

    const missing = async (): Promise<Ack<{ summary: CallSummaryView | null }>> => ({
      ok: false,
      error: { code: 'NOT_FOUND', message: '没有找到编号为 c2 的来电,或您无权查看' },
    });
    screen.show(() => createElement(SummaryReader, { callId: 'c2', load: missing, children: show }));
    await settled();
    expect(screen.hasField('查看理由')).toBe(false);
    expect(screen.host.querySelector('[role=alert]')?.textContent).toContain('没有找到编号为 c2 的来电');
  });
});

describe('录音回放 page', () => {
  it('opens a 保密 summary with a reason', async () => {
    const srv = confidentialServer();
    const fail = async () => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: '' } });
    const api: RecordingsApi = {
      view: fail,
      setPaused: fail,
      storage: fail,
      sweep: fail,
      call: async (id) => ({ ok: true, data: { id, caller: '保密', events: [] } }),
      summary: srv.load,
    };
    screen.show(() => createElement(RecordingsPage, { api }));
    type(screen.field('来电编号'), 'c1');
    click(screen.button('打开'));
    await settled();
    const prompt = screen.host.querySelector('form[aria-label="查看保密小结"]');
    expect(prompt?.textContent).toContain('至少 4 个字');
    type(screen.field('查看理由'), '复核投诉');
    click(screen.button('查看小结'));
    await settled();
    expect(screen.host.querySelector('section[aria-label="小结"]')?.textContent).toContain('工伤认定咨询');
    expect(srv.calls.at(-1)).toEqual({ callId: 'c1', reason: '复核投诉' });
  });
});
