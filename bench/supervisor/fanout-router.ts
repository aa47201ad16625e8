/**
 * The router of bench/supervisor-fanout.bench.ts, in its own process so its CPU is its own: the
 * real app (createApp) on a temporary database with `--seats` extra seat accounts and
 * `--supervisors` supervisor accounts whose session tokens are known, a steady call load driven
 * through the engine (each call rung, answered, talked and hung up), and its CPU use on request.
 *
 * Prints `READY <port>` once listening; answers the parent's 'report' message with its counts
 * and CPU time, and exits on 'stop'.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { SystemClock } from '../../server/src/domain/clock.js';
import type { Call } from '../../server/src/domain/call.js';
import { QueueFanoutService } from '../../server/src/features/queue/queue-fanout-service.js';
import { UserRepository } from '../../server/src/features/auth/user-repository.js';
import { SessionRepository } from '../../server/src/features/auth/session-repository.js';
import { SeatRepository } from '../../server/src/features/seats/seat-repository.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase } from '../../server/src/store/db.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seats = arg('seats', 100);
const supervisors = arg('supervisors', 10);
const callsPerSecond = arg('cps', 5);

export const seatToken = (i: number) => `bench-seat-token-${i}`;
export const supervisorToken = (i: number) => `bench-supervisor-token-${i}`;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const seatId = (i: number) => `b${String(i).padStart(4, '0')}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-fanout-'));
const dbPath = path.join(dir, 'fanout.db');
const db = openDatabase(dbPath);
const now = Date.now();
await seedDemo(db, now, { hash: () => Promise.resolve('x') });
const seatRepo = new SeatRepository(db);
const users = new UserRepository(db);
const sessions = new SessionRepository(db);
db.transaction(() => {
  for (let i = 0; i < seats; i++) {
    seatRepo.upsert({
      id: seatId(i),
      name: `坐席${i}`,
      staffNo: `B${i}`,
      centreId: 'city',
      skills: { labor: 3, general: 3 },
      languages: ['zh'],
    });
    const id = users.create(
      { username: `bench-seat-${i}`, passwordHash: 'x', role: 'seat', displayName: `坐席${i}`, seatId: seatId(i) },
      now,
    );
    sessions.create(sha256(seatToken(i)), id, now, now + 86_400_000);
  }
  for (let i = 0; i < supervisors; i++) {
    const id = users.create(
      { username: `bench-sup-${i}`, passwordHash: 'x', role: 'supervisor', displayName: `班长${i}`, seatId: null },
      now,
    );
    sessions.create(sha256(supervisorToken(i)), id, now, now + 86_400_000);
  }
})();

const config = loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', SEAT_DISCONNECT_GRACE_S: '0' });
const answerAfter: Call[] = [];
const app = createApp({
  config,
  db,
  clock: SystemClock,
  logger: pino({ level: 'silent' }),
  telephony: { ring: (call) => answerAfter.push(call), overflow: () => {}, cancelRing: () => {} },
});
const engine = app.engine;
const cfg = engine.config;
engine.updateConfig({
  ...cfg,
  wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false },
  serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: seats }], holidays: [] },
});
for (let i = 0; i < seats; i++) engine.setSeatReady(seatId(i));

let offered = 0;
let answered = 0;
let hungUp = 0;
const TALK_MS = 3_000;
let load: NodeJS.Timeout | null = null;
const startLoad = () => {
  if (load) return;
  load = setInterval(() => {
    // The call id carries its offer time, so the bench can time it to each supervisor's screen.
    engine.offerCall({ id: `f-${offered++}-${Date.now()}`, caller: `139${String(offered).padStart(8, '0')}`, dialed: '123482' });
    // Rung calls are answered on the next tick and hung up after TALK_MS.
    for (const call of answerAfter.splice(0)) {
      if (call.state.kind !== 'ringing') continue;
      const seat = call.state.seatId;
      try {
        engine.answered(call.id, seat);
        answered++;
        setTimeout(() => {
          try {
            engine.hangup(call.id, 'caller');
            hungUp++;
          } catch {
            // the call ended otherwise
          }
        }, TALK_MS);
      } catch {
        // the ring moved on
      }
    }
  }, 1000 / callsPerSecond);
};

const server = app.httpServer.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`READY ${port}\n`);
});
let cpuFrom = process.cpuUsage();
let wallFrom = performance.now();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let measuring = false;
// Each live-queue push's time on the router's loop: building the scopes' views and deltas and
// handing one frame to every supervisor socket.
const pushMs: number[] = [];
/** The same in CPU time (the wall time above includes waiting for a core on a shared machine). */
const pushCpuMs: number[] = [];
const push = Reflect.get(QueueFanoutService.prototype, 'push');
QueueFanoutService.prototype.push = function (this: QueueFanoutService, ...args: Parameters<QueueFanoutService['push']>) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  push.apply(this, args);
  if (!measuring) return;
  pushMs.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  pushCpuMs.push((used.user + used.system) / 1000);
};
process.on('message', (m: string) => {
  if (m === 'start') {
    startLoad();
    cpuFrom = process.cpuUsage();
    wallFrom = performance.now();
    loopDelay.enable();
    measuring = true;
  } else if (m === 'report') {
    loopDelay.disable();
    measuring = false;
    const cpu = process.cpuUsage(cpuFrom);
    const wallMs = performance.now() - wallFrom;
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const quantiles = (xs: number[]) => {
      xs.sort((a, b) => a - b);
      const q = (p: number) => Math.round((xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN) * 10) / 10;
      return { p50: q(50), p99: q(99), max: q(100) };
    };
    process.send?.({
      offered,
      answered,
      hungUp,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs,
      rssMb: process.memoryUsage().rss / 1e6,
      // monitorEventLoopDelay counts the 10 ms resolution in each sample: subtracted here.
      loopDelayMs: { p50: ms(loopDelay.percentile(50) - 1e7), p99: ms(loopDelay.percentile(99) - 1e7), max: ms(loopDelay.max - 1e7) },
      pushes: pushMs.length,
      pushMs: quantiles(pushMs),
      pushCpuMs: quantiles(pushCpuMs),
    });
  } else if (m === 'stop') {
    if (load) clearInterval(load);
    void app.close().then(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
