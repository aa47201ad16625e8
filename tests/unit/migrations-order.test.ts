// The migrations live in several files (server/src/store/migrations/); the list `migrate` applies
// is their concatenation, which must stay ascending and without gaps or duplicates.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/src/store/migrations.js';
import { LATEST_SCHEMA_VERSION } from '../../server/src/store/db.js';

describe('MIGRATIONS', () => {
  it('numbers the versions 1, 2, 3, … in order, one migration each', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('gives every migration a name and some SQL', () => {
    for (const m of MIGRATIONS) {
      expect(m.name.trim()).not.toBe('');
      expect(m.sql.trim()).not.toBe('');
    }
  });
});
