/**
 * start.sh's checks around the processes it starts, read from the same settings as the
 * server (the environment):
 *
 *   node --import tsx scripts/probe.ts ports           every address this start listens on is free
 *   node --import tsx scripts/probe.ts rtpengine PID   waits until rtpengine answers a ping on its ng port
 *   node --import tsx scripts/probe.ts kamailio PID    waits until Kamailio listens (trunk UDP, WebSocket, evapi)
 *
 * Exit 0 when ready / free; 1 with a sentence on stderr otherwise (a port in use and by
 * what, the process exited before it was ready, or it took longer than PROBE_TIMEOUT_S, 15 s).
 */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { ConfigError, loadConfig, splitHostPort, type ServerConfig } from '../server/src/config.js';

type Proto = 'tcp' | 'udp';
interface Listener {
  key: string;
  /** How the setting reads, e.g. SIP_TRUNK_ADDR=127.0.0.1:5060. */
  label?: string;
  addr: string;
  proto: Proto;
  who: string;
}

function fail(lines: string[], code = 1): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(code);
}

/** Every address this start will listen on. */
function listeners(c: ServerConfig): Listener[] {
  const out: Listener[] = [];
  if (c.PORT !== 0)
    out.push({
      key: 'PORT',
      label: `PORT=${c.PORT} (HOST=${c.HOST})`,
      addr: `${c.HOST}:${c.PORT}`,
      proto: 'tcp',
      who: 'the routing server',
    });
  if (c.TELEPHONY === 'kamailio') {
    out.push(
      { key: 'RTPENGINE_NG_ADDR', addr: c.RTPENGINE_NG_ADDR, proto: 'udp', who: "rtpengine's control port" },
      { key: 'SIP_TRUNK_ADDR', addr: c.SIP_TRUNK_ADDR, proto: 'udp', who: "Kamailio's trunk listener" },
      { key: 'SIP_WS_ADDR', addr: c.SIP_WS_ADDR, proto: 'tcp', who: "Kamailio's WebSocket listener for the softphones" },
      { key: 'EVAPI_ADDR', addr: c.EVAPI_ADDR, proto: 'tcp', who: "Kamailio's evapi port for the routing server" },
      { key: 'DTMF_LOG_ADDR', addr: c.DTMF_LOG_ADDR, proto: 'udp', who: "the routing server's DTMF log from rtpengine" },
    );
  }
  return out;
}

/** Binds the address for a moment: null when free, else the error code (EADDRINUSE, EADDRNOTAVAIL, EACCES...). */
function tryBind(l: Listener): Promise<string | null> {
  const { host, port } = splitHostPort(l.addr);
  return new Promise((resolve) => {
    if (l.proto === 'tcp') {
      const s = net.createServer();
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(null)));
    } else {
      const s = dgram.createSocket('udp4');
      s.once('error', (err: NodeJS.ErrnoException) => {
        s.close();
        resolve(err.code ?? err.message);
      });
      s.bind(port, host, () => s.close(() => resolve(null)));
    }
  });
}

/** `ss` lines of the sockets listening on that port (any address). */
function ssLines(proto: Proto, port: number): string[] {
  const r = spawnSync('ss', ['-H', '-l', '-n', '-p', proto === 'tcp' ? '-t' : '-u', `sport = :${port}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Who holds a port, in a sentence, with what to do about it. */
function describeHolder(l: Listener): string[] {
  const { port } = splitHostPort(l.addr);
  const lines = ssLines(l.proto, port);
  if (lines.length === 0) {
    return [`  held by a process this user cannot see (sudo ss -ltnup | grep :${port})`];
  }
  const out = lines.map((s) => `  ss: ${s}`);
  const m = /\("([^"]+)",pid=(\d+)/.exec(lines.join(' '));
  if (m) {
    const [, name, pid] = m;
    let cmd = '';
    let cgroup = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      cgroup = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    } catch {
      /* gone meanwhile */
    }
    const unit = /\/([\w@.-]+\.service)\s*$/m.exec(cgroup)?.[1];
    out.push(`  by ${name} (pid ${pid})${cmd ? `: ${cmd}` : ''}`);
    if (unit && /kamailio|rtpengine/.test(unit)) {
      out.push(
        `  that is the system service ${unit}, which Debian's package starts with its stock config; npm start runs its own ${name}.`,
        `  Stop it: sudo systemctl disable --now ${unit}`,
      );
    } else if (cmd.includes('server/src/main.ts')) {
      out.push(
        `  a routing server is already running (another npm start, or one left by a start that was killed): stop it (kill ${pid}), or PORT=... npm start`,
      );
    } else if (/^(kamailio|rtpengine)$/.test(name!)) {
      out.push(
        `  another ${name} is running (another npm start, or one started by hand): stop it, or give this start other ports (${l.key}=...).`,
      );
    } else {
      out.push(`  stop it, or choose another port: ${l.key}=... npm start`);
    }
  }
  return out;
}

