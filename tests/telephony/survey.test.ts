/**
 * The post-call survey and 强拆 through the real stack: a SIPp trunk caller answered by a SIPp
 * seat; the seat hangs up, Kamailio keeps the caller (SURVEY_BYE) and the seat is in wrap-up;
 * rtpengine plays the prompts to the caller, the caller's RFC 2833 keys reach the router through
 * rtpengine's DTMF log, the rating is stored and Kamailio's dialog module sends the caller a BYE.
 * 强拆: a supervisor ends a talking call, both SIPp sides get a BYE, the action is audited.
 * Prompts here are short tones (the shipped ones are 4–17 s of speech).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetsByTag } from '../support/rtpengine-ng.js';
import { expectForcedRelease } from '../support/force-release.js';
import { login } from '../support/server.js';
import { writeTone as tone } from '../support/tone-wav.js';
import { SIPP_DIR, sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

const NO_INPUT_MS = 4000;

async function surveyStack(policy: 'seat' | 'never'): Promise<SipStack> {
  const prompts = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'survey-prompts-'));
  tone(path.join(prompts, 'survey-question-zh-CN.wav'), 1500);
  tone(path.join(prompts, 'survey-invalid-zh-CN.wav'), 1500);
  tone(path.join(prompts, 'survey-thanks-zh-CN.wav'), 1000);
  return startSipStack({
    // A long wrap-up: the seat is still in it when the survey ends.
    routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }),
    env: { SURVEY_POLICY: policy, SURVEY_PROMPT_DIR: prompts, SURVEY_NO_INPUT_MS: String(NO_INPUT_MS) },
  });
}

/** Writes a caller scenario pressing these keys (ms after the answer, digit) and returns its name for stack.call. */
function keysScenario(stack: SipStack, keys: [number, string][]): string {
  let at = 0;
  const steps = keys
    .map(([ms, digit]) => {
      const pause = ms - at;
      at = ms;
      return `<pause milliseconds="${pause}" />\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${digit}.pcap" /></action></nop>`;
    })
    .join('\n  ');
  const file = path.join(stack.dir, `caller-survey-${keys.map((k) => k[1]).join('') || 'none'}.xml`);
  fs.writeFileSync(file, fs.readFileSync(path.join(SIPP_DIR, 'caller-survey.xml'), 'utf8').replace('<!-- KEYS -->', steps));
  return path.relative(SIPP_DIR, file);
}

function db<T>(stack: SipStack, f: (d: Database.Database) => T): T {
  const d = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
}

function ratingOf(stack: SipStack, callId: string) {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return db
      .prepare("SELECT score, satisfied, seat_id, category_id, centre_id FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'")
      .get(callId) as
      { score: number | null; satisfied: number | null; seat_id: string; category_id: string; centre_id: string } | undefined;
  } finally {
    db.close();
  }
}

