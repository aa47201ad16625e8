/**
 * The post-call survey switch of calls answered before a router restart, through the real stack:
 * SIPp trunk callers answered by SIPp seats, the router killed (SIGKILL) and started again. The
 * seat's on/off choice lived in the router's memory; Kamailio keeps the caller armed (htable
 * `survey`) and says so in its resync (`held` … `survey`), so the restarted router shows the seat
 * the switch as Kamailio has it, and the seat's switching either way still reaches Kamailio.
 */
import Database from 'better-sqlite3';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTone as tone } from '../support/tone-wav.js';
import { sippCounts, startSipStack, waitFor, type SeatPhone, type SipResult, type SipStack } from '../support/sip-stack.js';

const NO_INPUT_MS = 3000;

function ratingOf(stack: SipStack, callId: string) {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return db.prepare("SELECT score FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'").get(callId) as
      { score: number | null } | undefined;
  } finally {
    db.close();
  }
}

/** The prompts rtpengine played to the caller of this call, in order (the router's log, both processes). */
function promptsOf(stack: SipStack, callId: string): string[] {
  return fs
    .readFileSync(stack.logs.router, 'utf8')
    .split('\n')
    .filter((l) => l.includes(`"callId":"${callId}"`) && l.includes('"survey prompt playing"'))
    .map((l) => JSON.parse(l) as { prompt: string; durationMs: number | null })
    .filter((l) => l.durationMs !== null)
    .map((l) => l.prompt);
}

/**
 * Tells a seat phone running seat-hangup-on-info.xml to hang up this call: an INFO with its Call-ID
 * straight to the phone (SIPp answers it towards its peer, Kamailio, which drops the stray 200).
 */
