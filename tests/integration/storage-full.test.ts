/**
 * The database's disk fills while the router runs (issue 17 item 5), in process: SQLite's own
 * `PRAGMA max_page_count` caps the database at its current size, so the next commit that needs a
 * page gets a real SQLITE_FULL from SQLite (the engine, the API and the probe all meet the real
 * error). tests/faults/full-disk.test.ts does the same with a real full file system.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../server/src/contract/index.js';
import { DomainError } from '../../server/src/domain/errors.js';
import { connect, emit, login, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

let server: TestServer | null = null;
const sockets: ClientSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await server?.stop();
  server = null;
});

/** A server whose log lines are kept (pino JSON, one object per line). */
async function start(): Promise<{ s: TestServer; lines: { level: number; msg: string }[] }> {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) });
  // The probe is run by hand here (a long interval): the test says when the disk has room again.
  const s = await startTestServer({ logger, env: { STORAGE_PROBE_S: '3600', STORAGE_RESUME_FREE_MB: '0' } });
  server = s;
  return { s, lines };
}

/** No new page from now on: the next commit that needs one fails with SQLITE_FULL. */
const fillDisk = (s: TestServer) => s.db.pragma(`max_page_count = ${s.db.pragma('page_count', { simple: true }) as number}`);
const freeDisk = (s: TestServer) => s.db.pragma('max_page_count = 1073741823');

const caller = (i: number) => `1380000${String(i).padStart(4, '0')}`;

/** Offers calls until one cannot be stored; returns the ids stored and the one refused. */
function offerUntilFull(s: TestServer): { stored: string[]; refused: string; err: unknown } {
  const stored: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = `full-${i}`;
    try {
      s.app.engine.offerCall({ id, caller: caller(i), dialed: '12348', categoryId: 'general' });
      stored.push(id);
    } catch (err) {
      return { stored, refused: id, err };
    }
  }
  throw new Error('the capped database never filled');
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('nothing thrown');
}

async function liveAlerts(s: TestServer, cookie: string): Promise<LiveAlert[]> {
  const res = await fetch(`${s.url}/api/live-alerts`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: LiveAlert[] }).data;
}

async function post(
  s: TestServer,
  cookie: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
}

