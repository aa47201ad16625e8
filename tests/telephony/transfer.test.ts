/**
 * Transfers (转接) through the real Kamailio and rtpengine: a browser seat (JsSIP in headless
 * Chromium) REFERs its caller; the SIPp trunk accepts, and dials 12348 again with the
 * X-Transfer token it found in the Refer-To; the router queues the new call for its target.
 * A trunk that refuses REFER keeps the caller with the seat. Consult-then-transfer holds the
 * target seat, lets the first seat call it over WebRTC, then transfers the caller to it.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSeat, inboundPackets, pageEvents, startBrowserSipBench, type BrowserSipBench } from '../support/jssip-page.js';
import { emit } from '../support/server.js';
import { sippCounts, waitFor, writtenBySipp, type SipStack } from '../support/sip-stack.js';

let bench: BrowserSipBench;
let stack: SipStack;

beforeAll(async () => {
  bench = await startBrowserSipBench();
  ({ stack } = bench);
}, 90_000);

afterAll(async () => {
  await bench?.stop();
});

/** REFERs the page's first call; resolves to "accepted" or "failed:<code or cause>". */
function refer(page: Page, uri: string): Promise<string> {
  return page.evaluate(
    (target) =>
      new Promise<string>((resolve) => {
        const s = (window as unknown as { sessions: import('jssip/lib/RTCSession').RTCSession[] }).sessions[0]!;
        s.refer(target, {
          eventHandlers: {
            requestFailed: (e: { response?: { status_code: number } }) => resolve(`failed:${e.response?.status_code ?? 'no response'}`),
            accepted: () => resolve('accepted'),
            failed: () => resolve('failed:notify'),
          },
        });
      }),
    uri,
  );
}

const talkingCall = (seatId: string) =>
  waitFor(
    () =>
      stack
        .calls()
        .find((c) => c.state_kind === 'talking' && stack.events(c.id).some((e) => e.type === 'answered' && e.data.seatId === seatId)),
    `a call talking at ${seatId}`,
    20_000,
  );

