/**
 * Supervisor fan-out: `--supervisors` supervisor sockets and `--seats` seat sockets connected
 * to one router (bench/supervisor/fanout-router.ts, its own process) while the engine routes a
 * steady call load (`--cps` calls a second, each answered and talked for 3 s). Measured: the
 * delay from a queue push's build on the router (`at`) to its arrival at each supervisor
 * socket (same machine clock), updates per supervisor per second, and the router's CPU share.
 * Supervisors subscribe for deltas ('queue:changed', as the monitor does); `--whole 1` measures
 * whole snapshots ('queue:updated') instead.
 *
 *   npx tsx bench/supervisor-fanout.bench.ts [--supervisors 500] [--seats 3000] [--cps 5] [--seconds 60] [--whole 1] [--smoke]
 *
 * Checks: every socket connected, every supervisor got updates throughout, the load was
 * answered. `--smoke` (npm test): 10 supervisors, 50 seats, 5 s.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { Checks, ROOT, SMOKE, numberOption, writeResult } from './report.js';
import { seatToken, supervisorToken } from './supervisor/fanout-router.js';

const NAME = 'supervisor-fanout.bench';
const supervisors = numberOption(NAME, 'supervisors', SMOKE ? 10 : 500);
const seats = numberOption(NAME, 'seats', SMOKE ? 50 : 3000);
const cps = numberOption(NAME, 'cps', 5);
const seconds = numberOption(NAME, 'seconds', SMOKE ? 5 : 60);
const whole = numberOption(NAME, 'whole', 0) === 1;

const router = fork(
  path.join(ROOT, 'bench/supervisor/fanout-router.ts'),
  ['--seats', String(seats), '--supervisors', String(supervisors), '--cps', String(cps)],
  {
    execArgv: ['--import', 'tsx'],
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
const perSupervisor = new Array<number>(supervisors).fill(0);
let measuring = false;
let disconnects = 0;
for (let i = 0; i < supervisors; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, supervisors - i) }, (_, k) => open(supervisorToken(i + k))));
  batch.forEach((s, k) => {
    const n = i + k;
    s.on(whole ? 'queue:updated' : 'queue:changed', (push: { at: number }) => {
      if (!measuring) return;
      delays.push(Date.now() - push.at);
      perSupervisor[n]! += 1;
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
measuring = true;
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
const report = await new Promise<{ offered: number; answered: number; cpuMs: number; wallMs: number; rssMb: number }>((resolve) => {
  router.once('message', (m) => resolve(m as never));
  router.send('report');
});
for (const s of sockets) s.disconnect();
router.send('stop');

delays.sort((a, b) => a - b);
const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor((delays.length * p) / 100))] ?? NaN;
const result = {
  supervisors,
  seats,
  pushes: whole ? 'whole snapshots' : 'deltas',
  callsPerSecond: cps,
  seconds,
  connectSeconds: connectS,
  updates: delays.length,
  updatesPerSupervisorPerSecond: delays.length / supervisors / seconds,
  deliveryMs: { p50: q(50), p95: q(95), p99: q(99), max: delays.at(-1) ?? NaN },
  routerCpuShare: report.cpuMs / report.wallMs,
  routerRssMb: Math.round(report.rssMb),
  callsOffered: report.offered,
  callsAnswered: report.answered,
};
console.log(JSON.stringify(result, null, 2));
console.log(`result written to ${path.relative(ROOT, writeResult('supervisor-fanout', result))}`);

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
