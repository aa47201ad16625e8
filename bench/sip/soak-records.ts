/**
 * What the kills soak (bench/kills-soak.bench.ts) reads back: the router's database (calls in
 * progress, every call's record, acknowledged summaries, ratings and 回访 tasks), SIPp's own
 * account of each call, and rtpengine's packet counters; and the checks made of them.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { ngCommand } from '../../tests/support/rtpengine-ng.js';
import type { Checks } from '../report.js';
import type { Acknowledged } from './soak-seats.js';
import type { Daemon } from './soak-product.js';

/** Soak callers are 1391 + SIPp's call number (bench/sip/scenarios/soak-caller.xml). */
const SOAK_CALLERS = "caller LIKE '1391%'";
const ACTIVE = "('queued', 'ringing', 'talking', 'wrap-up')";
/** How long before a kill an event Kamailio sent may still wait unread in the router's socket (a loaded machine). */
const IN_FLIGHT_MS = 2000;

export interface KillRecord {
  round: number;
  which: Daemon;
  /** Seconds since the soak started. */
  atS: number;
  /** Callers waiting (queued or ringing) and talking when the kill came. */
  waiting: string[];
  talking: string[];
  /** Router kills: talking calls sampled in rtpengine while the router was down, and those whose packet counts still grew. */
  media: { sampled: number; flowing: number } | null;
  /** From the kill until a router had resynced with Kamailio again (unix ms). */
  down: { from: number; to: number };
  /** Seconds from the kill: router back and resynced with Kamailio, every seat ready, both pages live. */
  syncedS: number | null;
  seatsS: number | null;
  pagesS?: number | null;
  seatPageS?: number | null;
  supervisorPageS?: number | null;
}

function readonly<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The soak's calls the router has in progress now. */
export function activeCalls(dbPath: string): { id: string; caller: string; state: string }[] {
  return readonly(
    dbPath,
    (db) =>
      db.prepare(`SELECT id, caller, state_kind AS state FROM calls WHERE ${SOAK_CALLERS} AND state_kind IN ${ACTIVE}`).all() as {
        id: string;
        caller: string;
        state: string;
      }[],
  );
}

export interface CallOutcome {
  /** Unix ms of SIPp's 200 OK, or null. */
  answeredAt: number | null;
  completed: boolean;
}

/** Caller number → when SIPp saw the call answered and whether it completed (its "A" and "E" log lines). */
export function callOutcomes(logFile: string): Map<string, CallOutcome> {
  const out = new Map<string, CallOutcome>();
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    const m = /^([SAE]);(\d+)-[^;]*;(\d+)\.\d*;(\d+)/.exec(line.trim());
    if (!m) continue;
    const caller = `1391${m[2]}`;
    const o = out.get(caller) ?? { answeredAt: null, completed: false };
    if (m[1] === 'A') o.answeredAt = Number(m[3]) * 1000 + Math.floor(Number(m[4]) / 1000);
    if (m[1] === 'E') o.completed = true;
    out.set(caller, o);
  }
  return out;
}

