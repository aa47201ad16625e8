/**
 * What the load bench reads back after a run: SIPp's scenario files, call logs and counters,
 * the router's database counts, log problems and rtpengine's counters, plus the small
 * statistics used in its report.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { pct } from './machine.js';
import { SCENARIOS } from './stack.js';

export function render(file: string, to: string, repl: Record<string, string>, talkMs = 0): string {
  let text = fs.readFileSync(path.join(SCENARIOS, file), 'utf8').replace(/"TALK_MS"/g, `"${talkMs}"`);
  for (const [k, v] of Object.entries(repl)) text = text.replace(new RegExp(`^\\s*\\[${k}\\]\\s*$`, 'm'), v);
  fs.writeFileSync(to, text);
  return to;
}

export interface Answered {
  t0: number;
  t180: number | null;
  t200: number;
}

export function parseCallLog(file: string): Answered[] {
  if (!fs.existsSync(file)) return [];
  const out: Answered[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(';');
    if (f.length < 8) continue;
    const t = (s: string, u: string) => Number(s) + Number(u) / 1e6;
    out.push({ t0: t(f[2]!, f[3]!), t180: Number(f[4]) > 0 ? t(f[4]!, f[5]!) : null, t200: t(f[6]!, f[7]!) });
  }
  return out;
}

/** SIPp's final counters from its screen dump. */
export function sippTotals(file: string): { created: number; successful: number; failed: number; retrans: number; deadMsgs: number } {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const last = (re: RegExp) => Number([...text.matchAll(re)].at(-1)?.[1] ?? NaN);
  const inviteRetrans = last(/INVITE ---------->\s+\d+\s+(\d+)/g);
  const byeRetrans = last(/BYE ---------->\s+\d+\s+(\d+)/g);
  return {
    created: last(/Outgoing calls created\s*\|\s*\d+\s*\|\s*(\d+)/g),
    successful: last(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/g),
    failed: last(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/g),
    retrans: (Number.isNaN(inviteRetrans) ? 0 : inviteRetrans) + (Number.isNaN(byeRetrans) ? 0 : byeRetrans),
    deadMsgs: last(/(\d+) dead call msg/g),
  };
}

export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** A distribution's summary (nearest-rank percentiles of sorted values). */
export const dist = (s: number[]) => ({
  n: s.length,
  p50: pct(s, 50),
  p90: pct(s, 90),
  p99: pct(s, 99),
  p999: pct(s, 99.9),
  max: s.at(-1) ?? NaN,
});

/** Lines of `file` matching `re` (0 when the file is missing). */
export const grepCount = (file: string, re: RegExp) =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => re.test(l)).length
    : 0;

const rtpTotals = (s: Record<string, unknown> | null) => {
  const t = ((s?.statistics as Record<string, unknown> | undefined)?.totalstatistics ?? {}) as Record<string, unknown>;
  const keys = [
    'managedsessions',
    'regularterminatedsessions',
    'forcedterminatedsessions',
    'timeoutsessions',
    'rejectedsessions',
    'relayedpackets',
    'relayedpacketerrors',
    'zerowaystreams',
    'onewaystreams',
  ];
  return Object.fromEntries(keys.map((k) => [k, Number(t[k] ?? NaN)]));
};

/** rtpengine's total counters during the run (after − before). */
export function rtpengineDelta(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, number> {
  const b = rtpTotals(before);
  return Object.fromEntries(Object.entries(rtpTotals(after)).map(([k, v]) => [k, v - (b[k] ?? 0)]));
}

/** The router's own account of the bench's calls (dialled 12348) since `since`. */
export function routerDbCounts(dbPath: string, since: number) {
  const db = new Database(dbPath, { readonly: true });
  const q = <T>(sql: string, ...a: unknown[]) => db.prepare(sql).get(...a) as T;
  const counts = {
    calls: q<{ n: number }>("SELECT COUNT(*) AS n FROM calls WHERE enqueued_at >= ? AND dialed = '12348'", since).n,
    answered: q<{ n: number }>(
      "SELECT COUNT(*) AS n FROM calls WHERE enqueued_at >= ? AND dialed = '12348' AND answered_at IS NOT NULL",
      since,
    ).n,
    byState: db
      .prepare("SELECT state_kind AS kind, COUNT(*) AS n FROM calls WHERE enqueued_at >= ? AND dialed = '12348' GROUP BY state_kind")
      .all(since) as { kind: string; n: number }[],
    offeredAnsweredHungUp: q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM calls c WHERE c.enqueued_at >= ? AND c.dialed = '12348'
           AND EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.id AND e.type = 'offered')
           AND EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.id AND e.type = 'answered')
           AND EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.id AND e.type = 'hung-up')`,
      since,
    ).n,
    seatsUsed: q<{ n: number }>('SELECT COUNT(DISTINCT seat_id) AS n FROM calls WHERE enqueued_at >= ? AND answered_at IS NOT NULL', since)
      .n,
    summaries: q<{ n: number }>(
      "SELECT COUNT(*) AS n FROM call_summaries s JOIN calls c ON c.id = s.call_id WHERE c.enqueued_at >= ? AND c.dialed = '12348'",
      since,
    ).n,
    offersPerCall: q<{ v: number }>(
      "SELECT AVG(n) AS v FROM (SELECT COUNT(*) AS n FROM call_events e JOIN calls c ON c.id = e.call_id WHERE c.enqueued_at >= ? AND e.type = 'offered' GROUP BY e.call_id)",
      since,
    ).v,
  };
  db.close();
  return counts;
}

/**
 * Answer delay per window of `windowS` seconds of INVITEs; a window with fewer than `minCalls`
 * answered calls (the last few INVITEs) says nothing and is left out.
 */
export function answerWindows(answered: Answered[], windowS: number, minCalls: number) {
  const first = Math.min(...answered.map((a) => a.t0));
  const last = Math.max(...answered.map((a) => a.t0));
  const windows: { fromS: number; calls: number; answerP50: number; answerP99: number; answerMax: number }[] = [];
  for (let w = 0; first + w * windowS <= last; w++) {
    const a = first + w * windowS;
    const inW = sorted(answered.filter((x) => x.t0 >= a && x.t0 < a + windowS).map((x) => (x.t200 - x.t0) * 1000));
    if (inW.length >= minCalls)
      windows.push({
        fromS: w * windowS,
        calls: inW.length,
        answerP50: pct(inW, 50),
        answerP99: pct(inW, 99),
        answerMax: inW.at(-1) ?? NaN,
      });
  }
  return windows;
}
