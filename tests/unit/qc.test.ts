/** Quality inspection (质检): the form's total, the sample draw, the state machine, and the worklist's sources with a fake clock and random source. */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { qcReport, type QcFact } from '../../server/src/domain/stats/qc-figures.js';
import type { AuditInput } from '../../server/src/features/audit/audit-service.js';
import type { SessionUser } from '../../server/src/features/auth/auth-service.js';
import { QcRepository } from '../../server/src/features/qc/qc-repository.js';
import {
  checkDecision,
  checkReviewRequest,
  defaultForm,
  drawSample,
  reasonsOfSummary,
  scoreAgainst,
  totalOf,
  transition,
} from '../../server/src/features/qc/qc-rules.js';
import { QcService } from '../../server/src/features/qc/qc-service.js';
import { openDatabase, type Db } from '../../server/src/store/db.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 23, 2, 0);

describe('the scoring form', () => {
  it('the default form has the six items, weights adding to 100', () => {
    const form = defaultForm();
    expect(form.map((i) => i.label)).toEqual(['问候规范', '问题理解', '法律准确', '依据引用', '服务态度', '小结质量']);
    expect(form.reduce((n, i) => n + i.weight, 0)).toBe(100);
  });

  it('the total is Σ(score/max × weight) ÷ Σweight × 100, to one decimal', () => {
    const form = [
      { key: 'greeting' as const, label: 'a', weight: 1, max: 10 },
      { key: 'understanding' as const, label: 'b', weight: 2, max: 5 },
      { key: 'legalAccuracy' as const, label: 'c', weight: 0, max: 10 },
    ];
    // (10/10×1 + 2/5×2 + 0) ÷ 3 × 100 = 60
    expect(totalOf(scoreAgainst(form, { greeting: 10, understanding: 2, legalAccuracy: 0 }))).toBe(60);
    // (7/10×1 + 1/5×2) ÷ 3 × 100 = 36.666… → 36.7
    expect(totalOf(scoreAgainst(form, { greeting: 7, understanding: 1, legalAccuracy: 9 }))).toBe(36.7);
    expect(totalOf(form.map((i) => ({ ...i, weight: 0, score: 1 })))).toBe(0);
  });

  it('a missing item or a score above its maximum is refused, naming the item', () => {
    const form = defaultForm();
    expect(() => scoreAgainst(form, { greeting: 10 })).toThrow(/请为「问题理解」打分/);
    const all = Object.fromEntries(form.map((i) => [i.key, 5]));
    expect(() => scoreAgainst(form, { ...all, basis: 11 })).toThrow(/「依据引用」的得分须在 0–10 之间/);
    expect(() => scoreAgainst(form, { ...all, basis: -1 })).toThrow(/依据引用/);
  });
});

describe('the sample draw and the reasons', () => {
  it('draws below the share, never at 0 %, always at 100 %', () => {
    expect(drawSample(() => 0.049, 5)).toBe(true);
    expect(drawSample(() => 0.05, 5)).toBe(false);
    expect(drawSample(() => 0, 0)).toBe(false);
    expect(drawSample(() => 0.999, 100)).toBe(true);
  });

  it('a complaint is the 投诉受理 disposition or the 投诉建议 category; 重大事项 the risk flag', () => {
    expect(reasonsOfSummary({ disposition: 'complaint', categoryId: 'labor' })).toEqual(['complaint']);
    expect(reasonsOfSummary({ disposition: 'answered', categoryId: 'complaint' })).toEqual(['complaint']);
    expect(reasonsOfSummary({ disposition: 'answered', categoryId: 'labor', riskFlag: true })).toEqual(['major']);
    expect(reasonsOfSummary({ disposition: 'answered', categoryId: 'labor', riskFlag: false })).toEqual([]);
  });
});

