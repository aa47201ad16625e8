/**
 * Small helpers shared by the telephony test stack (tests/support/sip-stack.ts) and the
 * SIP benchmarks (bench/sip/): free ports on loopback, waiting for a condition, the end
 * of a log, stopping a child process.
 */
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeError } from '../../server/src/domain/errors.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Ports for the stacks' listeners come from 10000-15999, below the kernel's ephemeral range
 * (32768-60999) where rtpengine's media ranges and every outgoing connection live. A port the
 * kernel hands out with listen(0) and that we then close can be taken by another stack's
 * rtpengine before our daemon binds it (EADDRINUSE seen in full runs).
 *
 * Test files run in parallel processes, and a port that is free when one of them checks it may
 * already be promised to another's daemon that has not bound it yet (rtpengine's NG port was lost
 * that way in CI). So each pick is also claimed across processes: a file named after the port,
 * created exclusively in a shared directory, holding the claimant's pid. A claim by a live other
 * process is skipped; a dead process's claim is taken over; a process's claims go when it exits.
 */
const CONTROL_MIN = 10_000;
const CONTROL_MAX = 15_999;
let controlCursor = CONTROL_MIN + Math.floor(Math.random() * (CONTROL_MAX - CONTROL_MIN + 1));

function nextControlPort(): number {
  controlCursor += 1;
  if (controlCursor > CONTROL_MAX) controlCursor = CONTROL_MIN;
  return controlCursor;
}

const CLAIMS_DIR = path.join(os.tmpdir(), `hotline-test-ports-${os.userInfo().uid}`);
const myClaims = new Set<string>();
let claimsCleanup = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims `port` for this process unless a live other process holds it. */
export function claimPort(port: number): boolean {
  fs.mkdirSync(CLAIMS_DIR, { recursive: true });
  const file = path.join(CLAIMS_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      myClaims.add(file);
      if (!claimsCleanup) {
        claimsCleanup = true;
        process.once('exit', () => {
          for (const f of myClaims) fs.rmSync(f, { force: true });
        });
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const text = fs.readFileSync(file, 'utf8').trim();
    // Empty: another process has just created it and is writing its pid.
    if (text === '') return false;
    const owner = Number(text);
    if (owner === process.pid) return true;
    if (alive(owner)) return false;
    // Its owner is gone: take it over.
    fs.rmSync(file, { force: true });
  }
  return false;
}

// SIPp media ports: 16000-31999, between the listeners' block (above) and the kernel's
// ephemeral range where rtpengine's media ranges are.
// Each block is claimed across test processes (claimPort) by its first port.
let mediaCursor = 16000 + Math.floor(Math.random() * 4000) * 4;
/** A media port block for a caller that must start synchronously (SIPp reports a clash clearly). */
export function nextMediaPortUnchecked(): number {
  for (;;) {
    mediaCursor += 4;
    if (mediaCursor > 31992) mediaCursor = 16000;
    if (claimPort(mediaCursor)) return mediaCursor;
  }
}

/** Four consecutive free UDP ports for SIPp's media (audio RTP/RTCP, video RTP/RTCP). */
export async function freeMediaPort(host: string): Promise<number> {
  for (;;) {
    const p = nextMediaPortUnchecked();
    const free = await Promise.all([0, 1, 2, 3].map((i) => udpFree(host, p + i)));
    if (free.every(Boolean)) return p;
  }
}

/** Whether `port` can be bound for TCP on `host` right now. */
export async function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function pickControlPort(free: (p: number) => Promise<boolean>): Promise<number> {
  for (let tries = 0; tries <= CONTROL_MAX - CONTROL_MIN; tries++) {
    const p = nextControlPort();
    if (claimPort(p) && (await free(p))) return p;
  }
  throw new Error(`no free port in ${CONTROL_MIN}-${CONTROL_MAX}`);
}

export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return pickControlPort((p) => tcpFree(host, p));
}

export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return pickControlPort((p) => udpFree(host, p));
}

/** Whether `port` can be bound for UDP on `host` right now. */
export async function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, host, () => s.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on host:port. */
export function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** A port free for both TCP and UDP (the router's HTTP port and SIPp's UDP port may coincide otherwise). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return pickControlPort(async (p) => (await tcpFree(host, p)) && (await udpFree(host, p)));
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${describeError(last)})` : ''}`);
    await sleep(everyMs);
  }
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** SIGTERM (SIGKILL after `timeoutMs`); `group`: the whole process group (Kamailio's workers). */
export function stopProcess(
  p: ChildProcess | null,
  o: { signal?: NodeJS.Signals; timeoutMs?: number; group?: boolean } = {},
): Promise<void> {
  if (!p || p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  const pid = p.pid;
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(o.group ? -pid : pid, sig);
    } catch {
      /* gone */
    }
  };
  return new Promise((resolve) => {
    const t = setTimeout(() => kill('SIGKILL'), o.timeoutMs ?? 8000);
    p.once('exit', () => {
      clearTimeout(t);
      if (o.group) kill('SIGKILL'); // no worker may outlive the main process
      resolve();
    });
    kill(o.signal ?? 'SIGTERM');
  });
}
