/**
 * The post-call survey when the caller hangs up in it, through the real stack (SIPp trunk caller,
 * SIPp seat, Kamailio, rtpengine, the router): a caller who leaves before pressing a key is stored
 * as not rated, one who presses 不满意 and hangs up during the thanks keeps the rating and gets
 * its 回访 task; the caller's own BYE ends the call (no BYE from the router after it). Prompts are
 * short tones, as in survey.test.ts.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/processes.js';
import { writeTone as tone } from '../support/tone-wav.js';
import { SIPP_DIR, sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

/** caller-survey.xml pressing `keys` (ms after the answer, digit), then waiting for the router's BYE. */
function keysScenario(stack: SipStack, keys: [number, string][]): string {
  let at = 0;
  const steps = keys.map(([ms, digit]) => {
    const pause = ms - at;
    at = ms;
    return `<pause milliseconds="${pause}" />\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${digit}.pcap" /></action></nop>`;
  });
  const file = path.join(stack.dir, `caller-survey-keys-${keys.map((k) => k[1]).join('')}.xml`);
  fs.writeFileSync(file, fs.readFileSync(path.join(SIPP_DIR, 'caller-survey.xml'), 'utf8').replace('<!-- KEYS -->', steps.join('\n  ')));
  return path.relative(SIPP_DIR, file);
}

/** The caller of caller-survey.xml, pressing `keys` (ms after the answer, digit) and hanging up itself `byeAtMs` after the answer. */
function hangUpScenario(stack: SipStack, keys: [number, string][], byeAtMs: number): string {
  let at = 0;
  const steps = keys.map(([ms, digit]) => {
    const pause = ms - at;
    at = ms;
    return `<pause milliseconds="${pause}" />\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${digit}.pcap" /></action></nop>`;
  });
  steps.push(`<pause milliseconds="${byeAtMs - at}" />
  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      [last_To:]
      [routes]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" crlf="true" />
</scenario>`);
  const base = fs.readFileSync(path.join(SIPP_DIR, 'caller-survey.xml'), 'utf8');
  const file = path.join(stack.dir, `caller-survey-bye-${keys.map((k) => k[1]).join('') || 'none'}.xml`);
  fs.writeFileSync(file, base.slice(0, base.indexOf('<!-- KEYS -->')) + steps.join('\n  ') + '\n');
  return path.relative(SIPP_DIR, file);
}

function query<T>(stack: SipStack, sql: string, ...args: unknown[]): T | undefined {
  const db = new Database(stack.env.DB_PATH, { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

describe('the caller hangs up during the post-call survey', () => {
  let stack: SipStack;
  const phones: SeatPhone[] = [];
  beforeAll(async () => {
    const prompts = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'survey-prompts-'));
    tone(path.join(prompts, 'survey-question-zh-CN.wav'), 1500);
    tone(path.join(prompts, 'survey-invalid-zh-CN.wav'), 1500);
    tone(path.join(prompts, 'survey-thanks-zh-CN.wav'), 3000);
    stack = await startSipStack({
      routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }),
      env: { SURVEY_POLICY: 'always', SURVEY_PROMPT_DIR: prompts, SURVEY_NO_INPUT_MS: '8000' },
    });
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) await p.stop();
    await stack?.stop();
  });

  /** One call: the seat hangs up a second after answering; the caller presses `keys` and hangs up at `byeAtMs`. */
  async function leaves(seatId: string, keys: [number, string][], byeAtMs: number): Promise<string> {
    phones.push(await stack.seat(seatId, { behaviour: 'hangup', ringMs: 1000 }));
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: hangUpScenario(stack, keys, byeAtMs), timeoutMs: 45_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    await waitFor(() => stack.seatState(seatId).kind === 'wrap-up', 'the seat in wrap-up', 10_000);
    const r = await caller.done;
    // The caller's BYE was answered 200 (by Kamailio) and no BYE came to it before.
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 });
    return call.id;
  }

  it('before pressing a key: stored as not rated, no 回访 task, and the survey stops (no prompt after the BYE)', async () => {
    const callId = await leaves('s01', [], 3500);
    const row = await waitFor(
      () => query<{ score: number | null }>(stack, "SELECT score FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'", callId),
      'the not-rated row',
    );
    expect(row).toEqual({ score: null });
    expect(query(stack, 'SELECT COUNT(*) AS n FROM visit_tasks WHERE call_id = ?', callId)).toEqual({ n: 0 });
    // The router's log for this call: the survey ended as not rated and played nothing after it.
    const lines = fs
      .readFileSync(stack.logs.router, 'utf8')
      .split('\n')
      .filter((l) => l.includes(`"callId":"${callId}"`));
    const notRated = lines.findIndex((l) => l.includes('"survey: not rated"'));
    expect(notRated).toBeGreaterThan(-1);
    expect(lines.slice(notRated).some((l) => l.includes('"survey prompt playing"'))).toBe(false);
    expect(lines.some((l) => l.includes('rating could not be stored'))).toBe(false);
  });

  it('a router stopped (SIGTERM) and restarted during the survey: the key pressed to the new one is the rating, with its 回访 task', async () => {
    phones.push(await stack.seat('s03', { behaviour: 'hangup', ringMs: 1000 }));
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: keysScenario(stack, [[18_000, '4']]), timeoutMs: 60_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');
    await waitFor(() => stack.seatState('s03').kind === 'wrap-up', 'the seat in wrap-up', 10_000);
    await waitFor(
      () => fs.readFileSync(stack.logs.router, 'utf8').includes(`"callId":"${call.id}","prompt":"question"`) || null,
      'the survey under way',
    );
    await stopProcess(stack.router, { signal: 'SIGTERM', timeoutMs: 10_000 });
    await stack.startRouter();
    const r = await caller.done;
    expect(sippCounts(r), r.errors || r.stdout.slice(-800)).toEqual({ ok: 1, failed: 0 }); // the caller got its BYE

    expect(query(stack, "SELECT score, satisfied FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'", call.id)).toEqual({
      score: 4,
      satisfied: 0,
    });
    expect(query(stack, "SELECT COUNT(*) AS n FROM visit_tasks WHERE call_id = ? AND source = 'dissatisfied'", call.id)).toEqual({ n: 1 });
  }, 90_000);

  it('after pressing 4 (不满意), during the thanks: the rating is kept and its 回访 task is created', async () => {
    const callId = await leaves('s02', [[2500, '4']], 4000);
    const row = await waitFor(
      () =>
        query<{ score: number; satisfied: number }>(
          stack,
          "SELECT score, satisfied FROM satisfaction_ratings WHERE call_id = ? AND source = 'phone'",
          callId,
        ),
      'the rating',
    );
    expect(row).toEqual({ score: 4, satisfied: 0 });
    // One key press is one digit from rtpengine's DTMF log (not one per RFC 4733 end packet).
    const keys = fs
      .readFileSync(stack.logs.router, 'utf8')
      .split('\n')
      .filter((l) => l.includes(`"callId":"${callId}"`) && l.includes('"survey key"'));
    expect(keys).toHaveLength(1);
    expect(query(stack, "SELECT COUNT(*) AS n FROM visit_tasks WHERE call_id = ? AND source = 'dissatisfied'", callId)).toEqual({ n: 1 });
  });
});
