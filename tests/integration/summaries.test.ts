import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ack, CallSummaryView, DraftSaved, SummaryState } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { SummaryRepository } from '../../server/src/features/summaries/summary-repository.js';
import { immediateTransaction } from '../../server/src/store/db.js';
import { connect, emit, login, startTestServer, tempDbPath } from '../support/server.js';
import { T0, S, MIN, HOUR, SUMMARY, harness, api, data, error, answeredCall, fileAndFinish } from './support-summaries.js';

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

  it("when a supervisor tries to file a seat's summary, should answer 403", async () => {
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
    immediateTransaction(first.db, () =>
      repo.insertSummary(
        'gap-1',
        's02',
        { ...SUMMARY, referral: '', followUpAt: null, riskFlag: false, riskNote: '', knowledgeIds: [] },
        T0,
      ),
    );
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
