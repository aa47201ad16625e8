import { z } from 'zod';
import type { ApiError } from '../contract/index.js';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

const STATUS: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** A request that failed its schema: 400 with the messages per field. */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string[]>) {
    super('VALIDATION', `请求参数有误: ${Object.entries(fields).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}`);
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

/** One mapping from any thrown error to a status and an ApiError; unknown errors stay generic. */
export function toApiError(err: unknown): { status: number; error: ApiError; unexpected: boolean } {
  if (err instanceof ValidationError) {
    return { status: 400, error: { code: 'VALIDATION', message: err.message, fields: err.fields }, unexpected: false };
  }
  if (err instanceof DomainError) {
    return { status: STATUS[err.code], error: { code: err.code, message: err.message }, unexpected: false };
  }
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') {
    return { status: 400, error: { code: 'VALIDATION', message: '请求体不是有效的 JSON' }, unexpected: false };
  }
  if (e?.type === 'entity.too.large') {
    return { status: 413, error: { code: 'VALIDATION', message: '请求体过大' }, unexpected: false };
  }
  return { status: 500, error: { code: 'INTERNAL', message: '服务器内部错误,请稍后重试' }, unexpected: true };
}
