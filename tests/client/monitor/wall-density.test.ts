import { describe, expect, it } from 'vitest';
import { columnsFor, tinyColumns, wallDensity } from '../../../client/src/features/monitor/wall-density';

describe('the seat wall density', () => {
  it('is roomy before the wall is laid out (or without a box)', () => {
    expect(wallDensity(18, null)).toBe('roomy');
    expect(wallDensity(18, { width: 0, height: 0 })).toBe('roomy');
  });

  it('keeps roomy cards while they all fit, and takes the next denser layout when they do not', () => {
    // 1100 px wide: 4 roomy columns (220 + 8), 5 compact ones (200 + 8)
    expect(columnsFor(1100, 220)).toBe(4);
    expect(columnsFor(1100, 200)).toBe(5);
    expect(wallDensity(8, { width: 1100, height: 300 })).toBe('roomy');
    // 18 roomy cards need 5 rows (740 px); 18 compact ones 4 rows of 96 (408 px)
    expect(wallDensity(18, { width: 1100, height: 420 })).toBe('compact');
    expect(wallDensity(18, { width: 1100, height: 760 })).toBe('roomy');
  });

  it('gives sixty seats one-line cards when those fit, and the dense ones (the wall scrolls) when not even those do', () => {
    // 7 one-line columns of 150: 9 rows of 34 with gaps = 370 px
    expect(wallDensity(60, { width: 1100, height: 380 })).toBe('tiny');
    expect(wallDensity(60, { width: 1100, height: 360 })).toBe('dense');
    expect(wallDensity(60, { width: 500, height: 200 })).toBe('dense');
  });

  it('always draws at least one column, however narrow the wall', () => {
    expect(columnsFor(90, 220)).toBe(1);
  });

  it('gives one-line cards the fewest columns with which every row fits, so each card is as wide as it can be', () => {
    // a laptop's wall, 630 × 297: 7 rows of 34 fit, so 18 seats take 3 wide columns, not the 4 that would fit across
    expect(wallDensity(18, { width: 630, height: 297 })).toBe('tiny');
    expect(columnsFor(630, 150)).toBe(4);
    expect(tinyColumns(18, { width: 630, height: 297 })).toBe(3);
    // sixty seats on a wall display: 10 rows of 34 fit in 423, so 6 columns
    expect(tinyColumns(60, { width: 1074, height: 423 })).toBe(6);
    // never more columns than fit across, never fewer than one
    expect(tinyColumns(60, { width: 320, height: 34 })).toBe(2);
    expect(tinyColumns(1, { width: 300, height: 10 })).toBe(1);
  });
});
