/**
 * `npm start` as a user runs it: scripts/sip-config.ts renders and checks the SIP config
 * with readable errors; scripts/start.sh brings up rtpengine, Kamailio and the routing
 * server on free ports, stops all three on Ctrl-C, and stops the product when rtpengine
 * or Kamailio dies. Real processes, each in its own temp folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const started: ChildProcess[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-start-'));
  dirs.push(d);
  return d;
}

/** Settings for one start on free ports, everything under `dir`. */
async function startEnv(dir: string): Promise<Record<string, string>> {
  const rtpBase = 61000 + Math.floor(Math.random() * 39) * 100;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(TELEPHONY|SIP_|EVAPI_|RTP|DTMF_|PORT$|HOST$|DB_PATH$|ROUTING_CONFIG_FILE$)/.test(k)) env[k] = v;
  return {
    ...env,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DB_PATH: path.join(dir, 'hotline.db'),
    SIP_TRUNK_ADDR: `127.0.0.1:${await freePort()}`,
    SIP_WS_ADDR: `127.0.0.1:${await freePort()}`,
    EVAPI_ADDR: `127.0.0.1:${await freePort()}`,
    RTPENGINE_NG_ADDR: `127.0.0.1:${await freePort()}`,
    DTMF_LOG_ADDR: `127.0.0.1:${await freePort()}`,
    RTP_PORT_MIN: String(rtpBase),
    RTP_PORT_MAX: String(rtpBase + 99),
    SIP_RUN_DIR: path.join(dir, 'run'),
    SIP_SECRET_FILE: path.join(dir, 'sip-secret'),
  };
}

