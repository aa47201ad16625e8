/**
 * The telephony stack for the SIP benchmarks: rtpengine, Kamailio and the routing
 * server on loopback, started the way scripts/start.sh starts them (configs rendered
 * from sip-config/ by server/src/sip/render.ts, the router as `node --import tsx
 * server/src/main.ts`), with what tests/support/sip-stack.ts cannot do yet:
 *
 *   - a bench-only direct route appended to the rendered Kamailio config
 *     (INVITE to a bench number → the registered seat, no evapi, no router);
 *   - seats, seat accounts and their sessions written to the database before the
 *     router starts (hundreds of seats without hundreds of scrypt logins);
 *   - hundreds of seat AORs registered to one SIPp UAS (register-client.ts);
 *   - Node flags for the router (--cpu-prof); CPU accounting lives in machine.ts.
 *
 * Nothing here is a test helper: the benches own their timing and their reports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig, type ServerConfig } from '../../server/src/config.js';
import type { ClientToServerEvents, SeatView, ServerToClientEvents, SipCredentials } from '../../server/src/contract/index.js';
import type { RoutingConfig } from '../../server/src/domain/policy.js';
import type { SeatProfile } from '../../server/src/domain/model.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/src/seed/demo.js';
import { checkKamailioConfig, renderSipConfig } from '../../server/src/sip/render.js';
import { openDatabase } from '../../server/src/store/db.js';
import { SessionRepository as SessionRepo } from '../../server/src/features/auth/session-repository.js';
import { UserRepository as UserRepo } from '../../server/src/features/auth/user-repository.js';
import { SeatRepository as SeatRepo } from '../../server/src/features/seats/seat-repository.js';
import { loadOrCreateSipSecret } from '../../server/src/telephony/credentials.js';
import { hashPassword } from '../../server/src/features/auth/passwords.js';
import {
  freeMediaPort,
  freePort,
  sleep,
  stopProcess,
  tail,
  tcpOpen,
  udpFree,
  waitFor as waitForShared,
} from '../../tests/support/processes.js';
import { loopbackSipEnv } from '../../tests/support/sip-env.js';
import { RegisterClient } from './register-client.js';

export { freePort, sleep, stopProcess, tail };

/** The bench waits up to 15 s by default (a loaded machine starts the stack slower). */
const waitFor = <T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000, everyMs = 50) =>
  waitForShared(fn, what, timeoutMs, everyMs);

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCENARIOS = path.resolve(import.meta.dirname, 'scenarios');

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// ------------------------------------------------------------------ small helpers

function udpTaken(host: string, port: number): Promise<boolean> {
  return udpFree(host, port).then((free) => !free);
}

/**
 * SIPp's signalling and media addresses on `ip` (`-i -p -mi -mp`): the given or a free SIP
 * port, and a free block of four RTP ports.
 */
export async function sippAddresses(ip: string, port?: number): Promise<string[]> {
  const sip = port ?? (await freePort(ip));
  return ['-i', ip, '-p', String(sip), '-mi', ip, '-mp', String(await freeMediaPort(ip))];
}

// ------------------------------------------------------------------ the stack

