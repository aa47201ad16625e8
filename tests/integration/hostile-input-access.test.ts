/**
 * An attacker's and a careless user's findings on the API (issue 11 item 8, issue 17 item 3),
 * each a request that was accepted before its fix:
 * - free text that reaches the audit log or another user's screen (the reason for reading a 保密
 *   summary, downloading a recording or exporting full numbers; a 回访 outcome's comment and
 *   follow-up note) kept control characters and bidi overrides, and counted UTF-16 units;
 * - a seat's name (on every supervisor's wall) took the same characters;
 * - a 回访 task assigned to a seat that does not exist left every worklist;
 * - a signed-in session could guess its account's current password through 修改密码 without any
 *   brake or audit entry (then change it and keep the account).
 * - a seat could be saved under the id __proto__ or constructor;
 * - a staff number another seat holds answered 500; zod's own sentences were English;
 * - a signed 12345 ticket's title and content kept them too (now removed, the ticket kept).
 * Each refusal is a 4xx with a zh-CN sentence and changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView, SeatView, VisitTaskView } from '../../server/src/contract/index.js';
import { DEMO_PASSWORD } from '../../server/src/seed/demo.js';
import { sendWebhook } from '../sim-12345/http-api.js';
import { login, startTestServer, type TestServer } from '../support/server.js';
import { SUMMARY, api, answeredCall, data, error, fileAndFinish, harness } from './support-summaries.js';

const RLO = '\u202E';

describe('hostile free text and unknown references', () => {
  const h = harness();
  let taskId = 0;
  const task = () =>
    h.srv.db.prepare('SELECT assignee_seat_id AS assignee, attempts, status FROM visit_tasks WHERE id = ?').get(taskId) as {
      assignee: string | null;
      attempts: number;
      status: string;
    };
  const auditRows = (action: string) =>
    (h.srv.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

  beforeAll(async () => {
    for (const u of ['admin', 'manager']) h.cookies[u] = await login(h.srv.url, u);
    answeredCall(h, 's01', 'hx-1', '13900000001');
    await fileAndFinish(h, 'hx-1', 'seat01', 's01', { ...SUMMARY, confidential: true });
    const now = h.clock.now();
    taskId = Number(
      h.srv.db
        .prepare(
          `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, note, updated_at)
           VALUES ('sample', 'hx', 'hx-1', '13700000000', 'labor', 'city', 's01', ?, ?, ?, NULL, ?)`,
        )
        .run(now, now, now, now).lastInsertRowid,
    );
  });

  it('a 保密 summary read with a reason holding a bidi override or NUL is refused (400) and not audited', async () => {
    const before = auditRows('summary.confidential-read');
    for (const reason of [`${RLO}查看原因abc`, '核对诉求\u0000', '核对\u001b[2J诉求']) {
      const r = await api(h, 'GET', `/api/calls/hx-1/summary?reason=${encodeURIComponent(reason)}`, 'supervisor');
      expect(r.status, reason).toBe(400);
      expect(error(r).message).toMatch(/查看理由含有不允许的控制字符或文字方向控制符/);
    }
    // two parameters are not a reason either
    expect((await api(h, 'GET', '/api/calls/hx-1/summary?reason=aaaa&reason=bbbb', 'supervisor')).status).toBe(400);
    expect(auditRows('summary.confidential-read')).toBe(before);
  });

  it('the 保密 reason counts characters: two astral characters are not four', async () => {
    const r = await api(h, 'GET', `/api/calls/hx-1/summary?reason=${encodeURIComponent('𠀀𠀀')}`, 'supervisor');
    expect(r.status).toBe(403);
    expect(error(r).message).toMatch(/至少 4 个字/);
    const okRead = await api(h, 'GET', `/api/calls/hx-1/summary?reason=${encodeURIComponent('核对来电诉求')}`, 'supervisor');
    expect(okRead.status).toBe(200);
    const entries = data(
      await api<{ entries: AuditEntryView[] }>(h, 'GET', '/api/audit?action=summary.confidential-read', 'admin'),
    ).entries;
    expect(entries.map((e) => e.reason)).toEqual(['核对来电诉求']);
  });

  it('a recording download and a full-number export with such a reason are refused (400)', async () => {
    const rec = await api(h, 'GET', `/api/calls/hx-1/recording/audio?download=1&reason=${encodeURIComponent(`${RLO}复核`)}`, 'supervisor');
    expect(rec.status).toBe(400);
    expect(error(rec).message).toMatch(/下载原因含有不允许的控制字符/);
    const before = auditRows('report.export-unmasked');
    const res = await fetch(
      `${h.srv.url}/api/reports/export/calls.csv?from=2026-11-01&to=2026-11-30&unmask=1&reason=${encodeURIComponent('核对\u0000')}`,
      { headers: { cookie: h.cookies.admin! } },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/原因含有不允许的控制字符/);
    expect(auditRows('report.export-unmasked')).toBe(before);
  });

  it('a 回访 outcome whose comment or follow-up note holds a bidi override or ESC is refused and the task is unchanged', async () => {
    const bad = [
      { outcome: 'reached', score: 4, comment: `${RLO}满意` },
      { outcome: 'reached', score: 4, comment: 'ok', followUp: { note: '\u001b[31m再联系', dueAt: h.clock.now() + 3_600_000 } },
      { outcome: 'reached', score: 4, followUp: { note: '再联系\n明天', dueAt: h.clock.now() + 3_600_000 } },
    ];
    for (const body of bad) {
      const r = await api(h, 'POST', `/api/visits/${taskId}/outcome`, 'supervisor', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(error(r).message).toMatch(/(评价内容|跟进事项)含有不允许的控制字符/);
    }
    expect(task()).toMatchObject({ attempts: 0, status: 'open' });
  });

  it('a seat profile renamed with a bidi override is refused (400) and keeps its name; a clean rename is trimmed', async () => {
    const seat = data(await api<SeatView[]>(h, 'GET', '/api/seats', 'admin')).find((s) => s.id === 's05')!;
    const body = { name: seat.name, staffNo: seat.staffNo, centreId: seat.centreId, skills: seat.skills, languages: seat.languages };
    const r = await api(h, 'PUT', '/api/seats/s05', 'admin', { ...body, name: `${RLO}律师甲` });
    expect(r.status).toBe(400);
    expect(error(r).message).toMatch(/姓名含有不允许的控制字符或文字方向控制符\(U\+202E\)/);
    expect(h.srv.app.engine.getSeat('s05').profile.name).toBe(seat.name);
    const renamed = await api<SeatView>(h, 'PUT', '/api/seats/s05', 'admin', { ...body, name: ' 律师甲 ' });
    expect(data(renamed).name).toBe('律师甲');
  });

  it('a seat profile given a staff number another seat holds is refused (400, naming the holder), not a 500', async () => {
    const seat = data(await api<SeatView[]>(h, 'GET', '/api/seats', 'admin')).find((s) => s.id === 's06')!;
    const body = { name: seat.name, staffNo: 'C001', centreId: seat.centreId, skills: seat.skills, languages: seat.languages };
    const r = await api(h, 'PUT', '/api/seats/s06', 'admin', body);
    expect(r.status).toBe(400);
    expect(error(r).message).toMatch(/工号 C001 已由坐席 王建国\(s01\)使用/);
    expect(h.srv.app.engine.getSeat('s06').profile.staffNo).toBe(seat.staffNo);
    expect((await api(h, 'PUT', '/api/seats/s06', 'admin', { ...body, staffNo: seat.staffNo })).status).toBe(200);
  });

  it('a seat profile saved under __proto__ or constructor is refused (400) and no such seat appears', async () => {
    const body = { name: '测试', staffNo: 'X-PROTO', centreId: 'city', skills: { general: 3 }, languages: ['zh'] };
    for (const id of ['__proto__', 'constructor', 'toString']) {
      const r = await api(h, 'PUT', `/api/seats/${id}`, 'admin', body);
      expect(r.status, id).toBe(400);
      expect(error(r).message).toMatch(/坐席编号不能使用保留字/);
    }
    expect(h.srv.db.prepare("SELECT COUNT(*) AS n FROM seats WHERE staff_no = 'X-PROTO'").get()).toEqual({ n: 0 });
  });

  it("zod's own refusals (an unknown key, a wrong type) are zh-CN sentences too", async () => {
    const r = await api(h, 'PUT', '/api/qc/config', 'admin', { form: [] });
    expect(r.status).toBe(400);
    expect(error(r).message).toMatch(/未知的键/);
    expect(error(r).message).not.toMatch(/Invalid input|Unrecognized key|expected/);
  });

  it('clearing the sign-in locks of a username holding a bidi override is refused (400) and not audited', async () => {
    const before = auditRows('user.unlock');
    const r = await api(h, 'DELETE', `/api/admin/login-locks?username=${encodeURIComponent(`${RLO}nimda`)}`, 'admin');
    expect(r.status).toBe(400);
    expect(error(r).message).toMatch(/用户名含有不允许的字符/);
    expect(auditRows('user.unlock')).toBe(before);
  });

  it('an outbound call record asked for by something that is not a number: 404 naming it, never "NaN"', async () => {
    const r = await api(h, 'GET', '/api/outbound-calls/abc', 'supervisor');
    expect(r.status).toBe(404);
    expect(error(r).message).toBe('没有找到编号为 abc 的外呼记录,或您无权查看');
  });

  it('a 回访 task assigned to a seat that does not exist is refused (404) and keeps its assignee', async () => {
    const r = await api(h, 'PUT', `/api/visits/${taskId}/assignee`, 'supervisor', { seatId: 'no-such-seat' });
    expect(r.status).toBe(404);
    expect(error(r).message).toBe('没有编号为 no-such-seat 的坐席,回访任务未分派');
    expect(task().assignee).toBeNull();
    // a seat is still told it may not assign at all
    expect((await api(h, 'PUT', `/api/visits/${taskId}/assignee`, 'seat02', { seatId: 'no-such-seat' })).status).toBe(403);
    // a real seat still works, and the seat then sees the task
    expect(data(await api<VisitTaskView>(h, 'PUT', `/api/visits/${taskId}/assignee`, 'supervisor', { seatId: 's02' })).assigneeSeatId).toBe(
      's02',
    );
    const mine = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits', 'seat02'));
    expect(mine.map((t) => t.id)).toContain(taskId);
  });
});

describe('guessing the current password through 修改密码', () => {
  const h = harness();
  const change = (currentPassword: string) =>
    api(h, 'POST', '/api/my/password', 'seat03', { currentPassword, newPassword: 'Hotline#2026x' });
  const failures = (reason: string) =>
    (
      h.srv.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.password-change-failed' AND reason = ?").get(reason) as {
        n: number;
      }
    ).n;

  it('is braked like sign-in (counted before the hash, parallel guesses included) and audited', async () => {
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => change(`wrong-guess-${i}`)));
    const statuses = guesses.map((r) => r.status).sort();
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    for (const r of guesses) expect(error(r).message).toMatch(r.status === 400 ? /当前密码不正确/ : /次数过多,请 \d+ 分钟后再试/);
    expect(failures('bad-current-password')).toBe(5);
    expect(failures('locked')).toBe(3);
    // the right password is held too while the lock runs: the password is unchanged
    expect((await change(DEMO_PASSWORD)).status).toBe(429);
    expect(failures('locked')).toBe(4);
    expect(await login(h.srv.url, 'seat03', DEMO_PASSWORD).catch((e: Error) => e.message)).toMatch(/login seat03 failed: 429/);
    // after the wait the owner changes it
    h.clock.advance(61_000);
    expect((await change(DEMO_PASSWORD)).status).toBe(200);
    expect(failures('bad-current-password')).toBe(5);
  });
});

describe('text another system sends: control and bidi characters removed, the delivery kept', () => {
  const KEY = { id: 'k1', secret: 'hostile-input-test-shared-secret' };
  let srv: TestServer;
  beforeAll(async () => {
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-keys-')), '12345-keys');
    fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
    srv = await startTestServer({ env: { H12345_KEY_FILE: keyFile } });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('a 12345 ticket whose title and content hold U+202E, NUL and CRLF is stored without them (newlines kept)', async () => {
    const sent = await sendWebhook(
      `${srv.url}/api/12345/webhook`,
      {
        deliveryId: 'hx-d1',
        event: 'ticket.transferred',
        ticket: {
          id: 'GD-HX-1',
          category: '劳动\u202e保障',
          title: `${RLO}资工欠拖`,
          content: '第一行\u0000\r\n第二行\u001b[2J',
          citizenPhone: null,
        },
      },
      KEY,
    );
    expect(sent.status).toBe(200);
    const admin = await login(srv.url, 'admin');
    const res = await fetch(`${srv.url}/api/handover/tickets/GD-HX-1`, { headers: { cookie: admin } });
    const body = (await res.json()) as { ok: boolean; data: { category: string; title: string; content: string } };
    expect(body.data).toMatchObject({ category: '劳动保障', title: '资工欠拖', content: '第一行\n第二行[2J' });
  });
});
