/**
 * The last administrator: two administrators disabling or demoting each other at the same instant
 * must not leave the hotline without an enabled administrator.
 *
 * A real race needs two event loops: one router process runs a request's session check and its
 * change in one go. So two routers (child processes) share one database file; a third process
 * holds the write lock while both requests arrive, so each router checks its administrator's
 * session (both still enabled administrators) before either change runs; when the lock is let go
 * both changes run, one after the other. Only the count inside the change's transaction can
 * refuse the second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserAdminView } from '../../server/src/contract/index.js';
import { stopProcess } from '../support/processes.js';
import { login, tempDbPath } from '../support/server.js';

const children: ChildProcess[] = [];

/** Starts a child process; resolves with the first line matching `ready`. */
function child(args: string[], ready: RegExp): Promise<{ p: ChildProcess; line: RegExpMatchArray }> {
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += String(d)));
    p.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const line = ready.exec(out);
      if (line) resolve({ p, line });
    });
    p.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited (${code}): ${err.slice(-800)}`)));
  });
}

const router = async (dbPath: string) =>
  (await child(['--import', 'tsx', 'tests/support/router-child.ts', dbPath], /READY (\S+)/)).line[1]!;

/** Holds the database's write lock (BEGIN IMMEDIATE) until its stdin closes. */
async function holdWriteLock(dbPath: string): Promise<() => void> {
  const script = `
    const db = require('better-sqlite3')(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('LOCKED\\n');
    process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
    process.stdin.resume();
  `;
  const p = spawn(process.execPath, ['-e', script, dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(p);
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', (d: Buffer) => String(d).includes('LOCKED') && resolve());
    p.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
  return () => p.stdin.end();
}

async function call(url: string, cookie: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
}

describe('at least one enabled administrator, with two routers racing', () => {
  const dbPath = tempDbPath();
  let one = '';
  let two = '';
  const cookies: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const enabledAdmins = () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (
        db.prepare(`SELECT username FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY username`).all() as { username: string }[]
      ).map((r) => r.username);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    one = await router(dbPath);
    two = await router(dbPath);
    cookies.admin = await login(one, 'admin');
    const created = await call(one, cookies.admin, 'POST', '/api/users', {
      username: 'admin2',
      displayName: 'admin2',
      role: 'admin',
      password: 'Erst-Passwort-2026',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.admin2 = (created.body.data as UserAdminView).id;
    const admin2 = await login(two, 'admin2', 'Erst-Passwort-2026');
    const changed = await call(two, admin2, 'POST', '/api/my/password', {
      currentPassword: 'Erst-Passwort-2026',
      newPassword: 'Mein#Eigenes7Pw',
    });
    expect(changed.status).toBe(200);
    cookies.admin2 = await login(two, 'admin2', 'Mein#Eigenes7Pw');
    const list = (await call(one, cookies.admin, 'GET', '/api/users')).body.data as UserAdminView[];
    ids.admin = list.find((u) => u.username === 'admin')!.id;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(children.map((p) => stopProcess(p)));
    fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
  });

  /** Both administrators enabled and signed in (the one left enables the other after a race). */
  async function bothAdmins() {
    const left = enabledAdmins();
    if (left.length === 2) return;
    expect(left).toHaveLength(1);
    const [stays] = left as [string];
    const other = stays === 'admin' ? 'admin2' : 'admin';
    const back = await call(stays === 'admin' ? one : two, cookies[stays]!, 'PUT', `/api/users/${ids[other]}`, {
      displayName: other,
      role: 'admin',
      seatId: null,
      centres: null,
    });
    expect(back.status).toBe(200);
    expect(
      (await call(stays === 'admin' ? one : two, cookies[stays]!, 'POST', `/api/users/${ids[other]}/disabled`, { disabled: false })).status,
    ).toBe(200);
    cookies[other] = await login(other === 'admin' ? one : two, other, other === 'admin' ? undefined : 'Mein#Eigenes7Pw');
    expect(enabledAdmins()).toEqual(['admin', 'admin2']);
  }

  /**
   * admin (on router one) and admin2 (on router two) each send `change` for the other while the
   * lock is held. A router busy with a write of its own when the lock was taken may check its
   * session only after the other change committed (then it is refused as signed out or no longer
   * an administrator, which is no race): the race is run until both sessions were checked first
   * (at most 8 times), and the replies of every run where they were are returned.
   */
  async function races(change: (id: number, username: string) => { method: string; path: string; body: unknown }) {
    const raced: { status: number; body: { error?: { code: string; message: string } } }[][] = [];
    for (let i = 0; i < 8 && raced.length === 0; i++) {
      await bothAdmins();
      const release = await holdWriteLock(dbPath);
      const a = change(ids.admin2!, 'admin2');
      const b = change(ids.admin!, 'admin');
      const replies = Promise.all([
        call(one, cookies.admin!, a.method, a.path, a.body),
        call(two, cookies.admin2!, b.method, b.path, b.body),
      ]);
      // both requests reach their routers (and their session checks) while the lock is held
      await new Promise((r) => setTimeout(r, 1500));
      release();
      const got = await replies;
      // whatever the timing, an enabled administrator is left
      expect(enabledAdmins().length).toBeGreaterThanOrEqual(1);
      if (!got.some((r) => r.status === 401 || r.status === 403)) raced.push(got);
    }
    expect(raced.length, 'the two requests never raced').toBe(1);
    return raced[0]!;
  }

  it('disabling each other at once: one succeeds, the other is refused in zh-CN, one administrator stays enabled', async () => {
    const replies = await races((id) => ({ method: 'POST', path: `/api/users/${id}/disabled`, body: { disabled: true } }));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = replies.find((r) => r.status === 409)!.body.error!;
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/^不能停用 admin2?:系统须至少保留一名启用的系统管理员$/);
    expect(enabledAdmins()).toHaveLength(1);
  }, 120_000);

  it('demoting each other at once: one succeeds, the other is refused in zh-CN, one administrator stays', async () => {
    const replies = await races((id, username) => ({
      method: 'PUT',
      path: `/api/users/${id}`,
      body: { displayName: username, role: 'manager', seatId: null, centres: null },
    }));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(replies.find((r) => r.status === 409)!.body.error!.message).toMatch(
      /^不能把 admin2? 改为其他角色:系统须至少保留一名启用的系统管理员$/,
    );
    expect(enabledAdmins()).toHaveLength(1);
  }, 120_000);
});