/** rtpengine's call id → packets received on every leg, for every call it relays now. */
export async function mediaSample(ngAddr: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const list = await ngCommand(ngAddr, { command: 'list', limit: 1000 }).catch(() => null);
  const ids = ((list?.calls ?? []) as unknown[]).map(String);
  await Promise.all(
    ids.map(async (id) => {
      const r = await ngCommand(ngAddr, { command: 'query', 'call-id': id }).catch(() => null);
      if (r?.result !== 'ok') return;
      const tags = (r.tags ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
      let n = 0;
      for (const t of Object.values(tags)) for (const m of t.medias ?? []) for (const s of m.streams ?? []) n += s.stats?.packets ?? 0;
      out.set(id, n);
    }),
  );
  return out;
}

const share = (callers: string[], outcomes: Map<string, { completed: boolean }>) =>
  `${callers.filter((c) => outcomes.get(c)?.completed).length}/${callers.length}`;

/** Checks the records after the drain; returns the figures the soak reports. */
export function recordChecks(
  checks: Checks,
  o: { dbPath: string; outcomes: Map<string, CallOutcome>; kills: KillRecord[]; acked: Acknowledged },
) {
  return readonly(o.dbPath, (db) => {
    const calls = db
      .prepare(`SELECT id, caller, state_kind AS state, answered_at AS answeredAt FROM calls WHERE ${SOAK_CALLERS}`)
      .all() as { id: string; caller: string; state: string; answeredAt: number | null }[];
    const eventsOf = db.prepare('SELECT type FROM call_events WHERE call_id = ? ORDER BY id');
    const stuck = calls.filter((c) => ['queued', 'ringing', 'talking', 'wrap-up'].includes(c.state));
    checks.expect(
      'calls still in progress after the drain',
      stuck.length === 0,
      `${stuck.length} of ${calls.length} (${stuck
        .slice(0, 5)
        .map((c) => `${c.id} ${c.state}`)
        .join(', ')})`,
    );
    const incomplete = calls.filter((c) => {
      const types = new Set((eventsOf.all(c.id) as { type: string }[]).map((e) => e.type));
      if (!types.has('offered') && c.answeredAt !== null) return true;
      if (c.state === 'ended') return !types.has('answered') || !types.has('hung-up');
      if (c.state === 'abandoned') return !types.has('abandoned');
      return false;
    });
    checks.expect(
      'calls without their events (offered/answered/hung-up, abandoned)',
      incomplete.length === 0,
      `${incomplete.length} (${incomplete
        .slice(0, 5)
        .map((c) => c.id)
        .join(', ')})`,
    );
    const byCaller = new Map(calls.map((c) => [c.caller, c]));
    const completed = [...o.outcomes.entries()].filter(([, v]) => v.completed).map(([k]) => k);
    // A call answered while no router listens (Kamailio still relays; its "answered" event has
    // nobody to go to), or just before a router died with the event unread (IN_FLIGHT_MS), and
    // gone before a router is back: Kamailio's resync reports it (`gone`), so it is recorded
    // answered and hung up. Counted apart as well, to show how many the kills produced.
    const down = (t: number | null) => t !== null && o.kills.some((k) => t >= k.down.from - IN_FLIGHT_MS && t <= k.down.to);
    const unrecorded = completed.filter((c) => byCaller.get(c)?.answeredAt == null);
    const answeredWhileDown = completed.filter((c) => down(o.outcomes.get(c)!.answeredAt));
    checks.expect(
      'calls SIPp completed that the router has no answered record of',
      unrecorded.length === 0,
      `${unrecorded.length} of ${completed.length} (${unrecorded.slice(0, 5).join(', ')}; answered while no router was up or in its last 2 s: ${answeredWhileDown.length})`,
    );

    const summaryOf = db.prepare('SELECT 1 FROM call_summaries WHERE call_id = ?');
    const lostSummaries = [...o.acked.summaries.keys(), ...o.acked.savedUnanswered].filter((id) => !summaryOf.get(id));
    checks.expect(
      'acknowledged summaries missing',
      o.acked.summaries.size > 0 && lostSummaries.length === 0,
      `${lostSummaries.length} of ${o.acked.summaries.size} (+ ${o.acked.savedUnanswered.size} whose answer a kill took)`,
    );
    const ratingOf = db.prepare("SELECT call_id AS callId FROM satisfaction_ratings WHERE id = ? AND source = 'sms'");
    const taskOf = db.prepare("SELECT 1 FROM visit_tasks WHERE id = ? AND source = 'dissatisfied'");
    const ratings = [...o.acked.ratings.entries()];
    const lostRatings = ratings.filter(([callId, r]) => (ratingOf.get(r.ratingId) as { callId: string } | undefined)?.callId !== callId);
    const tasks = ratings.filter(([, r]) => r.visitTaskId !== null);
    const lostTasks = tasks.filter(([, r]) => !taskOf.get(r.visitTaskId));
    checks.expect(
      'acknowledged ratings missing',
      ratings.length > 0 && lostRatings.length === 0,
      `${lostRatings.length} of ${ratings.length}`,
    );
    checks.expect(
      'acknowledged 回访 tasks missing',
      tasks.length === ratings.length && lostTasks.length === 0,
      `${lostTasks.length} of ${tasks.length} (ratings ${ratings.length})`,
    );

    const survival = o.kills.map((k) => ({
      which: k.which,
      waiting: share(k.waiting, o.outcomes),
      talking: share(k.talking, o.outcomes),
      media: k.media ? `${k.media.flowing}/${k.media.sampled}` : '-',
    }));
    for (const k of o.kills) {
      const label = `round ${k.round}, ${k.which} kill`;
      checks.expect(
        `${label}: router, seats and pages recovered`,
        k.syncedS !== null && k.seatsS !== null && k.pagesS !== null,
        `synced ${k.syncedS ?? '-'} s, seats ${k.seatsS ?? '-'} s, pages ${k.pagesS === undefined ? 'not open' : (k.pagesS ?? '-')} s`,
      );
      if (k.which !== 'router') continue;
      const lostWaiting = k.waiting.filter((c) => !o.outcomes.get(c)?.completed);
      const lostTalking = k.talking.filter((c) => !o.outcomes.get(c)?.completed);
      checks.expect(
        `${label}: waiting calls answered afterwards`,
        lostWaiting.length === 0,
        `${share(k.waiting, o.outcomes)} (lost: ${lostWaiting.slice(0, 5).join(', ') || 'none'})`,
      );
      checks.expect(
        `${label}: talking calls completed`,
        lostTalking.length === 0,
        `${share(k.talking, o.outcomes)} (lost: ${lostTalking.slice(0, 5).join(', ') || 'none'})`,
      );
      checks.expect(
        `${label}: talking calls' audio relayed while the router was down`,
        k.media !== null && k.media.flowing === k.media.sampled,
        k.media ? `${k.media.flowing}/${k.media.sampled}` : 'no sample',
      );
    }
    const started = o.outcomes.size;
    return {
      calls: started,
      recorded: calls.length,
      answered: calls.filter((c) => c.answeredAt !== null).length,
      completedBySipp: completed.length,
      summaries: o.acked.summaries.size,
      summariesAnswerLost: o.acked.savedUnanswered.size,
      ratings: ratings.length,
      tasks: tasks.length,
      lost: {
        stuck: stuck.length,
        incompleteRecords: incomplete.length,
        unrecordedCompletedCalls: unrecorded.length,
        answeredWhileRouterDown: answeredWhileDown.length,
        summaries: lostSummaries.length,
        ratings: lostRatings.length,
        tasks: lostTasks.length,
      },
      survival,
    };
  });
}
