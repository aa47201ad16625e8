/**
 * Reconnection storm: `--clients` consoles (Socket.IO, with the console's own reconnect back-off
 * and jitter, client/src/shared/socket.ts RECONNECT) are connected to a real router process
 * (server/src/main.ts on a file database); the router is killed with SIGKILL and started again
 * at once, as `npm start` would. Measured while they all come back: the health check's latency
 * (GET /api/health every 20 ms from the moment the new router listens), how long until every
 * console is back, and the supervisors' consoles having their queue again.
 *
 *   npx tsx bench/reconnect-storm.bench.ts [--clients 1000] [--supervisor-share 0.2] [--smoke]
 *
 * Checks: every console reconnected, every supervisor console got a queue snapshot after it,
 * no health check failed once the router listened. `--smoke` (npm test): 60 consoles.
 * Target (issue: faults): the health check stays under 100 ms throughout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { RECONNECT } from '../client/src/shared/socket.js';
import { Checks, ROOT, SMOKE, numberOption, writeResult } from './report.js';
import { freeTcpPort } from '../tests/support/processes.js';

const NAME = 'reconnect-storm.bench';
const clients = numberOption(NAME, 'clients', SMOKE ? 60 : 1000);
const supervisorShare = numberOption(NAME, 'supervisor-share', 0.2);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconnect-storm-'));
const port = await freeTcpPort();
const url = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  DB_PATH: path.join(dir, 'hotline.db'),
  TELEPHONY: 'none',
  DEMO_HISTORY: 'false',
  LOG_LEVEL: 'warn',
  SOCKETS_PER_USER: '100',
  CLIENT_DIST: path.join(dir, 'no-client'),
};

function startRouter(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function health(timeoutMs = 2000): Promise<number | null> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? performance.now() - t0 : null;
  } catch {
    return null;
  }
}

async function waitListening(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await health(500)) !== null) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the router did not answer its health check in 12 s');
}

async function loginCookie(username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo12348' }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`cannot sign in ${username}: ${res.status}`);
  return cookie;
}

let router = startRouter();
await waitListening();
const staff = ['supervisor', 'manager', 'admin', 'supervisor-dc'];
const seatUsers = Array.from({ length: 18 }, (_, i) => `seat${String(i + 1).padStart(2, '0')}`);
const cookies = new Map<string, string>();
for (const u of [...staff, ...seatUsers]) cookies.set(u, await loginCookie(u));

interface Console {
  socket: Socket;
  supervisor: boolean;
  reconnectedAt: number | null;
  snapshotAfter: boolean;
}
const consoles: Console[] = [];
let restartAt = 0;
const supervisorsWanted = Math.round(clients * supervisorShare);
for (let i = 0; i < clients; i++) {
  const supervisor = i < supervisorsWanted;
  const user = supervisor ? staff[i % staff.length]! : seatUsers[i % seatUsers.length]!;
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie: cookies.get(user)! }, forceNew: true, ...RECONNECT });
  const c: Console = { socket, supervisor, reconnectedAt: null, snapshotAfter: false };
  socket.on('connect', () => {
    if (restartAt > 0 && c.reconnectedAt === null) c.reconnectedAt = Date.now();
    // The subscription's answer is the queue as it stands (then every change is pushed).
    if (supervisor)
      socket.emit('queue:subscribe', {}, (ack: { ok: boolean }) => {
        if (restartAt > 0 && ack.ok) c.snapshotAfter = true;
      });
  });
  consoles.push(c);
}
const connected = async () => {
  for (let i = 0; i < 600 && consoles.some((c) => !c.socket.connected); i++) await new Promise((r) => setTimeout(r, 50));
};
await connected();
const connectedBefore = consoles.filter((c) => c.socket.connected).length;

// Kill -9 and start again at once.
router.kill('SIGKILL');
await new Promise((r) => router.once('exit', r));
restartAt = Date.now();
router = startRouter();
await waitListening();
const listeningMs = Date.now() - restartAt;
const latencies: number[] = [];
let failures = 0;
const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  const ms = await health();
  if (ms === null) failures++;
  else latencies.push(ms);
  const back = consoles.every((c) => c.reconnectedAt !== null && (!c.supervisor || c.snapshotAfter));
  if (back && latencies.length > 50) break;
  await new Promise((r) => setTimeout(r, 20));
}
const backTimes = consoles.map((c) => (c.reconnectedAt === null ? Infinity : c.reconnectedAt - restartAt)).sort((a, b) => a - b);
for (const c of consoles) c.socket.disconnect();
router.kill('SIGTERM');
await new Promise((r) => router.once('exit', r));
fs.rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const round = (v: number) => Math.round(v * 10) / 10;
const result = {
  clients,
  supervisors: supervisorsWanted,
  routerListeningAfterMs: listeningMs,
  healthChecks: latencies.length,
  healthMs: { p50: round(q(latencies, 50)), p99: round(q(latencies, 99)), max: round(latencies.at(-1) ?? NaN) },
  healthFailures: failures,
  reconnectedMs: { first: backTimes[0], p50: q(backTimes, 50), p99: q(backTimes, 99), last: backTimes.at(-1) },
  loadAverage: os.loadavg().map(round),
};
console.log(JSON.stringify(result, null, 2));
console.log(`result written to ${path.relative(ROOT, writeResult('reconnect-storm', result))}`);
console.log(
  `RESULT reconnect-storm: health check max ${result.healthMs.max} ms while ${clients} consoles came back — target < 100 ms: ${result.healthMs.max < 100 ? 'met' : 'NOT met'}`,
);

const checks = new Checks();
checks.equal('consoles connected before the kill', connectedBefore, clients);
checks.equal('consoles back after the restart', consoles.filter((c) => c.reconnectedAt !== null).length, clients);
checks.equal(
  'supervisor consoles with their queue again',
  consoles.filter((c) => c.supervisor && c.snapshotAfter).length,
  supervisorsWanted,
);
checks.equal('health checks failed once listening', failures, 0);
for (const line of checks.lines(NAME)) process.stderr.write(`${line}\n`);
process.exit(checks.failed.length === 0 ? 0 : 1);
