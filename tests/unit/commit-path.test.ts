/**
 * The commit path through the Kamailio adapter, on a real SQLite file (WAL,
 * synchronous=FULL): each Kamailio event is one commit holding both the adapter's
 * SIP leg rows and the engine's decision, and a decision reaches Kamailio only once
 * that commit is on disk. Commits are counted in the WAL file itself (one commit
 * frame = one fsync), so this is a count, not a timing.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, CallEvent } from '../../server/src/domain/call.js';
import { SystemClock } from '../../server/src/domain/clock.js';
import { AcdEngine, type EngineStore } from '../../server/src/domain/engine.js';
import { openDatabase, type Db } from '../../server/src/store/db.js';
import { SqliteEngineStore } from '../../server/src/store/engine-store.js';
import { SipLegRepo } from '../../server/src/store/sip-legs.js';
import { makeConfig, seat } from './support/engine-harness.js';
import { enqueue, fakeKamailio, until, wireAdapter } from './support/fake-kamailio.js';
import { walCommits, walFramePages } from './support/wal-commits.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Router over a database file: seat s1 signed in, registered and ready. */
async function rig(opts: { store?: (db: Db) => EngineStore } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-path-'));
  const file = path.join(dir, 'router.db');
  const db = openDatabase(file);
  db.pragma('wal_autocheckpoint = 0');
  expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  db.prepare(
    `INSERT INTO seats (id, name, staff_no, centre_id, skills_json, languages_json) VALUES ('s1', 'Lawyer s1', 's1', 'city', '{"labor":5}', '["zh"]')`,
  ).run();
  const fake = await fakeKamailio();
  const legs = new SipLegRepo(db);
  const { engine, adapter } = wireAdapter(
    fake,
    legs,
    (telephony) =>
      new AcdEngine({
        clock: SystemClock,
        store: opts.store ? opts.store(db) : new SqliteEngineStore(db),
        telephony,
        config: makeConfig(),
        seats: [seat('s1', { labor: 5 })],
        requireRegistration: true,
        onStorageFailure: () => {},
      }),
  );
  cleanups.push(
    () => fs.rmSync(dir, { recursive: true, force: true }),
    () => void db.close(),
    () => fake.close(),
    () => adapter.stop(),
    () => engine.dispose(),
  );
  adapter.start();
  await until(() => adapter.status().synced, 'synced');
  fake.send({ event: 'reg', seat: 's1', contacts: 1 });
  await until(() => engine.getSeat('s1').registered, 'registered');
  engine.setSeatReady('s1');
  const commits = () => walCommits(`${file}-wal`);
  const frames = () => walFramePages(`${file}-wal`);
  return { dir, file, db, fake, engine, legs, commits, frames };
}

/** What a process started after a kill -9 at this instant would read: a copy of the files as they are now. */
function readAfterKill(file: string): { legs: string[]; calls: { id: string; state_kind: string }[] } {
  const copy = path.join(path.dirname(file), 'after-kill.db');
  fs.copyFileSync(file, copy);
  fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  const db = new Database(copy, { readonly: true });
  try {
    const legs = (db.prepare('SELECT call_id FROM sip_legs').all() as { call_id: string }[]).map((r) => r.call_id);
    const calls = db.prepare('SELECT id, state_kind FROM calls').all() as { id: string; state_kind: string }[];
    return { legs, calls };
  } finally {
    db.close();
  }
}

/** What a kill -9 would leave on disk at the instant the first ring decision reaches Kamailio. */
function onDiskAtFirstRing(r: Awaited<ReturnType<typeof rig>>): () => ReturnType<typeof readAfterKill> | null {
  let onDisk: ReturnType<typeof readAfterKill> | null = null;
  const received = r.fake.received;
  const push = received.push.bind(received);
  received.push = (...items) => {
    if (!onDisk && items.some((m) => m.cmd === 'ring')) onDisk = readAfterKill(r.file);
    return push(...items);
  };
  return () => onDisk;
}

