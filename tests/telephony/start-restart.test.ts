/**
 * Issue 11 item 1: `npm start` (scripts/start.sh) starts the routing server again by itself when
 * it is killed (kill -9) with calls waiting; Kamailio and rtpengine stay up the whole time, the
 * console says so, and the waiting callers (SIPp on the trunk) are answered afterwards.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, stopProcess, udpFree, waitFor } from '../support/processes.js';
import { connect, emit, login, type ClientSocket } from '../support/server.js';
import { loopbackSipEnv } from '../support/sip-env.js';
import { freeMediaPort, SIPP_DIR, sipCredentials, sippCounts, type SipResult } from '../support/sip-stack.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEAT_IP = '127.0.0.2';
const children: ChildProcess[] = [];
const sockets: ClientSocket[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-restart-'));

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const c of children.reverse()) await stopProcess(c, { signal: c.spawnfile === 'bash' ? 'SIGINT' : 'SIGKILL', timeoutMs: 15_000 });
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): { proc: ChildProcess; output: () => string; done: Promise<number | null> } {
  const proc = spawn(cmd, args, { cwd: ROOT, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return { proc, output: () => out, done: new Promise((resolve) => proc.once('exit', (code) => resolve(code))) };
}

function sipp(args: string[], timeoutMs = 90_000): Promise<SipResult> {
  const errFile = path.join(dir, `sipp-${Math.random().toString(36).slice(2)}-errors.log`);
  const r = run('sipp', [
    ...args,
    '-nostdin',
    '-trace_err',
    '-error_file',
    errFile,
    '-timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
  ]);
  return r.done.then((code) => ({
    code,
    stdout: r.output(),
    stderr: '',
    errors: fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : '',
  }));
}

/** The pid of start.sh's child running the routing server. */
function routerPid(startPid: number): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(stat[1]) === startPid && stat[0] !== 'Z' && cmd.includes('server/src/main.ts')) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start restarts the routing server', () => {
  it('when the router is killed with -9 while calls wait, it should come back by itself and the calls be answered', async () => {
    const rtpBase = 40000 + Math.floor(Math.random() * 200) * 100;
    const env = {
      ...(process.env as Record<string, string>),
      ...(await loopbackSipEnv(dir, {
        rtpMin: rtpBase,
        rtpMax: rtpBase + 99,
        // one seat takes the three calls one after the other: a short wrap-up, no summary needed
        routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }),
      })),
    };
    const url = `http://127.0.0.1:${env.PORT}`;
    const start = run('bash', ['scripts/start.sh'], env);
    let exited: number | null | undefined;
    void start.done.then((c) => (exited = c));
    const resyncs = () => start.output().split('resync with Kamailio done').length - 1;
    await waitFor(
      async () => {
        if (exited !== undefined) throw new Error(`start.sh exited (${exited}):\n${start.output()}`);
        return resyncs() >= 1 && (await fetch(`${url}/api/health`).catch(() => null))?.ok;
      },
      'npm start up and synced with Kamailio',
      180_000,
      200,
    );
    const kamPid = Number(fs.readFileSync(path.join(env.SIP_RUN_DIR!, 'kamailio.pid'), 'utf8'));
    const rtpPid = Number(fs.readFileSync(path.join(env.SIP_RUN_DIR!, 'rtpengine.pid'), 'utf8'));

    // s02 (labour) is signed in but in a meeting: labour calls (IVR 2) wait in Kamailio's queue.
    const console1 = await connect(url, await login(url, 'seat02'));
    sockets.push(console1);
    expect((await emit(console1, 'seat:set-status', { status: 'not-ready', reason: 'meeting' })).ok).toBe(true);
    const callers: Promise<SipResult>[] = [];
    const queued = () => {
      const db = new Database(env.DB_PATH, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM calls WHERE state_kind = 'queued'").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    for (let i = 1; i <= 3; i++) {
      const media = await freeMediaPort('127.0.0.1');
      callers.push(
        sipp([
          env.SIP_TRUNK_ADDR!,
          '-sf',
          path.join(SIPP_DIR, 'caller.xml'),
          '-s',
          '123482',
          '-key',
          'caller',
          `1390000000${i}`,
          '-key',
          'flags',
          '',
          '-key',
          'ticket',
          '',
          '-key',
          'xfer',
          '',
          '-key',
          'lang',
          '',
          '-i',
          '127.0.0.1',
          '-p',
          '0',
          '-mi',
          '127.0.0.1',
          '-mp',
          String(media),
          '-d',
          '300',
          '-m',
          '1',
          '-r',
          '1',
        ]),
      );
      await waitFor(() => queued() === i, `call ${i} queued`, 15_000);
    }

    const firstRouter = routerPid(start.proc.pid!);
    expect(firstRouter).not.toBeNull();
    process.kill(firstRouter!, 'SIGKILL');
    await waitFor(
      () =>
        /the routing server exited unexpectedly \(killed by SIGKILL\); Kamailio and rtpengine stay up and keep the waiting calls; restarting it in 1 s \(restart 1\)/.test(
          start.output(),
        ),
      'start.sh says it restarts the router',
      10_000,
    );
    await waitFor(
      async () => resyncs() >= 2 && (await fetch(`${url}/api/health`).catch(() => null))?.ok,
      'the router back and resynced',
      60_000,
      200,
    );
    expect(routerPid(start.proc.pid!)).not.toBe(firstRouter);
    expect(exited).toBeUndefined();
    expect(alive(kamPid) && alive(rtpPid)).toBe(true);
    expect(queued()).toBe(3);

    // The lawyer's console reconnects; the phone registers; ready: the three callers are answered.
    const cookie = await login(url, 'seat02');
    const console2 = await connect(url, cookie);
    sockets.push(console2);
    const creds = await sipCredentials(url, cookie);
    const sipPort = await freePort(SEAT_IP);
    const phone = run('sipp', [
      '-sf',
      path.join(SIPP_DIR, 'seat-answer.xml'),
      '-i',
      SEAT_IP,
      '-p',
      String(sipPort),
      '-mi',
      SEAT_IP,
      '-mp',
      String(await freeMediaPort(SEAT_IP)),
      '-d',
      '300',
      '-nostdin',
      '-nd',
    ]);
    await waitFor(async () => phone.proc.exitCode === null && !(await udpFree(SEAT_IP, sipPort)), 'the seat phone listening', 15_000);
    const reg = await sipp([
      env.SIP_TRUNK_ADDR!,
      '-sf',
      path.join(SIPP_DIR, 'register.xml'),
      '-au',
      creds.username,
      '-ap',
      creds.password,
      '-key',
      'seat',
      's02',
      '-key',
      'domain',
      creds.domain,
      '-key',
      'contact',
      `${SEAT_IP}:${sipPort}`,
      '-key',
      'expires',
      '300',
      '-i',
      SEAT_IP,
      '-p',
      String(await freePort(SEAT_IP)),
      '-m',
      '1',
    ]);
    expect(reg.code, reg.errors).toBe(0);
    expect((await emit(console2, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    const results = await Promise.all(callers);
    for (const r of results) expect(sippCounts(r), r.errors).toEqual({ ok: 1, failed: 0 });
    expect(exited).toBeUndefined();
  }, 300_000);
});
