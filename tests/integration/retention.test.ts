import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { AuditRepository } from '../../server/src/features/audit/audit-repository.js';
import { AuditService } from '../../server/src/features/audit/audit-service.js';
import { ANONYMISED, RetentionRepository } from '../../server/src/features/retention/retention-repository.js';
import { monthsBefore, RetentionService } from '../../server/src/features/retention/retention-service.js';
import { connect, emit, login, startTestServer, type TestServer } from '../support/server.js';

/*
 * The retention policy (README "Retention"): past the period a caller's number is anonymised in
 * every place it was stored while the call, its summary and the figures stay; ended sessions and
 * old records go; a dry run shows exactly what a run changes; each run is audited.
 */
let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv = null;
});

const POLICY = { callerMonths: 36, sessionDays: 30, recordDays: 90 };
const YEAR = 365 * 86_400_000;

describe('retention', () => {
  it('anonymises old callers everywhere, keeps the calls and their figures, deletes ended sessions; the dry run shows the same counts; audited', async () => {
    srv = await startTestServer({ env: { DEMO_HISTORY: 'false' } });
    const { db, app } = srv;
    // 李秀英 at a meal: calls wait; an old call ends, another is still waiting.
    const s02 = await connect(srv.url, await login(srv.url, 'seat02'));
    expect((await emit(s02, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).ok).toBe(true);
    app.engine.offerCall({ id: 'old-1', caller: '13911112222', dialed: '123482', ivrCode: '2' });
    app.engine.hangup('old-1', 'caller');
    app.engine.offerCall({ id: 'live-1', caller: '13933334444', dialed: '123482', ivrCode: '2' });
    db.prepare(
      `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, note, updated_at, status)
       VALUES ('sample', 'r1', 'old-1', '13911112222', 'labor', 'city', 's02', 1, 1, 1, NULL, 1, 'closed'),
              ('sample', 'r2', 'old-1', '13911112222', 'labor', 'city', 's02', 1, 1, 1, NULL, 1, 'open')`,
    ).run();
    const facts = (db.prepare('SELECT COUNT(*) AS n FROM call_facts').get() as { n: number }).n;

    // Four years on.
    const clock = new VirtualClock(Date.now() + 4 * YEAR);
    const retention = new RetentionService(
      db,
      new RetentionRepository(db),
      new AuditService(db, new AuditRepository(db), clock),
      clock,
      POLICY,
    );
    const sessionsBefore = (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    const dry = retention.run({ dryRun: true });
    expect(dry.counts).toMatchObject({ calls: 1, visits: 1, sessions: sessionsBefore });
    expect((db.prepare("SELECT caller FROM calls WHERE id = 'old-1'").get() as { caller: string }).caller).toBe('13911112222');
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'retention.run'").get()).toEqual({ n: 0 });

    const run = retention.run({ dryRun: false });
    expect(run.counts).toEqual(dry.counts);
    const old = db.prepare("SELECT caller, json_extract(snapshot_json, '$.caller') AS snap FROM calls WHERE id = 'old-1'").get();
    expect(old).toEqual({ caller: ANONYMISED, snap: ANONYMISED });
    // The call still waiting keeps its number; so does the open 回访 task.
    expect((db.prepare("SELECT caller FROM calls WHERE id = 'live-1'").get() as { caller: string }).caller).toBe('13933334444');
    expect(db.prepare('SELECT caller FROM visit_tasks ORDER BY source_ref').all()).toEqual([
      { caller: ANONYMISED },
      { caller: '13911112222' },
    ]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM call_facts').get() as { n: number }).n).toBe(facts);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    const entry = db.prepare("SELECT username, after_json FROM audit_log WHERE action = 'retention.run'").get() as {
      username: string;
      after_json: string;
    };
    expect(entry.username).toBe('system');
    expect(JSON.parse(entry.after_json)).toMatchObject({ counts: run.counts, policy: POLICY });
    expect(new AuditService(db, new AuditRepository(db), clock).verify().ok).toBe(true);

    // A second run has nothing left to do.
    expect(Object.values(retention.run({ dryRun: true }).counts).every((n) => n === 0)).toBe(true);
    s02.disconnect();
  });

  it('counts calendar months', () => {
    expect(new Date(monthsBefore(Date.UTC(2026, 2, 31, 12), 1)).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(monthsBefore(Date.UTC(2026, 11, 6), 36)).toISOString()).toBe('2023-12-06T00:00:00.000Z');
  });

  it('npm run retention -- --dry-run prints what it would change and changes nothing', async () => {
    srv = await startTestServer({ env: { DEMO_HISTORY: 'false' } });
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'scripts/retention.ts', '--dry-run'], {
        env: { ...process.env, DB_PATH: srv!.dbPath, RETENTION_SESSION_DAYS: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain('retention DRY RUN (nothing changed)');
    expect(out.text).toMatch(/calls\s+would change 0/);
    expect(srv.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'retention.run'").get()).toEqual({ n: 0 });
  });
});
