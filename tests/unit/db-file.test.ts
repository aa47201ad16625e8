import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDatabase, backupName, checkDatabase, databaseFileProblem } from '../../server/src/store/db-file.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'db-file-'));

describe('database files', () => {
  it('names backups by UTC time, sortable', () => {
    expect(backupName(new Date(Date.UTC(2026, 11, 6, 7, 5, 9)))).toBe('hotline-20261206-070509.db');
  });

  it('keeps the newest backups only', async () => {
    const dir = tmp();
    const src = path.join(dir, 'src.db');
    const db = new Database(src);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    const out = path.join(dir, 'backups');
    for (let i = 0; i < 4; i++) await backupDatabase(src, out, 2, new Date(Date.UTC(2026, 0, 1 + i)));
    expect(fs.readdirSync(out).sort()).toEqual(['hotline-20260103-000000.db', 'hotline-20260104-000000.db']);
    expect(checkDatabase(path.join(out, 'hotline-20260104-000000.db'), true)).toBeNull();
  });

  it('a missing file is a problem in production only; an empty file is a new database', () => {
    const dir = tmp();
    expect(databaseFileProblem(path.join(dir, 'none.db'), false)).toBeNull();
    expect(databaseFileProblem(path.join(dir, 'none.db'), true)).toContain('does not exist');
    fs.writeFileSync(path.join(dir, 'empty.db'), '');
    expect(databaseFileProblem(path.join(dir, 'empty.db'), true)).toBeNull();
  });
});
