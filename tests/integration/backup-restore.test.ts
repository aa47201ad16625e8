import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, emit, login, startTestServer, tempDbPath, type TestServer } from '../support/server.js';

/*
 * Backup and restore (README "Backup and restore"), and the router's refusal of a database it
 * must not use: `npm run db:backup` while calls are being written, checked and restorable;
 * `npm run db:restore` refused while a router runs and for a damaged backup; the router refuses
 * a damaged file in any mode and a missing one in production, changing nothing.
 */
let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.stop();
  srv = null;
});

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

const countCalls = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM calls').get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('backup and restore', () => {
  it('an online backup taken while calls are written is complete and sound, and restores into a router that serves it', async () => {
    const dbPath = tempDbPath();
    srv = await startTestServer({ dbPath, env: { DEMO_HISTORY: 'false' } });
    // 李秀英 is signed in at a meal: calls wait, then their callers hang up (each a call record).
    const s02 = await connect(srv.url, await login(srv.url, 'seat02'));
    expect((await emit(s02, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).ok).toBe(true);
    let n = 0;
    const engine = srv.app.engine;
    const writeCall = () => {
      const id = `bk-${++n}`;
      engine.offerCall({ id, caller: '13800000000', dialed: '123482', ivrCode: '2' });
      engine.hangup(id, 'caller');
    };
    for (let i = 0; i < 200; i++) writeCall();
    const before = countCalls(dbPath);
    expect(before).toBeGreaterThanOrEqual(200);
    const writer = setInterval(() => {
      for (let i = 0; i < 20; i++) writeCall();
    }, 5);
    const dir = path.join(path.dirname(dbPath), 'backups');
    const backup = await run('scripts/db-backup.ts', ['--to', dir, '--keep', '2'], { DB_PATH: dbPath });
    clearInterval(writer);
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toMatch(/^backup OK: .*hotline-\d{8}-\d{6}\.db .*checked/);
    const file = path.join(
      dir,
      fs.readdirSync(dir).find((f) => f.endsWith('.db'))!,
    );
    const inBackup = countCalls(file);
    expect(inBackup).toBeGreaterThanOrEqual(before);
    expect(inBackup).toBeLessThanOrEqual(countCalls(dbPath));

    // A restore is refused while the router answers on its port.
    const port = new URL(srv.url).port;
    const refused = await run('scripts/db-restore.ts', [file], { DB_PATH: dbPath, PORT: port });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`restore refused: a router is running on port ${port}`);
    s02.disconnect();
    await srv.stop({ keepDb: true });
    srv = null;

    // Stopped: the backup goes in place, the previous database is kept beside it.
    const restored = await run('scripts/db-restore.ts', [file], { DB_PATH: dbPath, PORT: port });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('the previous database is kept as');
    expect(fs.readdirSync(path.dirname(dbPath)).some((f) => f.includes('.before-restore-'))).toBe(true);
    srv = await startTestServer({ dbPath, env: { DEMO_HISTORY: 'false' } });
    const admin = await login(srv.url, 'admin');
    const res = await fetch(`${srv.url}/api/calls/bk-1`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    expect(countCalls(dbPath)).toBe(inBackup);
  });

  it('a damaged backup is not restored, and the database stays as it was', async () => {
    const dbPath = tempDbPath();
    srv = await startTestServer({ dbPath, env: { DEMO_HISTORY: 'false' } });
    await srv.stop({ keepDb: true });
    srv = null;
    const bad = path.join(path.dirname(dbPath), 'bad-backup.db');
    fs.writeFileSync(bad, Buffer.alloc(8192, 7));
    const before = sha(dbPath);
    const r = await run('scripts/db-restore.ts', [bad], { DB_PATH: dbPath, PORT: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('cannot be restored: the file is not an SQLite database');
    expect(sha(dbPath)).toBe(before);
    fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
  });
});

describe('a database the router must not use', () => {
  const start = (env: Record<string, string>) =>
    run('server/src/main.ts', [], { PORT: '0', TELEPHONY: 'none', LOG_LEVEL: 'fatal', ...env });

  it('a damaged database file is refused with the way out, in demo mode too, and left untouched', async () => {
    const file = tempDbPath();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xff)]));
    const before = sha(file);
    const r = await start({ DB_PATH: file });
    expect(r.code).toBe(78);
    expect(r.out).toContain(`the database ${file} cannot be used`);
    expect(r.out).toContain('npm run db:restore');
    expect(sha(file)).toBe(before);
  });

  it('in production a missing database is refused, not created empty', async () => {
    const file = tempDbPath();
    const r = await start({ DB_PATH: file, HOTLINE_MODE: 'production' });
    expect(r.code).toBe(78);
    expect(r.out).toContain('does not exist');
    expect(fs.existsSync(file)).toBe(false);
  });
});
