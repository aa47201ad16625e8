/**
 * A consultation is recorded with its call (real Kamailio, rtpengine, a SIPp caller that takes
 * the hold and the seat's BYE, two browser
 * seats: JsSIP in headless Chromium with its fake microphone). Seat A holds its caller and calls
 * seat B (咨询转接); Kamailio reports the consultation's answer, the router records that leg and
 * mixes it into the call's file at its time; the recording's timeline lists it. The caller's
 * audio (SIPp's 7 s pcap) is over before the consultation starts and A is on hold, so what the
 * file carries in the consultation's span is the consultation.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../server/src/contract/index.js';
import { browserSeat, inboundPackets, pageEvents, startBrowserSipBench, type BrowserSipBench } from '../support/jssip-page.js';
import { sleep } from '../support/processes.js';
import { emit, login } from '../support/server.js';
import { sippCounts, waitFor, type SipStack } from '../support/sip-stack.js';

let bench: BrowserSipBench;
let stack: SipStack;

beforeAll(async () => {
  bench = await startBrowserSipBench();
  ({ stack } = bench);
}, 90_000);

afterAll(async () => {
  await bench?.stop();
});

async function recording(cookie: string, callId: string): Promise<RecordingView> {
  const r = await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(callId)}/recording`, { headers: { cookie } });
  return ((await r.json()) as { data: RecordingView }).data;
}

describe('consultations recorded with their call', () => {
  it("seat A's consultation of seat B is mixed into the call's file and marked on its timeline", async () => {
    const a = await browserSeat(bench, 'seat03', 's03');
    const b = await browserSeat(bench, 'seat11', 's11');
    try {
      const first = stack.startCall({
        dialed: '123483',
        caller: '13700002222',
        scenario: 'caller-seat-hangup.xml',
        timeoutMs: 90_000,
      });
      const call = await waitFor(
        () =>
          stack
            .calls()
            .find((c) => c.state_kind === 'talking' && stack.events(c.id).some((e) => e.type === 'answered' && e.data.seatId === 's03')),
        'a call talking at s03',
        20_000,
      );
      // The caller's pcap (7 s) is over before the consultation.
      await sleep(Math.max(0, call.answered_at! + 8000 - Date.now()));
      const ack = await emit(a.socket, 'call:transfer', { callId: call.id, target: { kind: 'seat', seatId: 's11' }, mode: 'consult' });
      if (!ack.ok) throw new Error(ack.error.message);
      await a.page.evaluate((uri) => {
        const w = window as unknown as { ua: import('jssip').UA; sessions: import('jssip/lib/RTCSession').RTCSession[] };
        w.sessions[0]!.hold();
        w.ua.call(uri, { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
      }, ack.data.consultUri!);
      await waitFor(async () => (await pageEvents(b.page)).includes('0:confirmed'), 'B answered the consultation');
      await waitFor(
        async () => (await inboundPackets(a.page, 1)) > 10 && (await inboundPackets(b.page, 0)) > 10,
        'audio both ways between the seats',
      );
      await sleep(3000); // three seconds of consultation
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[1]!.terminate());
      await sleep(500);
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[0]!.terminate());
      const r1 = await first.done;
      expect(sippCounts(r1), r1.errors).toEqual({ ok: 1, failed: 0 });

      const cookie = await login(stack.routerUrl, 'supervisor');
      const view = await waitFor(
        async () => {
          const v = await recording(cookie, call.id);
          return v.reason === 'in-progress' ? null : v;
        },
        'the recording stored',
        30_000,
      );
      expect(view, JSON.stringify(view)).toMatchObject({ available: true, sha256Ok: true, format: 'mp3' });
      expect(view.consultations).toHaveLength(1);
      const c = view.consultations[0]!;
      expect(c).toMatchObject({ seatId: 's03', to: 's11' });
      expect(c.fromMs).toBeGreaterThan(7000);
      expect(c.toMs - c.fromMs).toBeGreaterThan(2500);
      expect(c.toMs).toBeLessThanOrEqual(view.durationMs!);

      // The file, as a supervisor plays it: the consultation is heard in its span (both channels).
      const res = await fetch(`${stack.routerUrl}/api/calls/${encodeURIComponent(call.id)}/recording/audio`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const mp3 = path.join(stack.dir, 'consult.mp3');
      fs.writeFileSync(mp3, Buffer.from(await res.arrayBuffer()));
      const wav = path.join(stack.dir, 'consult.wav');
      execFileSync('lame', ['--quiet', '--decode', mp3, wav]);
      const pcm = fs.readFileSync(wav);
      const dataAt = pcm.indexOf('data') + 8;
      const rate = pcm.readUInt32LE(24);
      const rms = (ch: number, fromMs: number, toMs: number) => {
        let e = 0;
        let n = 0;
        for (let f = Math.floor((fromMs * rate) / 1000); f < Math.floor((toMs * rate) / 1000); f++) {
          e += pcm.readInt16LE(dataAt + f * 4 + ch * 2) ** 2;
          n++;
        }
        return Math.sqrt(e / Math.max(1, n));
      };
      const inConsult = [rms(0, c.fromMs + 500, c.toMs - 200), rms(1, c.fromMs + 500, c.toMs - 200)];
      // Chromium's fake microphone beeps: well above the silence of a held call.
      expect(Math.min(...inConsult), JSON.stringify(inConsult)).toBeGreaterThan(100);
    } finally {
      await a.close();
      await b.close();
    }
  }, 150_000);
});
