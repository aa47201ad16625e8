/**
 * Issue 11 item 1: an exception in a socket handler (thrown, or a rejected promise) answers the
 * client a generic error, is logged, and never escapes to end the process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SystemClock } from '../../server/src/domain/clock.js';
import type { Acd } from '../../server/src/domain/engine.js';
import type { SessionLookup } from '../../server/src/features/auth/auth-service.js';
import { on } from '../../server/src/transport/socket-handlers.js';
import { attachSocketServer, type SocketLayer } from '../../server/src/transport/socket-server.js';

const user = { id: 1, username: 'sup', displayName: '班长', role: 'supervisor' as const, seatId: null };
const auth: SessionLookup = {
  sessionForToken: (t) => (t === 'good' ? { user, expiresAt: Infinity, tokenHash: 'h' } : null),
  userForToken: (t) => (t === 'good' ? user : null),
};
const engine = { subscribe: () => () => undefined, listSeats: () => [] } as unknown as Acd;
const logged: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });

let server: http.Server;
let layer: SocketLayer;
let url: string;
beforeAll(async () => {
  server = http.createServer();
  layer = attachSocketServer(server, {
    auth,
    engine,
    clock: SystemClock,
    logger,
    disconnectGraceMs: 0,
    handlers: [
      on('queue:subscribe', z.object({}), 'queue:monitor', () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      }),
      on('seat:get', z.object({}), 'queue:monitor', () => Promise.reject(new Error('boom in a promise'))),
    ],
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  layer.close();
  await new Promise((r) => server.close(r));
});

describe('socket handlers that fail', () => {
  it('when a handler throws or rejects, the client should get a generic error without a stack, and the server keep serving', async () => {
    const socket = ioClient(url, {
      transports: ['websocket'],
      extraHeaders: { cookie: 'hotline_sid=good' },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ask = (event: string) => new Promise<unknown>((resolve) => socket.emit(event, {}, resolve));
    const generic = { ok: false, error: { code: 'INTERNAL', message: '服务器内部错误,请稍后重试' } };
    expect(await ask('queue:subscribe')).toEqual(generic);
    expect(await ask('seat:get')).toEqual(generic);
    // a client that sends no callback at all gets nothing back, and breaks nothing
    socket.emit('queue:subscribe', {});
    expect(await ask('queue:subscribe')).toEqual(generic);
    expect(logged.join('\n')).toMatch(/socket handler failed/);
    socket.disconnect();
  });

  it('when a handshake carries an undecodable cookie, it should be refused as unauthenticated', async () => {
    const socket = ioClient(url, {
      transports: ['websocket'],
      extraHeaders: { cookie: 'hotline_sid=%E0%A4%A' },
      reconnection: false,
      forceNew: true,
    });
    const err = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(err.message).toBe('UNAUTHENTICATED');
    socket.close();
  });
});