async function checkPorts(c: ServerConfig): Promise<void> {
  const problems: string[] = [];
  for (const l of listeners(c)) {
    const err = await tryBind(l);
    if (err === null) continue;
    const head = `${l.label ?? `${l.key}=${l.addr}`}: ${l.who} (${l.proto.toUpperCase()})`;
    if (err === 'EADDRINUSE') problems.push(`${head} is already in use`, ...describeHolder(l));
    else if (err === 'EADDRNOTAVAIL') problems.push(`${head}: ${splitHostPort(l.addr).host} is not an address of this machine`);
    else if (err === 'EACCES')
      problems.push(`${head}: this user may not listen on port ${splitHostPort(l.addr).port} (ports below 1024 need root)`);
    else problems.push(`${head}: cannot listen there (${err})`);
  }
  if (problems.length > 0) fail(['cannot start: an address the hotline listens on is not available', ...problems]);
}

/** Running and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** One bencoded ng ping; true on "pong". */
function pingNg(addr: string, timeoutMs = 300): Promise<boolean> {
  const { host, port } = splitHostPort(addr);
  const cookie = `probe${process.pid}_${Date.now()}`;
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on('error', () => done(false));
    s.on('message', (msg) => {
      const text = msg.toString('latin1');
      if (text.startsWith(`${cookie} `)) done(text.includes('4:pong'));
    });
    s.send(`${cookie} d7:command4:pinge`, port, host);
  });
}

/** Whether something listens on host:port (ss, read-only: binding to test would race the process). */
function listening(proto: Proto, addr: string): boolean {
  const { host, port } = splitHostPort(addr);
  return ssLines(proto, port).some((line) => {
    const local = line.split(' ')[3] ?? '';
    const h = local.slice(0, local.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    return h === host || h === '0.0.0.0' || h === '*' || h === '::' || (host === 'localhost' && h === '127.0.0.1');
  });
}

async function waitReady(name: string, pid: number, ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const timeoutS = Number(process.env.PROBE_TIMEOUT_S ?? 15);
  const until = Date.now() + timeoutS * 1000;
  for (;;) {
    if (await ready()) return;
    if (!alive(pid)) fail([`${name} (pid ${pid}) exited before it was ready (${what})`]);
    if (Date.now() > until) fail([`${name} (pid ${pid}) is running but not ready after ${timeoutS} s (${what})`]);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const [cmd, pidArg] = process.argv.slice(2);
  let c: ServerConfig;
  try {
    c = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail([err.message], 78);
    throw err;
  }
  const pid = Number(pidArg);
  switch (cmd) {
    case 'ports':
      return checkPorts(c);
    case 'rtpengine':
      if (!pid) break;
      return waitReady('rtpengine', pid, () => pingNg(c.RTPENGINE_NG_ADDR), `no answer to a ping on ${c.RTPENGINE_NG_ADDR}`);
    case 'kamailio':
      if (!pid) break;
      return waitReady(
        'Kamailio',
        pid,
        () => listening('udp', c.SIP_TRUNK_ADDR) && listening('tcp', c.SIP_WS_ADDR) && listening('tcp', c.EVAPI_ADDR),
        `listening on udp ${c.SIP_TRUNK_ADDR}, tcp ${c.SIP_WS_ADDR} and evapi tcp ${c.EVAPI_ADDR}`,
      );
  }
  fail(['usage: node --import tsx scripts/probe.ts ports | rtpengine PID | kamailio PID'], 2);
}

await main();
