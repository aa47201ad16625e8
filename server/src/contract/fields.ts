/**
 * zod building blocks the topic files share. Internal to the contract: the barrel (index.ts)
 * does not re-export them.
 */
import { z } from 'zod';

/** Trimmed text of at most `max` characters; messages name the field as the seat reads it. */
export const text = (label: string, max: number) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`);

/** A whole number from the query string; an empty value is `fallback` (missing when there is none). */
export const queryInt = (name: string, label: string, fallback?: number) =>
  z.string({ error: (iss) => (iss.input === undefined ? `请提供${label} ${name}` : `${name} 必须是整数`) }).transform((v, ctx): number => {
    if (v.trim() === '') {
      if (fallback !== undefined) return fallback;
      ctx.addIssue({ code: 'custom', message: `请提供${label} ${name}` });
      return z.NEVER;
    }
    const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `${name} 必须是整数` });
      return z.NEVER;
    }
    return n;
  });
