/**
 * 回访 click-to-call, end to end: the built console in headless Chromium as the seat (JsSIP over
 * Kamailio's WebSocket), the real Kamailio and rtpengine, SIPp as the citizen's phone behind the
 * outbound trunk. The seat dials from the 回访 page; the call reaches SIPp with the real number and
 * the hotline's number as the caller while the browser only ever sees a one-time token; busy and
 * no answer are recorded as attempts; a token dialled by another seat, and a task of another seat,
 * are refused; a caller the queue kept for a call-back is dialled from the worklist. Every dial the
 * line carried is an outbound call record (话单) with its outcome: in the seat's 我的外呼, the staff's
 * history, the report's 外呼 table and the exports, and never in the inbound figures.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type {
  CallListResponse,
  OutboundCallListResponse,
  OutboundCallView,
  ReportView,
  VisitTaskView,
} from '../../server/src/contract/index.js';
import { parseCsv } from '../support/csv.js';
import { launchChromium } from '../support/browser.js';
import { profile, registration, signInSeat } from '../support/console-page.js';
import { freePort } from '../support/processes.js';
import { login } from '../support/server.js';
import { freeMediaPort, sipCredentials, sippCounts, startSipStack, SIPP_DIR, type SipStack } from '../support/sip-stack.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 30_000, interval: 100 };
const NUMBERS = { answer: '13800001111', busy: '13800002222', noAnswer: '13800003333', other: '13800004444' };

let stack: SipStack;
let browser: Browser;
let trunkPort: number;
const taskIds: Record<keyof typeof NUMBERS, number> = { answer: 0, busy: 0, noAnswer: 0, other: 0 };

/** 回访 tasks written as their sources would (a callback request each), assigned to a seat. */
function insertTask(caller: string, assignee: string): number {
  const db = new Database(stack.env.DB_PATH);
  try {
    const now = Date.now();
    const r = db
      .prepare(
        `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, assignee_seat_id,
           created_at, due_at, next_attempt_at, updated_at) VALUES ('dissatisfied', ?, NULL, ?, 'labor', 'city', 's04', ?, ?, ?, ?, ?)`,
      )
      .run(`e2e-${caller}`, caller, assignee, now, now + 3600_000, now, now);
    return Number(r.lastInsertRowid);
  } finally {
    db.close();
  }
}

function dials(taskId: number): { result: string | null; sip_code: number | null; talk_ms: number | null; call_id: string | null }[] {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return db
      .prepare('SELECT result, sip_code, talk_ms, call_id FROM visit_dials WHERE task_id = ? ORDER BY created_at')
      .all(taskId) as never;
  } finally {
    db.close();
  }
}

