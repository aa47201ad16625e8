/**
 * zod building blocks the topic files share. Internal to the contract: the barrel (index.ts)
 * does not re-export them.
 */
import { z } from 'zod';

/**
 * Characters no free text may hold: C0 and C1 control characters (NUL, ESC, DEL...), the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: U+202E shows a topic
 * reversed) and lone surrogates. Multi-line fields keep newline and tab.
 */
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
const FORBIDDEN_ALL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu;
const ALLOWED_IN_MULTILINE = new Set(['\n', '\t']);

/** The first character a free-text field may not hold (null when clean). */
export function forbiddenCharacter(value: string, multiline: boolean): string | null {
  if (!FORBIDDEN.test(value)) return null;
  for (const m of value.matchAll(FORBIDDEN_ALL)) if (!(multiline && ALLOWED_IN_MULTILINE.has(m[0]))) return m[0];
  return null;
}

/**
 * Text another system sends (a signed webhook): the characters no free text may hold are removed
 * rather than refused, so a delivery is never lost for them (CR of a CRLF goes, the LF stays).
 */
export const scrubbed = (max: number, opts: { multiline?: boolean } = {}) =>
  z
    .string()
    .max(max, `最长 ${max} 个字符`)
    .transform((v) => v.replace(FORBIDDEN_ALL, (c) => ((opts.multiline ?? false) && ALLOWED_IN_MULTILINE.has(c) ? c : '')));

const describeChar = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Length in characters (code points), as a person counts them: 𠀀 is one, not two. */
export const charCount = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/**
 * The one free-text field of the contract: trimmed, at most `max` characters counted as code
 * points, no control characters or bidi overrides (refused with a sentence naming the field and
 * the character). Multi-line by default (newline and tab allowed); `line` is the single-line kind.
 */
export const text = (label: string, max: number, opts: { multiline?: boolean } = {}) => {
  const multiline = opts.multiline ?? true;
  return z
    .string({ error: `${label}必须是文字` })
    .trim()
    .check((ctx) => {
      const bad = forbiddenCharacter(ctx.value, multiline);
      if (bad !== null) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${label}含有不允许的控制字符或文字方向控制符(${describeChar(bad)}),请删除后重试`,
        });
      }
      if (charCount(ctx.value) > max) {
        ctx.issues.push({ code: 'too_big', origin: 'string', maximum: max, input: ctx.value, message: `${label}不能超过 ${max} 个字` });
      }
    });
};

/** A single-line free-text field (no newline or tab either): topics, names, keywords, search words. */
export const line = (label: string, max: number) => text(label, max, { multiline: false });

/**
 * A whole number from the query string; an empty value is `fallback` (missing when there is none).
 * Refused naming the field by its label; the key itself is in the error body's `fields`.
 */
export const queryInt = (label: string, fallback?: number) =>
  z.string({ error: (iss) => (iss.input === undefined ? `请提供${label}` : `${label}必须是整数`) }).transform((v, ctx): number => {
    if (v.trim() === '') {
      if (fallback !== undefined) return fallback;
      ctx.addIssue({ code: 'custom', message: `请提供${label}` });
      return z.NEVER;
    }
    const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `${label}必须是整数` });
      return z.NEVER;
    }
    return n;
  });

/**
 * The latest time a time field takes: the last millisecond of 2099, China time (Unix ms). A later
 * one is a slip or an attack, and 9e15 ms is not a date at all (a browser shows it as NaN-NaN).
 */
const LATEST_TIME = Date.UTC(2099, 11, 31, 16) - 1;

const notATime = (label: string) => `${label}不是有效的时间`;

/** The bounds of a time field: a whole number from 1970 to the end of 2099, refused in zh-CN naming the field. */
const timeBounds = <T extends z.ZodNumber | z.ZodCoercedNumber>(n: T, label: string): T =>
  n.int(notATime(label)).min(0, notATime(label)).max(LATEST_TIME, `${label}不能晚于 2099 年`) as T;

/** A time field (Unix ms) of a JSON body. */
export const timestamp = (label: string) => timeBounds(z.number({ error: notATime(label) }), label);

/** A time field (Unix ms) of a query string. */
export const queryTimestamp = (label: string) => timeBounds(z.coerce.number({ error: notATime(label) }), label);

/** A calendar day as YYYY-MM-DD that exists (no 2026-02-30), from 1970 to 2099. */
export const calendarDate = (label: string) =>
  z
    .string({ error: `${label}须为 YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label}须为 YYYY-MM-DD`, abort: true })
    .refine((v) => {
      const [y, m, d] = v.split('-').map(Number) as [number, number, number];
      const t = new Date(Date.UTC(y, m - 1, d));
      return y >= 1970 && y <= 2099 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    }, `${label}不存在或超出范围(1970–2099 年)`);
