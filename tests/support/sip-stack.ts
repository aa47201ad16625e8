/**
 * The real telephony stack on loopback for end-to-end tests and benchmarks:
 * rtpengine and Kamailio rendered from sip-config/ on free ports, the routing
 * server as a child process (main.ts, so it can be killed), SIPp as the trunk
 * caller and as seat phones registered with credentials from the server's API.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ServerConfig } from '../../server/src/config.js';
import type { SipCredentials } from '../../server/src/contract/index.js';
import type { RoutingConfig } from '../../server/src/domain/policy.js';
import { checkKamailioConfig, renderSipConfig } from '../../server/src/sip/render.js';
import { stopAllRecordings } from '../../server/src/telephony/recording-media.js';
import { RtpengineNg } from '../../server/src/telephony/rtpengine-ng.js';
import { freeMediaPort, freePort, nextMediaPortUnchecked, stopProcess, tail, tcpOpen, udpFree, waitFor } from './processes.js';
import { loopbackSipEnv } from './sip-env.js';
import { connect, emit, login, type ClientSocket } from './server.js';

export { freeMediaPort, waitFor } from './processes.js';

/**
 * What a SIPp scenario wrote to `file` with `<exec command="echo … > file">`: SIPp runs it from a
 * forked shell, so it may land just after the scenario ends (waited for, bounded).
 */
export function writtenBySipp(file: string): Promise<string> {
  return waitFor(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : ''), `SIPp's ${path.basename(file)}`);
}

export const SIPP_DIR = path.resolve(import.meta.dirname, '../sipp');
const ROOT = path.resolve(import.meta.dirname, '../..');

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);
}