describe('the review state machine', () => {
  it('pending → scored → review → final, and nothing else', () => {
    expect(transition('pending', 'score')).toBe('scored');
    expect(() => transition('scored', 'score')).toThrow(/已评分/);
    expect(() => transition('pending', 'request-review')).toThrow(/尚未评分/);
    expect(() => transition('pending', 'decide')).toThrow(/尚未评分/);
    expect(() => transition('scored', 'decide')).toThrow(/没有申请复核/);
    expect(() => transition('final', 'request-review')).toThrow(/不能再次申请/);
  });

  it('a review is asked for within the window after scoring (the fake clock moves past it)', () => {
    const clock = new VirtualClock(T0);
    const scoredAt = clock.now();
    clock.advance(7 * DAY);
    expect(checkReviewRequest('scored', scoredAt, 7, clock.now())).toBe('review');
    clock.advance(1);
    expect(() => checkReviewRequest('scored', scoredAt, 7, clock.now())).toThrow(/7 天内可以申请复核/);
  });

  it('the inspector who gave the score does not decide its review', () => {
    expect(() => checkDecision('review', 5, 5)).toThrow(/评分人以外/);
    expect(checkDecision('review', 5, 6)).toBe('final');
  });
});

// ---------------------------------------------------------------- the worklist's sources

function db(): Db {
  const d = openDatabase(':memory:');
  d.prepare(
    `INSERT INTO seats (id, name, staff_no, centre_id, skills_json, languages_json) VALUES ('s01', '甲', 'C001', 'city', '{}', '[]')`,
  ).run();
  return d;
}

function answered(d: Db, id: string, at: number, o: { answered?: boolean } = {}) {
  d.prepare(
    `INSERT INTO calls (id, caller, dialed, trunk, category_id, home_centre_id, priority, enqueued_at, state_kind, seat_id, answered_at, ended_at, snapshot_json, updated_at)
     VALUES (?, '13800000000', '12348', NULL, 'general', 'city', 0, ?, 'ended', 's01', ?, ?, '{}', ?)`,
  ).run(id, at, o.answered === false ? null : at + 5000, at + 60_000, at);
}

function file(d: Db, id: string, at: number, summary: object = { categoryId: 'labor', disposition: 'answered' }) {
  const json = JSON.stringify(summary);
  d.prepare('INSERT INTO call_summaries (call_id, seat_id, json, revision, filed_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run(
    id,
    's01',
    json,
    at,
    at,
  );
  d.prepare('INSERT INTO summary_revisions (call_id, revision, json, seat_id, at) VALUES (?, 1, ?, ?, ?)').run(id, json, 's01', at);
}

function service(d: Db, clock: VirtualClock, randoms: number[], audit: AuditInput[] = []) {
  let n = 0;
  return new QcService({
    repo: new QcRepository(d),
    clock,
    random: () => randoms[n++ % randoms.length]!,
    scope: { seesCall: () => true, centreList: () => null },
    audit: (e) => audit.push(e),
  });
}

const inspector: SessionUser = { id: 10, username: 'supervisor', displayName: '班长', role: 'supervisor', seatId: null };
const inspector2: SessionUser = { id: 11, username: 'manager', displayName: '负责人', role: 'manager', seatId: null };
const seat: SessionUser = { id: 1, username: 'seat01', displayName: '甲', role: 'seat', seatId: 's01' };
const allScores = (v: number) => Object.fromEntries(defaultForm().map((i) => [i.key, v]));