async function api<T>(cookie: string, method: string, p: string, body?: unknown): Promise<{ status: number; data: T; message?: string }> {
  const res = await fetch(`${stack.routerUrl}/api${p}`, {
    method,
    headers: { cookie, 'content-type': 'application/json', origin: stack.routerUrl },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { data: T; error?: { message: string } };
  return { status: res.status, data: json.data, message: json.error?.message };
}

/** The citizen's phone behind the trunk: one call of the scenario; -trace_msg keeps what it got. */
async function callee(scenario: string): Promise<{ done: ReturnType<SipStack['sipp']>; messages: string }> {
  const messages = path.join(stack.dir, `callee-${Date.now()}.log`);
  const done = stack.sipp(
    [
      '-sf',
      path.join(SIPP_DIR, scenario),
      '-i',
      '127.0.0.1',
      '-p',
      String(trunkPort),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(await freeMediaPort('127.0.0.1')),
      '-m',
      '1',
      '-trace_msg',
      '-message_file',
      messages,
    ],
    { timeoutMs: 90_000 },
  );
  return { done, messages };
}

/** Everything the page received: API bodies and WebSocket frames (Socket.IO and SIP). */
function recordTraffic(page: Page): string[] {
  const seen: string[] = [];
  page.on(
    'response',
    (r) =>
      void r.text().then(
        (t) => seen.push(t),
        () => undefined,
      ),
  );
  page.on('websocket', (ws) => ws.on('framereceived', (f) => seen.push(String(f.payload))));
  return seen;
}

async function openVisits(ctx: BrowserContext): Promise<{ page: Page; seen: string[] }> {
  // Listening from the page's creation: the softphone's WebSocket opens at sign-in.
  let seen: string[] = [];
  ctx.once('page', (p) => (seen = recordTraffic(p)));
  const page = await signInSeat(ctx, stack.routerUrl, 'seat04');
  await expect.poll(() => registration(page), POLL).toBe('registered');
  await page.getByRole('navigation', { name: '页面' }).getByRole('button', { name: '回访' }).click();
  await page.getByRole('region', { name: '回访任务' }).waitFor();
  return { page, seen };
}

const row = (page: Page, masked: string) => page.getByRole('row').filter({ hasText: masked });

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  trunkPort = await freePort();
  [stack, browser] = await Promise.all([
    startSipStack({
      // A caller nobody answers within 3 s is kept for a call-back (a callback request).
      routing: (cfg) => ({
        ...cfg,
        defaultPolicy: {
          ...cfg.defaultPolicy,
          maxWaitS: 3,
          overflow: { ...cfg.defaultPolicy.overflow, 'max-wait': ['callback'], 'no-seat': ['callback'] },
        },
      }),
      env: {
        CALLBACK_PROMPT_FILE: 'none',
        CLIENT_DIST: DIST,
        OUTBOUND_TRUNK_ADDR: `127.0.0.1:${trunkPort}`,
        OUTBOUND_CALLER_ID: '12348',
        OUTBOUND_RING_S: '5',
        VISIT_SAMPLE_PERCENT: '0',
      },
    }),
    launchChromium(),
  ]);
  taskIds.answer = insertTask(NUMBERS.answer, 's04');
  taskIds.busy = insertTask(NUMBERS.busy, 's04');
  taskIds.noAnswer = insertTask(NUMBERS.noAnswer, 's04');
  taskIds.other = insertTask(NUMBERS.other, 's05');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('回访 click-to-call', () => {
  it('when the seat clicks 拨打, the citizen is called with the real number and 12348 as caller, the browser never sees the number, and the answered call is recorded and closed', async () => {
    const ctx = await profile(browser);
    try {
      const { page, seen } = await openVisits(ctx);
      const phone = await callee('callee-answer.xml');
      await row(page, '138****1111').getByRole('button', { name: '拨打' }).click();
      await page.getByRole('status').filter({ hasText: '已接通 138****1111' }).waitFor({ timeout: 30_000 });

      // What reached the citizen's side: the number in the R-URI, the hotline as From and PAI.
      const got = fs.readFileSync(phone.messages, 'utf8');
      const invite = got.slice(got.indexOf('INVITE sip:'));
      expect(invite).toMatch(new RegExp(`^INVITE sip:${NUMBERS.answer}@127\\.0\\.0\\.1:${trunkPort} SIP/2\\.0`));
      expect(invite).toMatch(/^From: "12348" <sip:12348@[^>]+>;tag=/m);
      expect(invite).toMatch(/^P-Asserted-Identity: <sip:12348@/m);
      expect(invite).not.toMatch(/^From:.*s04/m);

      // While the call is up: one call per citizen. Dialling the task again (another tab) and
      // giving it to another seat (who could then dial it, and the dialling seat could no longer
      // record the outcome) are refused.
      const again = await api(await login(stack.routerUrl, 'seat04'), 'POST', `/visits/${taskIds.answer}/dial`);
      expect([again.status, again.message]).toEqual([409, expect.stringMatching(/正在外呼中/)]);
      const reassign = await api(await login(stack.routerUrl, 'supervisor'), 'PUT', `/visits/${taskIds.answer}/assignee`, {
        seatId: 's05',
      });
      expect([reassign.status, reassign.message]).toEqual([409, '该回访任务正在外呼中,通话结束后再改派']);

      await row(page, '138****1111').getByRole('button', { name: '挂断' }).click();
      const r = await phone.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => dials(taskIds.answer)[0]?.result, POLL).toBe('answered');
      expect(dials(taskIds.answer)[0]!.talk_ms).toBeGreaterThan(0);

      // The seat records the outcome (the form opened with the dial): the task closes with it.
      const form = page.getByLabel('记录回访结果');
      await form.getByLabel('回访结果').selectOption({ label: '已接通' });
      await form.getByLabel('来电人评价').selectOption('2');
      await form.getByLabel('意见').fill('回访已解释处理结果');
      await form.getByRole('button', { name: '保存结果' }).click();
      await page.getByRole('status').filter({ hasText: '任务已关闭' }).waitFor();
      const cookie = await login(stack.routerUrl, 'supervisor');
      const closed = await api<VisitTaskView[]>(cookie, 'GET', '/visits?status=closed');
      expect(closed.data.find((t) => t.id === taskIds.answer)).toMatchObject({ status: 'closed', outcome: 'reached', attempts: 1 });

      // Nothing the browser received, nor the page itself, holds the number.
      expect(seen.some((t) => t.includes('visit-') && t.includes('SIP/2.0 200 OK'))).toBe(true); // the SIP frames were seen
      expect(seen.filter((t) => t.includes(NUMBERS.answer))).toEqual([]);
      expect(await page.content()).not.toContain(NUMBERS.answer);
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('when the citizen is busy, and when nobody answers, the page says so and the attempt is counted with the task kept open', async () => {
    const ctx = await profile(browser);
    try {
      const { page } = await openVisits(ctx);
      const busy = await callee('callee-busy.xml');
      await row(page, '138****2222').getByRole('button', { name: '拨打' }).click();
      await page.getByRole('status').filter({ hasText: '外呼:未接通(486' }).waitFor({ timeout: 30_000 });
      expect(sippCounts(await busy.done)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => dials(taskIds.busy)[0]?.result, POLL).toBe('busy');

      const silent = await callee('callee-noanswer.xml');
      await row(page, '138****3333').getByRole('button', { name: '拨打' }).click();
      await page.getByRole('status').filter({ hasText: '外呼:未接通' }).filter({ hasNotText: '486' }).waitFor({ timeout: 30_000 });
      expect(sippCounts(await silent.done)).toEqual({ ok: 1, failed: 0 });
      await expect.poll(() => dials(taskIds.noAnswer)[0]?.result, POLL).toBe('no-answer');
      expect(dials(taskIds.noAnswer)[0]!.sip_code).toBe(408);

      const cookie = await login(stack.routerUrl, 'seat04');
      const open = await api<VisitTaskView[]>(cookie, 'GET', '/visits?status=open');
      expect(open.data.find((t) => t.id === taskIds.busy)).toMatchObject({ status: 'open', attempts: 1 });
      expect(open.data.find((t) => t.id === taskIds.noAnswer)).toMatchObject({ status: 'open', attempts: 1 });
      // A retry is spaced: dialling again at once is refused.
      const again = await api(cookie, 'POST', `/visits/${taskIds.busy}/dial`);
      expect(again.status).toBe(409);
      expect(again.message).toMatch(/间隔不足/);
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('the answered, busy and unanswered dials are outbound call records in the seat’s day, the history, the report and the exports; the inbound figures stay empty', async () => {
    const seat = await login(stack.routerUrl, 'seat04');
    const mine = await api<{ day: string; records: OutboundCallView[] }>(seat, 'GET', '/my/outbound-calls');
    expect(mine.status).toBe(200);
    const day = mine.data.day;
    const of = (rs: OutboundCallView[], id: number) => rs.find((r) => r.taskId === id)!;
    const answered = of(mine.data.records, taskIds.answer);
    expect(answered).toMatchObject({
      direction: 'outbound',
      purpose: 'visit',
      seatId: 's04',
      calleeMasked: '138****1111',
      result: 'answered',
      sipCode: 200,
      hungUpBy: 'seat',
    });
    expect(answered.answeredAt).toBeGreaterThanOrEqual(answered.startedAt);
    expect(answered.endedAt).toBeGreaterThan(answered.answeredAt!);
    expect(answered.talkMs).toBe(answered.endedAt! - answered.answeredAt!);
    expect(answered.talkMs).toBeGreaterThan(0);
    expect(of(mine.data.records, taskIds.noAnswer)).toMatchObject({
      calleeMasked: '138****3333',
      result: 'no-answer',
      sipCode: 408,
      answeredAt: null,
      talkMs: 0,
    });
    expect(of(mine.data.records, taskIds.noAnswer).ringMs).toBeGreaterThan(0);
    expect(of(mine.data.records, taskIds.busy)).toMatchObject({ calleeMasked: '138****2222', result: 'busy', sipCode: 486, talkMs: 0 });
    expect(JSON.stringify(mine.data)).not.toMatch(/13800001111|13800002222|13800003333/);

    // The staff's history and one call's detail; a seat has no staff history.
    const mgr = await login(stack.routerUrl, 'manager');
    const list = await api<OutboundCallListResponse>(mgr, 'GET', `/outbound-calls?from=${day}&to=${day}`);
    expect(list.data.records.map((r) => r.result).sort()).toEqual(['answered', 'busy', 'no-answer']);
    expect((await api<OutboundCallView>(mgr, 'GET', `/outbound-calls/${answered.id}`)).data).toEqual(answered);
    expect((await api(seat, 'GET', `/outbound-calls?from=${day}&to=${day}`)).status).toBe(403);

    // The report: 外呼 by seat with the same talk time; no inbound call yet, so the inbound figures are empty.
    const report = (await api<ReportView>(mgr, 'GET', `/reports/figures?from=${day}&to=${day}`)).data;
    expect(report.outbound.total).toMatchObject({
      placed: 3,
      answered: 1,
      noAnswer: 1,
      busy: 1,
      failed: 0,
      inProgress: 0,
      answerRate: 1 / 3,
    });
    expect(report.outbound.total.talkSeconds).toBe(Math.round(answered.talkMs! / 1000));
    expect(report.outbound.bySeat).toEqual([expect.objectContaining({ key: 's04', figures: report.outbound.total })]);
    expect(report.total).toMatchObject({ entered: 0, offered: 0, answered: 0, answerRate: null, serviceLevel: null, asaSeconds: null });
    expect(report.bySeat.every((s) => s.figures.answered === 0)).toBe(true);
    expect((await api<CallListResponse>(mgr, 'GET', `/calls?from=0&to=${Date.now() + 1}`)).data.records).toEqual([]);

    // The exports: the 外呼话单 CSV, the 话单 workbook's 外呼话单 sheet (its 话单 sheet stays inbound), the 外呼 table.
    const download = async (p: string) => {
      const res = await fetch(`${stack.routerUrl}/api${p}`, { headers: { cookie: mgr, origin: stack.routerUrl } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const csv = parseCsv((await download(`/reports/export/outbound-calls.csv?from=${day}&to=${day}`)).toString('utf8').slice(1));
    const col = (name: string) => csv[0]!.indexOf(name);
    const results = Object.fromEntries(csv.slice(1).map((r) => [r[col('被叫号码')], r[col('结果')]]));
    expect(results).toEqual({ '138****1111': '已接通', '138****2222': '占线', '138****3333': '无人接听' });
    expect(csv.slice(1).every((r) => r[col('方向')] === '外呼' && r[col('外呼坐席')]!.length > 0)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(`/reports/export/calls.xlsx?from=${day}&to=${day}`)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('话单')!.rowCount).toBe(1);
    expect(wb.getWorksheet('外呼话单')!.rowCount).toBe(4);
    const table = parseCsv((await download(`/reports/export/outbound.csv?from=${day}&to=${day}`)).toString('utf8').slice(1));
    expect(table[1]!.slice(0, 7)).toEqual(['合计', '3', '1', '1', '1', '0', '0']);

    // The seat's 我的来电 page lists its outbound calls of the day.
    const ctx = await profile(browser);
    try {
      const page = await signInSeat(ctx, stack.routerUrl, 'seat04');
      await page.getByRole('navigation', { name: '页面' }).getByRole('button', { name: '我的来电' }).click();
      const region = page.getByRole('region', { name: '我的外呼' });
      await region.getByRole('row').filter({ hasText: '138****1111' }).filter({ hasText: '已接通' }).waitFor();
      await region.getByRole('row').filter({ hasText: '138****3333' }).filter({ hasText: '无人接听' }).waitFor();
      await region.getByRole('row').filter({ hasText: '138****2222' }).filter({ hasText: '占线' }).waitFor();
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it("when a seat dials another seat's token, Kamailio refuses it (403), and a seat asking to dial another seat's task is refused", async () => {
    const s04 = await login(stack.routerUrl, 'seat04');
    const s05 = await login(stack.routerUrl, 'seat05');
    const own = await api<{ connected: boolean; target: string }>(s04, 'POST', `/visits/${taskIds.other}/dial`);
    expect(own.status).toBe(404);
    const theirs = await api<{ connected: boolean; target: string }>(s05, 'POST', `/visits/${taskIds.other}/dial`);
    expect(theirs.status).toBe(200);
    expect(theirs.data.target).toMatch(/^sip:visit-[a-f0-9]{32}@/);
    expect(JSON.stringify(theirs.data)).not.toContain(NUMBERS.other);
    const token = /visit-([a-f0-9]{32})@/.exec(theirs.data.target)![1]!;

    // seat04's phone dials seat05's token with seat04's own credentials.
    const creds = await sipCredentials(stack.routerUrl, s04);
    const r = await stack.sipp([
      stack.env.SIP_TRUNK_ADDR!,
      '-sf',
      path.join(SIPP_DIR, 'seat-dial-token.xml'),
      '-i',
      '127.0.0.2',
      '-p',
      String(await freePort('127.0.0.2')),
      '-mi',
      '127.0.0.2',
      '-mp',
      String(await freeMediaPort('127.0.0.2')),
      '-au',
      creds.username,
      '-ap',
      creds.password,
      '-key',
      'seat',
      's04',
      '-key',
      'domain',
      creds.domain,
      '-key',
      'token',
      token,
      '-m',
      '1',
    ]);
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(dials(taskIds.other)[0]).toMatchObject({ result: null, call_id: null });
  }, 60_000);

  it('when the queue keeps a caller for a call-back, the request becomes a task that is assigned, dialled and closed', async () => {
    const r = await stack.call({ dialed: '123482', caller: '13800005555', expectCode: 480 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const sup = await login(stack.routerUrl, 'supervisor');
    let task: VisitTaskView | undefined;
    await expect
      .poll(async () => {
        task = (await api<VisitTaskView[]>(sup, 'GET', '/visits')).data.find((t) => t.source === 'callback-request');
        return task?.callerMasked;
      }, POLL)
      .toBe('138****5555');
    expect((await api(sup, 'PUT', `/visits/${task!.id}/assignee`, { seatId: 's04' })).status).toBe(200);

    const ctx = await profile(browser);
    try {
      const { page } = await openVisits(ctx);
      const phone = await callee('callee-answer.xml');
      await row(page, '138****5555').getByRole('button', { name: '拨打' }).click();
      await page.getByRole('status').filter({ hasText: '已接通 138****5555' }).waitFor({ timeout: 30_000 });
      expect(fs.readFileSync(phone.messages, 'utf8')).toContain(`INVITE sip:13800005555@127.0.0.1:${trunkPort} SIP/2.0`);
      await row(page, '138****5555').getByRole('button', { name: '挂断' }).click();
      expect(sippCounts(await phone.done)).toEqual({ ok: 1, failed: 0 });
      const form = page.getByLabel('记录回访结果');
      await form.getByLabel('回访结果').selectOption({ label: '已接通' });
      await form.getByRole('button', { name: '保存结果' }).click();
      await page.getByRole('status').filter({ hasText: '任务已关闭' }).waitFor();
      const db = new Database(stack.env.DB_PATH, { readonly: true });
      try {
        expect(db.prepare("SELECT status FROM callback_requests WHERE caller = '13800005555'").get()).toEqual({ status: 'done' });
      } finally {
        db.close();
      }

      // The inbound call and the call-back to it: each counted once, on its own side.
      const mgr = await login(stack.routerUrl, 'manager');
      const day = (await api<{ day: string }>(await login(stack.routerUrl, 'seat04'), 'GET', '/my/outbound-calls')).data.day;
      const report = (await api<ReportView>(mgr, 'GET', `/reports/figures?from=${day}&to=${day}`)).data;
      expect(report.total).toMatchObject({ entered: 1, answered: 0, overflowedToCallback: 1 });
      expect(report.outbound.total).toMatchObject({ placed: 4, answered: 2, noAnswer: 1, busy: 1 });
      const res = await fetch(`${stack.routerUrl}/api/reports/export/calls.csv?from=${day}&to=${day}`, {
        headers: { cookie: mgr, origin: stack.routerUrl },
      });
      const rows = parseCsv((await res.text()).slice(1));
      expect(rows.slice(1).map((r) => r[rows[0]!.indexOf('来电号码')])).toEqual(['138****5555']);
    } finally {
      await ctx.close();
    }
  }, 120_000);

  it('a dial the seat hangs up while the router is down is recorded after the restart, at Kamailio’s times (not left 进行中)', async () => {
    const id = insertTask('13800006666', 's04');
    const ctx = await profile(browser);
    try {
      const { page } = await openVisits(ctx);
      const phone = await callee('callee-answer.xml');
      await row(page, '138****6666').getByRole('button', { name: '拨打' }).click();
      await page.getByRole('status').filter({ hasText: '已接通 138****6666' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => dials(id)[0]?.call_id ?? null, POLL).not.toBeNull();

      await stack.killRouter();
      await row(page, '138****6666').getByRole('button', { name: '挂断' }).click(); // the BYE goes through Kamailio alone
      expect(sippCounts(await phone.done)).toEqual({ ok: 1, failed: 0 });
      const hungUpAt = Date.now();
      await new Promise((r) => setTimeout(r, 1500));
      await stack.startRouter(); // resolves once the router has resynced with Kamailio

      await expect.poll(() => dials(id)[0]?.result ?? null, POLL).toBe('answered');
      const db = new Database(stack.env.DB_PATH, { readonly: true });
      try {
        const d = db.prepare('SELECT hung_up_by, ended_at, talk_ms FROM visit_dials WHERE task_id = ?').get(id) as {
          hung_up_by: string;
          ended_at: number;
          talk_ms: number;
        };
        expect(d.hung_up_by).toBe('seat');
        expect(d.ended_at).toBeLessThanOrEqual(hungUpAt + 100); // when Kamailio saw the BYE, not the restart
        expect(d.talk_ms).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
