/**
 * A tester's pass over the 回访 worklist and ratings on a real server: a summary amended to 预约回电,
 * one call rated 不满意 twice (phone, then SMS), and the refusals a user reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LiveFiguresView,
  ReportView,
  SatisfactionFigures,
  SurveyWebhookResult,
  VisitTaskView,
} from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { surveySignedHeaders, type SurveyKey } from '../../server/src/features/satisfaction/webhook-signing.js';
import { login, startTestServer } from '../support/server.js';
import { HOUR, MIN, SUMMARY, T0, answeredCall, api, data, error, fileAndFinish, type Harness } from './support-summaries.js';

const KEY: SurveyKey = { id: 'sms1', secret: 'a-test-secret-of-enough-length' };

function gapsHarness() {
  const h = { srv: null, clock: null, cookies: {}, sockets: [] } as unknown as Harness;
  beforeAll(async () => {
    const keys = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'survey-keys-')), 'keys');
    fs.writeFileSync(keys, `${KEY.id}=${KEY.secret}\n`);
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({
      clock: h.clock,
      env: { SESSION_HOURS: '72', SURVEY_WEBHOOK_KEYS_FILE: keys, VISIT_SAMPLE_PERCENT: '0' },
    });
    for (const u of ['seat01', 'supervisor', 'manager', 'supervisor-dc']) h.cookies[u] = await login(h.srv.url, u);
  });
  afterAll(async () => {
    await h.srv?.stop();
  });
  return h;
}

async function webhook(h: Harness, body: object): Promise<{ status: number; data: SurveyWebhookResult }> {
  const raw = JSON.stringify(body);
  const res = await fetch(`${h.srv.url}/api/satisfaction/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...surveySignedHeaders(KEY, h.clock.now(), raw) },
    body: raw,
  });
  return { status: res.status, data: ((await res.json()) as { data: SurveyWebhookResult }).data };
}

const tasksOf = async (h: Harness, callId: string) =>
  data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'supervisor')).filter((t) => t.callId === callId);

/** "YYYY-MM-DD HH:MM" in China time (UTC+8). */
const chinaTime = (at: number) => new Date(at + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

describe('a summary amended to 预约回电', () => {
  const h = gapsHarness();

  it('when the seat amends a filed summary to 预约回电, should create its task due at the booked time, and follow a new booked time', async () => {
    answeredCall(h, 's01', 'a-1', '13800000031');
    await fileAndFinish(h, 'a-1', 'seat01', 's01');
    expect(await tasksOf(h, 'a-1')).toEqual([]);

    h.clock.advance(10 * MIN);
    const amended = await api(h, 'PUT', '/api/calls/a-1/summary', 'seat01', {
      ...SUMMARY,
      disposition: 'callback',
      followUpAt: T0 + 5 * HOUR,
    });
    expect(amended.status).toBe(200);
    expect((await tasksOf(h, 'a-1')).map((t) => [t.source, t.dueAt, t.callerMasked])).toEqual([
      ['summary-callback', T0 + 5 * HOUR, '138****0031'],
    ]);

    await api(h, 'PUT', '/api/calls/a-1/summary', 'seat01', { ...SUMMARY, disposition: 'callback', followUpAt: T0 + 7 * HOUR });
    expect((await tasksOf(h, 'a-1')).map((t) => [t.source, t.dueAt])).toEqual([['summary-callback', T0 + 7 * HOUR]]);
  });

  it('when the worklist is synced again (as at a start), should not repeat the amended summary’s task', async () => {
    expect(h.srv.app.visits.sync()).toBe(0);
    expect(await tasksOf(h, 'a-1')).toHaveLength(1);
  });
});

describe('one call rated 不满意 by phone and again by SMS', () => {
  const h = gapsHarness();

  it('should give the caller one 回访 task, which the SMS result and its repeated delivery name', async () => {
    answeredCall(h, 's01', 'd-1', '13800000032');
    await fileAndFinish(h, 'd-1', 'seat01', 's01');
    const phone = h.srv.app.satisfaction.rate('d-1', 'phone', 4, null, h.clock.now());
    h.clock.advance(20 * MIN);

    const sms = { id: 'sms-d-1', callId: 'd-1', score: 4, comment: '还是没解决', ratedAt: h.clock.now() };
    const first = await webhook(h, sms);
    const again = await webhook(h, sms);

    expect(first).toEqual({ status: 200, data: { ratingId: expect.any(Number), duplicate: false, visitTaskId: phone.visitTaskId } });
    expect(again.data).toEqual({ ratingId: first.data.ratingId, duplicate: true, visitTaskId: phone.visitTaskId });
    expect((await tasksOf(h, 'd-1')).map((t) => [t.id, t.source])).toEqual([[phone.visitTaskId, 'dissatisfied']]);
    expect(h.srv.db.prepare("SELECT COUNT(*) AS n FROM satisfaction_ratings WHERE call_id = 'd-1'").get()).toEqual({ n: 2 });
  });

  it('a caller who rated 满意 by SMS and sends 不满意 later is called back; the call keeps its first rating', async () => {
    answeredCall(h, 's01', 'd-2', '13800000033');
    await fileAndFinish(h, 'd-2', 'seat01', 's01');
    const first = await webhook(h, { id: 'sms-d-2a', callId: 'd-2', score: 1, ratedAt: h.clock.now() });
    expect(first.data).toMatchObject({ duplicate: false, visitTaskId: null });
    h.clock.advance(30 * MIN);

    const second = { id: 'sms-d-2b', callId: 'd-2', score: 4, comment: '想了想还是不满意', ratedAt: h.clock.now() };
    const later = await webhook(h, second);
    expect(later).toEqual({ status: 200, data: { ratingId: expect.any(Number), duplicate: true, visitTaskId: expect.any(Number) } });
    expect((await tasksOf(h, 'd-2')).map((t) => [t.id, t.source, t.note])).toEqual([
      [later.data.visitTaskId, 'dissatisfied', '想了想还是不满意'],
    ]);
    // Delivered again: the same task; and the call's rating is still the first (满意).
    expect((await webhook(h, second)).data).toMatchObject({ visitTaskId: later.data.visitTaskId });
    expect(h.srv.db.prepare("SELECT score FROM satisfaction_ratings WHERE call_id = 'd-2' ORDER BY rated_at LIMIT 1").get()).toEqual({
      score: 1,
    });
  });

  it('a retry asked for too soon is refused naming the time in China time, not UTC', async () => {
    const [t] = await tasksOf(h, 'd-1');
    const first = data(
      await api<{ task: VisitTaskView }>(h, 'POST', `/api/visits/${t!.id}/outcome`, 'supervisor', { outcome: 'no-answer' }),
    );
    const tooSoon = await api(h, 'POST', `/api/visits/${t!.id}/outcome`, 'supervisor', { outcome: 'busy' });

    expect(tooSoon.status).toBe(409);
    expect(error(tooSoon).message).toBe(`距上次未接通的间隔不足,请在 ${chinaTime(first.task.nextAttemptAt)} 之后再试`);
  });

  it('a task number that is not a number is not found, without "NaN" in the message', async () => {
    const r = await api(h, 'POST', '/api/visits/abc/outcome', 'supervisor', { outcome: 'reached' });
    expect(r.status).toBe(404);
    expect(error(r).message).toBe('没有找到该回访任务:任务编号须为正整数');
  });
});

describe('a survey asked again after the router stopped during it', () => {
  const h = gapsHarness();

  it('when the stopping router stored "not rated" and the caller then presses 4, should store the 4 and create its 回访 task', async () => {
    answeredCall(h, 's01', 'r-1', '13800000033');
    // The router stopping (SIGTERM) ends every running survey as not rated; Kamailio keeps the
    // caller, and the restarted router asks again.
    h.srv.app.survey.record('r-1', null);
    h.clock.advance(30_000);
    h.srv.app.survey.record('r-1', 4);

    expect(h.srv.db.prepare("SELECT score, satisfied FROM satisfaction_ratings WHERE call_id = 'r-1' AND source = 'phone'").all()).toEqual([
      { score: 4, satisfied: 0 },
    ]);
    expect((await tasksOf(h, 'r-1')).map((t) => t.source)).toEqual(['dissatisfied']);
  });

  it('a call rated by a key keeps that rating: a later survey outcome of the same call changes nothing', async () => {
    answeredCall(h, 's02', 'r-2', '13800000034');
    h.srv.app.survey.record('r-2', 2);
    h.srv.app.survey.record('r-2', 4);
    h.srv.app.survey.record('r-2', null);

    expect(h.srv.db.prepare("SELECT score FROM satisfaction_ratings WHERE call_id = 'r-2' AND source = 'phone'").all()).toEqual([
      { score: 2 },
    ]);
    expect(await tasksOf(h, 'r-2')).toEqual([]);
  });
});

describe('a follow-up asked for on a visit', () => {
  const h = gapsHarness();

  it('when the assigned seat records a follow-up, should give the follow-up to that seat (it left the seat’s worklist)', async () => {
    answeredCall(h, 's01', 'f-1', '13800000035');
    await fileAndFinish(h, 'f-1', 'seat01', 's01', { ...SUMMARY, disposition: 'callback', followUpAt: T0 + 2 * HOUR });
    const [t] = await tasksOf(h, 'f-1');
    data(await api(h, 'PUT', `/api/visits/${t!.id}/assignee`, 'supervisor', { seatId: 's01' }));

    const r = data(
      await api<{ task: VisitTaskView; followUp: VisitTaskView }>(h, 'POST', `/api/visits/${t!.id}/outcome`, 'seat01', {
        outcome: 'reached',
        followUp: { note: '寄送仲裁申请书样本', dueAt: h.clock.now() + 48 * HOUR },
      }),
    );

    expect(r.followUp).toMatchObject({ source: 'follow-up', assigneeSeatId: 's01' });
    const mine = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'seat01'));
    expect(mine.map((x) => [x.id, x.source, x.note])).toEqual([[r.followUp.id, 'follow-up', '寄送仲裁申请书样本']]);
  });

  it('the worklist pages with offset and limit, in its order; a negative offset is refused in zh-CN', async () => {
    const all = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits?status=closed', 'supervisor'));
    expect(all.length).toBeGreaterThan(0);
    const page2 = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits?status=closed&offset=1&limit=1', 'supervisor'));
    expect(page2.map((t) => t.id)).toEqual(all.slice(1, 2).map((t) => t.id));
    const open = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits?limit=1', 'seat01'));
    expect(data(await api<VisitTaskView[]>(h, 'GET', '/api/visits?limit=1&offset=1', 'seat01'))).toEqual([]);
    expect(open).toHaveLength(1);
    const bad = await api(h, 'GET', '/api/visits?offset=-1', 'supervisor');
    expect([bad.status, error(bad).message]).toEqual([400, '起始位置不能为负']);
  });
});

