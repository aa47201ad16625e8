/** Satisfaction ratings, the external survey webhook, the 回访 worklist and the figures, on a real server. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatisfactionFigures, SurveyWebhookResult, VisitTaskView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { surveySignedHeaders, type SurveyKey } from '../../server/src/features/satisfaction/webhook-signing.js';
import { login, startTestServer } from '../support/server.js';
import { HOUR, MIN, SUMMARY, T0, answeredCall, api, data, error, fileAndFinish, type Harness } from './support-summaries.js';

const KEY: SurveyKey = { id: 'sms1', secret: 'a-test-secret-of-enough-length' };

function satisfactionHarness(env: Record<string, string> = {}) {
  const h = { srv: null, clock: null, cookies: {}, sockets: [] } as unknown as Harness;
  beforeAll(async () => {
    const keys = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'survey-keys-')), 'keys');
    fs.writeFileSync(keys, `${KEY.id}=${KEY.secret}\n`);
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({
      clock: h.clock,
      env: { SESSION_HOURS: '72', SURVEY_WEBHOOK_KEYS_FILE: keys, VISIT_SAMPLE_PERCENT: '0', ...env },
    });
    for (const u of ['seat01', 'seat02', 'seat03', 'supervisor']) h.cookies[u] = await login(h.srv.url, u);
  });
  afterAll(async () => {
    await h.srv?.stop();
  });
  return h;
}

interface WebhookReply {
  status: number;
  body: { ok: boolean; data?: SurveyWebhookResult; error?: { code: string; message: string } };
  text: string;
}

async function webhook(h: Harness, body: object, opts: { key?: SurveyKey; at?: number; raw?: string } = {}): Promise<WebhookReply> {
  const raw = opts.raw ?? JSON.stringify(body);
  const res = await fetch(`${h.srv.url}/api/satisfaction/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...surveySignedHeaders(opts.key ?? KEY, opts.at ?? h.clock.now(), raw) },
    body: raw,
  });
  const text = await res.text();
  const parsed: WebhookReply['body'] = JSON.parse(text);
  return { status: res.status, body: parsed, text };
}

const openTasks = async (h: Harness, user = 'supervisor') => data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', user));

describe('the external survey webhook (短信评价)', () => {
  const h = satisfactionHarness();
  const first = { id: 'sms-1', callId: 'w-1', score: 4, comment: '没解决问题', ratedAt: T0 + 2 * MIN };
  beforeAll(() => answeredCall(h, 's01', 'w-1', '13800000001'));

  it('when a signed dissatisfied result arrives, should store the rating against the call and create a 回访 task due in 24 h', async () => {
    const r = await webhook(h, first);

    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ duplicate: false, visitTaskId: expect.any(Number) });
    const row = h.srv.db
      .prepare("SELECT score, satisfied, seat_id, category_id, centre_id FROM satisfaction_ratings WHERE call_id = 'w-1'")
      .get();
    expect(row).toEqual({ score: 4, satisfied: 0, seat_id: 's01', category_id: 'general', centre_id: 'city' });
    const tasks = await openTasks(h);
    expect(tasks).toEqual([
      expect.objectContaining({
        source: 'dissatisfied',
        callId: 'w-1',
        callerMasked: '138****0001',
        dueAt: h.clock.now() + 24 * HOUR,
        status: 'open',
        overdue: false,
      }),
    ]);
    expect(JSON.stringify(tasks)).not.toContain('13800000001');
  });

  it('when the same delivery is repeated, should answer the first result and store nothing new', async () => {
    const before = h.srv.db.prepare('SELECT COUNT(*) AS n FROM satisfaction_ratings').get();
    const again = await webhook(h, first);

    expect(again.status).toBe(200);
    expect(again.body.data?.duplicate).toBe(true);
    expect(h.srv.db.prepare('SELECT COUNT(*) AS n FROM satisfaction_ratings').get()).toEqual(before);
    expect(await openTasks(h)).toHaveLength(1);
  });

  it('when an id is reused with another body, should refuse with 409', async () => {
    const r = await webhook(h, { id: 'sms-1', callId: 'w-1', score: 1, ratedAt: T0 });
    expect(r.status).toBe(409);
    expect(r.body.error?.message).toMatch(/已收到过且内容不同/);
  });

  it('when the signature is wrong, should refuse with 401 and store nothing', async () => {
    const r = await webhook(
      h,
      { id: 'sms-2', callId: 'w-1', score: 1, ratedAt: T0 },
      { key: { id: 'sms1', secret: 'not-the-shared-secret-x' } },
    );
    expect(r.status).toBe(401);
    expect(r.body.error).toEqual({ code: 'UNAUTHENTICATED', message: '签名不正确' });
    expect(h.srv.db.prepare("SELECT COUNT(*) AS n FROM survey_webhook_receipts WHERE id = 'sms-2'").get()).toEqual({ n: 0 });
  });

  it('when a captured delivery is replayed later than the allowed skew, should refuse with 401', async () => {
    const r = await webhook(h, { id: 'sms-3', callId: 'w-1', score: 1, ratedAt: T0 }, { at: h.clock.now() - 10 * MIN });
    expect(r.status).toBe(401);
    expect(r.body.error?.message).toMatch(/时间戳超出允许范围/);
  });

  it('when the headers are missing or the key is unknown, should refuse with 401 naming them', async () => {
    const res = await fetch(`${h.srv.url}/api/satisfaction/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/缺少签名头/);
    const r = await webhook(h, { id: 'sms-4', callId: 'w-1', score: 1, ratedAt: T0 }, { key: { id: 'old', secret: KEY.secret } });
    expect(r.status).toBe(401);
    expect(r.body.error?.message).toBe('签名密钥 old 未登记或已停用');
  });

  it('when the call is unknown, should refuse with 404 naming it', async () => {
    const r = await webhook(h, { id: 'sms-5', callId: 'no-such-call', score: 2, ratedAt: T0 });
    expect(r.status).toBe(404);
    expect(r.body.error?.message).toBe('没有找到编号为 no-such-call 的来电');
  });

  it('when the score is off the scale, should answer 400 naming the field', async () => {
    const r = await webhook(h, { id: 'sms-6', callId: 'w-1', score: 5, ratedAt: T0 });
    expect(r.status).toBe(400);
    expect(r.text).toContain('score 须为 1–4 的整数');
  });
});

describe('the 回访 worklist', () => {
  const h = satisfactionHarness({ VISIT_MAX_ATTEMPTS: '2' });

  it('when a callback request and a 预约回电 summary exist, should list their tasks overdue first then by due time', async () => {
    answeredCall(h, 's01', 'v-1', '13800000011');
    await fileAndFinish(h, 'v-1', 'seat01', 's01', { ...SUMMARY, disposition: 'callback', followUpAt: T0 + 2 * HOUR });
    for (const s of h.srv.app.engine.listSeats()) if (s.state.kind !== 'offline') h.srv.app.engine.setSeatOffline(s.profile.id);
    h.srv.app.engine.offerCall({ id: 'v-cb', caller: '13900000012', dialed: '12348' });

    const tasks = await openTasks(h);

    expect(tasks.map((t) => [t.source, t.callId])).toEqual([
      ['summary-callback', 'v-1'],
      ['callback-request', 'v-cb'],
    ]);
    expect(tasks[0]!.dueAt).toBe(T0 + 2 * HOUR);
    h.clock.advance(3 * HOUR);
    const later = await openTasks(h);
    expect(later[0]).toMatchObject({ callId: 'v-1', overdue: true });
  });

  it('when a seat lists tasks, should see only those assigned to it; a supervisor assigns them', async () => {
    expect(await openTasks(h, 'seat02')).toEqual([]);
    const [t] = await openTasks(h);
    const assigned = await api<VisitTaskView>(h, 'PUT', `/api/visits/${t!.id}/assignee`, 'supervisor', { seatId: 's02' });
    expect(data(assigned).assigneeSeatId).toBe('s02');
    expect((await openTasks(h, 'seat02')).map((x) => x.id)).toEqual([t!.id]);
    const byseat = await api(h, 'PUT', `/api/visits/${t!.id}/assignee`, 'seat02', { seatId: 's02' });
    expect(byseat.status).toBe(403);
    const other = await api(h, 'POST', `/api/visits/${t!.id}/outcome`, 'seat03', { outcome: 'reached' });
    expect(other.status).toBe(404);
  });

  it('when the caller does not answer, should keep the task open, space the retry, and close it at the cap with the outcome', async () => {
    const t = (await openTasks(h)).find((x) => x.callId === 'v-cb')!;
    const first = data(
      await api<{ task: VisitTaskView }>(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'no-answer' }),
    );
    expect(first.task).toMatchObject({ status: 'open', attempts: 1, outcome: null, nextAttemptAt: h.clock.now() + 30 * MIN });

    const tooSoon = await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'busy' });
    expect(tooSoon.status).toBe(409);
    expect(error(tooSoon).message).toMatch(/间隔不足/);

    h.clock.advance(30 * MIN);
    const second = data(await api<{ task: VisitTaskView }>(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'busy' }));
    expect(second.task).toMatchObject({ status: 'closed', attempts: 2, outcome: 'busy' });
    expect(h.srv.db.prepare("SELECT status FROM callback_requests WHERE call_id = 'v-cb'").get()).toEqual({ status: 'done' });
    const closedAgain = await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'reached' });
    expect(closedAgain.status).toBe(409);
  });

  it('when the caller is reached, should close the task, store the visit rating and open a follow-up', async () => {
    const t = (await openTasks(h)).find((x) => x.callId === 'v-1')!;
    const r = data(
      await api<{ task: VisitTaskView; followUp: VisitTaskView }>(h, 'POST', `/api/visits/${t.id}/outcome`, 'seat02', {
        outcome: 'reached',
        score: 2,
        comment: '已解决',
        followUp: { note: '寄送仲裁申请书样本', dueAt: h.clock.now() + 48 * HOUR },
      }),
    );
    expect(r.task).toMatchObject({ status: 'closed', outcome: 'reached' });
    expect(r.followUp).toMatchObject({ source: 'follow-up', callId: 'v-1', dueAt: h.clock.now() + 48 * HOUR, note: '寄送仲裁申请书样本' });
    expect(h.srv.db.prepare("SELECT score, satisfied FROM satisfaction_ratings WHERE call_id = 'v-1' AND source = 'visit'").get()).toEqual({
      score: 2,
      satisfied: 1,
    });
  });

  it('a follow-up due in 9e15 ms (no date at all) is refused in zh-CN and the task stays open', async () => {
    const t = (await openTasks(h))[0]!;
    const r = await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', {
      outcome: 'reached',
      followUp: { note: '寄送材料', dueAt: 9e15 },
    });
    expect(r.status).toBe(400);
    expect(error(r)).toMatchObject({ message: '跟进时间不能晚于 2099 年', fields: { 'followUp.dueAt': ['跟进时间不能晚于 2099 年'] } });
    expect((await openTasks(h)).find((x) => x.id === t.id)).toMatchObject({ status: 'open', attempts: t.attempts });
  });

  it('when no outcome is given or a rating comes with no answer, should answer 400', async () => {
    const t = (await openTasks(h))[0]!;
    expect((await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', {})).status).toBe(400);
    expect((await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'no-answer', score: 1 })).status).toBe(400);
    expect((await openTasks(h)).find((x) => x.id === t.id)?.status).toBe('open');
  });

  it('when dialling without outbound telephony, should say it is not connected', async () => {
    const t = (await openTasks(h))[0]!;
    const r = data(await api<{ connected: boolean; message: string }>(h, 'POST', `/api/visits/${t.id}/dial`, 'supervisor'));
    expect(r).toMatchObject({ connected: false, message: expect.stringMatching(/外呼线路未接通/) });
  });
});

describe('satisfaction figures (满意率)', () => {
  const h = satisfactionHarness();

  it('should count 满意率 over rated calls, rated share over answered calls, and dissatisfied called back within the deadline', async () => {
    for (const [seat, user, id] of [
      ['s01', 'seat01', 'f-1'],
      ['s01', 'seat01', 'f-2'],
      ['s02', 'seat02', 'f-3'],
      ['s02', 'seat02', 'f-4'],
    ] as const) {
      answeredCall(h, seat, id, `1380000002${id.at(-1)}`);
      await fileAndFinish(h, id, user, seat);
    }
    h.srv.app.satisfaction.rate('f-1', 'phone', 1, null, h.clock.now());
    h.srv.app.satisfaction.rate('f-2', 'phone', 4, null, h.clock.now());
    h.srv.app.satisfaction.rate('f-3', 'phone', 3, null, h.clock.now());
    h.srv.app.satisfaction.rate('f-3', 'sms', 4, null, h.clock.now()); // the first rating of a call counts
    h.srv.app.satisfaction.rate('f-4', 'phone', null, null, h.clock.now()); // not rated
    const task = (await openTasks(h)).find((t) => t.callId === 'f-2')!;
    h.clock.advance(HOUR);
    await api(h, 'POST', `/api/visits/${task.id}/outcome`, 'supervisor', { outcome: 'reached' });

    const f = data(
      await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${T0}&to=${T0 + 24 * HOUR}&groupBy=seat`, 'supervisor'),
    );

    expect(f.total).toMatchObject({ answered: 4, rated: 3, satisfied: 2, dissatisfied: 1, satisfactionRate: 2 / 3, ratedShare: 3 / 4 });
    expect(f.rows.map((r) => [r.key, r.rated, r.satisfied])).toEqual([
      ['s01', 2, 1],
      ['s02', 1, 1],
    ]);
    expect(f.dissatisfiedCalledBack).toEqual({ due: 1, withinDeadline: 1, rate: 1 });
    const byDay = data(
      await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${T0}&to=${T0 + 24 * HOUR}&groupBy=day`, 'supervisor'),
    );
    expect(byDay.rows.map((r) => r.key)).toEqual(['2026-11-23']);
    expect((await api(h, 'GET', `/api/satisfaction/figures?from=${T0}&to=${T0 + HOUR}`, 'seat01')).status).toBe(403);
  });
});

describe('a killed router (kill -9)', () => {
  it('when killed right after acknowledging a dissatisfied rating, should keep the rating and its 回访 task after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satisfaction-kill-'));
    const dbPath = path.join(dir, 'hotline.db');
    const keys = path.join(dir, 'keys');
    fs.writeFileSync(keys, `${KEY.id}=${KEY.secret}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support-satisfaction-child.ts', dbPath, keys], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let status: number;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const m = /^READY (\S+)$/m.exec(buf);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`child exited early: ${code}`)));
      });
      const raw = JSON.stringify({ id: 'sms-kill', callId: 'kill-s', score: 4, ratedAt: Date.now() });
      const res = await fetch(`${url}/api/satisfaction/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...surveySignedHeaders(KEY, Date.now(), raw) },
        body: raw,
      });
      status = res.status;
      child.kill('SIGKILL');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(status).toBe(200);

    const srv = await startTestServer({ dbPath, env: { SURVEY_WEBHOOK_KEYS_FILE: keys } });
    try {
      expect(srv.db.prepare("SELECT score FROM satisfaction_ratings WHERE call_id = 'kill-s'").get()).toEqual({ score: 4 });
      const cookie = await login(srv.url, 'supervisor');
      const list = (await (await fetch(`${srv.url}/api/visits`, { headers: { cookie } })).json()) as { data: VisitTaskView[] };
      expect(list.data.map((t) => [t.source, t.callId])).toEqual([['dissatisfied', 'kill-s']]);
    } finally {
      await srv.stop();
    }
  });
});
