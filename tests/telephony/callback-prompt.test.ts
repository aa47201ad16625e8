/**
 * The call-back prompt's SIP side (server/src/telephony/callback-prompt.ts) against the real
 * rtpengine: the test is the caller (a UDP SIP socket and an RTP socket that counts packets).
 * Through Kamailio with a SIPp caller: tests/e2e/routing.test.ts.
 */
import dgram from 'node:dgram';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackPrompt } from '../../server/src/telephony/callback-prompt.js';
import { RtpengineNg } from '../../server/src/telephony/rtpengine-ng.js';
import { freeUdpPort } from '../support/processes.js';
import { startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';

const FILE = path.resolve('sip-config/prompts/callback-zh-CN.wav');
let stack: SipStack;

beforeAll(async () => {
  stack = await startSipStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** A caller: SIP and RTP sockets, everything it received. */
async function caller() {
  const sip = dgram.createSocket('udp4');
  const rtp = dgram.createSocket('udp4');
  const got: string[] = [];
  let audio = 0;
  sip.on('message', (m) => got.push(m.toString()));
  rtp.on('message', () => audio++);
  await new Promise<void>((r) => sip.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => rtp.bind(0, '127.0.0.1', r));
  const me = `127.0.0.1:${sip.address().port}`;
  const callId = `cb-${Math.random().toString(36).slice(2)}`;
  const tag = `caller${Math.random().toString(36).slice(2, 8)}`;
  const sdp = `v=0\r\no=trunk 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${rtp.address().port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n`;
  const common = (method: string, cseq: number, toTag = '') =>
    [
      `Via: SIP/2.0/UDP ${me};branch=z9hG4bK${method}${cseq}`,
      `From: <sip:13912340009@127.0.0.1>;tag=${tag}`,
      `To: <sip:callback@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:13912340009@${me}>`,
      'Max-Forwards: 70',
    ].join('\r\n');
  return {
    got,
    audio: () => audio,
    invite(to: string) {
      const [host, port] = to.replace('sip:callback@', '').split(':') as [string, string];
      const msg = `INVITE ${to} SIP/2.0\r\n${common('INVITE', 1)}\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
      sip.send(msg, Number(port), host);
      return { host, port: Number(port) };
    },
    send(text: string, at: { host: string; port: number }) {
      sip.send(text, at.port, at.host);
    },
    ack(at: { host: string; port: number }, toTag: string) {
      this.send(`ACK sip:callback@${at.host}:${at.port} SIP/2.0\r\n${common('ACK', 1, toTag)}\r\nContent-Length: 0\r\n\r\n`, at);
    },
    bye(at: { host: string; port: number }, toTag: string) {
      this.send(`BYE sip:callback@${at.host}:${at.port} SIP/2.0\r\n${common('BYE', 2, toTag)}\r\nContent-Length: 0\r\n\r\n`, at);
    },
    close() {
      sip.close();
      rtp.close();
    },
  };
}

function ngOf(addr: string, timeoutMs?: number) {
  const [h, p] = addr.split(':') as [string, string];
  return new RtpengineNg(h, Number(p), timeoutMs);
}

const toTagOf = (reply: string) => /^To:.*;tag=([^;\r\n]+)/m.exec(reply)?.[1] ?? '';

describe('the call-back prompt', () => {
  it('answers the caller with rtpengine’s SDP, plays the prompt to the caller and hangs up with a BYE when it has played', async () => {
    const ng = ngOf(stack.config.RTPENGINE_NG_ADDR);
    const prompt = new CallbackPrompt({ host: '127.0.0.1', file: FILE, ng, logger: pino({ level: 'silent' }) });
    await prompt.start();
    const c = await caller();
    try {
      const at = c.invite(prompt.uri()!);
      const ok = await waitFor(() => c.got.find((m) => m.startsWith('SIP/2.0 200')), '200 OK');
      expect(ok).toMatch(/^Content-Type: application\/sdp/m);
      expect(ok).toMatch(/^m=audio \d+ RTP\/AVP 8/m);
      c.ack(at, toTagOf(ok));
      await waitFor(() => c.audio() > 50, 'the prompt’s audio at the caller', 10_000);
      const bye = await waitFor(() => c.got.find((m) => m.startsWith('BYE ')), 'the BYE after the prompt', 20_000);
      expect(bye).toMatch(/^To: <sip:13912340009@127\.0\.0\.1>;tag=caller/m);
      expect(c.audio()).toBeGreaterThan(400); // 10 s of 20 ms packets, give or take
    } finally {
      c.close();
      prompt.stop();
      ng.close();
    }
  }, 40_000);

  it('when the caller hangs up during the prompt, answers 200 and sends no BYE of its own', async () => {
    const ng = ngOf(stack.config.RTPENGINE_NG_ADDR);
    const prompt = new CallbackPrompt({ host: '127.0.0.1', file: FILE, ng, logger: pino({ level: 'silent' }) });
    await prompt.start();
    const c = await caller();
    try {
      const at = c.invite(prompt.uri()!);
      const ok = await waitFor(() => c.got.find((m) => m.startsWith('SIP/2.0 200')), '200 OK');
      c.ack(at, toTagOf(ok));
      await waitFor(() => c.audio() > 10, 'the prompt’s audio at the caller');
      c.bye(at, toTagOf(ok));
      await waitFor(() => c.got.find((m) => m.startsWith('SIP/2.0 200') && /CSeq: 2 BYE/.test(m)), '200 to the BYE');
      await new Promise((r) => setTimeout(r, 1500));
      const heard = c.audio();
      await new Promise((r) => setTimeout(r, 500));
      expect(c.audio()).toBe(heard); // the playback stopped
      expect(c.got.some((m) => m.startsWith('BYE '))).toBe(false);
    } finally {
      c.close();
      prompt.stop();
      ng.close();
    }
  }, 40_000);

  it('when rtpengine does not answer, the caller hears 480 Callback Scheduled as before', async () => {
    const ng = ngOf(`127.0.0.1:${await freeUdpPort()}`, 300);
    const prompt = new CallbackPrompt({ host: '127.0.0.1', file: FILE, ng, logger: pino({ level: 'silent' }) });
    await prompt.start();
    const c = await caller();
    try {
      c.invite(prompt.uri()!);
      const reply = await waitFor(() => c.got.find((m) => /^SIP\/2\.0 [2-6]\d\d/.test(m) && !m.startsWith('SIP/2.0 100')), 'a final reply');
      expect(reply).toMatch(/^SIP\/2\.0 480 Callback Scheduled/);
    } finally {
      c.close();
      prompt.stop();
      ng.close();
    }
  });
});
