import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  Ack,
  CallSummaryView,
  CallerHistory,
  DraftSaved,
  MajorAlert,
  MyCallsResponse,
  SummaryState,
} from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { SummaryRepository } from '../../server/src/features/summaries/summary-repository.js';
import { immediateTransaction } from '../../server/src/store/db.js';
import { connect, emit, login, next, startTestServer, tempDbPath, type ClientSocket, type TestServer } from '../support/server.js';

/** Monday 2026-11-23 10:00 in China (UTC+8): inside the demo service calendar. */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** A complete summary of an answered labour call. */
const SUMMARY = {
  categoryId: 'labor',
  topic: '欠薪',
  question: '工地拖欠三个月工资,老板不接电话',
  answer: '可向劳动保障监察投诉,或申请劳动仲裁;农民工欠薪可申请法律援助',
  disposition: 'answered',
} as const;

interface Reply<T> {
  status: number;
  body: Ack<T>;
  text: string;
}

/** One server per block, on a virtual clock; the HTTP server and SQLite file are real. */
function harness() {
  const h = {
    srv: null as unknown as TestServer,
    clock: null as unknown as VirtualClock,
    cookies: {} as Record<string, string>,
    sockets: [] as ClientSocket[],
  };
  beforeAll(async () => {
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({ clock: h.clock, env: { SESSION_HOURS: '72' } });
    for (const u of ['seat01', 'seat02', 'seat03', 'seat04', 'seat05', 'supervisor']) h.cookies[u] = await login(h.srv.url, u);
  });
  afterEach(() => {
    for (const s of h.sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await h.srv?.stop();
  });
  return h;
}
type Harness = ReturnType<typeof harness>;

async function api<T>(h: Harness, method: string, path: string, user: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${h.srv.url}${path}`, {
    method,
    headers: { cookie: h.cookies[user]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Ack<T>, text };
}
const data = <T>(r: Reply<T>): T => {
  if (!r.body.ok) throw new Error(`expected ok, got ${r.status} ${r.text}`);
  return r.body.data;
};
const error = <T>(r: Reply<T>) => {
  if (r.body.ok) throw new Error(`expected an error, got ${r.status} ${r.text}`);
  return r.body.error;
};

/**
 * A general (综合咨询) call rung at `seatId` alone (every other ready seat steps away first),
 * answered after 5 s, 60 s of talk; hung up unless `keepTalking`.
 */
function answeredCall(h: Harness, seatId: string, id: string, caller: string, opts: { keepTalking?: boolean } = {}) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready' && s.profile.id !== seatId) engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady(seatId);
  engine.offerCall({ id, caller, dialed: '12348' });
  expect(engine.getCall(id)?.state).toMatchObject({ kind: 'ringing', seatId });
  h.clock.advance(5 * S);
  engine.answered(id, seatId);
  h.clock.advance(60 * S);
  if (!opts.keepTalking) engine.hangup(id, 'caller');
}

/** A call that rang nobody: the caller gave up in the queue after 10 s. */
function abandonedCall(h: Harness, id: string, caller: string) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.offerCall({ id, caller, dialed: '12348' });
  h.clock.advance(10 * S);
  engine.hangup(id, 'caller');
}

/** Files the summary and lets the seat's wrap-up end, so the seat is free for the next call. */
async function fileAndFinish(h: Harness, callId: string, user: string, seatId: string, body: object = SUMMARY) {
  const r = await api<CallSummaryView>(h, 'POST', `/api/calls/${callId}/summary`, user, body);
  expect(r.status).toBe(201);
  const seat = h.srv.app.engine.getSeat(seatId);
  if (seat.state.kind === 'wrap-up') h.srv.app.engine.endWrapUp(seatId);
  return data(r);
}

async function supervisorSocket(h: Harness): Promise<ClientSocket> {
  const s = await connect(h.srv.url, h.cookies.supervisor!);
  h.sockets.push(s);
  expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
  return s;
}

describe('summary drafts (草稿)', () => {
  const h = harness();
  beforeAll(() => answeredCall(h, 's01', 'd-1', '13800000001', { keepTalking: true }));

  it('when the answering seat saves a draft during the call, should read it back with its saved time', async () => {
    const saved = await api<DraftSaved>(h, 'PUT', '/api/calls/d-1/summary/draft', 'seat01', { topic: '离婚财产', question: '房子怎么分' });

    expect(saved.status).toBe(200);
    expect(data(saved)).toEqual({ savedAt: h.clock.now() });
    const state = data(await api<SummaryState>(h, 'GET', '/api/calls/d-1/summary', 'seat01'));
    expect(state).toEqual({
      summary: null,
      draft: { callId: 'd-1', draft: { topic: '离婚财产', question: '房子怎么分' }, savedAt: h.clock.now() },
    });
  });

  it('when a draft is saved again, should keep only the latest', async () => {
    h.clock.advance(10 * S);

    await api(h, 'PUT', '/api/calls/d-1/summary/draft', 'seat01', { topic: '离婚财产分割', riskFlag: false });

    const state = data(await api<SummaryState>(h, 'GET', '/api/calls/d-1/summary', 'seat01'));
    expect(state.draft).toEqual({ callId: 'd-1', draft: { topic: '离婚财产分割', riskFlag: false }, savedAt: h.clock.now() });
  });

  it('when a draft field is invalid, should answer 400 naming the field and keep the stored draft', async () => {
    const before = data(await api<SummaryState>(h, 'GET', '/api/calls/d-1/summary', 'seat01')).draft;

    const r = await api(h, 'PUT', '/api/calls/d-1/summary/draft', 'seat01', { topic: '长'.repeat(61), disposition: 'lunch' });

    expect(r.status).toBe(400);
    expect(error(r).code).toBe('VALIDATION');
    expect(error(r).fields?.topic).toEqual(['主题不能超过 60 个字']);
    expect(error(r).fields?.disposition).toEqual(['请选择有效的处理结果']);
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/d-1/summary', 'seat01')).draft).toEqual(before);
  });

  it('when another seat saves a draft of the call, should answer 404 as if the call did not exist', async () => {
    const r = await api(h, 'PUT', '/api/calls/d-1/summary/draft', 'seat02', { topic: '偷看' });
    const missing = await api(h, 'PUT', '/api/calls/no-such-call/summary/draft', 'seat02', { topic: '偷看' });

    expect(r.status).toBe(404);
    expect(error(r).message).toBe('没有找到编号为 d-1 的来电,或您无权查看');
    expect(missing.status).toBe(404);
  });

  it('when the summary has been filed, should refuse a later draft with 409 pointing to amending', async () => {
    h.srv.app.engine.hangup('d-1', 'seat');
    await api(h, 'POST', '/api/calls/d-1/summary', 'seat01', { ...SUMMARY, categoryId: 'marriage-family' });

    const r = await api(h, 'PUT', '/api/calls/d-1/summary/draft', 'seat01', { topic: '再改改' });

    expect(r.status).toBe(409);
    expect(error(r)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/已提交.*修改功能/) });
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/d-1/summary', 'seat01')).draft).toBeNull();
  });
});

describe('filing a summary (提交小结)', () => {
  const h = harness();

  it('when required fields are missing, should answer 400 with a message per field, store nothing and keep the draft', async () => {
    answeredCall(h, 's02', 'f-1', '13800000011');
    await api(h, 'PUT', '/api/calls/f-1/summary/draft', 'seat02', { topic: '工伤' });

    const r = await api(h, 'POST', '/api/calls/f-1/summary', 'seat02', { categoryId: 'labor', disposition: 'legal-aid', topic: '工伤' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ question: ['请填写来电问题'], answer: ['请填写解答内容'], referral: ['请填写转介去向'] });
    const state = data(await api<SummaryState>(h, 'GET', '/api/calls/f-1/summary', 'seat02'));
    expect(state.summary).toBeNull();
    expect(state.draft?.draft).toEqual({ topic: '工伤' });
    expect(h.srv.app.engine.summaryMissing('f-1')).toBe(true);
  });

  it('when the category and the disposition are missing, should name both', async () => {
    const r = await api(h, 'POST', '/api/calls/f-1/summary', 'seat02', { topic: '工伤' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toMatchObject({ categoryId: ['请选择咨询类别'], disposition: ['请选择处理结果'] });
  });

  it('when the category is not one the hotline knows, should answer 400 on categoryId', async () => {
    const r = await api(h, 'POST', '/api/calls/f-1/summary', 'seat02', { ...SUMMARY, categoryId: 'astrology' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ categoryId: ['未知的咨询类别 astrology'] });
  });

  it('when a callback (预约回电) has no follow-up time or one in the past, should refuse it', async () => {
    const missing = await api(h, 'POST', '/api/calls/f-1/summary', 'seat02', { ...SUMMARY, disposition: 'callback' });
    const past = await api(h, 'POST', '/api/calls/f-1/summary', 'seat02', {
      ...SUMMARY,
      disposition: 'callback',
      followUpAt: h.clock.now() - MIN,
    });

    expect(missing.status).toBe(400);
    expect(error(missing).fields).toEqual({ followUpAt: ['预约回电须填写回电时间'] });
    expect(past.status).toBe(400);
    expect(error(past).fields).toEqual({ followUpAt: ['回电时间须晚于现在'] });
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/f-1/summary', 'seat02')).summary).toBeNull();
  });

  it('when a supervisor tries to file a seat\'s summary, should answer 403', async () => {
    const r = await api(h, 'POST', '/api/calls/f-1/summary', 'supervisor', SUMMARY);

    expect(r.status).toBe(403);
    expect(error(r).message).toBe('只有接听本通电话的坐席可以提交小结');
  });

  it('when filed, should answer 201 with revision 1, drop the draft and let the seat end its wrap-up', async () => {
    const seat = await connect(h.srv.url, h.cookies.seat02!);
    h.sockets.push(seat);
    const refused = await emit(seat, 'seat:end-wrap-up', {});
    expect(refused.ok).toBe(false);

    const r = await api<CallSummaryView>(h, 'POST', '/api/calls/f-1/summary', 'seat02', {
      ...SUMMARY,
      disposition: 'callback',
      followUpAt: h.clock.now() + HOUR,
    });

    expect(r.status).toBe(201);
    expect(data(r)).toEqual({
      ...SUMMARY,
      disposition: 'callback',
      followUpAt: h.clock.now() + HOUR,
      referral: '',
      riskFlag: false,
      riskNote: '',
      knowledgeIds: [],
      callId: 'f-1',
      seatId: 's02',
      seatName: '李秀英',
      filedAt: h.clock.now(),
      updatedAt: h.clock.now(),
      revision: 1,
      amendable: true,
    } satisfies CallSummaryView);
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/f-1/summary', 'seat02')).draft).toBeNull();
    const ended = await emit(seat, 'seat:end-wrap-up', {});
    expect(ended.ok && ended.data.state.kind).toBe('ready');
  });

  it('when the summary is filed after the wrap-up time ran out, should make the seat ready at once', async () => {
    answeredCall(h, 's03', 'f-2', '13800000012');
    h.clock.advance(5 * MIN);
    expect(h.srv.app.engine.getSeat('s03').state.kind).toBe('wrap-up');

    await api(h, 'POST', '/api/calls/f-2/summary', 'seat03', SUMMARY);

    expect(h.srv.app.engine.getSeat('s03').state.kind).toBe('ready');
    expect(h.srv.app.engine.getCall('f-2')).toBeUndefined(); // ended and left memory
  });

  it('when the summary is filed a second time, should answer 409 and keep the first', async () => {
    const r = await api(h, 'POST', '/api/calls/f-2/summary', 'seat03', { ...SUMMARY, topic: '第二份' });

    expect(r.status).toBe(409);
    expect(error(r)).toEqual({ code: 'CONFLICT', message: '本通电话的小结已提交,如需修改请使用修改功能' });
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/f-2/summary', 'seat03')).summary?.topic).toBe('欠薪');
  });
});

describe('amending a summary (修改小结)', () => {
  const h = harness();
  let filedAt = 0;
  beforeAll(async () => {
    answeredCall(h, 's04', 'a-1', '13800000021');
    filedAt = (await fileAndFinish(h, 'a-1', 'seat04', 's04')).filedAt;
  });

  it('when the author amends on the same day, should answer with revision 2, a new updatedAt, and keep both revisions', async () => {
    h.clock.advance(HOUR);

    const r = await api<CallSummaryView>(h, 'PUT', '/api/calls/a-1/summary', 'seat04', { ...SUMMARY, answer: '补充:可申请劳动仲裁' });

    expect(r.status).toBe(200);
    expect(data(r)).toMatchObject({ revision: 2, filedAt, updatedAt: filedAt + HOUR, answer: '补充:可申请劳动仲裁', amendable: true });
    const revisions = new SummaryRepository(h.srv.db).revisions('a-1');
    expect(revisions.map((v) => [v.revision, v.seatId, v.at, v.input.answer])).toEqual([
      [1, 's04', filedAt, SUMMARY.answer],
      [2, 's04', filedAt + HOUR, '补充:可申请劳动仲裁'],
    ]);
  });

  it('when the amended summary breaks a rule, should answer 400 and keep revision 2', async () => {
    const r = await api(h, 'PUT', '/api/calls/a-1/summary', 'seat04', { ...SUMMARY, answer: '' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ answer: ['请填写解答内容'] });
    expect(new SummaryRepository(h.srv.db).summary('a-1')?.revision).toBe(2);
  });

  it('when another seat amends it, should answer 404 (the call is not theirs to see)', async () => {
    const r = await api(h, 'PUT', '/api/calls/a-1/summary', 'seat05', SUMMARY);

    expect(r.status).toBe(404);
  });

  it('when a supervisor amends it, should answer 403: only the author may', async () => {
    const r = await api(h, 'PUT', '/api/calls/a-1/summary', 'supervisor', SUMMARY);

    expect(r.status).toBe(403);
    expect(error(r).message).toBe('只有提交这份小结的坐席可以修改它');
  });

  it('when the local day has changed, should refuse with 409 and show the summary as no longer amendable', async () => {
    h.clock.advance(13 * HOUR); // filed 10:01 Monday; now 00:01 Tuesday in UTC+8

    const r = await api(h, 'PUT', '/api/calls/a-1/summary', 'seat04', SUMMARY);

    expect(r.status).toBe(409);
    expect(error(r).message).toBe('小结只能在提交当天(2026-11-23)修改,如需更正请联系班长');
    const state = data(await api<SummaryState>(h, 'GET', '/api/calls/a-1/summary', 'seat04'));
    expect(state.summary).toMatchObject({ revision: 2, amendable: false });
  });
});

describe('who may read a summary', () => {
  const h = harness();
  beforeAll(async () => {
    answeredCall(h, 's01', 'v-1', '13800000031');
    await fileAndFinish(h, 'v-1', 'seat01', 's01');
  });

  it('when another seat reads it, should answer the same 404 as for a call that does not exist', async () => {
    const other = await api(h, 'GET', '/api/calls/v-1/summary', 'seat02');
    const missing = await api(h, 'GET', '/api/calls/v-404/summary', 'seat02');

    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(error(other).code).toBe(error(missing).code);
    expect(other.text).not.toContain('13800000031');
  });

  it('when a supervisor reads it, should see it, not amendable by them', async () => {
    const r = await api<SummaryState>(h, 'GET', '/api/calls/v-1/summary', 'supervisor');

    expect(data(r).summary).toMatchObject({ callId: 'v-1', seatId: 's01', seatName: '王建国', amendable: false });
    expect(data(r).draft).toBeNull();
  });

  it('when not logged in, should answer 401', async () => {
    const res = await fetch(`${h.srv.url}/api/calls/v-1/summary`);

    expect(res.status).toBe(401);
  });
});

describe("the caller's history (来电历史)", () => {
  const h = harness();
  const CALLER = '13912345678';
  beforeAll(async () => {
    answeredCall(h, 's01', 'h-1', CALLER);
    await fileAndFinish(h, 'h-1', 'seat01', 's01', { ...SUMMARY, topic: '第一次来电' });
    h.clock.advance(HOUR);
    abandonedCall(h, 'h-2', CALLER);
    h.clock.advance(HOUR);
    answeredCall(h, 's03', 'x-1', '13700000000'); // someone else
    await fileAndFinish(h, 'x-1', 'seat03', 's03');
    h.clock.advance(HOUR);
    answeredCall(h, 's02', 'h-3', CALLER, { keepTalking: true }); // the call on screen now
    h.clock.advance(MIN);
    abandonedCall(h, 'h-4', CALLER); // rings in again while h-3 goes on: later, not history
  });

  it("when the seat talking with the caller asks, should list the caller's earlier calls newest first with their summaries", async () => {
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history', 'seat02');

    const history = data(r);
    expect(history.callId).toBe('h-3');
    expect(history.total).toBe(2);
    expect(history.entries.map((e) => [e.record.callId, e.record.result, e.summary?.topic ?? null])).toEqual([
      ['h-2', 'abandoned-in-queue', null],
      ['h-1', 'answered', '第一次来电'],
    ]);
    expect(history.entries[1]!.summary).toMatchObject({ seatId: 's01', amendable: false });
    expect(history.entries.every((e) => e.record.callerMasked === '139****5678')).toBe(true);
  });

  it('should never contain the full caller number', async () => {
    const r = await api(h, 'GET', '/api/calls/h-3/history', 'seat02');

    expect(r.text).not.toContain(CALLER);
    expect(r.text).not.toContain('"caller":');
  });

  it('when a limit is given, should return that many of the newest and still count them all', async () => {
    const history = data(await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history?limit=1', 'seat02'));

    expect(history.entries.map((e) => e.record.callId)).toEqual(['h-2']);
    expect(history.total).toBe(2);
  });

  it('when the limit is out of range, should answer 400 on limit', async () => {
    const r = await api(h, 'GET', '/api/calls/h-3/history?limit=51', 'seat02');

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ limit: ['limit 最多为 50'] });
  });

  it('when a seat that has nothing to do with the call asks, should answer 404; a supervisor may', async () => {
    expect((await api(h, 'GET', '/api/calls/h-3/history', 'seat05')).status).toBe(404);
    expect(data(await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history', 'supervisor')).total).toBe(2);
  });
});

describe('my calls (我的来电)', () => {
  const h = harness();
  beforeAll(async () => {
    answeredCall(h, 's05', 'm-1', '13600000001'); // Monday 10:00
    await fileAndFinish(h, 'm-1', 'seat05', 's05');
    h.clock.advance(2 * HOUR);
    answeredCall(h, 's05', 'm-2', '13600000002'); // Monday 12:00, summary not filed yet
    h.clock.advance(MIN);
    answeredCall(h, 's01', 'm-x', '13600000003'); // another seat's call
    await fileAndFinish(h, 'm-x', 'seat01', 's01');
    await fileAndFinish(h, 'm-2', 'seat05', 's05');
    h.clock.advance(20 * HOUR); // Tuesday 08:00
    answeredCall(h, 's05', 'm-3', '13600000004');
  });

  it("when no day is given, should list today's answered calls of the seat", async () => {
    const r = data(await api<MyCallsResponse>(h, 'GET', '/api/my/calls', 'seat05'));

    expect(r.day).toBe('2026-11-24');
    expect(r.entries.map((e) => [e.record.callId, e.summary])).toEqual([['m-3', null]]);
  });

  it('when a day is given, should list that day\'s calls the seat answered, newest first, with records and summaries', async () => {
    const r = data(await api<MyCallsResponse>(h, 'GET', '/api/my/calls?day=2026-11-23', 'seat05'));

    expect(r.day).toBe('2026-11-23');
    expect(r.entries.map((e) => e.record.callId)).toEqual(['m-2', 'm-1']);
    expect(r.entries.map((e) => e.summary?.seatId)).toEqual(['s05', 's05']);
    expect(r.entries[0]!.record).toMatchObject({ seatId: 's05', result: 'answered', callerMasked: '136****0002' });
    expect(r.entries.map((e) => e.summary?.amendable)).toEqual([false, false]); // filed yesterday
  });

  it('when the day is not a date, should answer 400 on day', async () => {
    const bad = await api(h, 'GET', '/api/my/calls?day=23.11.2026', 'seat05');
    const impossible = await api(h, 'GET', '/api/my/calls?day=2026-02-30', 'seat05');

    expect(bad.status).toBe(400);
    expect(error(bad).fields).toEqual({ day: ['day 须为 YYYY-MM-DD'] });
    expect(error(impossible).fields).toEqual({ day: ['没有 2026-02-30 这一天'] });
  });

  it('when a supervisor asks, should answer 403 (my calls are a seat\'s)', async () => {
    expect((await api(h, 'GET', '/api/my/calls', 'supervisor')).status).toBe(403);
  });
});

describe('major-matter alerts (重大事项上报)', () => {
  const h = harness();

  it('when the seat reports during the call, should answer 201 and push the alert to supervisors at once, not to seats', async () => {
    answeredCall(h, 's02', 'g-1', '13500000001', { keepTalking: true });
    const sup = await supervisorSocket(h);
    const otherSeat = await connect(h.srv.url, h.cookies.seat03!);
    h.sockets.push(otherSeat);
    const seatGot: MajorAlert[] = [];
    otherSeat.on('alert:major-matter', (a) => seatGot.push(a));
    const pushed = next(sup, 'alert:major-matter');

    const r = await api<MajorAlert>(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '三十余名工人欲集体上访讨薪' });

    expect(r.status).toBe(201);
    const expected: MajorAlert = {
      id: data(r).id,
      callId: 'g-1',
      seatId: 's02',
      seatName: '李秀英',
      categoryId: 'general',
      callerMasked: '135****0001',
      note: '三十余名工人欲集体上访讨薪',
      raisedAt: h.clock.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    expect(data(r)).toEqual(expected);
    expect(await pushed).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seatGot).toEqual([]);
  });

  it('when the seat reports again on the same call, should update the one alert (200) and push it again', async () => {
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'alert:major-matter');

    const r = await api<MajorAlert>(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '已约定明早到现场' });

    expect(r.status).toBe(200);
    expect((await pushed).note).toBe('已约定明早到现场');
    const all = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor'));
    expect(all.filter((a) => a.callId === 'g-1')).toHaveLength(1);
  });

  it('when the note is empty, should answer 400 on note', async () => {
    const r = await api(h, 'POST', '/api/calls/g-1/major-report', 'seat02', { note: '  ' });

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ note: ['请填写上报说明'] });
  });

  it('when a seat that did not answer the call reports, should answer 404', async () => {
    expect((await api(h, 'POST', '/api/calls/g-1/major-report', 'seat03', { note: '？' })).status).toBe(404);
  });

  it('when a supervisor acknowledges it, should record who and when, push it again and drop it from the open list', async () => {
    const sup = await supervisorSocket(h);
    const [alert] = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'));
    const pushed = next(sup, 'alert:major-matter', (a) => a.acknowledgedAt !== null);
    h.clock.advance(MIN);

    const r = await api<MajorAlert>(h, 'POST', `/api/alerts/${alert!.id}/ack`, 'supervisor');

    expect(data(r)).toMatchObject({ id: alert!.id, acknowledgedAt: h.clock.now(), acknowledgedBy: '班长 林晓' });
    expect((await pushed).acknowledgedBy).toBe('班长 林晓');
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'))).toEqual([]);
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).map((a) => a.id)).toEqual([alert!.id]);
  });

  it('when an unknown alert is acknowledged, should answer 404', async () => {
    expect((await api(h, 'POST', '/api/alerts/99999/ack', 'supervisor')).status).toBe(404);
    expect((await api(h, 'POST', '/api/alerts/abc/ack', 'supervisor')).status).toBe(404);
  });

  it('when a seat lists alerts, should answer 403', async () => {
    expect((await api(h, 'GET', '/api/alerts', 'seat02')).status).toBe(403);
  });

  it('when a summary is filed with the risk flag, should raise an alert with its note and category, newest first', async () => {
    answeredCall(h, 's04', 'g-2', '13500000002');
    const sup = await supervisorSocket(h);
    const pushed = next(sup, 'alert:major-matter', (a) => a.callId === 'g-2');

    await api(h, 'POST', '/api/calls/g-2/summary', 'seat04', {
      ...SUMMARY,
      categoryId: 'property-land',
      disposition: 'major-report',
      riskNote: '征地补偿纠纷,村民情绪激动',
    });

    expect(await pushed).toMatchObject({ callId: 'g-2', categoryId: 'property-land', note: '征地补偿纠纷,村民情绪激动', seatId: 's04' });
    const open = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'));
    expect(open.map((a) => a.callId)).toEqual(['g-2']);
    expect(data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).map((a) => a.callId)).toEqual(['g-2', 'g-1']);
  });

  it('when a risk-flagged summary is filed for a call already reported, should keep the one alert, now under the summary\'s category', async () => {
    const before = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).find((a) => a.callId === 'g-1');
    h.srv.app.engine.hangup('g-1', 'seat');

    const r = await api(h, 'POST', '/api/calls/g-1/summary', 'seat02', { ...SUMMARY, riskFlag: true, riskNote: '群体性纠纷' });

    expect(r.status).toBe(201);
    const after = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor')).filter((a) => a.callId === 'g-1');
    expect(after).toEqual([{ ...before, categoryId: 'labor' }]);
  });
});

describe('durability', () => {
  /** Starts the child server, files the summary over HTTP and kills the child with SIGKILL right after the 201. */
  async function fileThenKill(dbPath: string): Promise<CallSummaryView> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support-summaries-child.ts', dbPath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
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
      const cookie = await login(url, 'seat02');
      const res = await fetch(`${url}/api/calls/kill-1/summary`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(SUMMARY),
      });
      const body = (await res.json()) as Ack<CallSummaryView>;
      child.kill('SIGKILL');
      expect(res.status).toBe(201);
      if (!body.ok) throw new Error(body.error.message);
      return body.data;
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }

  it('when the server is killed right after acknowledging a summary, a new server should have it and let the seat leave wrap-up', async () => {
    const dbPath = tempDbPath();
    const filed = await fileThenKill(dbPath);

    const srv = await startTestServer({ dbPath });
    try {
      const cookie = await login(srv.url, 'seat02');
      const res = await fetch(`${srv.url}/api/calls/kill-1/summary`, { headers: { cookie } });
      const state = ((await res.json()) as { data: SummaryState }).data;
      expect(state.summary).toEqual({ ...filed, amendable: expect.any(Boolean) });
      expect(srv.app.engine.getSeat('s02').state.kind).toBe('wrap-up');
      expect(srv.app.engine.endWrapUp('s02').state.kind).toBe('ready');
    } finally {
      await srv.stop();
    }
  });

  it('when a summary was stored but the engine never recorded it (killed in between), a restart should open the wrap-up gate', async () => {
    const clock = new VirtualClock(T0);
    const first = await startTestServer({ clock });
    const engine = first.app.engine;
    engine.setSeatReady('s02');
    engine.offerCall({ id: 'gap-1', caller: '13800009999', dialed: '12348' });
    engine.answered('gap-1', 's02');
    engine.hangup('gap-1', 'caller');
    const repo = new SummaryRepository(first.db);
    immediateTransaction(first.db, () => repo.insertSummary('gap-1', 's02', { ...SUMMARY, referral: '', followUpAt: null, riskFlag: false, riskNote: '', knowledgeIds: [] }, T0));
    await first.stop({ keepDb: true });

    const second = await startTestServer({ dbPath: first.dbPath, clock });
    try {
      expect(second.app.engine.summaryMissing('gap-1')).toBe(false);
      expect(second.app.engine.endWrapUp('s02').state.kind).toBe('ready');
    } finally {
      await second.stop();
    }
  });
});
