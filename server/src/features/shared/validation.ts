import { z } from 'zod';
import { configVersion } from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';

// Refusals are read by the console's users: zod's own sentences (a value of the wrong type, an
// unknown key, a number out of range), where a schema names none of its own, in zh-CN as well.
z.config(z.locales.zhCN());

/**
 * A request that failed its schema or a rule on its fields: 400 with the messages per field. The
 * message is what a user reads (the field sentences alone, once each: 请填写消息内容); the field
 * keys stay in `fields`, for programs and for forms that show a message by its field.
 */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string[]>) {
    super('VALIDATION', [...new Set(Object.values(fields).flat())].join(';') || '输入有误,请检查后重试');
  }
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string[]> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  throw new ValidationError(fields);
}

/**
 * A save sent with `?version=` (the `configVersion` fingerprint of what the editor loaded) is
 * refused with `refusal` when `current` has changed since, so two editors do not undo each other
 * unseen; the page keeps what was typed. A save without `version` (scripts, older pages) goes
 * through.
 */
export function expectVersion(version: unknown, current: unknown, refusal: string): void {
  if (version === undefined) return;
  if (version !== configVersion(current)) throw new ValidationError({ version: [refusal] });
}