describe('the commit path through the Kamailio adapter', () => {
  it('costs one commit per Kamailio event: enqueue (leg, call and ring decision), answer, hang-up — three per call', async () => {
    const r = await rig();
    const before = r.commits();
    r.fake.send(enqueue('c1'));
    await until(() => r.fake.received.some((m) => m.cmd === 'ring'), 'ring');
    expect(r.commits() - before).toBe(1);
    expect(r.legs.list().map((l) => l.callId)).toEqual(['c1']);

    r.fake.send({ event: 'answered', callid: 'c1', seat: 's1' });
    await until(() => r.engine.getCall('c1')?.state.kind === 'talking', 'talking');
    expect(r.commits() - before).toBe(2);
    expect(r.legs.list()).toEqual([]); // no longer a suspended transaction

    r.fake.send({ event: 'bye', callid: 'c1', by: 'caller' });
    await until(() => r.engine.getCall('c1')?.state.kind === 'wrap-up', 'wrap-up');
    expect(r.commits() - before).toBe(3);
  });

  it('a caller who gives up in the queue costs two commits (enqueue, cancel), the leg deleted with the abandon', async () => {
    const r = await rig();
    r.engine.setSeatNotReady('s1', 'meal');
    const before = r.commits();
    r.fake.send(enqueue('c1'));
    await until(() => r.engine.getCall('c1')?.state.kind === 'queued', 'queued');
    expect(r.commits() - before).toBe(1);
    r.fake.send({ event: 'cancel', callid: 'c1' });
    await until(() => r.engine.getCall('c1') === undefined, 'abandoned');
    expect(r.commits() - before).toBe(2);
    expect(r.legs.list()).toEqual([]);
    expect(readAfterKill(r.file)).toEqual({ legs: [], calls: [{ id: 'c1', state_kind: 'abandoned' }] });
  });

  it('kill-safety: once Kamailio has the ring decision, the leg and the call are both on disk (one commit, written before the decision went out)', async () => {
    const r = await rig();
    const onDisk = onDiskAtFirstRing(r);
    r.fake.send(enqueue('c1'));
    await until(() => onDisk() !== null, 'ring');
    expect(onDisk()).toEqual({ legs: ['c1'], calls: [{ id: 'c1', state_kind: 'ringing' }] });
  });

  it('the leg is in the same transaction as the call: when storing the call fails, the leg is not stored either and the call is refused', async () => {
    const r = await rig({
      store: (db) => {
        const real = new SqliteEngineStore(db);
        return {
          transaction: (fn) => real.transaction(fn),
          saveSeatState: (s) => real.saveSeatState(s),
          lastAnsweringSeat: (c, since) => real.lastAnsweringSeat(c, since),
          saveCall: (call: Call, events: readonly CallEvent[]) => {
            if (call.id === 'c2') throw new Error('disk full');
            real.saveCall(call, events);
          },
        };
      },
    });
    r.engine.setSeatNotReady('s1', 'meal');
    const before = r.commits();
    r.fake.send(enqueue('c2'));
    await until(() => r.fake.received.some((m) => m.cmd === 'reject'), 'refused');
    expect(r.fake.received.find((m) => m.cmd === 'reject')).toMatchObject({ callid: 'c2', code: 503 });
    await new Promise((res) => setImmediate(res));
    expect(r.commits() - before).toBe(0); // the leg was rolled back with the call: nothing of c2 was ever committed
    expect(r.legs.list()).toEqual([]);
    expect(readAfterKill(r.file)).toEqual({ legs: [], calls: [] });
  });
});

describe('group commit: events that arrive in one read from Kamailio', () => {
  it('cost one commit together, and the decisions go out only after it, with every leg and call on disk', async () => {
    const r = await rig();
    const onDisk = onDiskAtFirstRing(r);
    const before = r.commits();
    r.fake.sendTogether([enqueue('c1'), enqueue('c2', { tindex: 12 }), enqueue('c3', { tindex: 13 })]);
    await until(() => r.engine.getCall('c3') !== undefined && onDisk() !== null, 'all three handled');
    expect(r.commits() - before).toBe(1);
    expect(onDisk()!.legs.sort()).toEqual(['c1', 'c2', 'c3']);
    expect(
      onDisk()!
        .calls.map((c) => `${c.id} ${c.state_kind}`)
        .sort(),
    ).toEqual(['c1 ringing', 'c2 queued', 'c3 queued']);
  });

  it('a refused event does not stop the others in the same read', async () => {
    const r = await rig();
    const before = r.commits();
    r.fake.sendTogether([{ event: 'answered', callid: 'nobody', seat: 's1' }, enqueue('c1')]);
    await until(() => r.fake.received.some((m) => m.cmd === 'ring'), 'ring');
    expect(r.commits() - before).toBe(1);
    expect(r.engine.getCall('c1')?.state.kind).toBe('ringing');
  });

  it('a caller who enqueues and hangs up in the same read is abandoned, and no ring goes out for the ended call', async () => {
    const r = await rig();
    r.fake.sendTogether([enqueue('c1'), { event: 'cancel', callid: 'c1' }]);
    await until(() => readAfterKill(r.file).calls.length === 1, 'stored');
    expect(readAfterKill(r.file)).toEqual({ legs: [], calls: [{ id: 'c1', state_kind: 'abandoned' }] });
    r.fake.send({ event: 'pong' });
    await new Promise((res) => setTimeout(res, 50));
    expect(r.fake.received.filter((m) => m.cmd === 'ring')).toEqual([]);
    expect(r.engine.getSeat('s1').state.kind).toBe('ready');
  });
});

