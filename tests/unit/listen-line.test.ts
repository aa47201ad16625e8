/**
 * 监听's telephony side (server/src/telephony/listen-line.ts, listen-sdp.ts) with a fake rtpengine
 * and a fake Kamailio link: the ng commands and evapi messages it sends, and how the leg ends.
 * The real exchange is tests/e2e/listen.test.ts.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/src/domain/errors.js';
import type { KamailioCommand } from '../../server/src/telephony/kamailio-protocol.js';
import { ListenLine, type ListenEndReason } from '../../server/src/telephony/listen-line.js';
import { browserOffer } from '../../server/src/telephony/listen-sdp.js';
import type { RtpengineNg } from '../../server/src/telephony/rtpengine-ng.js';

const OFFER = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=rtpengine',
  't=0 0',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 8',
  'a=mid:1',
  'a=sendonly',
  'a=setup:actpass',
  'm=audio 40010 UDP/TLS/RTP/SAVPF 8',
  'a=mid:1',
  'a=sendonly',
  'a=setup:actpass',
  '',
].join('\r\n');

function fakes(opts: { ngFails?: string } = {}) {
  const ng: { command: string; [k: string]: unknown }[] = [];
  const sent: KamailioCommand[] = [];
  const ended: { lid: string; why: ListenEndReason }[] = [];
  const fakeNg = {
    command: (msg: { command: string }) => {
      ng.push(msg);
      if (msg.command === opts.ngFails) return Promise.reject(new Error('error'));
      if (msg.command === 'subscribe request') return Promise.resolve({ result: 'ok', sdp: OFFER, 'to-tag': 'sub-tag' });
      return Promise.resolve({ result: 'ok' });
    },
  } as unknown as RtpengineNg;
  const line = new ListenLine({ ng: fakeNg, logger: pino({ level: 'silent' }), answerTimeoutMs: 200 });
  line.attach(
    (cmd) => {
      sent.push(cmd);
      return true;
    },
    (callId) => (callId === 'call-1' ? { ftag: 'caller-tag', ttag: 'seat-tag' } : null),
  );
  line.listen((leg, why) => ended.push({ lid: leg.lid, why }));
  return { line, ng, sent, ended };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function started(f: ReturnType<typeof fakes>) {
  const p = f.line.start('call-1', 'listen-u7');
  await tick();
  const start = f.sent.find((c) => c.cmd === 'listen-start') as Extract<KamailioCommand, { cmd: 'listen-start' }>;
  f.line.event({ event: 'listen-answered', lid: start.lid, sdp: Buffer.from('v=0 answer').toString('base64') });
  return { leg: await p, start };
}

describe('browserOffer', () => {
  it('numbers the duplicate mids, makes rtpengine the DTLS client and the browser the ICE controller', () => {
    const sdp = browserOffer(OFFER);
    expect(sdp.split('\r\n').slice(0, 5)).toEqual(['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=rtpengine', 't=0 0', 'a=ice-lite']);
    expect(sdp.match(/^a=mid:.*$/gm)).toEqual(['a=mid:1', 'a=mid:2']);
    expect(sdp.match(/^a=setup:.*$/gm)).toEqual(['a=setup:active', 'a=setup:active']);
    expect(sdp.split('\r\n').length).toBe(OFFER.split('\r\n').length + 1);
  });
});

describe('ListenLine', () => {
  it("subscribes to both sides with WebRTC flags, INVITEs the phone with the offer, gives rtpengine the phone's answer", async () => {
    const f = fakes();
    const { leg, start } = await started(f);
    expect(f.ng[0]).toMatchObject({
      command: 'subscribe request',
      'call-id': 'call-1',
      'from-tags': ['caller-tag', 'seat-tag'],
      ICE: 'force',
      'transport-protocol': 'UDP/TLS/RTP/SAVPF',
    });
    expect(start).toMatchObject({ cmd: 'listen-start', aor: 'listen-u7', call: 'call-1' });
    expect(start.lid).toMatch(/^listen-[a-f0-9]{32}$/);
    expect(Buffer.from(start.sdp, 'base64').toString()).toBe(browserOffer(OFFER));
    expect(f.ng[1]).toMatchObject({ command: 'subscribe answer', 'call-id': 'call-1', 'to-tag': 'sub-tag', sdp: 'v=0 answer' });
    expect(leg).toEqual({ lid: start.lid, callId: 'call-1', aor: 'listen-u7' });
    expect(f.line.active()).toEqual([leg]);
  });

  it('refuses a call whose dialog tags it does not know (ended, or answered before a restart)', async () => {
    const f = fakes();
    await expect(f.line.start('call-2', 'listen-u7')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(f.ng).toEqual([]);
  });

  it('says so when rtpengine refuses the subscription, and sends nothing to Kamailio', async () => {
    const f = fakes({ ngFails: 'subscribe request' });
    await expect(f.line.start('call-1', 'listen-u7')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(f.sent).toEqual([]);
  });

  it('a phone that is not registered (480) fails the start clearly; the subscription is dropped', async () => {
    const f = fakes();
    const p = f.line.start('call-1', 'listen-u7');
    await tick();
    const start = f.sent[0] as Extract<KamailioCommand, { cmd: 'listen-start' }>;
    f.line.event({ event: 'listen-failed', lid: start.lid, code: 480 });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toContain('未登记');
    expect(f.ng.at(-1)).toMatchObject({ command: 'unsubscribe', 'to-tag': 'sub-tag' });
    expect(f.line.active()).toEqual([]);
  });

  it('a phone that does not answer in time: the leg is stopped at Kamailio and the start fails', async () => {
    const f = fakes();
    await expect(f.line.start('call-1', 'listen-u7')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(f.sent.map((c) => c.cmd)).toEqual(['listen-start', 'listen-stop']);
    // Answered late: nothing is resolved twice, and the late leg is ended.
    f.line.event({ event: 'listen-answered', lid: (f.sent[0] as { lid: string }).lid, sdp: '' });
    expect(f.sent.map((c) => c.cmd)).toEqual(['listen-start', 'listen-stop', 'listen-stop']);
  });

  it('stop, the call ending and the phone hanging up each end the leg once, with the reason', async () => {
    for (const [how, why] of [
      ['stop', 'stopped'],
      ['call', 'call-ended'],
      ['phone', 'phone-hung-up'],
    ] as const) {
      const f = fakes();
      const { leg } = await started(f);
      if (how === 'stop') expect(f.line.stop(leg.lid)).toBe(true);
      if (how === 'call') f.line.callEnded('call-1');
      if (how === 'phone') f.line.event({ event: 'listen-bye', lid: leg.lid });
      expect(f.ended).toEqual([{ lid: leg.lid, why }]);
      expect(f.ng.at(-1)).toMatchObject({ command: 'unsubscribe', 'call-id': 'call-1', 'to-tag': 'sub-tag' });
      expect(f.sent.filter((c) => c.cmd === 'listen-stop')).toHaveLength(how === 'phone' ? 0 : 1);
      expect(f.line.active()).toEqual([]);
      expect(f.line.stop(leg.lid)).toBe(false);
    }
  });

  it("the phone's WebSocket closing (the page reloaded or closed) ends its leg: rtpengine unsubscribed, the listener told", async () => {
    const f = fakes();
    const { leg } = await started(f);
    f.line.event({ event: 'listen-gone', lid: leg.lid });
    expect(f.ended).toEqual([{ lid: leg.lid, why: 'phone-gone' }]);
    expect(f.ng.at(-1)).toMatchObject({ command: 'unsubscribe', 'call-id': 'call-1', 'to-tag': 'sub-tag' });
    expect(f.line.active()).toEqual([]);
    // Kamailio has forgotten the leg itself: nothing to send it
    expect(f.sent.filter((c) => c.cmd === 'listen-stop')).toHaveLength(0);
    f.line.event({ event: 'listen-gone', lid: leg.lid });
    expect(f.ended).toHaveLength(1);
  });
});