function visitTasksOf(stack: SipStack, callId: string): number {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM visit_tasks WHERE call_id = ?').get(callId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** RTP packets rtpengine received from the SIPp caller (with -rtp_echo: the ones it received). */
async function callerPackets(stack: SipStack, callId: string): Promise<number> {
  const p = await packetsByTag(stack.env.RTPENGINE_NG_ADDR!, callId);
  return Object.entries(p)
    .filter(([tag]) => tag.includes('SIPpTag00'))
    .reduce((n, [, v]) => n + v, 0);
}

const routerLog = (stack: SipStack) => fs.readFileSync(stack.logs.router, 'utf8');

/** The prompts rtpengine played to the caller of this call, in order (the router's log). */
function promptsOf(stack: SipStack, callId: string): string[] {
  return routerLog(stack)
    .split('\n')
    .filter((l) => l.includes(`"callId":"${callId}"`) && l.includes('"survey prompt playing"'))
    .map((l) => JSON.parse(l) as { prompt: string; durationMs: number | null })
    .filter((l) => l.durationMs !== null)
    .map((l) => l.prompt);
}

describe('the post-call survey (policy: the seat chooses, on by default)', () => {
  let stack: SipStack;
  const phones: SeatPhone[] = [];
  beforeAll(async () => {
    stack = await surveyStack('seat');
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) await p.stop();
    await stack?.stop();
  });
  const seat = async (id: string, o: Parameters<SipStack['seat']>[1]) => {
    const p = await stack.seat(id, o);
    phones.push(p);
    return p;
  };

  /**
   * One call: the seat hangs up a second after answering, the caller presses `keys`; `during` runs
   * while the caller is in the survey; returns the call id once SIPp has ended.
   */
  async function surveyed(seatId: string, keys: [number, string][], during?: (callId: string) => Promise<void>) {
    await seat(seatId, { behaviour: 'hangup', ringMs: 1000 });
    const before = new Set(stack.calls().map((c) => c.id));
    // -rtp_echo: the caller sends back every RTP packet it receives, so rtpengine's count of the
    // caller's packets is what reached the caller.
    const caller = stack.startCall({ scenario: keysScenario(stack, keys), timeoutMs: 45_000, sippArgs: ['-rtp_echo'] });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    // The seat hung up: it is in wrap-up while the caller is still on the line for the survey.
    await waitFor(() => stack.seatState(seatId).kind === 'wrap-up', 'the seat in wrap-up', 10_000);
    expect(caller.proc.exitCode).toBeNull();
    expect(stack.events(call.id).find((e) => e.type === 'hung-up')?.data.by).toBe('seat');
    await during?.(call.id);
    const r = await caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 }); // the caller got its BYE
    expect(stack.seatState(seatId).kind).toBe('wrap-up');
    return call.id;
  }

  it('a key on the scale is stored against the call, seat, category and centre; 不满意 makes a 回访 task; the caller gets a BYE', async () => {
    const callId = await surveyed('s01', [[3500, '4']]);
    const rating = await waitFor(() => ratingOf(stack, callId), 'the rating');
    expect(rating).toEqual({ score: 4, satisfied: 0, seat_id: 's01', category_id: 'general', centre_id: 'city' });
    expect(visitTasksOf(stack, callId)).toBe(1);
    expect(promptsOf(stack, callId)).toEqual(['question', 'thanks']);
  }, 60_000);

  it('a key off the scale is asked again, and the right key then rates', async () => {
    const callId = await surveyed('s02', [
      [3500, '9'],
      [7000, '2'],
    ]);
    expect(await waitFor(() => ratingOf(stack, callId), 'the rating')).toMatchObject({ score: 2, satisfied: 1 });
    expect(visitTasksOf(stack, callId)).toBe(0);
    expect(promptsOf(stack, callId)).toEqual(['question', 'invalid', 'thanks']);
  }, 60_000);

  it('no key after the question and its repeat: not rated, and the caller still gets a BYE; the prompts reach the caller', async () => {
    const callId = await surveyed('s03', [], async (id) => {
      // The seat has gone: what the caller receives now is the survey's prompts (echoed back).
      const from = await callerPackets(stack, id);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await callerPackets(stack, id)) - from).toBeGreaterThan(20);
    });
    expect(await waitFor(() => ratingOf(stack, callId), 'the outcome')).toMatchObject({ score: null, satisfied: null });
    // The question played twice (rtpengine answered each play media with the file's length), then the thanks.
    expect(promptsOf(stack, callId)).toEqual(['question', 'question', 'thanks']);
  }, 60_000);

  it('the seat switches the survey off for its call: its BYE reaches the caller as usual', async () => {
    const s04 = await seat('s04', { behaviour: 'hangup', ringMs: 5000 });
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', timeoutMs: 30_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    const choose = (cookie: string) =>
      fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(call.id)}/survey`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      });
    const seat05 = await login(stack.routerUrl, 'seat05');
    const other = await choose(seat05);
    expect(other.status).toBe(403); // only the answering seat chooses
    const get = await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(call.id)}/survey`, { headers: { cookie: s04.cookie } });
    expect(await get.json()).toMatchObject({ ok: true, data: { enabled: true, policy: 'seat', changeable: true } });
    const put = await choose(s04.cookie);
    expect(await put.json()).toMatchObject({ ok: true, data: { enabled: false, policy: 'seat', changeable: true } });
    const r = await caller.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    await waitFor(() => stack.seatState('s04').kind === 'wrap-up', 'the seat in wrap-up');
    expect(ratingOf(stack, call.id)).toBeUndefined();
    expect(promptsOf(stack, call.id)).toEqual([]);
    const late = await choose(s04.cookie);
    expect(late.status).toBe(409); // the call is over
  }, 60_000);

  it('强拆: a supervisor ends a talking call with a BYE to both sides; the seat is in wrap-up; audited; refused out of scope and once ended', async () => {
    await seat('s06', { behaviour: 'answer', traceMessages: true });
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', timeoutMs: 30_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    const release = (cookie: string) =>
      fetch(`${stack.routerUrl}/api/supervisor/calls/${encodeURIComponent(call.id)}/force-release`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ note: '来电人辱骂坐席' }),
      });
    // A county supervisor does not see the city centre's call.
    const dc = await release(await login(stack.routerUrl, 'supervisor-dc'));
    expect(dc.status).toBe(403);
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');
    const sup = await login(stack.routerUrl, 'supervisor');
    const res = await release(sup);
    expect(await res.json()).toMatchObject({ ok: true, data: { callId: call.id, state: 'wrap-up' } });
    await expectForcedRelease(stack, call.id, 's06', caller.done);
    const db = new Database(stack.env.DB_PATH, { readonly: true });
    const audit = db
      .prepare("SELECT username, reason FROM audit_log WHERE action = 'supervisor.call-force-release' AND target = ?")
      .all(`call:${call.id}`);
    db.close();
    expect(audit).toEqual([{ username: 'supervisor', reason: '来电人辱骂坐席' }]);
    const again = await release(sup);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  }, 60_000);

  it('a router killed (SIGKILL) during a survey: the restarted router asks again, the key is stored, the ratings stored before are kept', async () => {
    const stored = () => db(stack, (d) => (d.prepare('SELECT COUNT(*) AS n FROM satisfaction_ratings').get() as { n: number }).n);
    const tasks = () => db(stack, (d) => (d.prepare('SELECT COUNT(*) AS n FROM visit_tasks').get() as { n: number }).n);
    const [ratingsBefore, tasksBefore] = [stored(), tasks()];
    const callId = await surveyed('s07', [[12_000, '3']], async (id) => {
      await waitFor(() => promptsOf(stack, id).length > 0 || null, 'the survey under way');
      await stack.killRouter();
      await stack.startRouter();
    });
    expect(await waitFor(() => ratingOf(stack, callId), 'the rating')).toMatchObject({ score: 3, satisfied: 1 });
    expect(stored()).toBe(ratingsBefore + 1);
    expect(tasks()).toBe(tasksBefore);
    // Asked once by the killed router and again by the new one.
    expect(promptsOf(stack, callId).filter((p) => p === 'question').length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});

describe('the post-call survey (policy: never)', () => {
  let stack: SipStack;
  let phone: SeatPhone | null = null;
  beforeAll(async () => {
    stack = await surveyStack('never');
  }, 60_000);
  afterAll(async () => {
    await phone?.stop();
    await stack?.stop();
  });

  it('the seat’s BYE reaches the caller at once and nothing is rated', async () => {
    phone = await stack.seat('s01', { behaviour: 'hangup', ringMs: 1000 });
    const r = await stack.call({ scenario: 'caller-seat-hangup.xml', timeoutMs: 30_000 });
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const call = stack.calls().at(-1)!;
    const hungUp = await waitFor(() => stack.events(call.id).find((e) => e.type === 'hung-up'), 'the hang-up stored');
    expect(hungUp.data.by).toBe('seat');
    expect(ratingOf(stack, call.id)).toBeUndefined();
    expect(promptsOf(stack, call.id)).toEqual([]);
  }, 60_000);
});