describe('pages written per decision (each WAL frame is one page write before the fsync)', () => {
  /** The b-trees (tables and indexes) whose pages the frames written by `step` belong to. */
  async function treesWritten(r: Awaited<ReturnType<typeof rig>>, step: () => Promise<void>): Promise<string[]> {
    const from = r.frames().length;
    await step();
    const pages = r.frames().slice(from);
    const tree = new Map(
      (r.db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]).map((p) => [p.pageno, p.name]),
    );
    return pages.map((p) => tree.get(p) ?? `page ${p}`).sort();
  }

  it('enqueue, answer and hang-up touch only the b-trees that change: no answered-call index before the answer, none of them after it, one b-tree for the SIP leg', async () => {
    const r = await rig();
    const calls = ['c1', 'c2', 'c3'];
    const written: Record<string, string[]>[] = [];
    for (const id of calls) {
      const enqueueTrees = await treesWritten(r, async () => {
        r.fake.send(enqueue(id, { tindex: Number(id.slice(1)) }));
        await until(() => r.engine.getCall(id)?.state.kind === 'ringing', 'ringing');
      });
      const answerTrees = await treesWritten(r, async () => {
        r.fake.send({ event: 'answered', callid: id, seat: 's1' });
        await until(() => r.engine.getCall(id)?.state.kind === 'talking', 'talking');
      });
      const byeTrees = await treesWritten(r, async () => {
        r.fake.send({ event: 'bye', callid: id, by: 'caller' });
        await until(() => r.engine.getCall(id)?.state.kind === 'wrap-up', 'wrap-up');
      });
      written.push({ enqueueTrees, answerTrees, byeTrees });
      r.engine.summaryFiled(id, 's1');
      r.engine.endWrapUp('s1');
      r.engine.setSeatReady('s1');
    }
    const last = written.at(-1)!; // the first call also grows the file (page 1, new pages)
    expect(last.enqueueTrees).toEqual(
      [
        'call_events',
        'call_events_call',
        'calls',
        'calls_active',
        'calls_caller_enqueued',
        'calls_enqueued',
        'seat_events',
        'seat_events_seat_at',
        'seat_states',
        'sip_legs',
        'sqlite_autoindex_calls_1',
      ].sort(),
    );
    expect(last.answerTrees).toEqual(
      [
        'call_events',
        'call_events_call',
        'calls',
        'calls_active',
        'calls_caller_answered',
        'calls_seat_answered',
        'seat_events',
        'seat_events_seat_at',
        'seat_states',
        'sip_legs',
      ].sort(),
    );
    expect(last.byeTrees).toEqual(
      ['call_events', 'call_events_call', 'calls', 'calls_active', 'seat_events', 'seat_events_seat_at', 'seat_states'].sort(),
    );
    // What the answered-call indexes serve still works: the caller's last seat, the seat's calls.
    const plan = (sql: string) => (r.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan('SELECT seat_id FROM calls WHERE caller = 1 AND answered_at >= 0 ORDER BY answered_at DESC LIMIT 1')).toContain(
      'calls_caller_answered',
    );
    expect(plan('SELECT id FROM calls WHERE seat_id = 1 AND answered_at >= 0 AND answered_at < 2')).toContain('calls_seat_answered');
    expect(r.db.prepare("SELECT seat_id, answered_at IS NOT NULL AS answered FROM calls WHERE id = 'c3'").get()).toEqual({
      seat_id: 's1',
      answered: 1,
    });
  });
});
