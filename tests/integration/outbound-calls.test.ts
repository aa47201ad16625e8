/**
 * Outbound call records (外呼话单) through the API of a real router: the report's 外呼 figures beside
 * unchanged inbound figures, the history in the user's centres, a seat's own day, and the export's
 * number masking rules. The rows are written as Kamailio's reports leave them (visit_dials); the
 * telephony path itself is tests/e2e/visit-dial.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, OutboundCallListResponse, OutboundCallView, ReportView } from '../../server/src/contract/index.js';
import { parseCsv } from '../support/csv.js';
import { login } from '../support/server.js';
import { MIN, answeredCall, api, data, harness, type Harness } from './support-summaries.js';

const DAY = '2026-11-23';
const Q = `from=${DAY}&to=${DAY}`;

/** A 回访 task and one dial of it, as the dial service stores them. */
function outboundCall(
  h: Harness,
  o: {
    caller: string;
    centre: string;
    seat: string;
    at: number;
    answerAfterMs: number | null;
    endAfterMs: number;
    result: string;
    code: number;
  },
): void {
  const db = h.srv.db;
  const task = db
    .prepare(
      `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, assignee_seat_id,
         created_at, due_at, next_attempt_at, updated_at) VALUES ('callback', ?, NULL, ?, 'labor', ?, NULL, ?, ?, ?, ?, ?)`,
    )
    .run(`it-${o.caller}`, o.caller, o.centre, o.seat, o.at, o.at + 3600_000, o.at, o.at);
  const answered = o.answerAfterMs === null ? null : o.at + o.answerAfterMs;
  db.prepare(
    `INSERT INTO visit_dials (token, task_id, user_id, seat_id, call_id, created_at, started_at, answered_at, ended_at, result,
       sip_code, talk_ms, hung_up_by) VALUES (?, ?, 4, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    `tok-${o.caller}`,
    Number(task.lastInsertRowid),
    o.seat,
    `cid-${o.caller}`,
    o.at - 100,
    o.at,
    answered,
    o.at + o.endAfterMs,
    o.result,
    o.code,
    answered === null ? 0 : o.at + o.endAfterMs - answered,
    answered === null ? null : 'callee',
  );
}

describe('outbound call records through the API', () => {
  const h = harness();
  let inboundBefore: ReportView['total'];

  beforeAll(async () => {
    for (const u of ['manager', 'admin', 'supervisor-dc']) h.cookies[u] = await login(h.srv.url, u);
    answeredCall(h, 's01', 'in-1', '13800138001');
    answeredCall(h, 's02', 'in-2', '13800138002');
    h.clock.advance(MIN);
    inboundBefore = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager')).total;
    const at = h.clock.now() - 30_000;
    outboundCall(h, {
      caller: '13900001111',
      centre: 'city',
      seat: 's04',
      at,
      answerAfterMs: 5000,
      endAfterMs: 65_000,
      result: 'answered',
      code: 200,
    });
    outboundCall(h, {
      caller: '13900003333',
      centre: 'city',
      seat: 's04',
      at: at + 1,
      answerAfterMs: null,
      endAfterMs: 30_000,
      result: 'no-answer',
      code: 408,
    });
    outboundCall(h, {
      caller: '13900009999',
      centre: 'dongcheng',
      seat: 's09',
      at: at + 2,
      answerAfterMs: null,
      endAfterMs: 500,
      result: 'failed',
      code: 503,
    });
  });

  it('the report counts 外呼 by seat, and its inbound figures are the same as before the outbound calls', async () => {
    const r = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}`, 'manager'));
    expect(r.total).toEqual(inboundBefore);
    expect(r.outbound.total).toMatchObject({ placed: 3, answered: 1, noAnswer: 1, failed: 1, answerRate: 1 / 3, talkSeconds: 60 });
    expect(r.outbound.bySeat.map((s) => [s.key, s.figures.placed, s.figures.answered])).toEqual([
      ['s04', 2, 1],
      ['s09', 1, 0],
    ]);
    expect(r.satisfaction.outbound).toEqual({ placed: 3, answered: 1, talkSeconds: 60 });
    // A report of one centre: the dongcheng call only; of one seat: that seat's.
    const dc = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}&centres=dongcheng`, 'manager'));
    expect(dc.outbound.total).toMatchObject({ placed: 1, failed: 1 });
    const s04 = data(await api<ReportView>(h, 'GET', `/api/reports/figures?${Q}&seats=s04`, 'manager'));
    expect(s04.outbound.total).toMatchObject({ placed: 2, answered: 1 });
  });

  it('the history shows the calls of the user’s centres; another centre’s call, an unknown id and a bad date are refused', async () => {
    const all = data(await api<OutboundCallListResponse>(h, 'GET', `/api/outbound-calls?${Q}`, 'manager')).records;
    expect(all.map((r) => r.calleeMasked)).toEqual(['139****9999', '139****3333', '139****1111']);
    expect(JSON.stringify(all)).not.toMatch(/13900001111|13900003333|13900009999/);
    const dc = data(await api<OutboundCallListResponse>(h, 'GET', `/api/outbound-calls?${Q}`, 'supervisor-dc')).records;
    expect(dc.map((r) => r.calleeMasked)).toEqual(['139****9999']);
    const city = all.find((r) => r.calleeMasked === '139****1111')!;
    expect(data(await api<OutboundCallView>(h, 'GET', `/api/outbound-calls/${city.id}`, 'manager'))).toMatchObject({
      result: 'answered',
      ringMs: 5000,
      talkMs: 60_000,
      hungUpBy: 'callee',
    });
    expect((await api(h, 'GET', `/api/outbound-calls/${city.id}`, 'supervisor-dc')).status).toBe(404);
    expect((await api(h, 'GET', '/api/outbound-calls/abc', 'manager')).status).toBe(404);
    const bad = await api(h, 'GET', '/api/outbound-calls?from=2026-02-30&to=2026-03-01', 'manager');
    expect(bad.status).toBe(400);
    expect((await api(h, 'GET', `/api/outbound-calls?from=${DAY}`, 'manager')).status).toBe(400);
    expect((await api(h, 'GET', `/api/outbound-calls?${Q}`, 'seat04')).status).toBe(403);
    const newest = data(await api<OutboundCallListResponse>(h, 'GET', `/api/outbound-calls?${Q}&limit=1`, 'manager')).records;
    expect(newest.map((r) => r.calleeMasked)).toEqual(['139****9999']);
    expect((await api(h, 'GET', `/api/outbound-calls?${Q}&limit=1001`, 'manager')).status).toBe(400);
  });

  it('a seat sees its own outbound calls of a day, not another seat’s', async () => {
    const mine = data(await api<{ day: string; records: OutboundCallView[] }>(h, 'GET', `/api/my/outbound-calls?day=${DAY}`, 'seat04'));
    expect(mine.records.map((r) => [r.calleeMasked, r.result])).toEqual([
      ['139****1111', 'answered'],
      ['139****3333', 'no-answer'],
    ]);
    expect(data(await api<{ records: OutboundCallView[] }>(h, 'GET', `/api/my/outbound-calls?day=${DAY}`, 'seat05')).records).toEqual([]);
    expect((await api(h, 'GET', '/api/my/outbound-calls?day=23-11-2026', 'seat04')).status).toBe(400);
    expect((await api(h, 'GET', `/api/my/outbound-calls?day=${DAY}`, 'manager')).status).toBe(403);
  });

  it('the 外呼话单 export masks numbers; full numbers only for an administrator with a reason, audited', async () => {
    const get = (user: string, p: string) => fetch(`${h.srv.url}${p}`, { headers: { cookie: h.cookies[user]! } });
    const masked = await get('manager', `/api/reports/export/outbound-calls.csv?${Q}`);
    expect(masked.status).toBe(200);
    const rows = parseCsv((await masked.text()).replace(/^\uFEFF/, ''));
    const callee = rows[0]!.indexOf('被叫号码');
    expect(rows.slice(1).map((r) => r[callee])).toEqual(['139****1111', '139****3333', '139****9999']);
    expect((await get('manager', `/api/reports/export/outbound-calls.csv?${Q}&unmask=1&reason=${encodeURIComponent('核查')}`)).status).toBe(
      403,
    );
    expect((await get('admin', `/api/reports/export/outbound-calls.csv?${Q}&unmask=1`)).status).toBe(400);
    expect((await get('manager', `/api/reports/export/outbound-calls.pdf?${Q}`)).status).toBe(404);
    const full = await get('admin', `/api/reports/export/outbound-calls.csv?${Q}&unmask=1&reason=${encodeURIComponent('核查回访')}`);
    expect(full.status).toBe(200);
    expect(await full.text()).toContain('13900001111');
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?limit=500', 'admin')).entries;
    expect(log.filter((e) => e.action === 'report.export-unmasked' && e.target === `outbound-calls:${DAY}..${DAY}`)).toHaveLength(1);
  });
});
