/**
 * The machine side of the SIP benchmarks: per-process and whole-machine CPU accounting from
 * /proc, a percentile helper, the line that names the machine in every result, and the
 * what-if helpers that change one thing in the stack (Kamailio with TCP_NODELAY, SQLite
 * with synchronous=NORMAL).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// ------------------------------------------------------------------ CPU accounting

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of one process (all its threads), in seconds; null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * Samples the CPU seconds of named process groups, of this process (the bench's own consoles
 * and supervisor) and of each Kamailio process (`kamailio:<pid>`). A process that has exited
 * keeps the last CPU time read for it.
 */
export function cpuSampler(named: () => Record<string, number[]>, kamailioPids: number[]): () => Record<string, number> {
  const lastSeen = new Map<number, number>();
  const cpuOf = (pid: number) => {
    const v = cpuSeconds(pid);
    if (v !== null) lastSeen.set(pid, v);
    return lastSeen.get(pid) ?? 0;
  };
  return () => {
    const out: Record<string, number> = {};
    for (const [k, pids] of Object.entries(named())) out[k] = pids.reduce((a, p) => a + cpuOf(p), 0);
    const u = process.cpuUsage();
    out['bench (consoles, supervisor)'] = (u.user + u.system) / 1e6;
    for (const p of kamailioPids) out[`kamailio:${p}`] = cpuOf(p);
    return out;
  };
}

/** Direct children of `pid` (Kamailio's workers). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Whole-machine CPU: busy and total jiffies from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Compiles bench/sip/tcp-nodelay-shim.c into `dir` (needs gcc); returns the .so path. */
export function buildNodelayShim(dir: string): string {
  const out = path.join(dir, 'tcp-nodelay-shim.so');
  const r = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-o', out, path.join(import.meta.dirname, 'tcp-nodelay-shim.c'), '-ldl'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cannot build the TCP_NODELAY shim (gcc): ${r.error?.message ?? r.stderr}`);
  return out;
}

export const SQLITE_NORMAL_PRELOAD = path.join(import.meta.dirname, 'sqlite-normal-preload.mjs');

/** Nearest-rank percentile of sorted values. */
export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

/** Kamailio's CPU share of one core by process role, and its busiest processes, between two samples. */
export function kamailioCpu(
  pids: number[],
  roles: Map<number, string>,
  before: Record<string, number>,
  after: Record<string, number>,
  wallS: number,
): { byRole: Record<string, number>; busiest: { pid: number; role: string; pct: number }[] } {
  const pctOf = (p: number) => (((after[`kamailio:${p}`] ?? 0) - (before[`kamailio:${p}`] ?? 0)) / wallS) * 100;
  const byRole: Record<string, number> = {};
  for (const p of pids) {
    const role = (roles.get(p) ?? 'unknown')
      .replace(/ child=\d+| \d+$/g, '')
      .replace(/receiver \(udp:[^)]*\)/, 'udp receiver')
      .trim();
    byRole[role] = (byRole[role] ?? 0) + pctOf(p);
  }
  const busiest = pids
    .map((p) => ({ pid: p, role: roles.get(p) ?? 'unknown', pct: pctOf(p) }))
    .sort((a, b) => b.pct - a.pct)
    .slice(0, 6);
  return { byRole, busiest };
}
