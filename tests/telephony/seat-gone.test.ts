/**
 * 坐席掉线 through the real stack: a SIPp trunk caller answered by a SIPp seat whose Socket.IO
 * console then goes away (the lawyer's browser closed or crashed). After the disconnect grace
 * (SEAT_DISCONNECT_GRACE_S, short here) the router has Kamailio's dialog module end the call as
 * a 强拆 does: BYE to the caller and the seat, the hang-up recorded as 坐席掉线, the seat offline
 * and a 坐席掉线回电 task on the 回访 worklist, audited as the system's. A console back within
 * the grace (a page reload, a network blip) leaves the call up.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitTaskView } from '../../server/src/contract/index.js';
import { expectForcedRelease } from '../support/force-release.js';
import { connect, login } from '../support/server.js';
import { startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';
import { writeTone as tone } from '../support/tone-wav.js';

const GRACE_S = 2;

async function getJson<T>(stack: SipStack, cookie: string, url: string): Promise<T> {
  const res = await fetch(`${stack.routerUrl}${url}`, { headers: { cookie } });
  const body = (await res.json()) as { ok: boolean; data: T };
  expect(body.ok, JSON.stringify(body)).toBe(true);
  return body.data;
}

describe('a seat whose console is gone mid-call (坐席掉线)', () => {
  let stack: SipStack;
  const phones: SeatPhone[] = [];
  beforeAll(async () => {
    // The post-call survey on by default (policy `seat`): a caller whose lawyer dropped is not surveyed.
    const prompts = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'survey-prompts-'));
    for (const p of ['question', 'invalid', 'thanks']) tone(path.join(prompts, `survey-${p}-zh-CN.wav`), 1000);
    stack = await startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }),
      env: { SEAT_DISCONNECT_GRACE_S: String(GRACE_S), SURVEY_POLICY: 'seat', SURVEY_PROMPT_DIR: prompts },
    });
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) await p.stop();
    await stack?.stop();
  });

  /** A SIPp seat answers a SIPp caller who stays on the line until a BYE reaches them. */
  async function answeredCall(seatId: string, o: { hold?: boolean } = {}) {
    // hold: the seat puts the caller on hold at once and keeps them there (-d: a minute).
    const phone = await stack.seat(
      seatId,
      o.hold ? { behaviour: 'hold', ringMs: 60_000, traceMessages: true } : { behaviour: 'answer', traceMessages: true },
    );
    phones.push(phone);
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', caller: '13900002222', timeoutMs: 60_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    return { phone, caller, call };
  }

  it('the console closed and not back within the grace: BYE to both sides, 坐席掉线 on record, seat offline, a call-back task', async () => {
    const { phone, caller, call } = await answeredCall('s06');
    phone.socket.disconnect(); // the browser is gone

    // Nobody waits on the router's commit here (a 强拆 answers the supervisor after it).
    await waitFor(() => stack.seatState('s06').kind === 'offline', 'the seat offline', 10 * GRACE_S * 1000);
    await expectForcedRelease(stack, call.id, 's06', caller.done, { by: 'seat-lost', seat: 'offline' });

    const sup = await login(stack.routerUrl, 'supervisor');
    const detail = await getJson<{ id: string; record: { hungUpBy: string | null } }>(
      stack,
      sup,
      `/api/calls/${encodeURIComponent(call.id)}`,
    );
    expect(detail).toMatchObject({ id: call.id, record: { hungUpBy: 'seat-lost' } });
    const tasks = await getJson<VisitTaskView[]>(stack, sup, '/api/visits?status=open');
    expect(tasks.filter((t) => t.callId === call.id)).toEqual([
      expect.objectContaining({ source: 'seat-lost', seatId: 's06', status: 'open', note: expect.stringContaining('系统已结束通话') }),
    ]);
    const db = new Database(stack.env.DB_PATH, { readonly: true });
    const audit = db.prepare("SELECT username FROM audit_log WHERE action = 'system.call-seat-lost' AND target = ?").all(`call:${call.id}`);
    db.close();
    expect(audit).toEqual([{ username: 'system' }]);
    // No survey: no prompt was played to the caller.
    const log = fs.readFileSync(stack.logs.router, 'utf8').split('\n');
    expect(log.filter((l) => l.includes(`"callId":"${call.id}"`) && l.includes('survey prompt playing'))).toEqual([]);
  }, 90_000);

  it('the caller on hold when the console went: the caller is not left on hold, 坐席掉线 on record', async () => {
    const { phone, caller, call } = await answeredCall('s09', { hold: true });
    await waitFor(() => stack.events(call.id).some((e) => e.type === 'held'), 'the caller on hold');
    phone.socket.disconnect();
    await waitFor(() => stack.seatState('s09').kind === 'offline', 'the seat offline', 10 * GRACE_S * 1000);
    await expectForcedRelease(stack, call.id, 's09', caller.done, { by: 'seat-lost', seat: 'offline' });
  }, 90_000);

  it('the console back within the grace (a reload): the call stays up', async () => {
    const { phone, caller, call } = await answeredCall('s07');
    // A seat with no call whose console closes at the same moment: once it is offline, the
    // grace of the reloaded console's seat has run out too.
    const witness = await stack.seat('s08', { behaviour: 'answer' });
    phones.push(witness);
    phone.socket.disconnect();
    witness.socket.disconnect();
    const reloaded = await connect(stack.routerUrl, phone.cookie);
    try {
      await waitFor(() => stack.seatState('s08').kind === 'offline', 'the witness seat offline after the grace', 10 * GRACE_S * 1000);
      expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');
      expect(stack.seatState('s07').kind).toBe('talking');
      expect(caller.proc.exitCode).toBeNull();
      expect(stack.events(call.id).some((e) => e.type === 'hung-up')).toBe(false);
    } finally {
      reloaded.disconnect();
    }
    // The reloaded console closed for good this time: the call is ended after the grace.
    await waitFor(() => stack.seatState('s07').kind === 'offline', 'the seat offline', 10 * GRACE_S * 1000);
    await expectForcedRelease(stack, call.id, 's07', caller.done, { by: 'seat-lost', seat: 'offline' });
  }, 90_000);
});