function sipConfig(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sip-config.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

/** Processes whose command line mentions `text` (the run folder names each of ours). */
function processesWith(text: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmd.includes(text) && state !== 'Z') out.push({ pid: Number(entry), cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs: number): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Start {
  proc: ChildProcess;
  env: Record<string, string>;
  runDir: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function runStart(env: Record<string, string>): Start {
  const proc = spawn('bash', ['scripts/start.sh'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { proc, env, runDir: env.SIP_RUN_DIR!, output: () => out, exited };
}

async function health(env: Record<string, string>): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${env.PORT}/api/health`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
  return r?.status === 200;
}

/** Up: the server answers, rtpengine and Kamailio run with this start's configs. */
async function waitUp(s: Start): Promise<void> {
  let exit: string | null = null;
  void s.exited.then((e) => (exit = `start.sh exited (${e.code ?? e.signal})`));
  await waitFor(
    async () => {
      if (exit) throw new Error(`${exit} before it was up:\n${s.output()}`);
      return health(s.env);
    },
    'GET /api/health',
    20_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n--- start.sh output ---\n${s.output()}`);
  });
  // the router has its evapi link to Kamailio
  await waitFor(
    () => fs.readFileSync(path.join(s.runDir, 'kamailio.log'), 'utf8').includes('routing server connected to evapi'),
    'the evapi link',
    5000,
  );
  const procs = processesWith(s.runDir);
  expect(procs.some((p) => p.cmd.startsWith('rtpengine '))).toBe(true);
  expect(procs.some((p) => p.cmd.startsWith('kamailio '))).toBe(true);
}

afterEach(() => {
  // Whatever a failed test left behind: start.sh first (it stops the rest), then any stragglers.
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) {
    for (const p of processesWith(d)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('scripts/sip-config.ts', () => {
  it('renders both configs, checks them and prints shell assignments', async () => {
    const dir = tempDir();
    const env = await startEnv(dir);
    const r = sipConfig(env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const vars = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(vars.KAMAILIO_CFG).toBe(`'${path.join(dir, 'run', 'kamailio.cfg')}'`);
    expect(vars.RTPENGINE_CONF).toBe(`'${path.join(dir, 'run', 'rtpengine.conf')}'`);
    expect(vars.SIP_WS_URL).toBe(`'ws://${env.SIP_WS_ADDR}'`);
    expect(fs.readFileSync(path.join(dir, 'run', 'rtpengine.conf'), 'utf8')).toContain(`listen-ng = ${env.RTPENGINE_NG_ADDR}`);
    // the secret was created private, is in Kamailio's config, and is not printed
    const secret = fs.readFileSync(env.SIP_SECRET_FILE!, 'utf8').trim();
    expect(fs.statSync(env.SIP_SECRET_FILE!).mode & 0o077).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'run', 'kamailio.cfg'), 'utf8')).toContain(secret);
    expect(r.stdout).not.toContain(secret);
  });

  it('a bad setting: exit 78 with a sentence naming the key', async () => {
    const env = { ...(await startEnv(tempDir())), SIP_TRUNK_ADDR: 'nonsense' };
    const r = sipConfig(env);
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/SIP_TRUNK_ADDR: must be host:port/);
    expect(r.stderr).toContain('"nonsense"');
  });

  it.each([
    ['kamailio-2-request.cfg.tmpl', 'request_route {'],
    ['kamailio-4-decisions.cfg.tmpl', 'route[DECIDED] {'],
  ])("a syntax error in the template part %s: Kamailio's error lines and that part's line, not a setting", async (part, opening) => {
    const dir = tempDir();
    const env = await startEnv(dir);
    const tpl = path.join(dir, 'tpl');
    fs.cpSync(path.join(ROOT, 'sip-config'), tpl, { recursive: true });
    const file = path.join(tpl, part);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.indexOf(opening) + 1;
    expect(at).toBeGreaterThan(0);
    lines.splice(at, 0, '\tforward_to_nowhere(;');
    fs.writeFileSync(file, lines.join('\n'));
    const r = sipConfig(env, ['--template-dir', tpl]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('kamailio -c rejected the rendered config');
    expect(r.stderr).toMatch(/parse error in config file .*kamailio\.cfg, line \d+/);
    expect(r.stderr).toContain(`from ${file} line ${at + 1}: forward_to_nowhere(;`);
    expect(r.stderr).toContain('the mistake is in the template itself');
  });

  it('an error on a line a setting fills: the hint names the setting', async () => {
    const dir = tempDir();
    const env = await startEnv(dir);
    const tpl = path.join(dir, 'tpl');
    fs.cpSync(path.join(ROOT, 'sip-config'), tpl, { recursive: true });
    const file = path.join(tpl, 'kamailio-1-global.cfg.tmpl');
    const text = fs.readFileSync(file, 'utf8');
    const at = text.split('\n').indexOf('modparam("evapi", "bind_addr", "{{EVAPI_BIND}}")');
    expect(at).toBeGreaterThan(0);
    fs.writeFileSync(
      file,
      text.replace('modparam("evapi", "bind_addr", "{{EVAPI_BIND}}")', 'modparam("evapi", "bind_addr", {{EVAPI_BIND}})'),
    );
    const r = sipConfig(env, ['--template-dir', tpl]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('kamailio -c rejected the rendered config');
    expect(r.stderr).toContain(`from ${file} line ${at + 1}: modparam("evapi", "bind_addr", {{EVAPI_BIND}})`);
    expect(r.stderr).toContain(`hint: {{EVAPI_BIND}} is filled from EVAPI_ADDR (now "${env.EVAPI_ADDR}")`);
  });

  it('a missing template folder: a sentence, exit 1', async () => {
    const env = await startEnv(tempDir());
    const r = sipConfig(env, ['--template-dir', '/nonexistent/sip-config']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot render the SIP configuration from \/nonexistent\/sip-config/);
  });
});

describe('scripts/start.sh', () => {
  it('a port in use: says which setting, and which process holds it', async () => {
    const env = await startEnv(tempDir());
    const holder = net.createServer();
    const [host, port] = env.EVAPI_ADDR!.split(':');
    await new Promise<void>((resolve) => holder.listen(Number(port), host, resolve));
    try {
      const s = runStart(env);
      const e = await s.exited;
      expect(e.code).toBe(1);
      expect(s.output()).toContain(`EVAPI_ADDR=${env.EVAPI_ADDR}: Kamailio's evapi port for the routing server (TCP) is already in use`);
      expect(s.output()).toMatch(new RegExp(`by node \\(pid ${process.pid}\\)`));
      expect(processesWith(s.runDir)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('starts rtpengine, Kamailio and the server; Ctrl-C stops all three', async () => {
    const s = runStart(await startEnv(tempDir()));
    await waitUp(s);
    expect(s.output()).toContain(`logs: ${s.runDir}/kamailio.log, ${s.runDir}/rtpengine.log`);
    const sent = Date.now();
    s.proc.kill('SIGINT');
    const e = await s.exited;
    expect(e.code).toBe(130);
    expect(e.at - sent).toBeLessThan(5000);
    expect(processesWith(s.runDir)).toEqual([]);
    expect(await health(s.env)).toBe(false);
    // the order: server, then Kamailio, then rtpengine (Kamailio saw the router go first)
    expect(fs.readFileSync(path.join(s.runDir, 'kamailio.log'), 'utf8')).toContain('routing server disconnected from evapi');
  });

  it('rtpengine dies: start.sh says so with its log, stops the rest and exits 1', async () => {
    const s = runStart(await startEnv(tempDir()));
    await waitUp(s);
    const pid = Number(fs.readFileSync(path.join(s.runDir, 'rtpengine.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const killed = Date.now();
    const e = await s.exited;
    expect(e.code).toBe(1);
    expect(e.at - killed).toBeLessThan(5000);
    expect(s.output()).toContain(`rtpengine (pid ${pid}) stopped while the hotline was running: killed by SIGKILL`);
    expect(s.output()).toContain(`Last lines of ${s.runDir}/rtpengine.log`);
    expect(processesWith(s.runDir)).toEqual([]);
    expect(await health(s.env)).toBe(false);
  });

  it('Kamailio dies: its workers go too, and start.sh exits 1 with the end of its log', async () => {
    const s = runStart(await startEnv(tempDir()));
    await waitUp(s);
    const pid = Number(fs.readFileSync(path.join(s.runDir, 'kamailio.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const e = await s.exited;
    expect(e.code).toBe(1);
    expect(s.output()).toContain(`Kamailio (pid ${pid}) stopped while the hotline was running: killed by SIGKILL`);
    expect(s.output()).toMatch(/Listening on/); // a line of Kamailio's own log
    expect(processesWith(s.runDir)).toEqual([]);
    expect(await health(s.env)).toBe(false);
  });
});