async function hangUpSeat(phone: SeatPhone, callId: string): Promise<void> {
  const [host, port] = phone.contact.split(':') as [string, string];
  const sock = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const local = sock.address();
    const msg = [
      `INFO sip:seat@${phone.contact} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local.address}:${local.port};branch=z9hG4bK-test-${Date.now()}`,
      `From: <sip:test@${local.address}:${local.port}>;tag=test`,
      `To: <sip:seat@${phone.contact}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INFO',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await new Promise<void>((resolve, reject) => sock.send(msg, Number(port), host, (err) => (err ? reject(err) : resolve())));
  } finally {
    sock.close();
  }
}

describe('the survey switch of a call answered before a router restart (policy: the seat chooses)', () => {
  let stack: SipStack;
  const phones: SeatPhone[] = [];
  beforeAll(async () => {
    const prompts = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'survey-prompts-'));
    tone(path.join(prompts, 'survey-question-zh-CN.wav'), 1000);
    tone(path.join(prompts, 'survey-invalid-zh-CN.wav'), 1000);
    tone(path.join(prompts, 'survey-thanks-zh-CN.wav'), 800);
    stack = await startSipStack({
      // A long wrap-up: the seats stay in it (no new call reaches them).
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }),
      env: { SURVEY_POLICY: 'seat', SURVEY_PROMPT_DIR: prompts, SURVEY_NO_INPUT_MS: String(NO_INPUT_MS) },
    });
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) await p.stop();
    await stack?.stop();
  });

  const surveyUrl = (callId: string) => `${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/survey`;
  const view = async (phone: SeatPhone, callId: string) =>
    (await (await fetch(surveyUrl(callId), { headers: { cookie: phone.cookie } })).json()) as { ok: boolean; data?: { enabled: boolean } };
  const choose = async (phone: SeatPhone, callId: string, enabled: boolean) =>
    (await (
      await fetch(surveyUrl(callId), {
        method: 'PUT',
        headers: { cookie: phone.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled }),
      })
    ).json()) as { ok: boolean; data?: { enabled: boolean } };

  /**
   * A call answered by this seat (the only ready one), its switch as `before` until the restart;
   * `surveyed`: the caller stays on for the survey (its scenario waits for the survey's BYE).
   */
  async function answered(seatId: string, before: boolean, surveyed: boolean) {
    const phone = await stack.seat(seatId, { behaviour: 'hangup-on-info' });
    phones.push(phone);
    const known = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: surveyed ? 'caller-survey.xml' : 'caller-seat-hangup.xml', timeoutMs: 90_000 });
    const call = await waitFor(() => stack.calls().find((c) => !known.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    expect(await view(phone, call.id)).toMatchObject({ ok: true, data: { enabled: true } }); // on by default
    if (!before) expect(await choose(phone, call.id, false)).toMatchObject({ ok: true, data: { enabled: false } });
    return { phone, callId: call.id, caller };
  }

  /** The seat hung up and the caller heard the survey (no key: not rated) and got its BYE. */
  async function expectSurveyed(c: { callId: string; caller: { done: Promise<SipResult> } }, seatId: string) {
    await waitFor(() => stack.seatState(seatId).kind === 'wrap-up', 'the seat in wrap-up');
    const r = await c.caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    expect(stack.events(c.callId).find((e) => e.type === 'hung-up')?.data.by).toBe('seat');
    expect(await waitFor(() => ratingOf(stack, c.callId), 'the outcome')).toEqual({ score: null });
    expect(promptsOf(stack, c.callId)).toEqual(['question', 'question', 'thanks']);
    expect(stack.seatState(seatId).kind).toBe('wrap-up');
  }

  /** The seat hung up and its BYE reached the caller: no survey. */
  async function expectNotSurveyed(c: { callId: string; caller: { done: Promise<SipResult> } }, seatId: string) {
    const r = await c.caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    await waitFor(() => stack.seatState(seatId).kind === 'wrap-up', 'the seat in wrap-up');
    expect(stack.events(c.callId).find((e) => e.type === 'hung-up')?.data.by).toBe('seat');
    expect(ratingOf(stack, c.callId)).toBeUndefined();
    expect(promptsOf(stack, c.callId)).toEqual([]);
  }

  it('after a kill -9 the seat sees the switch as Kamailio has it (on / off), and switching it either way reaches Kamailio', async () => {
    const on = await answered('s01', true, true); // left on: the caller hears the survey
    const off = await answered('s02', false, false); // switched off before the restart
    const onThenOff = await answered('s03', true, false); // switched off after the restart
    const offThenOn = await answered('s04', false, true); // switched off before, on again after

    await stack.killRouter();
    await stack.startRouter(); // resolves once the new router has resynced with Kamailio
    for (const c of [on, off, onThenOff, offThenOn]) {
      expect(stack.calls().find((x) => x.id === c.callId)?.state_kind).toBe('talking');
      expect(c.caller.proc.exitCode).toBeNull();
    }

    // What each seat's console shows (GET /api/calls/:id/survey, as the call card reads it).
    expect(await view(on.phone, on.callId)).toMatchObject({ ok: true, data: { enabled: true } });
    expect(await view(off.phone, off.callId)).toMatchObject({ ok: true, data: { enabled: false } });
    expect(await view(onThenOff.phone, onThenOff.callId)).toMatchObject({ ok: true, data: { enabled: true } });
    expect(await view(offThenOn.phone, offThenOn.callId)).toMatchObject({ ok: true, data: { enabled: false } });
    expect(await choose(onThenOff.phone, onThenOff.callId, false)).toMatchObject({ ok: true, data: { enabled: false } });
    expect(await choose(offThenOn.phone, offThenOn.callId, true)).toMatchObject({ ok: true, data: { enabled: true } });
    expect(await view(onThenOff.phone, onThenOff.callId)).toMatchObject({ ok: true, data: { enabled: false } });

    for (const c of [on, off, onThenOff, offThenOn]) await hangUpSeat(c.phone, c.callId);
    // (Without the survey the caller has its BYE at once; with it, after the prompts.)
    await expectSurveyed(on, 's01');
    await expectNotSurveyed(off, 's02');
    await expectNotSurveyed(onThenOff, 's03');
    await expectSurveyed(offThenOn, 's04');
  }, 150_000);
});