function waitForPort(kind: 'tcp' | 'udp-listener', host: string, port: number, proc: ChildProcess, name: string, logFile: string) {
  return waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}): ${tail(logFile)}`);
      // A UDP port is taken once binding it fails.
      return kind === 'tcp' ? tcpOpen(host, port) : !(await udpFree(host, port));
    },
    `${name} on ${host}:${port}`,
    15_000,
  );
}

export interface SipResult {
  code: number | null;
  signal?: NodeJS.Signals | null;
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
  /** X-Caller-Language, e.g. "en" (caller.xml). */
  language?: string;
  /** X-Transfer token: the trunk dialling 12348 again after a seat's REFER. */
  transfer?: string;
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
  /** More SIPp arguments (e.g. -rtp_echo). */
  sippArgs?: string[];
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
  seat(
    seatId: string,
    opts?: {
      behaviour?: 'answer' | 'decline' | 'noanswer' | 'hold' | 'hangup' | 'hangup-on-info';
      ringMs?: number;
      ready?: boolean;
      /** Write every SIP message the phone sends and receives to <dir>/seat-<id>-messages.log. */
      traceMessages?: boolean;
    },
  ): Promise<SeatPhone>;
  /** Runs a SIPp caller on the trunk; resolves when SIPp exits. */
  call(opts?: CallOptions): Promise<SipResult>;
  /** Starts a SIPp caller and returns at once. */
  startCall(opts?: CallOptions): { proc: ChildProcess; done: Promise<SipResult> };
  sipp(args: string[], opts?: { timeoutMs?: number }): Promise<SipResult>;
  /** Read-only view of the router's database. */
  calls(): { id: string; state_kind: string; caller: string; category_id: string; answered_at: number | null; snapshot: string }[];
  events(callId: string): { type: string; data: Record<string, unknown> }[];
  seatState(seatId: string): { kind: string; registered: boolean; reason?: string };
  /** Router, Kamailio, rtpengine (each exit stays readable on its ChildProcess); `keepDir`: leave the folder (the caller removes it). */
  stop(o?: { keepDir?: boolean }): Promise<void>;
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
  const env = await loopbackSipEnv(dir, { rtpMin: rtpBase, rtpMax: rtpBase + 99, routing: opts.routing, env: opts.env });
  const config = loadConfig(env);
  const { loadOrCreateSipSecret } = await import('../../server/src/telephony/credentials.js');
  const rendered = renderSipConfig(config, loadOrCreateSipSecret(config.SIP_SECRET_FILE), {
    children: opts.kamailioChildren ?? 2,
    queueMaxMs: opts.queueMaxMs,
    debugLevel: 1,
  });
  const problem = checkKamailioConfig(rendered.kamailioCfg);
  if (problem) throw new Error(`kamailio -c: ${problem}`);
  const logs = {
    router: path.join(dir, 'router.log'),
    kamailio: path.join(dir, 'kamailio.log'),
    rtpengine: path.join(dir, 'rtpengine.log'),
  };
  const children = new Set<ChildProcess>();
  // If the test process ends without stop() (a hook timed out), take the servers down with it.
  const killAll = () => {
    for (const c of children) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const spawnLogged = (cmd: string, args: string[], log: string, extraEnv?: Record<string, string>, cwd = ROOT) => {
    const out = fs.openSync(log, 'a');
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', out, out], env: { ...process.env, ...extraEnv } });
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
      await waitFor(
        () => /resync with Kamailio done/.test(fs.readFileSync(logs.router, 'utf8').split('\n').slice(-200).join('\n')),
        'router synced with Kamailio',
        10_000,
      );
    },
    async killRouter() {
      await stopProcess(stack.router, { signal: 'SIGKILL', timeoutMs: 5000 });
      stack.router = null;
    },
    async startKamailio() {
      const p = spawnLogged('kamailio', ['-f', rendered.kamailioCfg, '-DD', '-E'], logs.kamailio);
      stack.kamailio = p;
      await waitForPort('udp-listener', host(env.SIP_TRUNK_ADDR!), port(env.SIP_TRUNK_ADDR!), p, 'kamailio', logs.kamailio);
      await waitForPort('tcp', host(env.EVAPI_ADDR!), port(env.EVAPI_ADDR!), p, 'kamailio evapi', logs.kamailio);
    },
    async stopKamailio() {
      await stopProcess(stack.kamailio, { timeoutMs: 5000 });
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
        [
          '-sf',
          path.join(SIPP_DIR, `seat-${behaviour}.xml`),
          '-i',
          seatIp,
          '-p',
          String(sipPort),
          '-mi',
          seatIp,
          '-mp',
          String(mediaPort),
          '-d',
          String(o.ringMs ?? 300),
          '-nostdin',
          '-nd',
          '-trace_err',
          '-error_file',
          path.join(dir, `seat-${seatId}-errors.log`),
          ...(o.traceMessages ? ['-trace_msg', '-message_file', path.join(dir, `seat-${seatId}-messages.log`)] : []),
        ],
        sippLog,
      );
      await waitForPort('udp-listener', seatIp, sipPort, sipp, `sipp seat ${seatId}`, sippLog);
      const register = async (expires = 300) => {
        const r = await stack.sipp([
          env.SIP_TRUNK_ADDR!,
          '-sf',
          path.join(SIPP_DIR, 'register.xml'),
          '-au',
          creds.username,
          '-ap',
          creds.password,
          '-key',
          'seat',
          seatId,
          '-key',
          'domain',
          creds.domain,
          '-key',
          'contact',
          contact,
          '-key',
          'expires',
          String(expires),
          '-i',
          seatIp,
          '-p',
          String(await freePort(seatIp)),
          '-m',
          '1',
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
          await stopProcess(sipp, { signal: 'SIGKILL', timeoutMs: 5000 });
        },
        /** Signs the seat off as a lawyer would: offline, phone unregistered, console closed. */
        async stop() {
          if (stopped) return;
          stopped = true;
          if (socket.connected) await withTimeout(emit(socket, 'seat:set-status', { status: 'offline' }), 2000).catch(() => undefined);
          await register(0).catch(() => undefined);
          socket.disconnect();
          await stopProcess(sipp, { signal: 'SIGKILL', timeoutMs: 5000 });
        },
      };
    },
    startCall(o = {}) {
      const n = o.calls ?? 1;
      const args = [
        env.SIP_TRUNK_ADDR!,
        '-sf',
        path.join(SIPP_DIR, o.scenario ?? 'caller.xml'),
        '-s',
        o.dialed ?? '12348',
        '-key',
        'caller',
        o.caller ?? '13812345678',
        '-key',
        'flags',
        o.flags ?? '',
        '-key',
        'ticket',
        o.ticket ?? '',
        '-key',
        'xfer',
        o.transfer ?? '',
        '-key',
        'lang',
        o.language ?? '',
        '-i',
        o.fromIp ?? '127.0.0.1',
        '-p',
        '0',
        '-mi',
        o.fromIp ?? '127.0.0.1',
        '-mp',
        String(nextMediaPortUnchecked()),
        '-d',
        String(o.talkMs ?? 1000),
        '-m',
        String(n),
        '-r',
        String(o.rate ?? 10),
      ];
      for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
      args.push(...(o.sippArgs ?? []));
      if (o.expectCode) {
        // SIPp cannot take a response code from a -key: write the scenario with the code in it.
        const file = path.join(dir, `caller-refused-${o.expectCode}.xml`);
        fs.writeFileSync(
          file,
          fs.readFileSync(path.join(SIPP_DIR, 'caller-refused.xml'), 'utf8').replace('[expect]', String(o.expectCode)),
        );
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
      const db = new Database(env.DB_PATH, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare(
            'SELECT id, state_kind, caller, category_id, answered_at, snapshot_json AS snapshot FROM calls ORDER BY enqueued_at, rowid',
          )
          .all() as ReturnType<SipStack['calls']>;
      } finally {
        db.close();
      }
    },
    events(callId) {
      const db = new Database(env.DB_PATH, { readonly: true, fileMustExist: true });
      try {
        return (
          db.prepare('SELECT type, data_json FROM call_events WHERE call_id = ? ORDER BY id').all(callId) as {
            type: string;
            data_json: string;
          }[]
        ).map((r) => ({ type: r.type, data: JSON.parse(r.data_json) as Record<string, unknown> }));
      } finally {
        db.close();
      }
    },
    seatState(seatId) {
      const db = new Database(env.DB_PATH, { readonly: true, fileMustExist: true });
      try {
        const r = db.prepare('SELECT state_json, registered FROM seat_states WHERE seat_id = ?').get(seatId) as
          { state_json: string; registered: number } | undefined;
        // No row yet: the seat has never left its initial state since the stack started.
        if (!r) return { kind: 'offline', registered: false };
        return { ...(JSON.parse(r.state_json) as { kind: string; reason?: string }), registered: r.registered === 1 };
      } finally {
        db.close();
      }
    },
    async stop(o = {}) {
      // The router stores its open recordings when it stops (SIGTERM): give it the time start.sh gives.
      await stopProcess(stack.router, { timeoutMs: 10_000 });
      for (const c of [...children])
        if (c !== stack.kamailio && c !== stack.rtpengine) await stopProcess(c, { signal: 'SIGKILL', timeoutMs: 5000 });
      await stopProcess(stack.kamailio, { timeoutMs: 5000 });
      // As start.sh: rtpengine 10.5 crashes when stopped with a recording open (a router killed before).
      if (stack.rtpengine && stack.rtpengine.exitCode === null && stack.rtpengine.signalCode === null) {
        const ng = new RtpengineNg(host(env.RTPENGINE_NG_ADDR!), port(env.RTPENGINE_NG_ADDR!));
        await stopAllRecordings(ng).catch(() => undefined);
        ng.close();
      }
      await stopProcess(stack.rtpengine, { timeoutMs: 5000 });
      process.off('exit', killAll);
      if (!process.env.KEEP_SIP_STACK && !o.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    const rtp = spawnLogged(
      'rtpengine',
      [
        '--config-file',
        rendered.rtpengineConf,
        '--config-section',
        'rtpengine',
        '--foreground',
        '--log-stderr',
        '--pidfile',
        path.join(dir, 'rtpengine.pid'),
      ],
      logs.rtpengine,
      undefined,
      // rtpengine 10.5 can dump core when it exits with recorded calls open: never in the repository.
      dir,
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

function runSipp(
  args: string[],
  dir: string,
  children: Set<ChildProcess>,
  timeoutMs = 60_000,
): { proc: ChildProcess; done: Promise<SipResult> } {
  const errFile = path.join(dir, `sipp-${Date.now()}-${Math.random().toString(36).slice(2)}-errors.log`);
  const proc = spawn(
    'sipp',
    [...args, '-nostdin', '-trace_err', '-error_file', errFile, '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += String(d)));
  proc.stderr.on('data', (d) => (stderr += String(d)));
  proc.once('exit', () => children.delete(proc));
  // 'close', not 'exit': on a busy machine the exit can be reported before the last of SIPp's
  // output (its final statistics) has been read from the pipe.
  const done = new Promise<SipResult>((resolve) => {
    proc.once('close', (code, signal) => {
      let errors = '';
      try {
        errors = fs.readFileSync(errFile, 'utf8');
      } catch {
        /* none */
      }
      resolve({ code, signal, stdout, stderr, errors });
    });
  });
  return { proc, done };
}

/** SIPp's final statistics: successful and failed call counts. */
export function sippCounts(r: SipResult): { ok: number; failed: number } {
  const ok = [...r.stdout.matchAll(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/g)].at(-1)?.[1];
  const failed = [...r.stdout.matchAll(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/g)].at(-1)?.[1];
  if (ok === undefined || failed === undefined)
    throw new Error(
      `SIPp printed no final statistics (exit ${r.code ?? r.signal ?? '?'}): ${(r.stderr + r.errors).trim().slice(-800) || '(no stderr)'}`,
    );
  return { ok: Number(ok), failed: Number(failed) };
}
