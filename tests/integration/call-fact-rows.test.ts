/**
 * The 话单 row of a call on a real server (schema version 17): the call's fact is written in the
 * commit that ends the call, before any report asks for it, and its copies of the caller, the
 * summary, the rating 满意率 counts and the QC score follow each change in that change's commit;
 * the CSV export shows them (满意度评价, 质检得分).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QcConfigView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { parseCsv } from '../support/csv.js';
import { login, startTestServer } from '../support/server.js';
import { centreCall, useCentreTrunks } from './support-accounts.js';
import { SUMMARY, T0, abandonedCall, api, data, type Harness } from './support-summaries.js';

const SCORES = { greeting: 8, understanding: 9, legalAccuracy: 8, basis: 8, attitude: 10, summary: 8 };

describe('the 话单 row in call_facts', () => {
  const h = { srv: null, clock: null, cookies: {}, sockets: [] } as unknown as Harness;
  beforeAll(async () => {
    h.clock = new VirtualClock(T0);
    h.srv = await startTestServer({ clock: h.clock, env: { SESSION_HOURS: '72' } });
    for (const u of ['seat01', 'supervisor', 'manager']) h.cookies[u] = await login(h.srv.url, u);
    useCentreTrunks(h);
  });
  afterAll(async () => {
    await h.srv?.stop();
  });

  const fact = (id: string) =>
    h.srv.db
      .prepare(
        'SELECT caller, result, disposition, major, topic, confidential, rating, qc_score AS qcScore FROM call_facts WHERE call_id = ?',
      )
      .get(id) as Record<string, unknown> | undefined;

  it('is written in the commit that ends the call: at the end of wrap-up, or at the abandon', async () => {
    centreCall(h, 'city', 's01', 'cf-1', '13800138001');
    expect(fact('cf-1')).toBeUndefined(); // in wrap-up: still in progress, the engine holds it
    const filed = await api(h, 'POST', '/api/calls/cf-1/summary', 'seat01', SUMMARY);
    expect(filed.status).toBe(201);
    if (h.srv.app.engine.getSeat('s01').state.kind === 'wrap-up') h.srv.app.engine.endWrapUp('s01');
    // No report was asked for (no catch-up ran): the fact is there with its copies.
    expect(fact('cf-1')).toEqual({
      caller: '13800138001',
      result: 'answered',
      disposition: 'answered',
      major: 0,
      topic: '欠薪',
      confidential: 0,
      rating: null,
      qcScore: null,
    });
    abandonedCall(h, 'cf-2', '13800138002');
    expect(fact('cf-2')).toMatchObject({ caller: '13800138002', result: 'abandoned-in-queue', disposition: null });
  });

  it('follows an amended summary, a rating and a QC score, each in its own commit', async () => {
    const amended = await api(h, 'PUT', '/api/calls/cf-1/summary', 'seat01', {
      ...SUMMARY,
      topic: '欠薪(工地)',
      riskFlag: true,
      riskNote: '群体讨薪',
    });
    expect(amended.status, amended.text).toBe(200);
    expect(fact('cf-1')).toMatchObject({ topic: '欠薪(工地)', major: 1 });

    h.srv.app.satisfaction.rate('cf-1', 'phone', 4, '没解决', h.clock.now());
    h.srv.app.satisfaction.rate('cf-1', 'sms', 1, null, h.clock.now() + 1000); // later: 满意率 counts the first
    expect(fact('cf-1')).toMatchObject({ rating: 4 });

    const cfg = data(await api<QcConfigView>(h, 'GET', '/api/qc/config', 'supervisor'));
    await api(h, 'GET', '/api/qc/items?status=all', 'supervisor'); // the dissatisfied call joins the worklist
    const scored = await api(h, 'POST', '/api/qc/items/cf-1/score', 'supervisor', {
      scores: SCORES,
      comment: '',
      formVersion: cfg.formVersion,
    });
    expect(scored.status, scored.text).toBe(200);
    const total = (h.srv.db.prepare("SELECT total FROM qc_scores WHERE call_id = 'cf-1'").get() as { total: number }).total;
    expect(fact('cf-1')).toMatchObject({ qcScore: total });

    const res = await fetch(`${h.srv.url}/api/reports/export/calls.csv?from=2026-11-23&to=2026-11-23`, {
      headers: { cookie: h.cookies.manager! },
    });
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).slice(1));
    const header = rows[0]!;
    expect(header.slice(-2)).toEqual(['满意度评价', '质检得分']);
    const r1 = rows.find((r) => r[0] === 'cf-1')!;
    expect(r1[header.indexOf('满意度评价')]).toBe('不满意');
    expect(Number(r1[header.indexOf('质检得分')])).toBe(total);
    expect(r1[header.indexOf('主题')]).toBe('欠薪(工地)');
    expect(r1[header.indexOf('重大事项')]).toBe('是:群体讨薪');
    expect(r1[header.indexOf('来电号码')]).toBe('138****8001');
    const r2 = rows.find((r) => r[0] === 'cf-2')!;
    expect(r2.slice(-2)).toEqual(['', '']);
  });
});