describe('transfers through Kamailio (REFER)', () => {
  it('when a seat blind-transfers to a specialty queue, the trunk dials again with the token and that queue answers first', async () => {
    const a = await browserSeat(bench, 'seat03', 's03');
    const b = await stack.seat('s02', { behaviour: 'answer' }); // labour specialist (SIPp phone)
    const xferFile = path.join(stack.dir, 'xfer-blind.txt');
    try {
      const first = stack.startCall({
        dialed: '123483',
        caller: '13912345678',
        flags: 'elderly',
        ticket: 'T-777',
        scenario: 'caller-transfer.xml',
        keys: { xferfile: xferFile },
        timeoutMs: 60_000,
      });
      const call = await talkingCall('s03');
      await waitFor(async () => (await inboundPackets(a.page)) > 10, 'audio at seat A');

      const ack = await emit(a.socket, 'call:transfer', {
        callId: call.id,
        target: { kind: 'category', categoryId: 'labor' },
        mode: 'blind',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(await refer(a.page, ack.data.referTo)).toBe('accepted');
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[0]!.terminate());
      const r1 = await first.done;
      expect(sippCounts(r1), r1.errors).toEqual({ ok: 1, failed: 0 });

      // The trunk found the token in the Refer-To it received and dials 12348 again with it.
      const token = await writtenBySipp(xferFile);
      expect(ack.data.referTo).toContain(`X-Transfer=${token}`);
      const second = await stack.call({ dialed: '12348', caller: '13912345678', transfer: token, talkMs: 1000 });
      expect(sippCounts(second), second.errors).toEqual({ ok: 1, failed: 0 });

      const again = stack.calls().find((c) => c.id !== call.id && c.caller === '13912345678')!;
      const events = stack.events(again.id);
      expect(again.category_id).toBe('labor');
      expect(events.find((e) => e.type === 'transferred-in')?.data).toMatchObject({ fromCallId: call.id, fromSeatId: 's03' });
      expect(events.find((e) => e.type === 'answered')?.data.seatId).toBe('s02');
      const snap = JSON.parse(again.snapshot) as { flags: string[]; ticket12345: string; priority: number };
      expect(snap).toMatchObject({ flags: ['elderly'], ticket12345: 'T-777' });
      // The first call ended at seat A, who hung up after the transfer.
      expect(stack.events(call.id).find((e) => e.type === 'hung-up')?.data.by).toBe('seat');
    } finally {
      await a.close();
      await b.stop();
    }
  }, 120_000);

  it('when the trunk refuses the REFER, the caller stays with the seat and audio keeps flowing', async () => {
    const a = await browserSeat(bench, 'seat03', 's03');
    try {
      const caller = stack.startCall({ dialed: '123483', scenario: 'caller-refer-refused.xml', timeoutMs: 60_000 });
      const call = await talkingCall('s03');
      const ack = await emit(a.socket, 'call:transfer', {
        callId: call.id,
        target: { kind: 'category', categoryId: 'general' },
        mode: 'blind',
      });
      if (!ack.ok) throw new Error(ack.error.message);

      expect(await refer(a.page, ack.data.referTo)).toBe('failed:501');
      const reported = await emit(a.socket, 'transfer:report', {
        transferId: ack.data.id,
        outcome: 'refused',
        detail: '501 Not Implemented',
      });
      expect(reported.ok && reported.data.state).toBe('refused');

      expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');
      const before = await inboundPackets(a.page);
      await waitFor(async () => (await inboundPackets(a.page)) > before + 20, 'audio still arriving after the refusal');
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[0]!.terminate());
      const r = await caller.done;
      expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
      expect(await pageEvents(a.page)).toEqual(['0:confirmed', '0:ended']);
    } finally {
      await a.close();
    }
  }, 90_000);

  it('when a seat consults a named seat first, they talk over WebRTC, then the caller is transferred to that seat', async () => {
    const a = await browserSeat(bench, 'seat03', 's03');
    const b = await browserSeat(bench, 'seat11', 's11');
    const xferFile = path.join(stack.dir, 'xfer-consult.txt');
    try {
      const first = stack.startCall({
        dialed: '123483',
        caller: '13700001111',
        scenario: 'caller-transfer.xml',
        keys: { xferfile: xferFile },
        timeoutMs: 90_000,
      });
      const call = await talkingCall('s03');

      const ack = await emit(a.socket, 'call:transfer', { callId: call.id, target: { kind: 'seat', seatId: 's11' }, mode: 'consult' });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.data.consultUri).toMatch(/^sip:s11@/);
      expect(stack.seatState('s11')).toMatchObject({ kind: 'not-ready', reason: 'consult' });

      // A holds the caller and calls B; B's phone answers; both hear each other through rtpengine.
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

      // A ends the consultation and transfers the caller to B.
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[1]!.terminate());
      expect(await refer(a.page, ack.data.referTo)).toBe('accepted');
      await a.page.evaluate(() => (window as unknown as { sessions: { terminate(): void }[] }).sessions[0]!.terminate());
      const r1 = await first.done;
      expect(sippCounts(r1), r1.errors).toEqual({ ok: 1, failed: 0 });

      const token = await writtenBySipp(xferFile);
      const second = stack.startCall({ dialed: '12348', caller: '13700001111', transfer: token, talkMs: 3000 });
      const again = await talkingCall('s11');
      expect(stack.events(again.id).find((e) => e.type === 'transferred-in')?.data).toMatchObject({
        fromCallId: call.id,
        targetSeatId: 's11',
      });
      await waitFor(async () => (await inboundPackets(b.page, 1)) > 10, "the caller's audio at B");
      const r2 = await second.done;
      expect(sippCounts(r2), r2.errors).toEqual({ ok: 1, failed: 0 });
    } finally {
      await a.close();
      await b.close();
    }
  }, 150_000);

  it('when a seat calls another seat without a consultation, Kamailio refuses it', async () => {
    const a = await browserSeat(bench, 'seat03', 's03');
    const b = await browserSeat(bench, 'seat11', 's11');
    try {
      // s11 never consulted s03 (the earlier test allowed s03 → s11 only).
      await b.page.evaluate((uri) => {
        const w = window as unknown as { ua: import('jssip').UA };
        w.ua.call(uri, { mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
      }, 'sip:s03@' + stack.config.SIP_DOMAIN);
      await waitFor(async () => (await pageEvents(b.page)).some((e) => e.startsWith('0:failed')), 'the call failed');
      expect(await pageEvents(a.page)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
