import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Ack, ApiError } from '../contract/index.js';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { ValidationError } from '../features/shared/validation.js';

/** The one place a domain error code becomes an HTTP status (socket acks carry the code itself). */
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

/** The last /api handler: a path no feature router answered. */
export const unknownApiPath = (_req: Request, _res: Response, next: NextFunction) => next(new DomainError('NOT_FOUND', '接口不存在'));

/** The one Express error handler (mounted once, in app.ts): any error becomes `{ok:false, error}`. */
export const apiErrorHandler = (logger: Logger) => (err: unknown, req: Request, res: Response, _next: NextFunction) => {
  const { status, error, unexpected } = toApiError(err);
  if (unexpected) logger.error({ err, path: req.path }, 'request failed');
  res.status(status).json({ ok: false, error } satisfies Ack<never>);
};
