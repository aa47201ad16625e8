import { percent1, round1 } from '../../contract';

/**
 * The reports page's figures as text, rounded by the same functions as the exports
 * (server/src/features/reports/export-format.ts), so the page, the CSV and the XLSX agree;
 * a figure with no denominator is "—".
 */
export const pct = (x: number | null): string => {
  const v = percent1(x);
  return v === null ? '—' : `${v.toFixed(1)}%`;
};

export const sec = (x: number | null): string => {
  const v = round1(x);
  return v === null ? '—' : `${v.toFixed(1)} 秒`;
};