describe('the database disk fills while the router runs', () => {
  it('a failed commit: memory back to the store, new work refused with STORAGE_FULL, one alarm (API, push, log); recovery by the probe', async () => {
    const { s, lines } = await start();
    const supervisor = await login(s.url, 'supervisor');
    const dongcheng = await login(s.url, 'supervisor-dc');
    const seatCookie = await login(s.url, 'seat01');
    const seat = await connect(s.url, seatCookie);
    sockets.push(seat);
    const watcher = await connect(s.url, supervisor);
    sockets.push(watcher);
    const pushed: LiveAlert[][] = [];
    watcher.on('live-alerts:updated', (list) => pushed.push(list));
    await emit(watcher, 'queue:subscribe', {});
    expect((await emit(seat, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    const ringing = s.app.engine.offerCall({ id: 'before', caller: caller(9999), dialed: '12348', categoryId: 'marriage-family' });
    expect(ringing.state).toMatchObject({ kind: 'ringing', seatId: 's01' });
    const errorsBefore = lines.filter((l) => l.level >= 50).length;

    fillDisk(s);
    const { stored, refused, err } = offerUntilFull(s);

    // The commit failed for real, and rolled back; memory is the store's again.
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    expect(s.app.storage.outage).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', message: '存储空间已满,暂停受理新业务' });
    expect(s.app.engine.getCall(refused)).toBeUndefined();
    const inStore = s.app.engineStore.loadActiveCalls();
    expect(inStore.map((c) => c.id).sort()).toEqual(['before', ...stored].sort());
    expect(
      s.app.engine
        .activeCalls()
        .map((c) => [c.id, c.state.kind, c.events.length])
        .sort(),
    ).toEqual(inStore.map((c) => [c.id, c.state.kind, c.events.length]).sort());
    const storedSeats = new Map(s.app.engineStore.loadSeatStates().map((x) => [x.id, x.state.kind]));
    for (const st of s.app.engine.listSeats())
      expect([st.profile.id, st.state.kind]).toEqual([st.profile.id, storedSeats.get(st.profile.id) ?? 'offline']);

    // Every later command is refused with the clear code, before touching the store.
    const again = thrown(() => s.app.engine.offerCall({ id: refused, caller: caller(1), dialed: '12348', categoryId: 'general' }));
    expect([again.code, again.message]).toEqual(['STORAGE_FULL', '存储空间已满,暂停受理新业务']);
    const ack = await emit(seat, 'seat:set-status', { status: 'not-ready', reason: 'meal' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL', message: '存储空间已满,暂停受理新业务' } });
    expect(s.app.engine.getSeat('s01').state.kind).toBe('ringing');
    // API writes: 503 with the same sentence; reads go on.
    const write = await post(s, supervisor, '/api/supervisor/messages', { to: { kind: 'all' }, text: '测试' });
    expect(write).toEqual({ status: 503, body: { ok: false, error: { code: 'STORAGE_FULL', message: '存储空间已满,暂停受理新业务' } } });
    const knowledge = await post(s, supervisor, '/api/knowledge', {
      categoryId: 'general',
      question: '磁盘已满时的问题',
      answer: '磁盘已满时的答复内容',
    });
    expect(knowledge.status).toBe(503);

    // The alarm: every supervisor (a county one too) sees it, by the API and by the push.
    const alarm = (list: LiveAlert[]) => list.find((a) => a.kind === 'storageFull');
    expect(alarm(await liveAlerts(s, supervisor))?.text).toContain('存储空间已满,暂停受理新业务');
    expect(alarm(await liveAlerts(s, dongcheng))).toBeDefined();
    await expect.poll(() => pushed.some((l) => alarm(l) !== undefined)).toBe(true);
    // One error line in the log for the outage, however many refusals followed.
    const errors = lines.filter((l) => l.level >= 50).slice(errorsBefore);
    expect(errors.map((l) => l.msg)).toEqual([expect.stringMatching(/^STORAGE FULL: the database cannot be written/)]);

    // Still full: the probe says so and nothing changes.
    expect(s.app.storage.probe()).toBe(false);
    expect(s.app.storage.outage).not.toBeNull();

    // Space returns: the probe's write succeeds, the router takes work again, the alarm clears.
    freeDisk(s);
    expect(s.app.storage.probe()).toBe(true);
    expect(s.app.storage.outage).toBeNull();
    expect(lines.some((l) => l.level === 30 && l.msg.startsWith('storage writable again'))).toBe(true);
    expect(alarm(await liveAlerts(s, supervisor))).toBeUndefined();
    await expect.poll(() => alarm(pushed.at(-1) ?? []) === undefined).toBe(true);
    expect(s.app.engine.offerCall({ id: refused, caller: caller(1), dialed: '12348', categoryId: 'general' }).state.kind).toBe('queued');
    expect((await post(s, supervisor, '/api/supervisor/messages', { to: { kind: 'all' }, text: '恢复' })).status).toBe(200);
    // The ring outstanding before the outage is the engine's again (its timer armed anew).
    expect(s.app.engine.getCall('before')?.state.kind).toBe('ringing');
    // Nothing acknowledged before the disk filled was lost.
    const after = new Set(s.app.engineStore.loadActiveCalls().map((c) => c.id));
    for (const id of ['before', ...stored, refused]) expect(after.has(id)).toBe(true);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('the first failure in an API write: 503 STORAGE_FULL, the engine suspended too; every write acknowledged before survives', async () => {
    const { s, lines } = await start();
    const supervisor = await login(s.url, 'supervisor');
    const entry = (i: number) => ({
      categoryId: 'general',
      question: `磁盘测试问题第${i}条`,
      answer: `这是第${i}条标准答复,`.repeat(150),
    });
    const first = await post(s, supervisor, '/api/knowledge', entry(0));
    expect(first.status).toBe(201);

    fillDisk(s);
    const acknowledged: number[] = [0];
    let refusedAt = -1;
    for (let i = 1; i < 200 && refusedAt < 0; i++) {
      const r = await post(s, supervisor, '/api/knowledge', entry(i));
      if (r.status === 201) acknowledged.push(i);
      else {
        expect(r).toEqual({ status: 503, body: { ok: false, error: { code: 'STORAGE_FULL', message: '存储空间已满,暂停受理新业务' } } });
        refusedAt = i;
      }
    }
    expect(refusedAt).toBeGreaterThan(0);
    expect(s.app.engine.suspended).toBe(true);
    expect(thrown(() => s.app.engine.setSeatReady('s02')).code).toBe('STORAGE_FULL');
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([expect.stringMatching(/^STORAGE FULL/)]);

    freeDisk(s);
    expect(s.app.storage.probe()).toBe(true);
    expect(s.app.engine.suspended).toBe(false);
    const questions = (s.db.prepare('SELECT question FROM knowledge_entries').all() as { question: string }[]).map((r) => r.question);
    for (const i of acknowledged) expect(questions).toContain(entry(i).question);
    expect(questions).not.toContain(entry(refusedAt).question);
  });
});
