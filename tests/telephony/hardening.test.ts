/**
 * Kamailio's guard: floods are banned (but never a trusted office NAT or a trunk),
 * scanners are dropped, and REGISTER answers the same whether a seat exists or not.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIPP_DIR, sippCounts, startSipStack, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;

beforeAll(async () => {
  // 127.0.0.2 stands for the office NAT (trusted); 127.0.0.5 and .6 are strangers.
  stack = await startSipStack({ env: { SIP_TRUSTED_SOURCES: '127.0.0.2/32' } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const options = (fromIp: string, n: number, rate: number, ua = 'office-phone') =>
  stack.sipp([
    stack.env.SIP_TRUNK_ADDR!,
    '-sf',
    path.join(SIPP_DIR, 'options.xml'),
    '-key',
    'ua',
    ua,
    '-i',
    fromIp,
    '-p',
    '0',
    '-m',
    String(n),
    '-r',
    String(rate),
    '-l',
    String(n),
  ]);

describe('flood guard', () => {
  it('a stranger sending a burst of requests is banned: later requests get no answer', async () => {
    const burst = await options('127.0.0.5', 200, 200);
    const c = sippCounts(burst);
    expect(c.ok + c.failed).toBe(200);
    expect(c.failed).toBeGreaterThan(0); // cut off once over 40 requests in 2 s
    const after = await options('127.0.0.5', 1, 1);
    expect(sippCounts(after)).toEqual({ ok: 0, failed: 1 });
  });

  it('the trusted office address sending the same burst is never banned', async () => {
    const burst = await options('127.0.0.2', 200, 200);
    expect(sippCounts(burst)).toEqual({ ok: 200, failed: 0 });
  });

  it('the trunk is never banned either', async () => {
    const burst = await options('127.0.0.1', 200, 200);
    expect(sippCounts(burst)).toEqual({ ok: 200, failed: 0 });
  });
});

describe('scanners', () => {
  it('a request from a SIP scanner user agent is dropped without a reply', async () => {
    const r = await options('127.0.0.6', 1, 1, 'friendly-scanner');
    expect(sippCounts(r)).toEqual({ ok: 0, failed: 1 });
    const normal = await options('127.0.0.6', 1, 1);
    expect(sippCounts(normal)).toEqual({ ok: 1, failed: 0 });
  });
});

describe('REGISTER gives nothing away', () => {
  it('a made-up seat and a real seat with a wrong password get the same 401', async () => {
    const reg = async (seat: string) => {
      const r = await stack.sipp([
        stack.env.SIP_TRUNK_ADDR!,
        '-sf',
        path.join(SIPP_DIR, 'register.xml'),
        '-au',
        `${Math.floor(Date.now() / 1000) + 3600}:${seat}`,
        '-ap',
        'guess',
        '-key',
        'seat',
        seat,
        '-key',
        'domain',
        stack.config.SIP_DOMAIN,
        '-key',
        'contact',
        '127.0.0.2:5999',
        '-key',
        'expires',
        '60',
        '-i',
        '127.0.0.2',
        '-p',
        '0',
        '-m',
        '1',
      ]);
      expect(r.code).not.toBe(0);
      // the status line and the challenge realm, without per-request nonces and tags
      return /SIP\/2\.0 (\d{3} [^\r\n]*)[\s\S]*?WWW-Authenticate: Digest realm="([^"]+)"/.exec(r.errors)?.slice(1);
    };
    const real = await reg('s01');
    const madeUp = await reg('nobody99');
    expect(real).toEqual(['401 Unauthorized', stack.config.SIP_DOMAIN]);
    expect(madeUp).toEqual(real);
  });
});

describe('the WebSocket port for browser softphones', () => {
  const upgrade = (pathAndHeaders: string) =>
    new Promise<string>((resolve, reject) => {
      const [host, port] = stack.env.SIP_WS_ADDR!.split(':') as [string, string];
      const sock = net.createConnection({ host, port: Number(port) }, () => sock.write(pathAndHeaders));
      let got = '';
      sock.on('data', (d) => {
        got += String(d);
        if (got.includes('\r\n\r\n')) {
          sock.destroy();
          resolve(got.split('\r\n')[0]!);
        }
      });
      sock.on('error', reject);
    });

  it('accepts a WebSocket upgrade with the sip subprotocol (RFC 7118)', async () => {
    const status = await upgrade(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n',
    );
    expect(status).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('answers any other HTTP request with 404', async () => {
    expect(await upgrade('GET /admin HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('HTTP/1.1 404 Not Found');
  });
});
