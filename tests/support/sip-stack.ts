/**
 * The real telephony stack on loopback for end-to-end tests and benchmarks:
 * rtpengine and Kamailio rendered from sip-config/ on free ports, the routing
 * server as a child process (main.ts, so it can be killed), SIPp as the trunk
 * caller and as seat phones registered with credentials from the server's API.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ServerConfig } from '../../server/src/config.js';
import type { SipCredentials } from '../../server/src/contract/index.js';
import type { RoutingConfig } from '../../server/src/domain/policy.js';
import { checkKamailioConfig, renderSipConfig } from '../../server/src/sip/render.js';
import { connect, emit, login, type ClientSocket } from './server.js';

export const SIPP_DIR = path.resolve(import.meta.dirname, '../sipp');
const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, host, () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP (the router's HTTP port and SIPp's UDP port may coincide otherwise). */
async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const p = await freeUdpPort(host);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(p, host, () => s.close(() => resolve(true)));
    });
    if (ok) return p;
  }
}

async function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, host, () => s.close(() => resolve(true)));
  });
}

let mediaCursor = 20000 + (process.pid % 100) * 80;
/** A media port block for a caller that must start synchronously (SIPp reports a clash clearly). */
function nextMediaPortUnchecked(): number {
  mediaCursor += 4;
  if (mediaCursor > 34000) mediaCursor = 20000;
  return mediaCursor;
}

