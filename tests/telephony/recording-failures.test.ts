/**
 * Recording when something fails mid-call, against the real stack (Kamailio, rtpengine, SIPp
 * caller and seat): the router, which mixes the recordings, killed with SIGKILL mid-call (the
 * restarted router still stores that call's file: rtpengine kept writing its pcap); the call's
 * capture lost mid-call (its spool file removed): only that call has no file, the recording says
 * why, the log has the error, and the next call is recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../server/src/contract/index.js';
import { login } from '../support/server.js';
import { sippCounts, startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;
const phones: SeatPhone[] = [];

beforeAll(async () => {
  stack = await startSipStack({
    routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
  });
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await stack?.stop();
});

async function recording(callId: string): Promise<RecordingView> {
  const cookie = await login(stack.routerUrl, 'supervisor');
  const r = await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/recording`, { headers: { cookie } });
  return ((await r.json()) as { data: RecordingView }).data;
}

const talking = () => waitFor(() => stack.calls().find((c) => c.state_kind === 'talking'), 'a call talking', 20_000);
const settled = async (callId: string) =>
  waitFor(
    async () => {
      const v = await recording(callId);
      return v.reason === 'in-progress' ? null : v;
    },
    'the recording settled',
    20_000,
  );

describe('recording failures', () => {
  it('a router killed with SIGKILL mid-call still stores that call; the next call is recorded too', async () => {
    phones.push(await stack.seat('s03'));
    const call = stack.startCall({ dialed: '123483', caller: '13800000011', talkMs: 8000, timeoutMs: 60_000 });
    const { id } = await talking();
    await stack.killRouter();
    await stack.startRouter();
    const r = await call.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const v = await settled(id);
    expect(v, JSON.stringify(v)).toMatchObject({ available: true, sha256Ok: true, format: 'mp3' });
    expect(v.durationMs).toBeGreaterThan(7000);
    await waitFor(() => stack.seatState('s03').kind === 'ready', 's03 ready again', 15_000);
    const next = await stack.call({ dialed: '123483', caller: '13800000012', talkMs: 1500 });
    expect(sippCounts(next), next.errors).toEqual({ ok: 1, failed: 0 });
    const nextId = stack.calls().at(-1)!.id;
    expect(await settled(nextId)).toMatchObject({ available: true });
  }, 90_000);

  it("a capture lost mid-call loses only that call's file, is reported, and the next call is recorded", async () => {
    await waitFor(() => stack.seatState('s03').kind === 'ready', 's03 ready', 15_000);
    const call = stack.startCall({ dialed: '123483', caller: '13800000013', talkMs: 4000, timeoutMs: 60_000 });
    const { id } = await talking();
    const pcaps = path.join(stack.dir, 'run', 'recording-spool', 'pcaps');
    const mine = await waitFor(
      () => fs.readdirSync(pcaps).filter((f) => decodeURIComponent(f).startsWith(`${id}-`)),
      'the call being captured',
    ).then((files) => (files.length > 0 ? files : null));
    for (const f of mine!) fs.rmSync(path.join(pcaps, f));
    const r = await call.done;
    expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    const v = await settled(id);
    expect(v).toMatchObject({ available: false, reason: 'daemon-failure' });
    expect(fs.readFileSync(stack.logs.router, 'utf8')).toContain('recording: no file for this call');

    await waitFor(() => stack.seatState('s03').kind === 'ready', 's03 ready again', 15_000);
    const next = await stack.call({ dialed: '123483', caller: '13800000014', talkMs: 1500 });
    expect(sippCounts(next), next.errors).toEqual({ ok: 1, failed: 0 });
    expect(await settled(stack.calls().at(-1)!.id)).toMatchObject({ available: true, sha256Ok: true });
  }, 90_000);
});