describe('the worklist (QcService.sync, fake clock and random source)', () => {
  it('draws each call once when its summary is filed, with the injected random source deciding', () => {
    const d = db();
    const clock = new VirtualClock(T0);
    const qc = service(d, clock, [0.01, 0.5, 0.04, 0.9]);
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) {
      answered(d, id, T0 + i * 1000);
      file(d, id, T0 + i * 1000);
    }
    qc.sync();
    expect(
      qc
        .list(inspector, 'all', 10)
        .map((i) => i.callId)
        .sort(),
    ).toEqual(['a', 'c']);
    // An amendment (revision 2) and another pass draw nothing again.
    d.prepare(
      `INSERT INTO summary_revisions (call_id, revision, json, seat_id, at) VALUES ('b', 2, '{"disposition":"answered"}', 's01', ?)`,
    ).run(T0);
    qc.sync();
    expect(d.prepare('SELECT call_id, sampled FROM qc_sample_decisions ORDER BY call_id').all()).toEqual([
      { call_id: 'a', sampled: 1 },
      { call_id: 'b', sampled: 0 },
      { call_id: 'c', sampled: 1 },
      { call_id: 'd', sampled: 0 },
    ]);
    expect(qc.list(inspector, 'all', 10)).toHaveLength(2);
  });

  it('adds every dissatisfied rating, complaint (also by amendment) and 重大事项 alert, sample or not; never an unanswered call', () => {
    const d = db();
    const clock = new VirtualClock(T0);
    const qc = service(d, clock, [0.99]);
    answered(d, 'rated', T0);
    file(d, 'rated', T0);
    d.prepare(
      `INSERT INTO satisfaction_ratings (call_id, source, score, satisfied, seat_id, category_id, centre_id, rated_at) VALUES ('rated', 'phone', 4, 0, 's01', 'labor', 'city', ?)`,
    ).run(T0);
    answered(d, 'happy', T0);
    d.prepare(
      `INSERT INTO satisfaction_ratings (call_id, source, score, satisfied, seat_id, category_id, centre_id, rated_at) VALUES ('happy', 'phone', 1, 1, 's01', 'labor', 'city', ?)`,
    ).run(T0);
    answered(d, 'complained', T0);
    file(d, 'complained', T0, { categoryId: 'labor', disposition: 'complaint' });
    answered(d, 'amended', T0);
    file(d, 'amended', T0);
    answered(d, 'alerted', T0);
    d.prepare(`INSERT INTO major_alerts (call_id, seat_id, note, raised_at, updated_at) VALUES ('alerted', 's01', '扬言', ?, ?)`).run(
      T0,
      T0,
    );
    answered(d, 'missed', T0, { answered: false });
    d.prepare(`INSERT INTO major_alerts (call_id, seat_id, note, raised_at, updated_at) VALUES ('missed', 's01', 'x', ?, ?)`).run(T0, T0);
    qc.sync();
    d.prepare(
      `INSERT INTO summary_revisions (call_id, revision, json, seat_id, at) VALUES ('amended', 2, '{"categoryId":"complaint","disposition":"answered"}', 's01', ?)`,
    ).run(T0);
    qc.sync();
    const items = new Map(qc.list(inspector, 'all', 10).map((i) => [i.callId, i.reasons]));
    expect(Object.fromEntries(items)).toEqual({
      rated: ['dissatisfied'],
      complained: ['complaint'],
      amended: ['complaint'],
      alerted: ['major'],
    });
  });

  it('scores, reviews and decides with audit entries; a later form keeps the old score as it was', () => {
    const d = db();
    const clock = new VirtualClock(T0);
    const audit: AuditInput[] = [];
    const qc = service(d, clock, [0], audit);
    answered(d, 'x', T0);
    file(d, 'x', T0);
    qc.sync();
    expect(() => qc.score(seat, 'x', { scores: allScores(8), comment: '', formVersion: 1 })).toThrow(/只有班长/);
    const scored = qc.score(inspector, 'x', { scores: allScores(8), comment: '问候不完整', formVersion: 1 });
    expect(scored.item.status).toBe('scored');
    expect(scored.inspection?.total).toBe(80);
    // The admin changes the form: the stored score keeps its weights; scoring on the old version is refused.
    const admin: SessionUser = { id: 99, username: 'admin', displayName: '管理员', role: 'admin', seatId: null };
    const form = qc.config().items.map((i) => ({ key: i.key, weight: i.key === 'greeting' ? 50 : i.weight, max: 5 }));
    expect(qc.updateConfig(admin, { samplePercent: 10, reviewDays: 7, items: form }).formVersion).toBe(2);
    expect(qc.stateFor(inspector, 'x').inspection?.items.find((i) => i.key === 'greeting')).toMatchObject({
      weight: 10,
      max: 10,
      score: 8,
    });
    clock.advance(DAY);
    const asked = qc.requestReview(seat, 'x', '法律依据引用正确,请复核');
    expect(asked.item.status).toBe('review');
    expect(() => qc.decide(inspector, 'x', { decision: 'upheld', comment: '维持' })).toThrow(/评分人以外/);
    // 改分 on the form the score was given with (max 10), not the new one (max 5).
    const decided = qc.decide(inspector2, 'x', { decision: 'rescored', scores: allScores(9), comment: '依据引用无误' });
    expect(decided.item.status).toBe('final');
    expect(decided.reviewScore?.total).toBe(90);
    expect(decided.item.reviewTotal).toBe(90);
    expect(() => qc.requestReview(seat, 'x', '再次申请复核')).toThrow(/不能再次申请/);
    expect(audit.map((a) => [a.action, a.actor.username])).toEqual([
      ['qc.score', 'supervisor'],
      ['qc.config', 'admin'],
      ['qc.review-request', 'seat01'],
      ['qc.review-decide', 'manager'],
    ]);
    const figures = qcReport(qc.facts(T0 - DAY, T0 + DAY), { utcOffsetMinutes: 480 });
    expect(figures.total).toEqual({
      selected: 1,
      sampled: 1,
      inspected: 1,
      averageScore: 90,
      lowestScore: 90,
      reviewsRequested: 1,
      reviewsChanged: 1,
    });
  });

  it('the seat sees only its own scored items, never a pending one', () => {
    const d = db();
    const clock = new VirtualClock(T0);
    const qc = service(d, clock, [0]);
    answered(d, 'p', T0);
    file(d, 'p', T0);
    qc.sync();
    expect(qc.mine(seat, 10)).toEqual([]);
    expect(() => qc.stateFor(seat, 'p')).toThrow(/无权查看/);
    const other: SessionUser = { ...seat, id: 2, seatId: 's02' };
    qc.score(inspector, 'p', { scores: allScores(10), comment: '', formVersion: 1 });
    expect(qc.mine(seat, 10).map((i) => i.callId)).toEqual(['p']);
    expect(() => qc.stateFor(other, 'p')).toThrow(/无权查看/);
  });
});

