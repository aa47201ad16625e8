/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): where the router's CPU time went.
 *
 *   npx tsx bench/sip/cpuprofile-summary.ts <file.cpuprofile> [--skip-s 20] [--top 25]
 *
 * --skip-s drops the first seconds of the profile (start-up, seat registration).
 * Prints self time by function and by package/file group, and inclusive time of a few
 * functions the telephony path goes through.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Moves the router's profiles from `profDir` into `keepDir` and returns their summaries, skipping
 * the first `skipS` seconds (start-up) and the loader thread's empty profile.
 */
export function keepProfiles(profDir: string, keepDir: string, skipS: number): string {
  let out = '';
  for (const f of fs.existsSync(profDir) ? fs.readdirSync(profDir) : []) {
    const file = path.join(profDir, f);
    const summary = summarise(file, { skipS, top: 25 });
    if (/busy 0\.0 s/.test(summary)) continue; // the loader thread's profile
    const kept = path.join(keepDir, f);
    fs.renameSync(file, kept);
    out += `\nrouter CPU profile ${kept}:\n${summary}\n`;
  }
  return out;
}

export function summarise(file: string, o: { skipS?: number; top?: number } = {}): string {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let t = prof.startTime;
  const from = prof.startTime + (o.skipS ?? 0) * 1e6;
  let windowUs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from) continue;
    windowUs += dt;
    const id = prof.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const short = (url: string) =>
    url
      .replace(/^file:\/\//, '')
      .replace(/.*\/node_modules\//, 'node_modules/')
      .replace(/.*\/server\/src\//, 'server/src/');
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const group = (n: Node) => {
    const u = short(n.callFrame.url);
    if (!u) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native/builtin)';
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    if (m) return m[1]!;
    if (u.startsWith('node:')) return u.split('/')[0]!;
    return u;
  };
  const byFn = new Map<string, number>();
  const byGroup = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const watch = [
    'onMessage',
    'offerCall',
    'transaction',
    'answered',
    'hangup',
    'saveCall',
    'saveSeatState',
    'save',
    'flush',
    'emit',
    'safeParse',
    'routeSeat',
    'routeCall',
    'setSeatReady',
    'queueSnapshot',
  ];
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    byFn.set(label(n), (byFn.get(label(n)) ?? 0) + us);
    byGroup.set(group(n), (byGroup.get(group(n)) ?? 0) + us);
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const pn = byId.get(p)!;
      const name = pn.callFrame.functionName;
      if (watch.includes(name)) {
        const key = `${name} ${short(pn.callFrame.url)}`;
        if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
        seen.add(key);
      }
    }
  }
  const idle = [...byGroup].filter(([g]) => g === '(idle)').reduce((a, [, v]) => a + v, 0);
  const busy = windowUs - idle;
  const pctOf = (us: number, of: number) => `${((100 * us) / of).toFixed(1)} %`;
  const top = o.top ?? 25;
  const lines: string[] = [];
  lines.push(`profile window ${(windowUs / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${pctOf(busy, windowUs)} of one core)`);
  lines.push('', 'self time by group (share of busy time):');
  for (const [g, us] of [...byGroup]
    .filter(([g]) => g !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    lines.push(`  ${pctOf(us, busy).padStart(7)}  ${g}`);
  }
  lines.push('', 'self time by function:');
  for (const [f, us] of [...byFn]
    .filter(([f]) => !f.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    lines.push(`  ${pctOf(us, busy).padStart(7)}  ${f}`);
  }
  lines.push('', 'inclusive time of selected functions:');
  for (const [f, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${pctOf(us, busy).padStart(7)}  ${f}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const argv = process.argv.slice(2);
  const file = argv.find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    process.stderr.write('usage: cpuprofile-summary.ts <file.cpuprofile> [--skip-s N] [--top N]\n');
    process.exit(2);
  }
  const num = (k: string) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : undefined);
  process.stdout.write(`${summarise(file, { skipS: num('--skip-s'), top: num('--top') })}\n`);
}
