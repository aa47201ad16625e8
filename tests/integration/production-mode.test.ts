/**
 * Production mode (HOTLINE_MODE=production) and the first administrator (npm run
 * user:create-admin): the server refuses to start with no account or with any account that still
 * has a demo password; create-admin checks the policy and writes the audit log; demo mode is the
 * default and says so.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../server/src/domain/clock.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/src/seed/demo.js';
import { openDatabase } from '../../server/src/store/db.js';
import { startTestServer, tempDbPath } from '../support/server.js';

interface Ran {
  code: number | null;
  out: string;
}

/** Runs a TypeScript entry point with env and stdin; resolves when it exits. */
function runTs(file: string, env: Record<string, string>, stdin = ''): Promise<Ran> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/** Starts the real server (main.ts) on a free port; resolves with its URL once it listens. */
function startMain(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', TELEPHONY: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/"/.exec(out);
      if (m) {
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise<void>((done) => {
              child.on('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const ADMIN_INPUT = (password: string) => `chief.admin\n局信息科 王主任\n${password}\n${password}\n`;
const GOOD_PASSWORD = 'Bureau-Admin#2027';

describe('production mode', () => {
  it('refuses to start while any account has a demo password, naming them', async () => {
    const dbPath = tempDbPath();
    const db = openDatabase(dbPath);
    await seedDemo(db, SystemClock.now());
    db.close();
    const r = await runTs('server/src/main.ts', { DB_PATH: dbPath, HOTLINE_MODE: 'production', PORT: '0' });
    expect(r.code).toBe(78);
    expect(r.out).toMatch(/HOTLINE_MODE=production refuses to start: 22 account\(s\) still have a demo password \(seat01, seat02/);
  });

  it('refuses to start with no account at all, pointing at user:create-admin, and seeds nothing', async () => {
    const dbPath = tempDbPath();
    const r = await runTs('server/src/main.ts', { DB_PATH: dbPath, HOTLINE_MODE: 'production', PORT: '0' });
    expect(r.code).toBe(78);
    expect(r.out).toMatch(/npm run user:create-admin/);
    const db = openDatabase(dbPath);
    expect((db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('create-admin refuses a password that breaks the policy or is typed differently twice', async () => {
    const dbPath = tempDbPath();
    const weak = await runTs('scripts/create-admin.ts', { DB_PATH: dbPath }, ADMIN_INPUT(DEMO_PASSWORD));
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/未创建管理员: .*演示密码/);
    const mismatch = await runTs('scripts/create-admin.ts', { DB_PATH: dbPath }, `chief.admin\n王主任\n${GOOD_PASSWORD}\nother\n`);
    expect(mismatch.code).toBe(1);
    expect(mismatch.out).toMatch(/两次输入的密码不一致/);
  });

  it('after create-admin, starts in production: the administrator signs in, no demo account exists, the audit log has the creation', async () => {
    const dbPath = tempDbPath();
    const created = await runTs('scripts/create-admin.ts', { DB_PATH: dbPath }, ADMIN_INPUT(GOOD_PASSWORD));
    expect(created.code, created.out).toBe(0);
    expect(created.out).toMatch(/已创建系统管理员 chief.admin/);
    const again = await runTs('scripts/create-admin.ts', { DB_PATH: dbPath }, ADMIN_INPUT(GOOD_PASSWORD));
    expect(again.out).toMatch(/用户名 chief.admin 已存在/);

    const srv = await startMain({ DB_PATH: dbPath, HOTLINE_MODE: 'production' });
    try {
      expect(await (await fetch(`${srv.url}/api/deployment`)).json()).toEqual({ ok: true, data: { mode: 'production' } });
      const login = (username: string, password: string) =>
        fetch(`${srv.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
      expect((await login('seat01', DEMO_PASSWORD)).status).toBe(401);
      const ok = await login('chief.admin', GOOD_PASSWORD);
      expect(ok.status).toBe(200);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
      const audit = (await (await fetch(`${srv.url}/api/audit?action=user.create`, { headers: { cookie } })).json()) as {
        data: { entries: { username: string; after: { username: string } }[] };
      };
      expect(audit.data.entries[0]).toMatchObject({ username: 'user:create-admin', after: { username: 'chief.admin' } });
    } finally {
      await srv.stop();
    }
  });

  it('demo mode is the default and says so', async () => {
    const srv = await startTestServer();
    try {
      expect(await (await fetch(`${srv.url}/api/deployment`)).json()).toEqual({ ok: true, data: { mode: 'demo' } });
    } finally {
      await srv.stop();
    }
  });
});
