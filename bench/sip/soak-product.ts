/**
 * The product as it runs in service, for the kills soak (bench/kills-soak.bench.ts): `npm start`
 * (scripts/start.sh: rtpengine, Kamailio, the routing server) under a minimal stand-in for the
 * systemd unit README asks for (Restart=always, RestartSec=1). So every kill is followed by the
 * product's own recovery, not the bench's: a killed router is restarted by start.sh while
 * Kamailio and rtpengine stay up; a killed Kamailio or rtpengine makes start.sh stop the rest
 * in order and exit 1, and the stand-in starts `npm start` again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stopProcess } from '../../tests/support/processes.js';

export type Daemon = 'router' | 'kamailio' | 'rtpengine';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** systemd's RestartSec in the unit README suggests. */
const RESTART_S = 1;

function readPid(file: string, name: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!;
    if (stat.startsWith('Z')) return null;
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name) ? pid : null;
  } catch {
    return null;
  }
}

/** The live child of `parent` whose command line contains `needle`. */
function childPid(parent: number, needle: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(stat[1]) !== parent || stat[0] === 'Z') continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return null;
}

export class SupervisedProduct {
  private proc: ChildProcess | null = null;
  private stopping = false;
  private out = '';
  /** `npm start` runs so far (1 + the restarts the stand-in made). */
  starts = 0;
  readonly exits: { at: number; code: number | null }[] = [];

  constructor(
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly log: (line: string) => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /** Everything start.sh and the router printed, over every run. */
  output(): string {
    return this.out;
  }

  /** How many times a router said it resynchronised with Kamailio. */
  resyncs(): number {
    return this.out.split('resync with Kamailio done').length - 1;
  }

  start(): void {
    this.starts++;
    const p = spawn('bash', ['scripts/start.sh'], {
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = p;
    const append = (b: Buffer) => {
      const s = b.toString();
      this.out += s;
      fs.appendFileSync(this.logFile, s);
    };
    p.stdout.on('data', append);
    p.stderr.on('data', append);
    p.once('exit', (code) => {
      this.exits.push({ at: Date.now(), code });
      if (this.proc === p) this.proc = null;
      if (this.stopping) return;
      this.log(`npm start exited (${code}); the service manager starts it again in ${RESTART_S} s`);
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, RESTART_S * 1000);
    });
  }

  pid(which: Daemon): number | null {
    const run = this.env.SIP_RUN_DIR!;
    if (which === 'kamailio') return readPid(path.join(run, 'kamailio.pid'), 'kamailio');
    if (which === 'rtpengine') return readPid(path.join(run, 'rtpengine.pid'), 'rtpengine');
    return this.proc?.pid ? childPid(this.proc.pid, 'server/src/main.ts') : null;
  }

  /** kill -9 of the daemon's main process; false when it is not running. */
  kill(which: Daemon): boolean {
    const pid = this.pid(which);
    if (pid === null) return false;
    process.kill(pid, 'SIGKILL');
    return true;
  }

  /** Whether the router answers its health check and has resynced `minResyncs` times in all. */
  async up(minResyncs: number): Promise<boolean> {
    if (this.resyncs() < minResyncs) return false;
    const r = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
    return r?.ok ?? false;
  }

  /** Ctrl-C: start.sh stops the router, then Kamailio, then rtpengine. */
  async stop(): Promise<void> {
    this.stopping = true;
    await stopProcess(this.proc, { signal: 'SIGINT', timeoutMs: 30_000 });
  }
}