/** Four consecutive free UDP ports for SIPp's media (audio RTP/RTCP, video RTP/RTCP). */
export async function freeMediaPort(host: string): Promise<number> {
  for (;;) {
    mediaCursor += 4;
    if (mediaCursor > 34000) mediaCursor = 20000;
    const p = mediaCursor;
    const free = await Promise.all([0, 1, 2, 3].map((i) => udpFree(host, p + i)));
    if (free.every(Boolean)) return p;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function waitForPort(kind: 'tcp' | 'udp-listener', host: string, port: number, proc: ChildProcess, name: string, logFile: string) {
  return waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}): ${tail(logFile)}`);
      if (kind === 'tcp') {
        return new Promise<boolean>((resolve) => {
          const s = net.createConnection({ host, port }, () => {
            s.destroy();
            resolve(true);
          });
          s.on('error', () => resolve(false));
        });
      }
      // A UDP port is taken once binding it fails.
      return new Promise<boolean>((resolve) => {
        const s = dgram.createSocket('udp4');
        s.once('error', () => resolve(true));
        s.bind(port, host, () => s.close(() => resolve(false)));
      });
    },
    `${name} on ${host}:${port}`,
    15_000,
  );
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function stopProcess(p: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    p.kill(signal);
  });
}

export interface SipResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Contents of SIPp's -trace_err file, when it wrote one. */
  errors: string;
}

export interface SeatPhone {
  seatId: string;
  /** host:port where SIPp answers for this seat. */
  contact: string;
  socket: ClientSocket;
  cookie: string;
  sipp: ChildProcess;
  register(expires?: number): Promise<SipResult>;
  /** Unregisters and stops the phone only; the seat's status is left as it is. */
  stopPhone(): Promise<void>;
  stop(): Promise<void>;
}

export interface CallOptions {
  /** 12348 or 12348 + IVR digits. */
  dialed?: string;
  caller?: string;
  /** X-Caller-Flags, e.g. "elderly". */
  flags?: string;
  /** X-12345-Ticket of a call transferred in from 12345. */
  ticket?: string;
  /** Talk time before the caller hangs up (after the answer). */
  talkMs?: number;
  /** Scenario file in tests/sipp (default caller.xml). */
  scenario?: string;
  /** Extra -key name value pairs for the scenario. */
  keys?: Record<string, string>;
  /** Number of calls and their rate (calls per second). */
  calls?: number;
  rate?: number;
  /** Caller's source address (default the trunk address 127.0.0.1). */
  fromIp?: string;
  timeoutMs?: number;
  /** Use caller-refused.xml expecting this final response code. */
  expectCode?: number;
}

export interface SipStack {
  dir: string;
  config: ServerConfig;
  /** Environment the router runs with. */
  env: Record<string, string>;
  routerUrl: string;
  router: ChildProcess | null;
  kamailio: ChildProcess | null;
  rtpengine: ChildProcess | null;
  logs: { router: string; kamailio: string; rtpengine: string };
  startRouter(): Promise<void>;
  killRouter(): Promise<void>;
  startKamailio(): Promise<void>;
  stopKamailio(): Promise<void>;
  /** Logs in the seat's account, sets it ready, starts a SIPp phone and registers it. */
  seat(seatId: string, opts?: { behaviour?: 'answer' | 'decline' | 'noanswer' | 'hold'; ringMs?: number; ready?: boolean }): Promise<SeatPhone>;
  /** Runs a SIPp caller on the trunk; resolves when SIPp exits. */
  call(opts?: CallOptions): Promise<SipResult>;
  /** Starts a SIPp caller and returns at once. */
  startCall(opts?: CallOptions): { proc: ChildProcess; done: Promise<SipResult> };
  sipp(args: string[], opts?: { timeoutMs?: number }): Promise<SipResult>;
  /** Read-only view of the router's database. */
  calls(): { id: string; state_kind: string; caller: string; category_id: string; answered_at: number | null; snapshot: string }[];
  events(callId: string): { type: string; data: Record<string, unknown> }[];
  seatState(seatId: string): { kind: string; registered: boolean; reason?: string };
  stop(): Promise<void>;
}

export interface SipStackOptions {
  routing?: (cfg: RoutingConfig) => RoutingConfig;
  env?: Record<string, string>;
  /** Seat address for SIPp phones (a different loopback address than the trunk's). */
  seatIp?: string;
  kamailioChildren?: number;
  /** Kamailio's own queue backstop (default 15 min). */
  queueMaxMs?: number;
}

export async function sipCredentials(url: string, cookie: string): Promise<SipCredentials> {
  const res = await fetch(`${url}/api/sip/credentials`, { headers: { cookie } });
  const body = (await res.json()) as { ok: boolean; data: SipCredentials };
  if (!res.ok || !body.ok) throw new Error(`GET /api/sip/credentials: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

export async function startSipStack(opts: SipStackOptions = {}): Promise<SipStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-sip-'));
  const seatIp = opts.seatIp ?? '127.0.0.2';
  const rtpBase = 35000 + Math.floor(Math.random() * 250) * 100;
  const env: Record<string, string> = {
    PORT: String(await freeTcpPort()),
    HOST: '127.0.0.1',
    DB_PATH: path.join(dir, 'hotline.db'),
    LOG_LEVEL: 'info',
    TELEPHONY: 'kamailio',
    EVAPI_ADDR: `127.0.0.1:${await freeTcpPort()}`,
    SIP_TRUNK_ADDR: `127.0.0.1:${await freePort()}`,
    SIP_TRUNK_SOURCES: '127.0.0.1/32',
    SIP_TRUSTED_SOURCES: '127.0.0.0/30',
    SIP_WS_ADDR: `127.0.0.1:${await freeTcpPort()}`,
    SIP_12345_URI: `sip:12345@127.0.0.1:${await freePort()}`,
    RTPENGINE_NG_ADDR: `127.0.0.1:${await freeUdpPort()}`,
    RTP_ADDR: '127.0.0.1',
    RTP_PORT_MIN: String(rtpBase),
    RTP_PORT_MAX: String(rtpBase + 99),
    DTMF_LOG_ADDR: `127.0.0.1:${await freeUdpPort()}`,
    SIP_SECRET_FILE: path.join(dir, 'sip-secret'),
    SIP_RUN_DIR: path.join(dir, 'run'),
    SEAT_DISCONNECT_GRACE_S: '300',
    CLIENT_DIST: path.join(dir, 'no-client'),
    ...opts.env,
  };
  if (opts.routing) {
    const { DEFAULT_ROUTING_CONFIG } = await import('../../server/src/domain/policy.js');
    const file = path.join(dir, 'routing.json');
    fs.writeFileSync(file, JSON.stringify(opts.routing(structuredClone(DEFAULT_ROUTING_CONFIG))));
    env.ROUTING_CONFIG_FILE = file;
  }
  const config = loadConfig(env);
  const { loadOrCreateSipSecret } = await import('../../server/src/telephony/credentials.js');
  const rendered = renderSipConfig(config, loadOrCreateSipSecret(config.SIP_SECRET_FILE), {
    children: opts.kamailioChildren ?? 2,
    queueMaxMs: opts.queueMaxMs,
    debugLevel: 1,
  });
  const problem = checkKamailioConfig(rendered.kamailioCfg);
  if (problem) throw new Error(`kamailio -c: ${problem}`);
  const logs = { router: path.join(dir, 'router.log'), kamailio: path.join(dir, 'kamailio.log'), rtpengine: path.join(dir, 'rtpengine.log') };
  const children = new Set<ChildProcess>();
  // If the test process ends without stop() (a hook timed out), take the servers down with it.
  const killAll = () => {
    for (const c of children) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const spawnLogged = (cmd: string, args: string[], log: string, extraEnv?: Record<string, string>) => {
    const out = fs.openSync(log, 'a');
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', out, out], env: { ...process.env, ...extraEnv } });
    fs.closeSync(out);
    children.add(p);
    p.once('exit', () => children.delete(p));
    return p;
  };
  const host = (addr: string) => addr.split(':')[0]!;
  const port = (addr: string) => Number(addr.split(':')[1]);

  const stack: SipStack = {
    dir,
    config,
    env,
    routerUrl: `http://127.0.0.1:${env.PORT}`,
    router: null,
    kamailio: null,
    rtpengine: null,
    logs,
    async startRouter() {
      const p = spawnLogged(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], logs.router, env);
      stack.router = p;
      await waitFor(
        async () => {
          if (p.exitCode !== null) throw new Error(`router exited (${p.exitCode}): ${tail(logs.router)}`);
          const r = await fetch(`${stack.routerUrl}/api/health`).catch(() => null);
          return r?.ok ?? false;
        },
        'the routing server',
        20_000,
      );
      await waitFor(() => /resync with Kamailio done/.test(fs.readFileSync(logs.router, 'utf8').split('\n').slice(-200).join('\n')), 'router synced with Kamailio', 10_000);
    },
    async killRouter() {
      await stopProcess(stack.router, 'SIGKILL');
      stack.router = null;
    },
    async startKamailio() {
      const p = spawnLogged('kamailio', ['-f', rendered.kamailioCfg, '-DD', '-E'], logs.kamailio);
      stack.kamailio = p;
      await waitForPort('udp-listener', host(env.SIP_TRUNK_ADDR!), port(env.SIP_TRUNK_ADDR!), p, 'kamailio', logs.kamailio);
      await waitForPort('tcp', host(env.EVAPI_ADDR!), port(env.EVAPI_ADDR!), p, 'kamailio evapi', logs.kamailio);
    },
    async stopKamailio() {
      await stopProcess(stack.kamailio);
      stack.kamailio = null;
    },
    async seat(seatId, o = {}) {
      const behaviour = o.behaviour ?? 'answer';
      const cookie = await login(stack.routerUrl, `seat${seatId.slice(1)}`);
      const socket = await connect(stack.routerUrl, cookie);
      const creds = await sipCredentials(stack.routerUrl, cookie);
      const sipPort = await freePort(seatIp);
      const mediaPort = await freeMediaPort(seatIp);
      const contact = `${seatIp}:${sipPort}`;
      const sippLog = path.join(dir, `seat-${seatId}.log`);
      const sipp = spawnLogged(
        'sipp',
        ['-sf', path.join(SIPP_DIR, `seat-${behaviour}.xml`), '-i', seatIp, '-p', String(sipPort), '-mi', seatIp, '-mp', String(mediaPort), '-d', String(o.ringMs ?? 300), '-nostdin', '-nd', '-trace_err', '-error_file', path.join(dir, `seat-${seatId}-errors.log`)],
        sippLog,
      );
      await waitForPort('udp-listener', seatIp, sipPort, sipp, `sipp seat ${seatId}`, sippLog);
      const register = async (expires = 300) => {
        const r = await stack.sipp([
          env.SIP_TRUNK_ADDR!,
          '-sf', path.join(SIPP_DIR, 'register.xml'),
          '-au', creds.username, '-ap', creds.password,
          '-key', 'seat', seatId, '-key', 'domain', creds.domain, '-key', 'contact', contact, '-key', 'expires', String(expires),
          '-i', seatIp, '-p', String(await freePort(seatIp)), '-m', '1',
        ]);
        if (r.code !== 0) throw new Error(`REGISTER for ${seatId} failed: ${r.errors || r.stdout.slice(-500)}`);
        return r;
      };
      await register();
      let stopped = false;
      if (o.ready !== false) {
        const ack = await emit(socket, 'seat:set-status', { status: 'ready' });
        if (!ack.ok) throw new Error(`seat ${seatId} could not go ready: ${JSON.stringify(ack)}`);
      }
      return {
        seatId,
        contact,
        socket,
        cookie,
        sipp,
        register,
        async stopPhone() {
          await register(0).catch(() => undefined);
          await stopProcess(sipp, 'SIGKILL');
        },
        /** Signs the seat off as a lawyer would: offline, phone unregistered, console closed. */
        async stop() {
          if (stopped) return;
          stopped = true;
          if (socket.connected) await withTimeout(emit(socket, 'seat:set-status', { status: 'offline' }), 2000).catch(() => undefined);
          await register(0).catch(() => undefined);
          socket.disconnect();
          await stopProcess(sipp, 'SIGKILL');
        },
      };
    },
    startCall(o = {}) {
      const n = o.calls ?? 1;
      const args = [
        env.SIP_TRUNK_ADDR!,
        '-sf', path.join(SIPP_DIR, o.scenario ?? 'caller.xml'),
        '-s', o.dialed ?? '12348',
        '-key', 'caller', o.caller ?? '13812345678',
        '-key', 'flags', o.flags ?? '',
        '-key', 'ticket', o.ticket ?? '',
        '-i', o.fromIp ?? '127.0.0.1',
        '-p', '0',
        '-mi', o.fromIp ?? '127.0.0.1',
        '-mp', String(nextMediaPortUnchecked()),
        '-d', String(o.talkMs ?? 1000),
        '-m', String(n),
        '-r', String(o.rate ?? 10),
      ];
      for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
      if (o.expectCode) {
        // SIPp cannot take a response code from a -key: write the scenario with the code in it.
        const file = path.join(dir, `caller-refused-${o.expectCode}.xml`);
        fs.writeFileSync(file, fs.readFileSync(path.join(SIPP_DIR, 'caller-refused.xml'), 'utf8').replace('[expect]', String(o.expectCode)));
        args[2] = file;
      }
      return runSipp(args, dir, children, o.timeoutMs);
    },
    call(o = {}) {
      return stack.startCall(o).done;
    },
    sipp(args, o = {}) {
      return runSipp(args, dir, children, o.timeoutMs).done;
    },
    calls() {
      const db = new Database(env.DB_PATH!, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare('SELECT id, state_kind, caller, category_id, answered_at, snapshot_json AS snapshot FROM calls ORDER BY enqueued_at, rowid')
          .all() as ReturnType<SipStack['calls']>;
      } finally {
        db.close();
      }
    },
    events(callId) {
      const db = new Database(env.DB_PATH!, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT type, data_json FROM call_events WHERE call_id = ? ORDER BY id').all(callId) as { type: string; data_json: string }[]).map(
          (r) => ({ type: r.type, data: JSON.parse(r.data_json) as Record<string, unknown> }),
        );
      } finally {
        db.close();
      }
    },
    seatState(seatId) {
      const db = new Database(env.DB_PATH!, { readonly: true, fileMustExist: true });
      try {
        const r = db.prepare('SELECT state_json, registered FROM seat_states WHERE seat_id = ?').get(seatId) as { state_json: string; registered: number };
        return { ...(JSON.parse(r.state_json) as { kind: string; reason?: string }), registered: r.registered === 1 };
      } finally {
        db.close();
      }
    },
    async stop() {
      await stopProcess(stack.router);
      for (const c of [...children]) if (c !== stack.kamailio && c !== stack.rtpengine) await stopProcess(c, 'SIGKILL');
      await stopProcess(stack.kamailio);
      await stopProcess(stack.rtpengine);
      process.off('exit', killAll);
      if (!process.env.KEEP_SIP_STACK) fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    const rtp = spawnLogged(
      'rtpengine',
      ['--config-file', rendered.rtpengineConf, '--config-section', 'rtpengine', '--foreground', '--log-stderr', '--pidfile', path.join(dir, 'rtpengine.pid')],
      logs.rtpengine,
    );
    stack.rtpengine = rtp;
    await waitForPort('udp-listener', host(env.RTPENGINE_NG_ADDR!), port(env.RTPENGINE_NG_ADDR!), rtp, 'rtpengine', logs.rtpengine);
    await stack.startKamailio();
    await stack.startRouter();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

function runSipp(args: string[], dir: string, children: Set<ChildProcess>, timeoutMs = 60_000): { proc: ChildProcess; done: Promise<SipResult> } {
  const errFile = path.join(dir, `sipp-${Date.now()}-${Math.random().toString(36).slice(2)}-errors.log`);
  const proc = spawn('sipp', [...args, '-nostdin', '-trace_err', '-error_file', errFile, '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += String(d)));
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const done = new Promise<SipResult>((resolve) => {
    proc.once('exit', (code) => {
      children.delete(proc);
      let errors = '';
      try {
        errors = fs.readFileSync(errFile, 'utf8');
      } catch {
        /* none */
      }
      resolve({ code, stdout, stderr, errors });
    });
  });
  return { proc, done };
}

/** SIPp's final statistics: successful and failed call counts. */
export function sippCounts(r: SipResult): { ok: number; failed: number } {
  const ok = [...r.stdout.matchAll(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/g)].at(-1)?.[1];
  const failed = [...r.stdout.matchAll(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/g)].at(-1)?.[1];
  return { ok: Number(ok ?? NaN), failed: Number(failed ?? NaN) };
}
