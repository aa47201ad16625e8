import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Ack, ApiError } from '../contract/index.js';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { ValidationError } from '../features/shared/validation.js';
import { storageFailureKind, storageFailureMessage } from '../store/db.js';

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
  STORAGE_FULL: 503,
};

/**
 * A refusal by the HTTP plumbing itself (wrong content type, foreign origin...): a status that
 * has no domain code of its own, with a code from the vocabulary and a sentence.
 */
export class HttpRefusal extends Error {
  override name = 'HttpRefusal';
  constructor(
    readonly status: number,
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One mapping from any thrown error to a status and an ApiError; unknown errors stay generic. */
export function toApiError(err: unknown): { status: number; error: ApiError; unexpected: boolean } {
  if (err instanceof HttpRefusal) {
    return { status: err.status, error: { code: err.code, message: err.message }, unexpected: false };
  }
  if (err instanceof ValidationError) {
    return { status: 400, error: { code: 'VALIDATION', message: err.message, fields: err.fields }, unexpected: false };
  }
  if (err instanceof DomainError) {
    return { status: STATUS[err.code], error: { code: err.code, message: err.message }, unexpected: false };
  }
  const storage = storageFailureKind(err);
  if (storage) return { status: 503, error: { code: 'STORAGE_FULL', message: storageFailureMessage(storage) }, unexpected: false };
  const e = (typeof err === 'object' && err !== null ? err : {}) as { type?: string; status?: unknown; expose?: unknown };
  if (e?.type === 'entity.parse.failed') {
    return { status: 400, error: { code: 'VALIDATION', message: '请求体不是有效的 JSON' }, unexpected: false };
  }
  if (e?.type === 'entity.too.large') {
    return { status: 413, error: { code: 'VALIDATION', message: '请求体过大' }, unexpected: false };
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return { status: 415, error: { code: 'VALIDATION', message: '请求体的编码不受支持' }, unexpected: false };
  }
  // Express and body-parser flag the client's own mistakes (a path that is not valid
  // percent-encoding, a malformed body...) with a 4xx status: a plain 400, never a stack.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: 400, error: { code: 'VALIDATION', message: '请求的路径或内容无效' }, unexpected: false };
  }
  return { status: 500, error: { code: 'INTERNAL', message: '服务器内部错误,请稍后重试' }, unexpected: true };
}

/** The last /api handler: a path no feature router answered. */
export const unknownApiPath = (_req: Request, _res: Response, next: NextFunction) => next(new DomainError('NOT_FOUND', '接口不存在'));

/**
 * The one Express error handler (mounted once, in composition/http.ts): any error becomes `{ok:false, error}`.
 * A write that failed for the disk (SQLITE_FULL...) is also handed to `onStorageFailure`.
 */
export const apiErrorHandler =
  (logger: Logger, onStorageFailure?: (err: unknown) => void) => (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (storageFailureKind(err)) onStorageFailure?.(err);
    const { status, error, unexpected } = toApiError(err);
    if (unexpected) logger.error({ err, method: req.method, path: safePath(req) }, 'request failed');
    else if (status === 400 && !(err instanceof ValidationError) && !(err instanceof DomainError)) {
      logger.warn({ method: req.method, path: safePath(req), reason: (err as Error)?.message }, 'malformed request refused');
    }
    if (res.headersSent) {
      // the reply had already begun: all that is left is to end it
      res.end();
      return;
    }
    res.status(status).json({ ok: false, error } satisfies Ack<never>);
  };

/**
 * The app's last error handler, for what is not under /api (static files, the client's pages):
 * a short answer with the status, never a stack.
 */
export const lastErrorHandler = (logger: Logger) => (err: unknown, req: Request, res: Response, _next: NextFunction) => {
  const { status, unexpected } = toApiError(err);
  const e = err as { status?: unknown };
  const code = typeof e?.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : status;
  if (unexpected && code >= 500) logger.error({ err, method: req.method, path: safePath(req) }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(code)
    .type('text/plain; charset=utf-8')
    .send(code >= 500 ? '服务器内部错误' : '请求无效');
};

/** The request's path for a log line, without the query string and bounded in length. */
function safePath(req: Request): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!.slice(0, 200);
}
