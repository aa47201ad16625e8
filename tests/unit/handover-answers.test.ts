/**
 * What 12345's HTTP answers may do to the router: the ticket fetch
 * (server/src/features/handover/ticket-fetch.ts) never follows a redirect (the request carries
 * 12345's signature headers, which must not go to wherever a redirect points) and reports it as
 * a failure that says what to correct; an answer too large is not read into memory, by the ticket
 * fetch or by the outbox (features/shared/capped-body.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { fetchTransport } from '../../server/src/features/handover/outbox-worker.js';
import { TicketFetcher, fetchGetTransport } from '../../server/src/features/handover/ticket-fetch.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

function fetcherOf(baseUrl: string) {
  return new TicketFetcher({
    baseUrl,
    key: () => ({ id: 'k1', secret: 'secret' }),
    clock: new VirtualClock(1_800_000_000_000),
    logger: pino({ level: 'silent' }),
    onFile: () => null,
    store: () => {
      throw new Error('nothing is stored from this answer');
    },
    timeoutMs: 5000,
    retries: 0,
  });
}

/** An answer of `mb` MB of JSON-looking text, written in 64 kB chunks. */
function huge(mb: number): http.RequestListener {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'x'.repeat(64 * 1024);
    let left = mb * 16;
    const more = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('error', () => undefined);
    more();
  };
}

describe('12345 answers the router does not trust', () => {
  it('a 301 from 12345 is not followed: the signed request never reaches its target, and the failure says to correct the address', async () => {
    const reached: http.IncomingHttpHeaders[] = [];
    const elsewhere = await serve((req, res) => {
      reached.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const api = await serve((req, res) => res.writeHead(301, { location: `${elsewhere}${req.url}` }).end());

    const direct = await fetchGetTransport(`${api}/tickets/T1`, { 'x-hotline-signature': 'sig' }, 2000);
    expect(direct.status).toBe(301);

    const r = await fetcherOf(api).get('T1');
    expect(r).toMatchObject({ ok: false, notFound: false, message: expect.stringContaining('重定向(301)') });
    expect(reached).toEqual([]);
  });

  it('a ticket answer of 20 MB is refused unread, with a sentence', async () => {
    const api = await serve(huge(20));
    const r = await fetcherOf(api).get('T2');
    expect(r).toMatchObject({ ok: false, notFound: false, message: expect.stringContaining('返回内容超过 256 KB') });
  });

  it('the outbox keeps at most 64 kB of an answer of 20 MB', async () => {
    const api = await serve(huge(20));
    const r = await fetchTransport(5000)(`${api}/work-orders`, {}, '{}');
    expect(r.status).toBe(200);
    expect(r.text.length).toBe(64 * 1024);
  });
});
