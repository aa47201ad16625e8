/**
 * Issue 17 item 5 with a real full disk: the database lives on a small tmpfs mounted for the test,
 * `npm start`'s scripts/start.sh runs the router (TELEPHONY=none), and a filler file takes the
 * last byte of the file system. The router must refuse new work with STORAGE_FULL, show the
 * alarm to supervisors and write it once in the log, keep running (start.sh restarts nothing),
 * and take work again by itself once the filler is deleted; every write it acknowledged is on
 * disk afterwards and the database passes its integrity check. A disk already full at start is
 * refused with that cause (exit 78), not taken for a damaged file.
 *
 * Mounting needs root (CAP_SYS_ADMIN); where the test cannot mount it says so and is skipped:
 * tests/integration/storage-full.test.ts covers the same paths everywhere with a real
 * SQLITE_FULL from `PRAGMA max_page_count`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/processes.js';
import { connect, emit, login, type ClientSocket } from '../support/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
const FULL = { ok: false, error: { code: 'STORAGE_FULL', message: '存储空间已满,暂停受理新业务' } };

/** Mounts a tmpfs of `sizeMb` at a new folder; null (with the reason) where this is not allowed. */
function mountTmpfs(sizeMb: number): { dir: string } | { why: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return { dir };
  fs.rmSync(dir, { recursive: true, force: true });
  return { why: (r.stderr || r.error?.message || `mount exited ${r.status}`).trim() };
}

const probe = mountTmpfs(1);
const canMount = 'dir' in probe;
if ('dir' in probe) {
  spawnSync('umount', [probe.dir]);
  fs.rmSync(probe.dir, { recursive: true, force: true });
} else {
  console.warn(`tests/faults/full-disk.test.ts skipped: cannot mount a tmpfs here (${probe.why})`);
}

