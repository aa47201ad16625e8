/**
 * 统计报表 over HTTP (issue 13): the figures of calls made through the real engine and store,
 * the supervisor's live figures agreeing with them, centre scope and role refusals, the 话单 and
 * table exports (CSV with BOM and neutralised formulas, XLSX read back with ExcelJS), masking,
 * unmasking (administrators only, audited) and the monthly workbook.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditListResponse,
  LiveFiguresView,
  ReportView,
  RiskHitView,
  StaffingPlanView,
  TrendsView,
} from '../../server/src/contract/index.js';
import type { RoutingConfig } from '../../server/src/domain/policy.js';
import { parseCsv } from '../support/csv.js';
import { login } from '../support/server.js';
import { centreCall, createAccount, useCentreTrunks, waitingCall } from './support-accounts.js';
import { S, SUMMARY, abandonedCall, api, data, error, fileAndFinish, harness } from './support-summaries.js';

const DAY = '2026-11-23';
const Q = `from=${DAY}&to=${DAY}`;

async function download(h: ReturnType<typeof harness>, path: string, user: string) {
  const res = await fetch(`${h.srv.url}${path}`, { headers: { cookie: h.cookies[user]! } });
  return { res, buf: Buffer.from(await res.arrayBuffer()) };
}

describe('reports', () => {
  const h = harness();

  beforeAll(async () => {
    useCentreTrunks(h);
    for (const u of ['manager', 'admin']) h.cookies[u] = await login(h.srv.url, u);
    await createAccount(h, { username: 'dc-manager', role: 'manager', centres: ['dongcheng'] });
    // City: two answered calls (one with a formula-looking topic), one abandoned after 10 s.
    centreCall(h, 'city', 's01', 'r-1', '13800138001');
    await fileAndFinish(h, 'r-1', 'seat01', 's01', { ...SUMMARY, topic: '=HYPERLINK("http://x","点我")' });
    centreCall(h, 'city', 's02', 'r-2', '13800138002');
    await fileAndFinish(h, 'r-2', 'seat02', 's02', { ...SUMMARY, topic: '+1 欠薪', answer: '-2 仲裁, "引号" 与逗号' });
    abandonedCall(h, 'r-3', '13800138003');
    // 东城: one answered by its own seat s09.
    h.cookies.seat09 = await login(h.srv.url, 'seat09');
    centreCall(h, 'dongcheng', 's09', 'r-4', '13900139004');
    await fileAndFinish(h, 'r-4', 'seat09', 's09', { ...SUMMARY, disposition: 'legal-aid', referral: '法律援助中心' });
    // One still waiting in the city queue.
    waitingCall(h, 'city', 'r-5', '13800138005');
    h.clock.advance(20 * S);
  });

  it('computes the day for every centre: answered, abandoned, waiting, ASA', async () => {
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    expect(r.centres).toBeNull();
    expect(r.total).toMatchObject({ entered: 5, offered: 5, answered: 3, abandoned: 1, abandonedInQueue: 1, waiting: 1 });
    expect(r.total.asaSeconds).toBe(5);
    expect(r.total.dispositions).toEqual({ answered: 2, 'legal-aid': 1 });
    expect(r.byDay.map((d) => d.key)).toEqual([DAY]);
    expect(r.byInterval.find((i) => i.key === '10:00')?.figures.entered).toBe(5);
    expect(r.bySeat.find((s) => s.key === 's01')?.figures.answered).toBe(1);
  });

  it('the live figures since midnight agree with the report of the same day', async () => {
    const live = data(await api<LiveFiguresView>(h, 'GET', '/api/reports/live', 'supervisor'));
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    expect(live.sinceMidnight).toEqual({ ...r.total, occupancy: r.occupancy });
    // occupancy by the same rule: the seats that took or missed the day's calls, from their state time
    expect(r.occupancy).toBeGreaterThan(0);
  });

  it('a manager of 东城 sees 东城 only and is refused the city', async () => {
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'dc-manager'));
    expect(r.centres).toEqual(['dongcheng']);
    expect(r.total.entered).toBe(1);
    const refused = await api(h, 'GET', `/api/reports/figures?${Q}&centres=city`, 'dc-manager');
    expect(refused.status).toBe(403);
    expect(error(refused).message).toContain('不在您的中心范围内');
    const exp = await api(h, 'GET', `/api/reports/export/calls.csv?${Q}&centres=city`, 'dc-manager');
    expect(exp.status).toBe(403);
    const live = data(await api<LiveFiguresView>(h, 'GET', '/api/reports/live', 'dc-manager'));
    expect(live.sinceMidnight.entered).toBe(1);
  });

  it('says which centres the user may pick: 东城 alone for its manager, whatever the filter; every centre for the city', async () => {
    expect(data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'dc-manager')).scopeCentres).toEqual(['dongcheng']);
    expect(data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}&centres=dongcheng`, 'dc-manager')).scopeCentres).toEqual([
      'dongcheng',
    ]);
    expect(data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}&centres=city`, 'manager')).scopeCentres).toBeNull();
  });

  it('refuses seats and supervisors the reports, and bad ranges', async () => {
    expect((await api(h, 'GET', `/api/reports/figures?${Q}`, 'seat01')).status).toBe(403);
    expect((await api(h, 'GET', `/api/reports/figures?${Q}`, 'supervisor')).status).toBe(403);
    expect((await api(h, 'GET', `/api/reports/export/calls.csv?${Q}`, 'supervisor')).status).toBe(403);
    expect((await api(h, 'GET', `/api/reports/live`, 'seat01')).status).toBe(403);
    const backwards = await api(h, 'GET', '/api/reports/figures?from=2026-11-23&to=2026-11-01', 'manager');
    expect(backwards.status).toBe(400);
    expect((await api(h, 'GET', '/api/reports/figures?from=2026-02-30&to=2026-03-01', 'manager')).status).toBe(400);
    expect((await api(h, 'GET', '/api/reports/figures?from=2024-01-01&to=2026-03-01', 'manager')).status).toBe(400);
    expect((await api(h, 'GET', `/api/reports/figures?${Q}&centres=nowhere`, 'manager')).status).toBe(400);
    expect((await api(h, 'GET', `/api/reports/figures?${Q}&hours=24`, 'manager')).status).toBe(400);
  });

  it('exports the 话单 as CSV with a BOM, masked numbers and formula cells neutralised', async () => {
    const { res, buf } = await download(h, `/api/reports/export/calls.csv?${Q}`, 'manager');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('x-total-rows')).toBe('4'); // finished calls: r-5 is still waiting
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(buf.toString('utf8').slice(1));
    expect(rows[0]![0]).toBe('通话编号');
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.size).toBe(4);
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(byId.get('r-1')![col('来电号码')]).toBe('138****8001');
    expect(byId.get('r-1')![col('主题')]).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(byId.get('r-2')![col('主题')]).toBe("'+1 欠薪");
    expect(byId.get('r-2')![col('解答内容')]).toBe(`'-2 仲裁, "引号" 与逗号`);
    expect(byId.get('r-3')![col('结果')]).toBe('排队中放弃');
    expect(byId.get('r-1')![col('处理结果')]).toBe('当场解答');
  });

  it('full numbers: refused to a manager, given to an administrator with a reason, both audited', async () => {
    const refused = await api(h, 'GET', `/api/reports/export/calls.csv?${Q}&unmask=1&reason=${encodeURIComponent('核查回访')}`, 'manager');
    expect(refused.status).toBe(403);
    const noReason = await api(h, 'GET', `/api/reports/export/calls.csv?${Q}&unmask=1`, 'admin');
    expect(noReason.status).toBe(400);
    const { res, buf } = await download(h, `/api/reports/export/calls.csv?${Q}&unmask=1&reason=${encodeURIComponent('核查回访')}`, 'admin');
    expect(res.status).toBe(200);
    expect(buf.toString('utf8')).toContain('13800138001');
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?limit=500', 'admin')).entries;
    const unmasked = log.filter((e) => e.action === 'report.export-unmasked');
    expect(unmasked).toHaveLength(1);
    expect(unmasked[0]).toMatchObject({ username: 'admin', reason: '核查回访', target: `calls:${DAY}..${DAY}` });
    expect(log.filter((e) => e.action === 'report.export' && e.username === 'manager').length).toBeGreaterThanOrEqual(1);
  });

  it('exports the 话单 as XLSX that ExcelJS reads back, with formulas kept as text', async () => {
    const { res, buf } = await download(h, `/api/reports/export/calls.xlsx?${Q}`, 'manager');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('话单')!;
    expect(ws.rowCount).toBe(5);
    const header = (ws.getRow(1).values as string[]).slice(1);
    const topicCol = header.indexOf('主题') + 1;
    const r1 = [2, 3, 4, 5].map((i) => ws.getRow(i)).find((r) => r.getCell(1).value === 'r-1')!;
    expect(r1.getCell(topicCol).type).toBe(ExcelJS.ValueType.String);
    expect(r1.getCell(topicCol).value).toBe('=HYPERLINK("http://x","点我")');
    expect(r1.getCell(header.indexOf('来电号码') + 1).value).toBe('138****8001');
  });

  it('exports an aggregate table and the monthly workbook with a sheet per table', async () => {
    const { buf } = await download(h, `/api/reports/export/seat.csv?${Q}`, 'manager');
    const rows = parseCsv(buf.toString('utf8').slice(1));
    expect(rows[0]![0]).toBe('坐席');
    expect(rows.length).toBe(4); // s01, s02, s09
    const month = await download(h, '/api/reports/export/monthly.xlsx?month=2026-11', 'manager');
    expect(month.res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(month.buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '总览',
      '按时段',
      '按日',
      '按周',
      '按月',
      '按坐席',
      '按类别',
      '处理结果',
      '应答时长分布',
      '质检',
      '满意度与回访',
      '外呼',
      '回访回电完成',
      '口径说明',
    ]);
    expect(wb.getWorksheet('总览')!.getRow(2).getCell(2).value).toBe(5); // offered
    const refused = await api(h, 'GET', '/api/reports/export/monthly.xlsx?month=2026-11&centres=city', 'dc-manager');
    expect(refused.status).toBe(403);
    expect((await api(h, 'GET', `/api/reports/export/nothing.csv?${Q}`, 'manager')).status).toBe(404);
  });

  it('the staffing plan: 336 half hours for managers; only an administrator copies it into the calendar (audited)', async () => {
    const plan = data(await api<StaffingPlanView>(h, 'GET', '/api/reports/staffing?weeks=2&target=0.8', 'manager'));
    expect(plan.slots).toHaveLength(336);
    // No call in the two weeks before this one: an open half hour keeps one seat, a closed one none.
    expect(plan.slots[17]).toMatchObject({ weekday: 1, from: '08:30', planned: 15, required: 1 });
    expect((await api(h, 'GET', '/api/reports/staffing?weeks=0', 'manager')).status).toBe(400);
    // A specialty apart: its categories only; an unknown category is refused.
    const labor = data(await api<StaffingPlanView>(h, 'GET', '/api/reports/staffing?weeks=2&categories=labor', 'manager'));
    expect(labor).toMatchObject({ categories: ['labor'], calls: 0, patienceSeconds: null });
    expect(labor.slots[17]).toMatchObject({ required: 1, requiredA: null });
    expect((await api(h, 'GET', '/api/reports/staffing?weeks=2&categories=nothing', 'manager')).status).toBe(400);
    expect((await api(h, 'GET', '/api/reports/staffing', 'supervisor')).status).toBe(403);
    expect((await api(h, 'POST', '/api/reports/staffing/apply', 'manager', { weeks: 2 })).status).toBe(403);
    const applied = data(await api<{ periods: unknown[] }>(h, 'POST', '/api/reports/staffing/apply', 'admin', { weeks: 2 }));
    expect(applied.periods.length).toBeGreaterThan(0);
    const cfg = data(await api<RoutingConfig>(h, 'GET', '/api/config/routing', 'admin'));
    expect(cfg.serviceCalendar.periods).toEqual(applied.periods);
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?limit=500', 'admin')).entries;
    expect(log.some((e) => e.action === 'routing-config.update' && e.username === 'admin')).toBe(true);
  });

  it('risk words: a summary with 讨薪 is flagged to supervisors in scope; the watch list is configurable and audited', async () => {
    h.srv.app.engine.hangup('r-5', 'caller'); // the waiting caller leaves, so s03 gets the new call
    centreCall(h, 'city', 's03', 'r-6', '13800138006');
    await fileAndFinish(h, 'r-6', 'seat03', 's03', { ...SUMMARY, topic: '集体讨薪', question: '二十名工人被拖欠工资,准备集体讨薪' });
    const hits = data(await api<RiskHitView[]>(h, 'GET', '/api/reports/risk-hits', 'supervisor'));
    expect(hits.find((x) => x.callId === 'r-6')?.words).toEqual(expect.arrayContaining(['集体', '讨薪']));
    expect(data(await api<RiskHitView[]>(h, 'GET', '/api/reports/risk-hits', 'dc-manager')).some((x) => x.callId === 'r-6')).toBe(false);
    expect((await api(h, 'GET', '/api/reports/risk-hits', 'seat01')).status).toBe(403);
    const trends = data(await api<TrendsView>(h, 'GET', `/api/reports/trends?${Q}`, 'manager'));
    expect(trends.summaries).toBe(4);
    expect(trends.riskHits.map((x) => x.callId)).toEqual(['r-6']);
    expect((await api(h, 'PUT', '/api/reports/risk-words', 'supervisor', { words: ['欠薪'] })).status).toBe(403);
    expect((await api(h, 'PUT', '/api/reports/risk-words', 'manager', { words: [] })).status).toBe(400);
    expect(data(await api<string[]>(h, 'PUT', '/api/reports/risk-words', 'manager', { words: ['欠薪', '仲裁'] }))).toEqual([
      '欠薪',
      '仲裁',
    ]);
    expect(data(await api<RiskHitView[]>(h, 'GET', '/api/reports/risk-hits', 'supervisor')).map((x) => x.callId)).toEqual([
      'r-6',
      'r-4',
      'r-2',
      'r-1',
    ]); // every summary mentions 欠薪
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?limit=500', 'admin')).entries;
    expect(log.some((e) => e.action === 'report.risk-words' && e.username === 'manager')).toBe(true);
  });
});