describe('满意率 of a call that arrives before midnight (China time) and is answered after it', () => {
  const h = gapsHarness();

  it('the 回访 page counts it in the day it arrived, as the report and its export do', async () => {
    // T0 is 10:00 on 2026-11-23, China time: the caller arrives at 23:59:57 and is answered at 00:00:02.
    h.clock.advance(13 * HOUR + 59 * MIN + 57_000);
    answeredCall(h, 's01', 'm-1', '13800000036');
    h.srv.app.satisfaction.rate('m-1', 'phone', 4, null, h.clock.now());
    const dayStart = Date.parse('2026-11-23T00:00:00+08:00');

    const page = data(
      await api<SatisfactionFigures>(
        h,
        'GET',
        `/api/satisfaction/figures?from=${dayStart}&to=${dayStart + 24 * HOUR}&groupBy=day`,
        'supervisor',
      ),
    );
    const report = data(await api<ReportView>(h, 'GET', '/api/reports/figures?from=2026-11-23&to=2026-11-23', 'manager'));

    expect(report.satisfaction).toMatchObject({ answered: 1, rated: 1, dissatisfied: 1, satisfactionRate: 0 });
    expect(page.total).toMatchObject({
      answered: report.satisfaction.answered,
      rated: report.satisfaction.rated,
      dissatisfied: report.satisfaction.dissatisfied,
      satisfactionRate: report.satisfaction.satisfactionRate,
    });
    expect(page.rows.map((r) => r.key)).toEqual(['2026-11-23']);
  });
});

describe('a centre’s 满意率 on the 回访 page and in its live figures', () => {
  const h = gapsHarness();

  it('a city caller answered by a 东城区 seat counts for 东城区 on the 回访 page, as in its live figures and reports', async () => {
    answeredCall(h, 's09', 'c-1', '13800000037');
    h.srv.app.satisfaction.rate('c-1', 'phone', 2, null, h.clock.now());
    expect(h.srv.db.prepare("SELECT home_centre_id AS c FROM calls WHERE id = 'c-1'").get()).toEqual({ c: 'city' });
    const dayStart = Date.parse('2026-11-23T00:00:00+08:00');

    const live = data(await api<LiveFiguresView>(h, 'GET', '/api/reports/live', 'supervisor-dc'));
    const page = data(
      await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${dayStart}&to=${dayStart + 24 * HOUR}`, 'supervisor-dc'),
    );

    expect(live.satisfaction).toMatchObject({ answered: 1, rated: 1, satisfied: 1 });
    expect(page.total).toMatchObject({ answered: 1, rated: 1, satisfied: 1, satisfactionRate: 1 });
  });
});