const cleanups: (() => void | Promise<void>)[] = [];
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs: number): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes zeros into `file` until the file system has no byte left: only ever on a tmpfs of this test. */
function fillUp(file: string): number {
  const mounts = fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '));
  if (!mounts.some(([, at, type]) => at === path.dirname(file) && type === 'tmpfs'))
    throw new Error(`${path.dirname(file)} is not a tmpfs: refusing to fill it`);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

interface Reply {
  status: number;
  body: { ok: boolean; data?: unknown; error?: { code: string; message: string } };
}

async function call(url: string, cookie: string, method: string, p: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

const entry = (i: number) => ({ categoryId: 'general', question: `满盘测试问题第${i}条`, answer: `第${i}条标准答复。`.repeat(200) });

describe.skipIf(!canMount)('the database disk fills (a real tmpfs) under npm start', () => {
  it('refuses new work with an alarm and one log line, keeps running, and recovers when space returns', async () => {
    const mounted = mountTmpfs(16);
    if (!('dir' in mounted)) throw new Error(mounted.why);
    const mnt = mounted.dir;
    cleanups.push(() => {
      spawnSync('umount', ['-l', mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
    });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(TELEPHONY|PORT|HOST|DB_PATH|LOG_LEVEL)$/.test(k)) env[k] = v;
    Object.assign(env, {
      TELEPHONY: 'none',
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_PATH: path.join(mnt, 'hotline.db'),
      DEMO_HISTORY: 'false',
      LOG_LEVEL: 'info',
      STORAGE_PROBE_S: '1',
      STORAGE_RESUME_FREE_MB: '1',
    });
    const proc: ChildProcess = spawn('bash', ['scripts/start.sh'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    cleanups.push(() => {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGKILL');
    });
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await waitFor(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status === 200, `GET /api/health\n${out}`, 180_000);
    const serverPids = () => spawnSync('pgrep', ['-f', '-P', String(proc.pid), 'server/src/main.ts'], { encoding: 'utf8' }).stdout.trim();
    const pidBefore = serverPids();
    expect(pidBefore).not.toBe('');

    const supervisor = await login(url, 'supervisor');
    const seat = await connect(url, await login(url, 'seat01'));
    sockets.push(seat);
    expect((await emit(seat, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    // The supervisor's monitor, open in a browser before the disk fills.
    const browser: Browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    await page.goto(url);
    await page.getByLabel('用户名').fill('supervisor');
    await page.getByLabel('密码').fill('demo12348');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText(/数据更新于/).waitFor();
    const pageAlarm = page.locator('.live-alert', { hasText: '存储故障' });

    const acknowledged: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect((await call(url, supervisor, 'POST', '/api/knowledge', entry(i))).status).toBe(201);
      acknowledged.push(i);
    }

    // The disk fills: writes go on until SQLite cannot get a byte, then are refused.
    const filler = path.join(mnt, 'filler');
    expect(fillUp(filler)).toBeGreaterThan(0);
    let refused: Reply | null = null;
    for (let i = 3; i < 400 && !refused; i++) {
      const r = await call(url, supervisor, 'POST', '/api/knowledge', entry(i));
      if (r.status === 201) acknowledged.push(i);
      else refused = r;
    }
    expect(refused).toEqual({ status: 503, body: FULL });
    expect(await emit(seat, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).toMatchObject(FULL);
    expect(await call(url, supervisor, 'POST', '/api/supervisor/messages', { to: { kind: 'all' }, text: '测试' })).toEqual({
      status: 503,
      body: FULL,
    });
    // Reads go on, with the alarm for every supervisor.
    const alarms = async () =>
      ((await call(url, supervisor, 'GET', '/api/live-alerts')).body.data as LiveAlert[]).filter((a) => a.kind === 'storageFull');
    expect((await alarms()).map((a) => a.text)).toEqual([expect.stringContaining('存储空间已满,暂停受理新业务')]);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    await pageAlarm.waitFor({ timeout: 10_000 });
    expect(await pageAlarm.textContent()).toContain('存储空间已满,暂停受理新业务');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'monitor-storage-full.png') });

    // A few probes later: still the same process, one error line, no restart by start.sh.
    await new Promise((r) => setTimeout(r, 3500));
    expect(serverPids()).toBe(pidBefore);
    expect(out).not.toMatch(/restarting it in/);
    const errorLines = out.split('\n').filter((l) => /"level":(50|60)/.test(l));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('STORAGE FULL: the database cannot be written');

    // Space returns: the router notices by itself, clears the alarm and takes work again.
    fs.rmSync(filler);
    await waitFor(async () => (await alarms()).length === 0, 'the alarm to clear', 20_000);
    expect(out).toContain('storage writable again');
    await pageAlarm.waitFor({ state: 'detached', timeout: 10_000 });
    const after = await call(url, supervisor, 'POST', '/api/knowledge', entry(1000));
    expect(after.status).toBe(201);
    acknowledged.push(1000);
    expect((await emit(seat, 'seat:set-status', { status: 'not-ready', reason: 'meal' })).ok).toBe(true);
    expect(serverPids()).toBe(pidBefore);

    // Stopped as an operator would: everything acknowledged is on disk, and the file is sound.
    process.kill(proc.pid!, 'SIGINT');
    await exited;
    // Read-write, so that closing it removes the -wal and -shm files as the router's close did.
    const db = new Database(path.join(mnt, 'hotline.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const questions = new Set(
        (db.prepare('SELECT question FROM knowledge_entries').all() as { question: string }[]).map((r) => r.question),
      );
      for (const i of acknowledged) expect(questions.has(entry(i).question)).toBe(true);
      const state = db.prepare("SELECT state_json FROM seat_states WHERE seat_id = 's01'").get() as { state_json: string };
      expect(JSON.parse(state.state_json)).toMatchObject({ kind: 'not-ready' });
    } finally {
      db.close();
    }

    // A disk already full at start: refused with the cause (exit 78, no restart loop), not
    // mistaken for a damaged file; the file is left as it was.
    const dbFile = path.join(mnt, 'hotline.db');
    expect(fs.readdirSync(mnt).filter((f) => f.startsWith('hotline.db-'))).toEqual([]);
    const before = fs.readFileSync(dbFile);
    fillUp(filler);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain(`the disk holding the database ${dbFile} is full`);
    expect(r.stderr).toContain('Do not restore a backup for this.');
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
  }, 300_000);
});
