/**
 * 满意率 and the 回访 figures in the duty manager's report, its export and the supervisor's live
 * figures (issue 15 item 4): one definition (domain/stats/satisfaction.ts), so the live figures
 * since midnight and the report of the same day agree on the same calls, and the 回访 page's
 * figures count the same ratings.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { satisfactionReportInputs } from '../../server/src/features/satisfaction/satisfaction-service.js';
import type { LiveFiguresView, ReportView, SatisfactionFigures, VisitTaskView } from '../../server/src/contract/index.js';
import { parseCsv } from '../support/csv.js';
import { login } from '../support/server.js';
import { HOUR, MIN, T0, answeredCall, api, data, harness } from './support-summaries.js';

const DAY = '2026-11-23';
const Q = `from=${DAY}&to=${DAY}`;

describe('satisfaction in the reports', () => {
  const h = harness();

  beforeAll(async () => {
    h.cookies.manager = await login(h.srv.url, 'manager');
    // Four answered calls: two satisfied, one 不满意 (creates a 回访 task due in 24 h), one not rated.
    answeredCall(h, 's01', 'sr-1', '13800138101');
    answeredCall(h, 's02', 'sr-2', '13800138102');
    answeredCall(h, 's03', 'sr-3', '13800138103');
    answeredCall(h, 's04', 'sr-4', '13800138104');
    const sat = h.srv.app.satisfaction;
    sat.rate('sr-1', 'phone', 1, null, h.clock.now());
    sat.rate('sr-2', 'sms', 3, null, h.clock.now());
    sat.rate('sr-3', 'phone', 4, '没解决', h.clock.now());
    // A later rating of a rated call does not change the figures (the call's first rating counts).
    sat.rate('sr-1', 'sms', 4, null, h.clock.now());
    h.clock.advance(10 * MIN);
  });

  it('the report counts 满意率 over its answered calls and the 回访 figures of its day', async () => {
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    expect(r.satisfaction).toMatchObject({
      answered: 4,
      rated: 3,
      satisfied: 2,
      dissatisfied: 1,
      satisfactionRate: 2 / 3,
      ratedShare: 3 / 4,
    });
    expect(r.satisfaction.answered).toBe(r.total.answered);
    // Two 不满意 tasks (sr-3's phone rating, sr-1's later SMS one): created today, not due yet.
    expect(r.satisfaction.visits).toMatchObject({ created: 2, closed: 0, completionRate: null, overdue: 0, dissatisfiedDue: 0 });
    expect(r.satisfaction.outbound).toEqual({ placed: 0, answered: 0, talkSeconds: 0 }); // no telephony here: tests/unit/visit-dial.test.ts
  });

  it('the live figures since midnight agree with the report of the same day', async () => {
    const live = data(await api<LiveFiguresView>(h, 'GET', '/api/reports/live', 'supervisor'));
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    const { visits: _visits, outbound: _outbound, ...reported } = r.satisfaction;
    expect(live.satisfaction).toEqual(reported);
    expect(live.sinceMidnight).toEqual({ ...r.total, occupancy: r.occupancy });
  });

  it('a read-only connection (a report worker) reads the same inputs', async () => {
    const ro = new Database(h.srv.dbPath, { readonly: true });
    try {
      const inputs = satisfactionReportInputs(ro, () => h.clock.now());
      const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
      expect([...inputs.ratingsByArrival(T0 - 12 * HOUR, T0 + 12 * HOUR).values()].sort()).toEqual([false, true, true]);
      expect(inputs.visitFigures(T0 - 12 * HOUR, T0 + 12 * HOUR, { centres: null, categories: null, seats: null })).toEqual(
        r.satisfaction.visits,
      );
    } finally {
      ro.close();
    }
  });

  it('the 回访 page counts the same 满意率', async () => {
    const f = data(
      await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${T0 - 12 * HOUR}&to=${T0 + 12 * HOUR}`, 'supervisor'),
    );
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    expect(f.total).toMatchObject({
      answered: r.satisfaction.answered,
      rated: r.satisfaction.rated,
      satisfactionRate: r.satisfaction.satisfactionRate,
    });
  });

  it('a 回访 closed late is overdue in the report until closed, then counts as completed but not in time', async () => {
    h.clock.advance(25 * HOUR);
    const late = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager')).satisfaction.visits;
    expect(late).toMatchObject({
      created: 2,
      overdue: 2,
      dissatisfiedDue: 2,
      dissatisfiedWithinDeadline: 0,
      dissatisfiedCalledBackRate: 0,
    });
    const tasks = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'supervisor'));
    const t = tasks.find((x) => x.callId === 'sr-3')!;
    expect((await api(h, 'POST', `/api/visits/${t.id}/outcome`, 'supervisor', { outcome: 'reached' })).status).toBe(200);
    const after = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager')).satisfaction.visits;
    expect(after).toMatchObject({ closed: 1, overdue: 1, completionRate: 1 / 2, dissatisfiedWithinDeadline: 0 });
  });

  it('the 满意度与回访 table exports with the same figures', async () => {
    const res = await fetch(`${h.srv.url}/api/reports/export/satisfaction.csv?${Q}`, { headers: { cookie: h.cookies.manager! } });
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['指标', '数值']);
    expect(rows).toContainEqual(['满意率(%)', '66.7']);
    expect(rows).toContainEqual(['回访完成率(%)', '50']);
  });
});
