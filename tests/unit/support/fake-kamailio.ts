/**
 * A fake evapi peer for the Kamailio adapter's tests: a local TCP server speaking
 * netstrings, recording what the adapter sends and answering its sync.
 */
import net from 'node:net';
import pino from 'pino';
import { SystemClock } from '../../../server/src/domain/clock.js';
import type { AcdForTelephony, TelephonyPort } from '../../../server/src/domain/engine.js';
import type { SipLegRepo } from '../../../server/src/store/sip-legs.js';
import { KamailioTelephony, type KamailioAdapterOptions } from '../../../server/src/telephony/kamailio-adapter.js';
import { NetstringDecoder, encodeNetstring } from '../../../server/src/telephony/netstring.js';
import { TelephonyRelay } from '../../../server/src/telephony/telephony-relay.js';

export interface FakeKamailio {
  port: number;
  received: Record<string, unknown>[];
  /** Every byte the adapter wrote, as text. */
  raw: string;
  send(ev: Record<string, unknown>): void;
  /** Sends these events in one TCP write (as Kamailio does when the router is busy). */
  sendTogether(evs: Record<string, unknown>[]): void;
  /** Replies to the adapter's sync with these held calls. */
  held: Record<string, unknown>[];
  /** …and these talking calls that ended by a BYE lately ({callid, seat, by}). */
  gone: Record<string, unknown>[];
  dropClients(): void;
  close(): Promise<void>;
}

export async function fakeKamailio(): Promise<FakeKamailio> {
  const clients = new Set<net.Socket>();
  const fake: FakeKamailio = {
    port: 0,
    received: [],
    raw: '',
    held: [],
    gone: [],
    send(ev) {
      for (const c of clients) c.write(encodeNetstring(JSON.stringify(ev)));
    },
    sendTogether(evs) {
      const all = Buffer.concat(evs.map((ev) => encodeNetstring(JSON.stringify(ev))));
      for (const c of clients) c.write(all);
    },
    dropClients() {
      for (const c of clients) c.destroy();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server = net.createServer((sock) => {
    clients.add(sock);
    sock.on('close', () => clients.delete(sock));
    sock.on('error', () => {}); // the adapter stopping with bytes unread resets the connection: that is the end of a test, not a failure
    const dec = new NetstringDecoder();
    sock.on('data', (d: Buffer) => {
      fake.raw += d.toString();
      for (const f of dec.push(d)) {
        const msg = JSON.parse(f) as Record<string, unknown>;
        if (msg.cmd === 'ping') continue;
        fake.received.push(msg);
        if (msg.cmd === 'sync') {
          for (const h of fake.held) sock.write(encodeNetstring(JSON.stringify({ event: 'held', ...h })));
          for (const g of fake.gone) sock.write(encodeNetstring(JSON.stringify({ event: 'gone', ...g })));
          sock.write(encodeNetstring(JSON.stringify({ event: 'sync-done' })));
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.port = (server.address() as net.AddressInfo).port;
  return fake;
}

export const until = async (fn: () => boolean, what: string) => {
  const end = Date.now() + 3000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** An enqueue event as Kamailio sends it when a call enters the queue. */
export const enqueue = (callid: string, extra: Record<string, unknown> = {}) => ({
  event: 'enqueue',
  callid,
  tindex: 11,
  tlabel: 22,
  caller: '13800000001',
  dialed: '123482',
  ivr: '2',
  flags: 'elderly, unknown-flag',
  ticket: '',
  src: '127.0.0.1',
  at: 1795465000.25,
  ...extra,
});

/**
 * The engine and the adapter wired as the composition does: the engine is built with a
 * relay (by `makeEngine`), the adapter with the engine, then the relay points at the adapter.
 */
export function wireAdapter<E extends AcdForTelephony>(
  fake: FakeKamailio,
  legs: SipLegRepo,
  makeEngine: (telephony: TelephonyPort) => E,
  options: Partial<KamailioAdapterOptions> = {},
): { engine: E; adapter: KamailioTelephony } {
  const relay = new TelephonyRelay();
  const engine = makeEngine(relay);
  const adapter = new KamailioTelephony({
    engine,
    evapiHost: '127.0.0.1',
    evapiPort: fake.port,
    clock: SystemClock,
    logger: pino({ level: 'silent' }),
    legs,
    uri12345: 'sip:12345@gw',
    offerBudget: 14,
    keepaliveMs: 60_000,
    ...options,
  });
  relay.connect(adapter);
  return { engine, adapter };
}
