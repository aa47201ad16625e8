/**
 * Schema version 19: each call's fact carries what its 话单 row needs (caller, the summary's
 * fields, the rating 满意率 counts, the QC score in force), so the export reads call_facts alone.
 * Checked here on SQLite itself: the backfill of facts written before the version, and the
 * triggers that keep the copy in step in the transaction of each change (a fact written, a summary
 * filed or amended, a rating, a QC score or review).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ReportRepository } from '../../server/src/features/reports/report-repository.js';
import { migrate, type Db } from '../../server/src/store/db.js';

/** The version before the 话单 columns (the coordinator may renumber ours; later ones apply too). */
const BEFORE = 18;
const T = Date.UTC(2026, 10, 23, 2, 0, 0);

function db(upTo?: number): Db {
  const d = new Database(':memory:');
  migrate(d, upTo);
  return d;
}

function call(d: Db, id: string, caller: string, at: number): void {
  d.prepare(
    `INSERT INTO calls (id, caller, dialed, category_id, home_centre_id, priority, enqueued_at, state_kind, seat_id, answered_at, ended_at, snapshot_json, updated_at)
     VALUES (?, ?, '12348', 'labor', 'city', 0, ?, 'ended', 's01', ?, ?, '{}', ?)`,
  ).run(id, caller, at, at + 5000, at + 60_000, at);
}

function fact(d: Db, id: string, at: number): void {
  d.prepare(
    `INSERT OR REPLACE INTO call_facts (call_id, enqueued_at, centre_id, category_id, seat_id, answered_at, ended_at, result, wait_ms, talk_ms,
       hold_ms, holds, wrap_ms, offers, missed_by, disposition, major)
     VALUES (?, ?, 'city', 'labor', 's01', ?, ?, 'answered', 5000, 55000, 0, 0, 10000, 1, '', NULL, 0)`,
  ).run(id, at, at + 5000, at + 60_000);
}

function summary(d: Db, id: string, s: Record<string, unknown>): void {
  const json = JSON.stringify({ disposition: 'answered', ...s });
  d.prepare('INSERT INTO call_summaries (call_id, seat_id, json, revision, filed_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run(
    id,
    's01',
    json,
    T,
    T,
  );
}

function rate(d: Db, id: string, source: string, score: number | null, at: number): void {
  d.prepare(
    `INSERT INTO satisfaction_ratings (call_id, source, score, satisfied, seat_id, category_id, centre_id, rated_at)
     VALUES (?, ?, ?, ?, 's01', 'labor', 'city', ?)
     ON CONFLICT(call_id, source) DO UPDATE SET score = excluded.score, satisfied = excluded.satisfied, rated_at = excluded.rated_at`,
  ).run(id, source, score, score === null ? null : score <= 3 ? 1 : 0, at);
}

function score(d: Db, id: string, kind: 'inspection' | 'review', total: number): void {
  d.prepare(
    `INSERT OR IGNORE INTO qc_items (call_id, seat_id, centre_id, category_id, enqueued_at, selected_at, updated_at) VALUES (?, 's01', 'city', 'labor', ?, ?, ?)`,
  ).run(id, T, T, T);
  d.prepare(
    `INSERT INTO qc_scores (call_id, kind, form_version, items_json, total, comment, user_name, at) VALUES (?, ?, 1, '[]', ?, '', '班长', ?)
     ON CONFLICT(call_id, kind) DO UPDATE SET total = excluded.total`,
  ).run(id, kind, total, T);
}

const row = (d: Db, id: string) =>
  d
    .prepare(
      `SELECT caller, disposition, major, topic, question, answer, referral, risk_note AS riskNote, confidential, rating, qc_score AS qcScore
       FROM call_facts WHERE call_id = ?`,
    )
    .get(id);