export interface BenchStackOptions {
  /** Edits the default routing configuration (written to ROUTING_CONFIG_FILE). */
  routing?: (cfg: RoutingConfig) => RoutingConfig;
  env?: Record<string, string>;
  /** Kamailio `children` (UDP workers); scripts/start.sh renders 4. */
  kamailioChildren?: number;
  kamailioDebug?: number;
  /** Appends the bench-only direct route: INVITE to `number` relays straight to `seat`. */
  directRoute?: { number: string; seat: string } | null;
  /** Extra seats b0001… (city centre, 综合咨询 at 5), with accounts and sessions. */
  benchSeats?: number;
  /** Node flags for the router, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  routerNodeArgs?: string[];
  /** Extra environment for Kamailio only (e.g. LD_PRELOAD of the TCP_NODELAY shim). */
  kamailioEnv?: Record<string, string>;
  /** Kamailio shared memory in MB (`-m`); default 256 with `-M 16`, as scripts/start.sh runs it. */
  kamailioShmMb?: number;
  /** Put the database (and everything else) under this folder instead of a new temp folder. */
  dir?: string;
  /** Keep the run folder (logs, database, SIPp traces) after stop(). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface BenchSeat {
  id: string;
  cookie: string;
  socket?: ClientSocket;
}

export interface BenchStack {
  dir: string;
  env: Record<string, string>;
  config: ServerConfig;
  routerUrl: string;
  kamailioCfg: string;
  logs: { router: string; kamailio: string; rtpengine: string };
  procs: { router: ChildProcess; kamailio: ChildProcess; rtpengine: ChildProcess };
  /** Session cookies written before the router started: seat id → cookie; also `admin`. */
  cookies: Map<string, string>;
  benchSeatIds: string[];
  trunk: { host: string; port: number };
  /** Opens each seat's console (Socket.IO), fetches its SIP credentials, registers it at `contact`, sets it ready. */
  seatsReady(
    seatIds: string[],
    contact: string,
    o?: { expires?: number; concurrency?: number; keepConsoles?: boolean },
  ): Promise<BenchSeat[]>;
  /** Re-registers (keeps the AORs alive for long runs). */
  reregister(seatIds: string[], contact: string, expires: number): Promise<void>;
  seats(): Promise<SeatView[]>;
  /** Kamailio's processes with their roles (kamcmd core.psx). */
  kamailioProcesses(): { pid: number; role: string }[];
  /** Kamailio's shared memory (kamcmd core.shmmem), bytes. */
  kamailioShm(): { total: number; used: number; realUsed: number; maxUsed: number; free: number; fragments: number } | null;
  /** Starts SIPp in the run folder (-nostdin added), its screen output in `log`. */
  sipp(args: string[], o?: { cwd?: string; log?: string }): ChildProcess;
  stop(): Promise<void>;
}

const STAFF_SESSION_USERS = ['admin', 'supervisor'];

/** Writes the bench seats, accounts and sessions; returns seat id → cookie (and admin/supervisor). */
export async function prepareDatabase(dbPath: string, benchSeats: number, seatIds: string[]): Promise<Map<string, string>> {
  const db = openDatabase(dbPath);
  try {
    const hash = await hashPassword(DEMO_PASSWORD); // one scrypt hash shared by every bench account
    const now = Date.now();
    await seedDemo(db, now, { hash: () => Promise.resolve(hash) });
    const seats = new SeatRepo(db);
    const users = new UserRepo(db);
    const sessions = new SessionRepo(db);
    const cookies = new Map<string, string>();
    const session = (userId: number) => {
      const token = crypto.randomBytes(32).toString('base64url');
      sessions.create(crypto.createHash('sha256').update(token).digest('hex'), userId, now, now + 12 * 3600_000);
      return `hotline_sid=${token}`;
    };
    db.transaction(() => {
      for (let i = 1; i <= benchSeats; i++) {
        const id = `b${String(i).padStart(4, '0')}`;
        const p: SeatProfile = {
          id,
          name: `压测${i}`,
          staffNo: `B${String(i).padStart(5, '0')}`,
          centreId: 'city',
          skills: { general: 5 },
          languages: ['zh'],
        };
        seats.upsert(p);
        users.create({ username: `bench${i}`, passwordHash: hash, role: 'seat', displayName: p.name, seatId: id }, now);
      }
      for (const u of STAFF_SESSION_USERS) cookies.set(u, session(users.byUsername(u)!.id));
      for (const id of seatIds) {
        const username = id.startsWith('b') ? `bench${Number(id.slice(1))}` : `seat${id.slice(1)}`;
        const user = users.byUsername(username);
        if (!user) throw new Error(`no account for seat ${id}`);
        cookies.set(id, session(user.id));
      }
    })();
    return cookies;
  } finally {
    db.close();
  }
}

