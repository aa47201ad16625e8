/**
 * Malformed SIP against real Kamailio (issue 17 item 1): torture messages in the spirit of
 * RFC 4475 and a seeded, reproducible fuzzed INVITE corpus (PROTOS c07-sip style mutations:
 * missing and duplicated headers, over-long values, wrong Content-Length, byte flips, truncation,
 * bad request lines, bad SDP, huge bodies) over UDP, TCP and WebSocket. Afterwards Kamailio is
 * up, the router holds no call it should not, and a normal call is answered.
 *
 * The senders are untrusted loopback addresses, each under the flood guard's threshold, so every
 * message reaches the request route (not only the parser).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIPP_DIR, sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';
import { fuzzedInvites, tortureMessages } from './sip-corpus.js';

const SEED = 12348;
const UDP_COUNT = 2400;
const TCP_COUNT = 300;
const WS_COUNT = 150;
/** Messages per untrusted source address: below pike's 40 per 2 s. */
const PER_SOURCE = 30;

let stack: SipStack;
beforeAll(async () => {
  stack = await startSipStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const trunk = () => {
  const [host, port] = stack.env.SIP_TRUNK_ADDR!.split(':') as [string, string];
  return { host, port: Number(port) };
};

/** Sends each message from untrusted addresses; resolves with how many answers came back. */
async function sendUdp(messages: Buffer[], firstSource: number): Promise<number> {
  let answers = 0;
  const { host, port } = trunk();
  for (let i = 0; i < messages.length; i += PER_SOURCE) {
    const source = `127.0.${1 + Math.floor((firstSource + i / PER_SOURCE) / 250)}.${1 + ((firstSource + i / PER_SOURCE) % 250)}`;
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, source, resolve));
    sock.on('message', () => answers++);
    for (const m of messages.slice(i, i + PER_SOURCE)) {
      await new Promise<void>((resolve) => sock.send(m.subarray(0, 65_000), port, host, () => resolve()));
    }
    await new Promise((r) => setTimeout(r, 50));
    sock.close();
  }
  return answers;
}

async function sendTcp(messages: Buffer[], source: string): Promise<void> {
  const [host, port] = stack.env.SIP_WS_ADDR!.split(':') as [string, string];
  for (let i = 0; i < messages.length; i += 10) {
    await new Promise<void>((resolve) => {
      const c = net.createConnection({ host, port: Number(port), localAddress: source }, () => {
        for (const m of messages.slice(i, i + 10)) c.write(m);
        c.end();
      });
      c.on('data', () => undefined);
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      setTimeout(() => {
        c.destroy();
        resolve();
      }, 2000);
    });
  }
}

async function sendWs(messages: Buffer[], source: string): Promise<void> {
  const ws = new WebSocket(`ws://${stack.env.SIP_WS_ADDR}`, 'sip', { localAddress: source });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.on('message', () => undefined);
  for (const m of messages) if (ws.readyState === WebSocket.OPEN) ws.send(m.toString('latin1'));
  await new Promise((r) => setTimeout(r, 500));
  ws.close();
}

const optionsFromOffice = () =>
  stack.sipp([
    stack.env.SIP_TRUNK_ADDR!,
    '-sf',
    path.join(SIPP_DIR, 'options.xml'),
    '-key',
    'ua',
    'office-phone',
    '-i',
    '127.0.0.2',
    '-p',
    '0',
    '-m',
    '1',
  ]);

describe('malformed SIP', () => {
  it('the corpus is reproducible: the same seed gives the same messages', () => {
    const a = fuzzedInvites(SEED, 50, { host: '127.0.0.1', port: 5060 });
    const b = fuzzedInvites(SEED, 50, { host: '127.0.0.1', port: 5060 });
    expect(Buffer.concat(a).equals(Buffer.concat(b))).toBe(true);
    expect(new Set(a.map((m) => m.toString('latin1'))).size).toBeGreaterThan(45);
  });

  it(`torture messages and ${UDP_COUNT + TCP_COUNT + WS_COUNT} fuzzed INVITEs over UDP, TCP and WS: Kamailio stays up, no ghost call, a normal call is answered`, async () => {
    const { host, port } = trunk();
    const torture = tortureMessages({ host, port });
    await sendUdp(torture, 0);
    const answered = await sendUdp(fuzzedInvites(SEED, UDP_COUNT, { host, port }), 10);
    // The well-formed share of the corpus reached the request route and was refused there.
    expect(answered).toBeGreaterThan(UDP_COUNT / 10);
    await sendTcp([...torture, ...fuzzedInvites(SEED + 1, TCP_COUNT, { host, port })], '127.0.9.1');
    await sendWs(fuzzedInvites(SEED + 2, WS_COUNT, { host, port }), '127.0.9.2');

    expect(stack.kamailio?.exitCode).toBeNull();
    expect(sippCounts(await optionsFromOffice())).toEqual({ ok: 1, failed: 0 });
    expect((await fetch(`${stack.routerUrl}/api/health`)).status).toBe(200);
    // Untrusted senders never reach the queue: the router holds no call at all.
    expect(stack.calls()).toEqual([]);

    const phone = await stack.seat('s01');
    const call = await stack.call({ talkMs: 500 });
    expect(call.code, call.errors.slice(0, 500)).toBe(0);
    await phone.stop();
    const calls = stack.calls();
    expect(calls).toHaveLength(1); // the normal call, answered; nothing from the corpus
    expect(calls[0]!.answered_at).not.toBeNull();
  }, 120_000);
});

