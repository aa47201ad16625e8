/**
 * The schema of the embedded SQLite store: one migration per version, applied in order by
 * `migrate` (store/db.ts), each inside one transaction. Append only: a released migration is
 * never edited. The SQL lives in store/migrations/, a few versions per file (named by their
 * range); a new migration goes at the end of the last file, or in a new file appended below
 * when that one nears ~450 lines. The list is ascending: version n is MIGRATIONS[n - 1].
 */
import { MIGRATIONS_001_008 } from './migrations/001-008.js';
import { MIGRATIONS_009_016 } from './migrations/009-016.js';
import { MIGRATIONS_017_020 } from './migrations/017-020.js';
import type { Migration } from './migrations/migration.js';

export type { Migration } from './migrations/migration.js';

export const MIGRATIONS: Migration[] = [...MIGRATIONS_001_008, ...MIGRATIONS_009_016, ...MIGRATIONS_017_020];