/**
 * The bench's Kamailio addition, inserted into the rendered config: a request-route hook
 * before the trunk INVITE handling and a route that does the same Kamailio work as a
 * routed call (trunk check, transaction, 182, SEAT_BRANCH: rtpengine_manage and
 * record_route, SEAT_REPLY: rtpengine_manage on the answer) but rings a fixed seat
 * at once, with no evapi round trip and no routing server. It hooks the one rendered
 * file: the #!KAMAILIO line opens sip-config/kamailio-1-global.cfg.tmpl, the INVITE
 * dispatch is in kamailio-2-request.cfg.tmpl, SEAT_BRANCH and SEAT_REPLY in
 * kamailio-4-decisions.cfg.tmpl.
 */
export function addDirectRoute(cfg: string, o: { number: string; seat: string; domain: string; trunkSources: string }): string {
  // The request route's one INVITE dispatch (seat consultations vs. trunk calls).
  const hook = '\tif (is_method("INVITE")) {\n';
  if (cfg.split(hook).length !== 2)
    throw new Error('kamailio.cfg: cannot find the one INVITE dispatch of the request route for the bench direct route');
  const define = '#!define WITH_BENCH_DIRECT\n';
  const insert = [
    '#!ifdef WITH_BENCH_DIRECT',
    `\tif (is_method("INVITE") && $rU == "${o.number}") {`,
    '\t\troute(BENCH_DIRECT);',
    '\t\texit;',
    '\t}',
    '#!endif',
    '',
  ].join('\n');
  const block = `
#!ifdef WITH_BENCH_DIRECT
# Bench only (bench/sip/stack.ts): the Kamailio work of a routed call without the router.
route[BENCH_DIRECT] {
	if (!is_in_subnet("$si", "${o.trunkSources}")) {
		sl_send_reply("403", "Forbidden");
		exit;
	}
	if (!has_body("application/sdp")) {
		sl_send_reply("488", "Offer Required");
		exit;
	}
	t_newtran();
	t_reply("182", "Queued");
	$ru = "sip:${o.seat}@${o.domain}";
	$du = $null;
	if (!lookup("location")) {
		t_reply("480", "Seat Not Registered");
		exit;
	}
	t_on_branch("SEAT_BRANCH");
	t_on_reply("SEAT_REPLY");
	t_on_failure("BENCH_DIRECT_FAILED");
	if (!t_relay()) {
		t_reply("500", "Relay Failed");
	}
	exit;
}

failure_route[BENCH_DIRECT_FAILED] {
	rtpengine_delete();
}
#!endif
`;
  const withHook = cfg.replace(hook, insert + hook);
  // the #!define goes after the #!KAMAILIO marker line when there is one
  const nl = withHook.indexOf('\n');
  return withHook.startsWith('#!KAMAILIO')
    ? `${withHook.slice(0, nl + 1)}${define}${withHook.slice(nl + 1)}${block}`
    : `${define}${withHook}${block}`;
}

