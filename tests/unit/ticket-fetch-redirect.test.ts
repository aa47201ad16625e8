/**
 * The ticket fetch from 12345 (server/src/features/handover/ticket-fetch.ts) never follows a
 * redirect: the request carries 12345's signature headers, which must not go to wherever a
 * redirect points. The redirect is reported as a failure that says what to correct.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
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

describe('the ticket fetch and redirects', () => {
  it('a 301 from 12345 is not followed: the signed request never reaches its target, and the failure says to correct the address', async () => {
    const reached: http.IncomingHttpHeaders[] = [];
    const elsewhere = await serve((req, res) => {
      reached.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const api = await serve((req, res) => res.writeHead(301, { location: `${elsewhere}${req.url}` }).end());

    const direct = await fetchGetTransport(`${api}/tickets/T1`, { 'x-hotline-signature': 'sig' }, 2000);
    expect(direct.status).toBe(301);

    const fetcher = new TicketFetcher({
      baseUrl: api,
      key: () => ({ id: 'k1', secret: 'secret' }),
      clock: new VirtualClock(1_800_000_000_000),
      logger: pino({ level: 'silent' }),
      onFile: () => null,
      store: () => {
        throw new Error('nothing is stored from a redirect');
      },
      timeoutMs: 2000,
      retries: 0,
    });
    const r = await fetcher.get('T1');
    expect(r).toMatchObject({ ok: false, notFound: false, message: expect.stringContaining('重定向(301)') });
    expect(reached).toEqual([]);
  });
});
