import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/src/contract/index.js';
import type { Call } from '../../server/src/domain/call.js';
import { SystemClock, type Clock } from '../../server/src/domain/clock.js';
import type { TelephonyPort } from '../../server/src/domain/engine.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase, type Db } from '../../server/src/store/db.js';
import { hashPassword } from '../../server/src/features/auth/passwords.js';
import type { RecordingMedia } from '../../server/src/features/recordings/recording-service.js';
import type { OutboundPort } from '../../server/src/features/satisfaction/visit-dial-service.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A telephony port that records what the engine asked for. */
export class RecordingTelephony implements TelephonyPort {
  readonly rings: { callId: string; seatId: string; ringMs: number }[] = [];
  readonly overflows: { callId: string; target: string; trigger: string }[] = [];
  readonly cancels: { callId: string; seatId: string }[] = [];
  ring(call: Call, seatId: string, ringMs: number) {
    this.rings.push({ callId: call.id, seatId, ringMs });
  }
  overflow(call: Call, target: string, trigger: string) {
    this.overflows.push({ callId: call.id, target, trigger });
  }
  cancelRing(call: Call, seatId: string) {
    this.cancels.push({ callId: call.id, seatId });
  }
}

export interface TestServer {
  url: string;
  app: App;
  db: Db;
  dbPath: string;
  telephony: RecordingTelephony;
  stop(opts?: { keepDb?: boolean }): Promise<void>;
}

/** One real scrypt hash of the demo password per test process (unique salts are for production). */
let demoHash: Promise<string> | null = null;
const sharedDemoHash = (password: string) => (demoHash ??= hashPassword(password));

export function tempDbPath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-test-')), 'hotline.db');
}

/** A real server on an ephemeral port with the demo data, on a temp SQLite file. */
export async function startTestServer(
  opts: {
    dbPath?: string;
    env?: Record<string, string>;
    clock?: Clock;
    sipSecret?: string | null;
    recordingMedia?: RecordingMedia;
    logger?: Logger;
    /** The outbound line (click-to-call, 咨询12345); none by default. */
    outbound?: OutboundPort;
  } = {},
): Promise<TestServer> {
  const dbPath = opts.dbPath ?? tempDbPath();
  // No idle timeout unless a test asks for one: tests move virtual clocks by hours between requests.
  const config = loadConfig({
    PORT: '0',
    DB_PATH: dbPath,
    LOG_LEVEL: 'silent',
    CLIENT_DIST: 'client/dist',
    SESSION_IDLE_MINUTES: '0',
    ...opts.env,
  });
  const db = openDatabase(dbPath);
  const clock = opts.clock ?? SystemClock;
  await seedDemo(db, clock.now(), { hash: sharedDemoHash });
  const telephony = new RecordingTelephony();
  const app = createApp({
    config,
    db,
    clock,
    logger: opts.logger ?? pino({ level: 'silent' }),
    telephony,
    sipSecret: opts.sipSecret ?? null,
    recordingMedia: opts.recordingMedia ?? null,
    outbound: opts.outbound ?? null,
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    dbPath,
    telephony,
    async stop({ keepDb = false } = {}) {
      await app.close();
      db.close();
      if (!keepDb) fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
    },
  };
}

export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

/** Connects a Socket.IO client; `before` attaches listeners before the handshake completes. */
export async function connect(url: string, cookie: string | null, before?: (s: ClientSocket) => void): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  before?.(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Emits and resolves with the ack. */
export function emit<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(event, payload, resolve));
}

/** Resolves with the next event of that name that matches. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (arg: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (arg: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(arg)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(arg);
    };
    socket.on(event, handler as never);
  });
}