describe('QC figures', () => {
  it('counts per seat, week and month by the call’s local day', () => {
    const f = (id: string, seatId: string, at: number, total: number | null, sampled = true): QcFact => ({
      callId: id,
      seatId,
      homeCentreId: 'city',
      categoryId: 'labor',
      enqueuedAt: at,
      sampled,
      total,
      reviewRequested: false,
      reviewChanged: false,
    });
    // 2026-11-30 23:30 +08:00 is November; 2026-12-01 00:30 +08:00 is December.
    const nov = Date.UTC(2026, 10, 30, 15, 30);
    const dec = Date.UTC(2026, 10, 30, 16, 30);
    const r = qcReport([f('1', 's01', nov, 80), f('2', 's01', dec, 91), f('3', 's02', dec, null, false)], { utcOffsetMinutes: 480 });
    expect(r.total).toMatchObject({ selected: 3, sampled: 2, inspected: 2, averageScore: 85.5, lowestScore: 80 });
    expect(r.bySeat.map((x) => [x.key, x.figures.inspected, x.figures.averageScore])).toEqual([
      ['s01', 2, 85.5],
      ['s02', 0, null],
    ]);
    expect(r.byMonth.map((x) => [x.key, x.figures.selected])).toEqual([
      ['2026-11', 1],
      ['2026-12', 2],
    ]);
    expect(r.byWeek.map((x) => x.key)).toEqual(['2026-W49']);
  });
});
