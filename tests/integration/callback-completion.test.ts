/**
 * 回访/回电 completion in the reports (docs/definitions.md, *Callback completion*): the tasks due
 * in the range, done on time, late, overdue; the same figures in the report, its export table and
 * the monthly workbook, and the same overdue rule as the 回访 page's count and flags.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportView, SatisfactionFigures, VisitTaskView } from '../../server/src/contract/index.js';
import { parseCsv } from '../support/csv.js';
import { login } from '../support/server.js';
import { HOUR, T0, answeredCall, api, data, harness } from './support-summaries.js';

// Tasks of a dissatisfied rating are due 24 h after it: on 2026-11-24 (local).
const Q = 'from=2026-11-24&to=2026-11-24';

describe('callback completion in the reports', () => {
  const h = harness();
  let tasks: VisitTaskView[] = [];
  const report = async (q = Q) => data(await api<ReportView>(h, 'GET', `/api/reports/figures?${q}`, 'manager'));

  beforeAll(async () => {
    h.cookies.manager = await login(h.srv.url, 'manager');
    answeredCall(h, 's01', 'cb-1', '13800138201');
    answeredCall(h, 's02', 'cb-2', '13800138202');
    answeredCall(h, 's03', 'cb-3', '13800138203');
    for (const id of ['cb-1', 'cb-2', 'cb-3']) h.srv.app.satisfaction.rate(id, 'phone', 4, '没解决', h.clock.now());
    tasks = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'supervisor')).filter((t) => t.source === 'dissatisfied');
    expect(tasks).toHaveLength(3);
    // cb-1's visit is done at once (on time).
    const id = (callId: string) => tasks.find((t) => t.callId === callId)!.id;
    expect((await api(h, 'POST', `/api/visits/${id('cb-1')}/outcome`, 'supervisor', { outcome: 'reached' })).status).toBe(200);
  });

  it('before the due time: one done on time, two not due yet', async () => {
    const r = await report();
    expect(r.callbacks?.total).toEqual({ due: 3, doneOnTime: 1, doneLate: 0, overdue: 0, pending: 2, onTimeRate: 1 });
    expect(r.callbacks?.bySource).toEqual([{ key: 'dissatisfied', label: '不满意回访', figures: r.callbacks?.total }]);
    // Counted on the day they are due, not the day they were made.
    expect((await report('from=2026-11-23&to=2026-11-23')).callbacks?.total.due).toBe(0);
  });

  it('past the due time: the open ones are overdue, as the 回访 page counts and flags them; one closed late', async () => {
    h.clock.advance(25 * HOUR);
    const r = await report();
    expect(r.callbacks?.total).toEqual({ due: 3, doneOnTime: 1, doneLate: 0, overdue: 2, pending: 0, onTimeRate: 1 / 3 });
    const page = data(
      await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${T0 - 12 * HOUR}&to=${T0 + 48 * HOUR}`, 'supervisor'),
    );
    expect(page.overdueVisits).toBe(r.callbacks?.total.overdue);
    const flagged = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'supervisor')).filter((t) => t.overdue);
    expect(flagged.map((t) => t.callId).sort()).toEqual(['cb-2', 'cb-3']);

    const late = tasks.find((t) => t.callId === 'cb-2')!.id;
    expect((await api(h, 'POST', `/api/visits/${late}/outcome`, 'supervisor', { outcome: 'reached' })).status).toBe(200);
    expect((await report()).callbacks?.total).toEqual({ due: 3, doneOnTime: 1, doneLate: 1, overdue: 1, pending: 0, onTimeRate: 1 / 3 });
  });

  it('the 回访回电完成 table exports the same rows, and the monthly workbook has it as a sheet', async () => {
    const res = await fetch(`${h.srv.url}/api/reports/export/callbacks.csv?${Q}`, { headers: { cookie: h.cookies.manager! } });
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['任务来源', '到期任务', '按期完成', '逾期完成', '逾期未完成', '未到期', '按期完成率(%)']);
    expect(rows[1]).toEqual(['合计', '3', '1', '1', '1', '0', '33.3']);
    expect(rows[2]).toEqual(['不满意回访', '3', '1', '1', '1', '0', '33.3']);

    const month = await fetch(`${h.srv.url}/api/reports/export/monthly.xlsx?month=2026-11`, { headers: { cookie: h.cookies.manager! } });
    expect(month.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await month.arrayBuffer());
    const ws = wb.getWorksheet('回访回电完成')!;
    expect(ws.getRow(2).values).toEqual([undefined, '合计', 3, 1, 1, 1, 0, 33.3]);
  });

  it('keeps to the filter: another centre, or a seat that had none of the calls, has no tasks due', async () => {
    expect((await report(`${Q}&centres=dongcheng`)).callbacks?.total.due).toBe(0);
    expect((await report(`${Q}&seats=s05`)).callbacks?.total.due).toBe(0);
    expect((await report(`${Q}&seats=s01`)).callbacks?.total).toMatchObject({ due: 1, doneOnTime: 1 });
  });
});
