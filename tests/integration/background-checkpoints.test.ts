/**
 * WAL checkpoints in a worker thread (store/checkpointer.ts): the router's own connection
 * never checkpoints inside a commit, the worker moves committed pages into the database
 * file, and stopping it gives checkpointing back to the connection.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../server/src/store/checkpointer.js';
import { openDatabase } from '../../server/src/store/db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('background WAL checkpoints', () => {
  it('when running, should keep the router connection from checkpointing and copy committed pages into the database file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoints-'));
    dirs.push(dir);
    const file = path.join(dir, 'router.db');
    const db = openDatabase(file);
    const checkpoints = startBackgroundCheckpoints(db, file, pino({ level: 'silent' }), 10);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // still FULL

    const sizeBefore = fs.statSync(file).size;
    const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)');
    for (let i = 0; i < 300; i++) db.transaction(() => insert.run(`k${i}`, 'x'.repeat(500)))();
    // Only a checkpoint writes pages into the database file itself.
    await eventually(() => fs.statSync(file).size > sizeBefore + 100_000, 'the worker to checkpoint');

    await checkpoints.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
    // Every commit is in the database (a reader sees all rows).
    const check = new Database(file, { readonly: true });
    expect((check.prepare('SELECT COUNT(*) AS n FROM settings WHERE key LIKE ?').get('k%') as { n: number }).n).toBe(300);
    check.close();
  });
});