/** A REGISTER sweep of user names from one address: each user's answer (status and realm), in order. */
async function sweep(source: string, users: string[], waitMs = 2000): Promise<(string | null)[]> {
  const { host, port } = trunk();
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, source, resolve));
  const answers = new Map<string, string>();
  sock.on('message', (m) => {
    const text = m.toString('latin1');
    const user = /Call-ID: sweep-(\d+)-/.exec(text)?.[1];
    const realm = /WWW-Authenticate: Digest realm="([^"]+)"/.exec(text)?.[1] ?? '';
    if (user) answers.set(user, `${text.split('\r\n')[0]} ${realm}`);
  });
  const sent: Buffer[] = [];
  for (const [i, u] of users.entries()) {
    const msg = [
      `REGISTER sip:${stack.config.SIP_DOMAIN} SIP/2.0`,
      `Via: SIP/2.0/UDP ${source}:5099;rport;branch=z9hG4bK-sw-${u}`,
      `From: <sip:${u}@${stack.config.SIP_DOMAIN}>;tag=${u}`,
      `To: <sip:${u}@${stack.config.SIP_DOMAIN}>`,
      `Call-ID: sweep-${i}-${u}@${source}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:${u}@${source}:5099>`,
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sent.push(Buffer.from(msg));
    await new Promise<void>((resolve) => sock.send(msg, port, host, () => resolve()));
  }
  // Answers arrive within a moment; a banned sender's never do (bounded wait). Over UDP a request
  // can be lost on a loaded machine, so with a long wait the unanswered ones are sent again every
  // half second, as a phone's retransmission timer would.
  for (let waited = 0; answers.size < users.length && waited < waitMs; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    if (waitMs > 2000 && waited % 500 === 400) {
      for (const [i, msg] of sent.entries()) if (!answers.has(String(i))) sock.send(msg, port, host);
    }
  }
  sock.close();
  return users.map((_, i) => answers.get(String(i)) ?? null);
}

describe('a REGISTER sweep of user names', () => {
  // 100 pairs: far more requests than the flood guard allows in 2 s (40).
  const seats = Array.from({ length: 100 }, (_, i) => `s${String((i % 20) + 1).padStart(2, '0')}`);
  const madeUp = Array.from({ length: 100 }, (_, i) => `nobody${i}`);
  const users = seats.flatMap((s, i) => [s, madeUp[i]!]);

  it('learns nothing (the same answer for real and made-up seats) and the sender is banned', async () => {
    const first = await sweep('127.0.8.1', users);
    const real = first.filter((_, i) => i % 2 === 0);
    const fake = first.filter((_, i) => i % 2 === 1);
    expect(fake.filter((a) => a !== null).length).toBeGreaterThan(10);
    expect(new Set(real.filter((a) => a !== null))).toEqual(new Set([`SIP/2.0 401 Unauthorized ${stack.config.SIP_DOMAIN}`]));
    expect(new Set(fake.filter((a) => a !== null))).toEqual(new Set(real.filter((a) => a !== null)));
    // More than the flood guard allows: the later ones got no answer, and the address stays banned.
    expect(first.filter((a) => a === null).length).toBeGreaterThan(0);
    expect(await sweep('127.0.8.1', ['s01'])).toEqual([null]);
  });

  it('the trusted office address sweeping the same is answered every time, never banned', async () => {
    // Every answer is awaited (a loaded machine answers slowly; a ban would never answer).
    const all = await sweep('127.0.0.2', users, 20_000);
    expect(new Set(all)).toEqual(new Set([`SIP/2.0 401 Unauthorized ${stack.config.SIP_DOMAIN}`]));
    expect(await sweep('127.0.0.2', ['s01'], 20_000)).toEqual([`SIP/2.0 401 Unauthorized ${stack.config.SIP_DOMAIN}`]);
  });
});
