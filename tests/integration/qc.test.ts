/** 质检 on a real server: the worklist's reasons, who may score, centre scope, the review flow, audit entries and the figures in the reports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QcConfigView, QcDetailView, QcItemView, ReportView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { login, startTestServer } from '../support/server.js';
import { centreCall, createAccount, useCentreTrunks } from './support-accounts.js';
import { SUMMARY, T0, api, data, error, fileAndFinish, type Harness } from './support-summaries.js';

const DAY_MS = 86_400_000;

function qcHarness() {
  const h = { srv: null, clock: null, cookies: {}, sockets: [] } as unknown as Harness;
  beforeAll(async () => {
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({ clock: h.clock, env: { SESSION_HOURS: '336' } });
    for (const u of ['seat01', 'seat02', 'seat09', 'supervisor', 'supervisor-dc', 'manager', 'admin'])
      h.cookies[u] = await login(h.srv.url, u);
    useCentreTrunks(h);
  });
  afterAll(async () => {
    await h.srv?.stop();
  });
  return h;
}

const SCORES = { greeting: 8, understanding: 8, legalAccuracy: 8, basis: 8, attitude: 8, summary: 8 };
const setShare = async (h: Harness, samplePercent: number) => {
  const cfg = data(await api<QcConfigView>(h, 'GET', '/api/qc/config', 'admin'));
  const r = await api<QcConfigView>(h, 'PUT', '/api/qc/config', 'admin', {
    samplePercent,
    reviewDays: cfg.reviewDays,
    items: cfg.items.map(({ key, weight, max }) => ({ key, weight, max })),
  });
  expect(r.status, r.text).toBe(200);
  return data(r);
};
const worklist = async (h: Harness, user = 'supervisor', status = 'all') =>
  data(await api<QcItemView[]>(h, 'GET', `/api/qc/items?status=${status}`, user));
const audits = (h: Harness, action: string) =>
  h.srv.db.prepare('SELECT username, target, reason FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
    username: string;
    target: string;
    reason: string | null;
  }[];

describe('质检 (quality inspection)', () => {
  const h = qcHarness();

  beforeAll(async () => {
    await setShare(h, 0);
    centreCall(h, 'city', 's01', 'qc-plain', '13800000001');
    await fileAndFinish(h, 'qc-plain', 'seat01', 's01');
    centreCall(h, 'city', 's01', 'qc-complaint', '13800000002');
    await fileAndFinish(h, 'qc-complaint', 'seat01', 's01', { ...SUMMARY, disposition: 'complaint' });
    centreCall(h, 'city', 's01', 'qc-major', '13800000003');
    await fileAndFinish(h, 'qc-major', 'seat01', 's01', { ...SUMMARY, riskFlag: true, riskNote: '来电人情绪激动,扬言过激行为' });
    centreCall(h, 'city', 's02', 'qc-rated', '13800000004');
    await fileAndFinish(h, 'qc-rated', 'seat02', 's02');
    h.srv.app.satisfaction.receiveWebhook({ id: 'r-1', callId: 'qc-rated', score: 4, ratedAt: h.clock.now() }, '{}');
    centreCall(h, 'dongcheng', 's09', 'qc-dc', '13800000005');
    await fileAndFinish(h, 'qc-dc', 'seat09', 's09', { ...SUMMARY, disposition: 'complaint' });
    await setShare(h, 100);
    centreCall(h, 'city', 's01', 'qc-sampled', '13800000006');
    await fileAndFinish(h, 'qc-sampled', 'seat01', 's01');
  });

  it('the worklist holds every complaint, 重大事项 and dissatisfied call and the sample, each with its reasons; not the unsampled call', async () => {
    const items = await worklist(h);
    const reasons = Object.fromEntries(items.map((i) => [i.callId, i.reasons]));
    expect(reasons).toEqual({
      'qc-complaint': ['complaint'],
      'qc-major': ['major'],
      'qc-rated': ['dissatisfied'],
      'qc-dc': ['complaint'],
      'qc-sampled': ['sample'],
    });
    expect(items.every((i) => i.status === 'pending')).toBe(true);
    // The draw was taken once, at filing, with the share in force then.
    expect(h.srv.db.prepare("SELECT sampled, percent FROM qc_sample_decisions WHERE call_id = 'qc-plain'").get()).toEqual({
      sampled: 0,
      percent: 0,
    });
  });

  it('another centre’s supervisor sees only its centre’s items, and is refused the others’ single item and scoring', async () => {
    expect((await worklist(h, 'supervisor-dc')).map((i) => i.callId)).toEqual(['qc-dc']);
    const open = await api(h, 'GET', '/api/qc/items/qc-complaint', 'supervisor-dc');
    expect(open.status).toBe(404);
    const score = await api(h, 'POST', '/api/qc/items/qc-complaint/score', 'supervisor-dc', {
      scores: SCORES,
      comment: '',
      formVersion: 1,
    });
    expect(score.status).toBe(404);
    expect(h.srv.db.prepare("SELECT status FROM qc_items WHERE call_id = 'qc-complaint'").get()).toEqual({ status: 'pending' });
  });

  it('a seat may neither read the worklist nor score, nor change the form', async () => {
    expect((await api(h, 'GET', '/api/qc/items', 'seat01')).status).toBe(403);
    const r = await api(h, 'POST', '/api/qc/items/qc-complaint/score', 'seat01', { scores: SCORES, comment: '', formVersion: 1 });
    expect(r.status).toBe(403);
    expect(error(r).message).toMatch(/只有班长/);
    // Before scoring the item is not the seat's to read either.
    expect((await api(h, 'GET', '/api/qc/items/qc-complaint', 'seat01')).status).toBe(404);
    expect((await api(h, 'PUT', '/api/qc/config', 'supervisor', {})).status).toBe(403);
  });

  it('the inspector opens a call with its summary and timeline (无录音 is no obstacle), scores it; a missing item is refused', async () => {
    const detail = data(await api<QcDetailView>(h, 'GET', '/api/qc/items/qc-complaint', 'supervisor'));
    expect(detail.summary?.disposition).toBe('complaint');
    expect(detail.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['enqueued', 'answered', 'hung-up', 'summary-filed']));
    expect(detail.record.callerMasked).toBe('138****0002');
    expect(JSON.stringify(detail)).not.toContain('13800000002');
    const bad = await api(h, 'POST', '/api/qc/items/qc-complaint/score', 'supervisor', {
      scores: { greeting: 8 },
      comment: '',
      formVersion: detail.form.formVersion,
    });
    expect(bad.status).toBe(400);
    expect(error(bad).message).toMatch(/请为「问题理解」打分/);
    const scored = data(
      await api<QcDetailView>(h, 'POST', '/api/qc/items/qc-complaint/score', 'supervisor', {
        scores: SCORES,
        comment: '开场问候缺少工号',
        formVersion: detail.form.formVersion,
      }),
    );
    expect(scored.item.status).toBe('scored');
    expect(scored.score).toMatchObject({ total: 80, comment: '开场问候缺少工号', inspector: '班长 林晓' });
    const again = await api(h, 'POST', '/api/qc/items/qc-complaint/score', 'supervisor', { scores: SCORES, comment: '', formVersion: 1 });
    expect(again.status).toBe(409);
    expect(audits(h, 'qc.open').at(-1)).toMatchObject({ username: 'supervisor', target: 'call:qc-complaint', reason: '质检' });
    expect(audits(h, 'qc.score')).toEqual([expect.objectContaining({ username: 'supervisor', target: 'call:qc-complaint' })]);
  });

  it('the seat sees its result and asks for a review; another seat cannot; the scorer may not decide; another supervisor changes the score', async () => {
    const mine = data(await api<QcItemView[]>(h, 'GET', '/api/qc/mine', 'seat01'));
    expect(mine).toEqual([expect.objectContaining({ callId: 'qc-complaint', total: 80, reviewable: true })]);
    expect((await api(h, 'GET', '/api/qc/items/qc-complaint', 'seat02')).status).toBe(404);
    expect((await api(h, 'POST', '/api/qc/items/qc-complaint/review', 'seat02', { reason: '我想复核这一通' })).status).toBe(404);
    const noReason = await api(h, 'POST', '/api/qc/items/qc-complaint/review', 'seat01', { reason: '' });
    expect(noReason.status).toBe(400);
    const asked = data(
      await api<QcDetailView>(h, 'POST', '/api/qc/items/qc-complaint/review', 'seat01', { reason: '已按规范报工号,请听录音复核' }),
    );
    expect(asked.item.status).toBe('review');
    const twice = await api(h, 'POST', '/api/qc/items/qc-complaint/review', 'seat01', { reason: '再次申请复核' });
    expect(twice.status).toBe(409);
    const self = await api(h, 'POST', '/api/qc/items/qc-complaint/decision', 'supervisor', { decision: 'upheld', comment: '维持' });
    expect(self.status).toBe(403);
    expect((await api(h, 'POST', '/api/qc/items/qc-complaint/decision', 'seat01', { decision: 'upheld', comment: '维持' })).status).toBe(
      403,
    );
    const decided = data(
      await api<QcDetailView>(h, 'POST', '/api/qc/items/qc-complaint/decision', 'manager', {
        decision: 'rescored',
        scores: { ...SCORES, greeting: 10 },
        comment: '录音中已报工号,问候项改为满分',
      }),
    );
    expect(decided.item.status).toBe('final');
    expect(decided.score?.total).toBe(82);
    expect(decided.review).toMatchObject({ decision: 'rescored', originalTotal: 80, decidedBy: '值班负责人 郑毅' });
    expect(data(await api<QcItemView[]>(h, 'GET', '/api/qc/mine', 'seat01'))[0]).toMatchObject({ status: 'final', total: 82 });
    expect(audits(h, 'qc.review-request')).toEqual([
      { username: 'seat01', target: 'call:qc-complaint', reason: '已按规范报工号,请听录音复核' },
    ]);
    expect(audits(h, 'qc.review-decide')).toEqual([
      { username: 'manager', target: 'call:qc-complaint', reason: '录音中已报工号,问候项改为满分' },
    ]);
  });

  it('a review asked for after the window is refused', async () => {
    const d = data(await api<QcDetailView>(h, 'GET', '/api/qc/items/qc-major', 'supervisor'));
    await api(h, 'POST', '/api/qc/items/qc-major/score', 'supervisor', { scores: SCORES, comment: '', formVersion: d.form.formVersion });
    h.clock.advance(8 * DAY_MS);
    const late = await api(h, 'POST', '/api/qc/items/qc-major/review', 'seat01', { reason: '请求复核本次评分' });
    expect(late.status).toBe(409);
    expect(error(late).message).toMatch(/7 天内/);
  });

  it('a changed form never rewrites a score; scoring on the old form is refused', async () => {
    const before = data(await api<QcDetailView>(h, 'GET', '/api/qc/items/qc-major', 'supervisor'));
    const cfg = data(await api<QcConfigView>(h, 'GET', '/api/qc/config', 'admin'));
    const changed = data(
      await api<QcConfigView>(h, 'PUT', '/api/qc/config', 'admin', {
        samplePercent: 5,
        reviewDays: 7,
        items: cfg.items.map(({ key, weight }) => ({ key, weight: key === 'legalAccuracy' ? weight + 10 : weight, max: 5 })),
      }),
    );
    expect(changed.formVersion).toBe(cfg.formVersion + 1);
    const after = data(await api<QcDetailView>(h, 'GET', '/api/qc/items/qc-major', 'supervisor'));
    expect(after.score).toEqual(before.score);
    expect(after.form.formVersion).toBe(changed.formVersion);
    const stale = await api(h, 'POST', '/api/qc/items/qc-rated/score', 'supervisor', {
      scores: SCORES,
      comment: '',
      formVersion: cfg.formVersion,
    });
    expect(stale.status).toBe(409);
    expect(audits(h, 'qc.config').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a malformed form, list filter or decision with the sentence a user reads', async () => {
    const cfg = data(await api<QcConfigView>(h, 'GET', '/api/qc/config', 'admin'));
    const items = cfg.items.map(({ key, max }) => ({ key, weight: 0, max }));
    const zero = await api(h, 'PUT', '/api/qc/config', 'admin', { samplePercent: 5, reviewDays: 7, items });
    expect(zero.status).toBe(400);
    expect(zero.text).toContain('至少一项的权重须大于 0');
    const dup = await api(h, 'PUT', '/api/qc/config', 'admin', {
      samplePercent: 5,
      reviewDays: 7,
      items: cfg.items.map(({ weight, max }) => ({ key: 'greeting', weight, max })),
    });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('评分项不能重复');
    const share = await api(h, 'PUT', '/api/qc/config', 'admin', { samplePercent: 120, reviewDays: 7, items: cfg.items });
    expect(share.status).toBe(400);
    expect(share.text).toContain('抽检比例最多 100%');
    expect(data(await api<QcConfigView>(h, 'GET', '/api/qc/config', 'admin')).formVersion).toBe(cfg.formVersion);
    expect((await api(h, 'GET', '/api/qc/items?status=bogus', 'supervisor')).status).toBe(400);
    const noScores = await api(h, 'POST', '/api/qc/items/qc-rated/decision', 'manager', { decision: 'rescored', comment: '改分' });
    expect(noScores.status).toBe(400);
    expect(noScores.text).toContain('改分须填写各项得分');
    const notInReview = await api(h, 'POST', '/api/qc/items/qc-rated/decision', 'manager', { decision: 'upheld', comment: '维持' });
    expect(notInReview.status).toBe(409);
    expect(error(notInReview).message).toBe('该来电尚未评分');
  });

  it('the scores per seat and per period appear in the manager’s report and the 质检 export, in scope', async () => {
    const q = 'from=2026-11-23&to=2026-11-23';
    const report = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${q}`, 'manager'));
    expect(report.qc?.total).toMatchObject({
      selected: 5,
      sampled: 1,
      inspected: 2,
      averageScore: 81,
      reviewsRequested: 1,
      reviewsChanged: 1,
    });
    expect(report.qc?.bySeat.find((r) => r.key === 's01')).toMatchObject({ label: '王建国(C001)', figures: { selected: 3, inspected: 2 } });
    expect(report.qc?.byMonth.map((r) => [r.key, r.figures.inspected])).toEqual([['2026-11', 2]]);
    const csv = await fetch(`${h.srv.url}/api/reports/export/qc.csv?${q}`, { headers: { cookie: h.cookies.manager! } });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain('平均得分');
    expect(text).toContain('坐席,王建国(C001),3,1,2,81,80,1,1');
    // A duty manager of 东城区 counts 东城区's calls only.
    await createAccount(h, { username: 'dc-qc-manager', role: 'manager', centres: ['dongcheng'] });
    const dc = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${q}`, 'dc-qc-manager'));
    expect(dc.qc?.total).toMatchObject({ selected: 1, inspected: 0 });
    expect(dc.qc?.bySeat.map((r) => r.key)).toEqual(['s09']);
  });
});