export async function startBenchStack(opts: BenchStackOptions = {}): Promise<BenchStack> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-sip-'));
  fs.mkdirSync(dir, { recursive: true });
  // Above the kernel's ephemeral range and the tests' rtpengine blocks (35000–59999).
  const env = await loopbackSipEnv(dir, { rtpMin: 61000, rtpMax: 64999, routing: opts.routing, env: opts.env });
  const config = loadConfig(env);
  const benchSeatIds = Array.from({ length: opts.benchSeats ?? 0 }, (_, i) => `b${String(i + 1).padStart(4, '0')}`);
  const demoIds = Array.from({ length: 18 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
  log(`bench stack in ${dir}: preparing the database (${benchSeatIds.length} bench seats)`);
  const cookies = await prepareDatabase(env.DB_PATH!, benchSeatIds.length, [...demoIds, ...benchSeatIds]);

  const rendered = renderSipConfig(config, loadOrCreateSipSecret(config.SIP_SECRET_FILE), {
    children: opts.kamailioChildren ?? 4,
    debugLevel: opts.kamailioDebug ?? 2,
  });
  if (opts.directRoute) {
    const text = fs.readFileSync(rendered.kamailioCfg, 'utf8');
    fs.writeFileSync(
      rendered.kamailioCfg,
      addDirectRoute(text, { ...opts.directRoute, domain: config.SIP_DOMAIN, trunkSources: config.SIP_TRUNK_SOURCES.replace(/\s+/g, '') }),
      { mode: 0o600 },
    );
  }
  const problem = checkKamailioConfig(rendered.kamailioCfg);
  if (problem) throw new Error(`kamailio -c: ${problem}`);

  const logs = {
    router: path.join(dir, 'router.log'),
    kamailio: path.join(dir, 'kamailio.log'),
    rtpengine: path.join(dir, 'rtpengine.log'),
  };
  const started: { p: ChildProcess; group: boolean }[] = [];
  const spawnLogged = (
    cmd: string,
    args: string[],
    logFile: string,
    o: { env?: Record<string, string>; group?: boolean; cwd?: string } = {},
  ) => {
    const out = fs.openSync(logFile, 'a');
    const p = spawn(cmd, args, {
      cwd: o.cwd ?? ROOT,
      stdio: ['ignore', out, out],
      env: { ...process.env, ...o.env },
      detached: o.group ?? false,
    });
    fs.closeSync(out);
    started.push({ p, group: o.group ?? false });
    return p;
  };
  const host = (addr: string) => addr.split(':')[0]!;
  const port = (addr: string) => Number(addr.split(':')[1]);
  const alive = (p: ChildProcess, name: string, file: string) => {
    if (p.exitCode !== null) throw new Error(`${name} exited (${p.exitCode}): ${tail(file)}`);
  };

  const stopAll = async () => {
    const router = started.find((s) => s.p === procs.router);
    if (router) await stopProcess(router.p, { timeoutMs: 15_000 }); // --cpu-prof writes its profile on exit
    for (const s of [...started].reverse()) await stopProcess(s.p, { group: s.group });
  };

  const procs = {} as BenchStack['procs'];
  try {
    procs.rtpengine = spawnLogged(
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
    );
    await waitFor(
      async () => (
        alive(procs.rtpengine, 'rtpengine', logs.rtpengine),
        udpTaken(host(env.RTPENGINE_NG_ADDR!), port(env.RTPENGINE_NG_ADDR!))
      ),
      'rtpengine',
    );
    procs.kamailio = spawnLogged(
      'kamailio',
      ['-f', rendered.kamailioCfg, '-DD', '-E', '-m', String(opts.kamailioShmMb ?? 256), '-M', '16'],
      logs.kamailio,
      {
        group: true,
        env: opts.kamailioEnv,
      },
    );
    await waitFor(
      async () => (alive(procs.kamailio, 'kamailio', logs.kamailio), udpTaken(host(env.SIP_TRUNK_ADDR!), port(env.SIP_TRUNK_ADDR!))),
      'kamailio SIP',
    );
    await waitFor(
      async () => (alive(procs.kamailio, 'kamailio', logs.kamailio), tcpOpen(host(env.EVAPI_ADDR!), port(env.EVAPI_ADDR!))),
      'kamailio evapi',
    );
    procs.router = spawnLogged(process.execPath, [...(opts.routerNodeArgs ?? []), '--import', 'tsx', 'server/src/main.ts'], logs.router, {
      env,
    });
    const routerUrl = `http://127.0.0.1:${env.PORT}`;
    await waitFor(
      async () => {
        alive(procs.router, 'router', logs.router);
        const r = await fetch(`${routerUrl}/api/health`).catch(() => null);
        return r?.ok ?? false;
      },
      'the routing server',
      30_000,
    );
    await waitFor(() => fs.readFileSync(logs.router, 'utf8').includes('resync with Kamailio done'), 'router synced with Kamailio');
  } catch (err) {
    await stopAll();
    throw err;
  }

  const routerUrl = `http://127.0.0.1:${env.PORT}`;
  const consoles: ClientSocket[] = [];
  const trunk = { host: host(env.SIP_TRUNK_ADDR!), port: port(env.SIP_TRUNK_ADDR!) };

  const credentials = async (cookie: string): Promise<SipCredentials> => {
    const res = await fetch(`${routerUrl}/api/sip/credentials`, { headers: { cookie } });
    const body = (await res.json()) as { ok: boolean; data: SipCredentials };
    if (!res.ok || !body.ok) throw new Error(`GET /api/sip/credentials: ${res.status} ${JSON.stringify(body)}`);
    return body.data;
  };

  const connectConsole = async (cookie: string): Promise<ClientSocket> => {
    const socket: ClientSocket = ioClient(routerUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    consoles.push(socket);
    return socket;
  };

  const forEachLimited = async <T>(items: T[], limit: number, fn: (x: T) => Promise<void>) => {
    let i = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (i < items.length) await fn(items[i++]!);
      }),
    );
  };

  const registerAll = async (seatIds: string[], contact: string, expires: number, concurrency: number) => {
    const client = new RegisterClient('127.0.0.2', trunk);
    await client.open();
    try {
      await forEachLimited(seatIds, concurrency, async (id) => {
        await client.register(await credentials(cookies.get(id)!), contact, expires);
      });
    } finally {
      client.close();
    }
  };

  const stack: BenchStack = {
    dir,
    env,
    config,
    routerUrl,
    kamailioCfg: rendered.kamailioCfg,
    logs,
    procs,
    cookies,
    benchSeatIds,
    trunk,
    async seatsReady(seatIds, contact, o = {}) {
      const expires = o.expires ?? 900;
      await registerAll(seatIds, contact, expires, o.concurrency ?? 16);
      const out: BenchSeat[] = [];
      await forEachLimited(seatIds, o.concurrency ?? 16, async (id) => {
        const cookie = cookies.get(id)!;
        const socket = await connectConsole(cookie);
        const ack = await new Promise<{ ok: boolean }>((resolve) =>
          (socket.emit as (...a: unknown[]) => void)('seat:set-status', { status: 'ready' }, resolve),
        );
        if (!ack.ok) throw new Error(`seat ${id} could not go ready: ${JSON.stringify(ack)}`);
        if (o.keepConsoles === false) socket.disconnect();
        out.push({ id, cookie, socket });
      });
      const want = new Set(seatIds);
      await waitFor(
        async () => (await stack.seats()).filter((s) => want.has(s.id) && s.registered && s.state.kind === 'ready').length === want.size,
        `${want.size} seats registered and ready`,
        30_000,
        200,
      );
      return out;
    },
    reregister: (seatIds, contact, expires) => registerAll(seatIds, contact, expires, 8),
    async seats() {
      const res = await fetch(`${routerUrl}/api/seats`, { headers: { cookie: cookies.get('admin')! } });
      const body = (await res.json()) as { ok: boolean; data: SeatView[] };
      if (!body.ok) throw new Error(`GET /api/seats: ${JSON.stringify(body)}`);
      return body.data;
    },
    kamailioProcesses() {
      const r = spawnSync('kamcmd', ['-s', `unix:${env.SIP_RUN_DIR}/kamailio_ctl`, 'core.psx'], { encoding: 'utf8' });
      const out: { pid: number; role: string }[] = [];
      let pid: number | null = null;
      for (const line of r.stdout.split('\n')) {
        const m = /^\s*(IDX|PID|DSC):\s*(.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'PID') pid = Number(m[2]);
        if (m[1] === 'DSC' && pid !== null) out.push({ pid, role: m[2]!.trim() });
      }
      return out;
    },
    kamailioShm() {
      const r = spawnSync('kamcmd', ['-s', `unix:${env.SIP_RUN_DIR}/kamailio_ctl`, 'core.shmmem'], { encoding: 'utf8', timeout: 3000 });
      const v = (k: string) => Number(new RegExp(`\\b${k}:\\s*(\\d+)`).exec(r.stdout ?? '')?.[1] ?? NaN);
      if (r.status !== 0) return null;
      return {
        total: v('total'),
        used: v('used'),
        realUsed: v('real_used'),
        maxUsed: v('max_used'),
        free: v('free'),
        fragments: v('fragments'),
      };
    },
    sipp(args, o = {}) {
      const logFile = o.log ?? path.join(dir, `sipp-${Date.now()}.log`);
      return spawnLogged('sipp', [...args, '-nostdin'], logFile, { cwd: o.cwd ?? dir });
    },
    async stop() {
      for (const s of consoles) s.disconnect();
      await stopAll();
      if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
