/**
 * Supervisor fan-out: `--supervisors` supervisor sockets and `--seats` seat sockets connected
 * to one router (bench/supervisor/fanout-router.ts, its own process) while the engine routes a
 * steady call load (`--cps` calls a second, each answered and talked for 3 s). Measured: the
 * delay from a queue push's build on the router (`at`) to its arrival at each supervisor
 * socket (same machine clock); from a call's offer (its id carries the time) to its first
 * appearance at each supervisor, coalescing included; updates per supervisor per second; the
 * router's CPU share, event-loop delay and each push's wall and CPU time; this process's CPU
 * share. `--cpu-prof` profiles the router and prints where its time went.
 * Supervisors subscribe for deltas ('queue:changed', as the monitor does); `--whole 1` measures
 * whole snapshots ('queue:updated') instead.
 *
 *   npx tsx bench/supervisor-fanout.bench.ts [--supervisors 500] [--seats 3000] [--cps 5] [--seconds 60] [--whole 1] [--cpu-prof] [--smoke]
 *
 * Checks: every socket connected, every supervisor got updates throughout, the load was
 * answered. `--smoke` (npm test): 10 supervisors, 50 seats, 5 s.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { Checks, ROOT, SMOKE, numberOption, writeResult } from './report.js';
import { keepProfiles } from './sip/cpuprofile-summary.js';
import { seatToken, supervisorToken } from './supervisor/fanout-router.js';

const NAME = 'supervisor-fanout.bench';
const supervisors = numberOption(NAME, 'supervisors', SMOKE ? 10 : 500);
const seats = numberOption(NAME, 'seats', SMOKE ? 50 : 3000);
const cps = numberOption(NAME, 'cps', 5);
const seconds = numberOption(NAME, 'seconds', SMOKE ? 5 : 60);
const whole = numberOption(NAME, 'whole', 0) === 1;
const CPU_PROF = process.argv.includes('--cpu-prof');
const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanout-prof-'));

const forkedAt = Date.now();
const router = fork(
  path.join(ROOT, 'bench/supervisor/fanout-router.ts'),
  ['--seats', String(seats), '--supervisors', String(supervisors), '--cps', String(cps)],
  {
    execArgv: ['--import', 'tsx', ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  router.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    const m = /READY (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  router.once('exit', (code) => reject(new Error(`router exited with ${code}`)));
});
const url = `http://127.0.0.1:${port}`;
const cookie = (token: string) => `hotline_sid=${token}`;

function open(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], extraHeaders: { cookie: cookie(token) }, reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const sockets: Socket[] = [];
const t0 = Date.now();
for (let i = 0; i < seats; i += 100) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, seats - i) }, (_, k) => open(seatToken(i + k))))));
}
const delays: number[] = [];
/** From a call's offer on the router to its first appearance on each supervisor's screen (coalescing included). */
const visible: number[] = [];
const perSupervisor = new Array<number>(supervisors).fill(0);
let measuring = false;
let disconnects = 0;
for (let i = 0; i < supervisors; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, supervisors - i) }, (_, k) => open(supervisorToken(i + k))));
  batch.forEach((s, k) => {
    const n = i + k;
    const seen = new Set<string>();
    s.on(whole ? 'queue:updated' : 'queue:changed', (push: { at: number; calls: { id: string }[] }) => {
      if (!measuring) return;
      const now = Date.now();
      delays.push(now - push.at);
      perSupervisor[n]! += 1;
      for (const c of push.calls) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        const offeredAt = Number(/^f-\d+-(\d+)$/.exec(c.id)?.[1]);
        if (offeredAt) visible.push(now - offeredAt);
      }
    });
    s.on('disconnect', () => {
      if (measuring) disconnects++;
    });
    s.emit('queue:subscribe', whole ? {} : { deltas: true }, () => undefined);
  });
  sockets.push(...batch);
}
const connectS = (Date.now() - t0) / 1000;

router.send('start');
const startedAt = Date.now();
const benchCpuFrom = process.cpuUsage();
measuring = true;
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
const benchCpu = process.cpuUsage(benchCpuFrom);
const measuredMs = Date.now() - startedAt;
const report = await new Promise<{
  offered: number;
  answered: number;
  cpuMs: number;
  wallMs: number;
  rssMb: number;
  loopDelayMs: { p50: number; p99: number; max: number };
  pushes: number;
  pushMs: { p50: number; p99: number; max: number };
  pushCpuMs: { p50: number; p99: number; max: number };
}>((resolve) => {
  router.once('message', (m) => resolve(m as never));
  router.send('report');
});
for (const s of sockets) s.disconnect();
const exited = new Promise((r) => router.once('exit', r));
router.send('stop');
await exited;

const quantiles = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
  return { p50: q(50), p95: q(95), p99: q(99), max: xs.at(-1) ?? NaN };
};
const result = {
  supervisors,
  seats,
  pushes: whole ? 'whole snapshots' : 'deltas',
  callsPerSecond: cps,
  seconds,
  connectSeconds: connectS,
  updates: delays.length,
  updatesPerSupervisorPerSecond: delays.length / supervisors / seconds,
  deliveryMs: quantiles(delays),
  newCallVisibleMs: quantiles(visible),
  routerCpuShare: report.cpuMs / report.wallMs,
  routerLoopDelayMs: report.loopDelayMs,
  routerPushes: report.pushes,
  routerPushMs: report.pushMs,
  routerPushCpuMs: report.pushCpuMs,
  benchProcessCpuShare: (benchCpu.user + benchCpu.system) / 1000 / measuredMs,
  routerRssMb: Math.round(report.rssMb),
  callsOffered: report.offered,
  callsAnswered: report.answered,
};
console.log(JSON.stringify(result, null, 2));
console.log(`result written to ${path.relative(ROOT, writeResult('supervisor-fanout', result))}`);
if (CPU_PROF) {
  const keep = path.join(ROOT, '.run', 'bench');
  process.stdout.write(keepProfiles(profDir, keep, (startedAt - forkedAt) / 1000 + 1));
}

const checks = new Checks();
checks.equal('sockets connected', sockets.length, supervisors + seats);
checks.equal('sockets dropped during the run', disconnects, 0);
checks.expect(
  'every supervisor got updates',
  perSupervisor.every((n) => n > 0),
  `${perSupervisor.filter((n) => n === 0).length} without`,
);
checks.expect(
  'calls answered',
  report.answered > 0 && report.answered >= report.offered - cps * 2,
  `${report.answered} of ${report.offered}`,
);
for (const line of checks.lines(NAME)) process.stderr.write(`${line}\n`);
process.exit(checks.failed.length === 0 ? 0 : 1);