describe('the 话单 columns of call_facts (schema version 19)', () => {
  it('the migration fills the facts written before it: caller, summary fields, first phone/SMS rating, QC score in force', () => {
    const d = db(BEFORE);
    call(d, 'a', '13800138001', T);
    call(d, 'b', '13800138002', T + 1000);
    call(d, 'c', '13800138003', T + 2000);
    summary(d, 'a', {
      topic: '欠薪',
      question: '工资被拖欠',
      answer: '可申请劳动仲裁',
      referral: '劳动仲裁委',
      riskFlag: true,
      riskNote: '群体',
    });
    summary(d, 'b', { disposition: 'legal-aid', topic: '离婚', confidential: true });
    // a: a visit rating, then a phone rating with no score, then an SMS rating: the SMS one counts.
    rate(d, 'a', 'visit', 1, T + 10);
    rate(d, 'a', 'phone', null, T + 20);
    rate(d, 'a', 'sms', 4, T + 30);
    // b: phone first (counts), SMS later.
    rate(d, 'b', 'phone', 2, T + 10);
    rate(d, 'b', 'sms', 4, T + 20);
    score(d, 'a', 'inspection', 80);
    score(d, 'a', 'review', 92.5);
    score(d, 'b', 'inspection', 70);
    for (const id of ['a', 'b', 'c']) fact(d, id, T);

    migrate(d);

    expect(row(d, 'a')).toEqual({
      caller: '13800138001',
      disposition: null, // the fact's own columns are the catch-up's (unchanged by the backfill)
      major: 0,
      topic: '欠薪',
      question: '工资被拖欠',
      answer: '可申请劳动仲裁',
      referral: '劳动仲裁委',
      riskNote: '群体',
      confidential: 0,
      rating: 4,
      qcScore: 92.5,
    });
    expect(row(d, 'b')).toMatchObject({ caller: '13800138002', topic: '离婚', confidential: 1, rating: 2, qcScore: 70 });
    expect(row(d, 'c')).toMatchObject({ caller: '13800138003', topic: null, confidential: 0, rating: null, qcScore: null });
  });

  it('keeps each copy in step with its source, in the same statement’s transaction', () => {
    const d = db();
    call(d, 'a', '13800138001', T);
    // Rated and scored before the fact exists (a survey during wrap-up): the fact's insert picks them up.
    rate(d, 'a', 'phone', 3, T + 10);
    summary(d, 'a', { topic: '工伤' });
    fact(d, 'a', T);
    expect(row(d, 'a')).toMatchObject({ caller: '13800138001', disposition: null, topic: '工伤', rating: 3, qcScore: null });

    // Amended summary: disposition, 重大事项 and text follow.
    d.prepare('UPDATE call_summaries SET json = ?, revision = 2 WHERE call_id = ?').run(
      JSON.stringify({ disposition: 'referral', topic: '工伤认定', riskFlag: true, riskNote: '扬言', confidential: true }),
      'a',
    );
    expect(row(d, 'a')).toMatchObject({ disposition: 'referral', major: 1, topic: '工伤认定', riskNote: '扬言', confidential: 1 });

    // A later SMS rating does not replace the first phone rating; a visit rating never counts.
    rate(d, 'a', 'sms', 4, T + 20);
    rate(d, 'a', 'visit', 1, T + 30);
    expect(row(d, 'a')).toMatchObject({ rating: 3 });

    score(d, 'a', 'inspection', 75);
    expect(row(d, 'a')).toMatchObject({ qcScore: 75 });
    score(d, 'a', 'review', 88);
    expect(row(d, 'a')).toMatchObject({ qcScore: 88 });

    // The fact rewritten (the catch-up's INSERT OR REPLACE) keeps every copy.
    fact(d, 'a', T);
    expect(row(d, 'a')).toMatchObject({ caller: '13800138001', topic: '工伤认定', rating: 3, qcScore: 88 });

    // A write that fails rolls its copy back with it.
    expect(() =>
      d.transaction(() => {
        score(d, 'a', 'review', 10);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(row(d, 'a')).toMatchObject({ qcScore: 88 });
  });

  it('the export reads the copies: one row per fact, in arrival order, from call_facts alone', () => {
    const d = db();
    call(d, 'a', '13800138001', T);
    call(d, 'b', '13800138002', T + 1000);
    fact(d, 'b', T + 1000);
    fact(d, 'a', T);
    summary(d, 'b', { topic: '继承', riskFlag: true, riskNote: '' }); // filed after the fact: the summary's trigger copies it
    rate(d, 'b', 'sms', 1, T);
    const tuples = new ReportRepository(d).exportTuples(T - 1, T + 86_400_000, null, 10);
    expect(tuples.map((t) => [t[0], t[1], t[14], t[15], t[19], t[22]])).toEqual([
      ['a', '13800138001', null, null, 0, null],
      ['b', '13800138002', 'answered', '继承', 1, 1],
    ]);
    const plan = (
      d
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM call_facts WHERE enqueued_at < 1 AND (enqueued_at, call_id) > (0, '') ORDER BY enqueued_at, call_id`,
        )
        .all() as {
        detail: string;
      }[]
    ).map((p) => p.detail);
    expect(plan.join(' ')).toContain('call_facts_enqueued');
    expect(tuples.length).toBe(2);
  });
});
