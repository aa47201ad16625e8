import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Ack } from '../contract/index.js';
import { DomainError } from '../domain/errors.js';
import type { SessionLookup, SessionUser } from '../features/auth/auth-service.js';
import { can, refusalOf, type Permission } from '../contract/permissions.js';
import { sessionToken } from './session-cookie.js';

/** A request past `requireUser`: the session's user and the session's absolute end. */
export type AuthedRequest = Request & {
  user?: SessionUser;
  sessionExpiresAt?: number;
  /** The hash of this request's session token (to keep this session when the others end). */
  sessionTokenHash?: string;
};

/**
 * Requests a console sends by itself, not on its user's behalf: they do not keep a session from
 * going idle (the softphone renewing its SIP credentials).
 */
const BACKGROUND_PATHS = new Set(['/sip/credentials', '/api/sip/credentials']);

export const ok = <T>(res: Response, data: T, status = 200) => res.status(status).json({ ok: true, data } satisfies Ack<T>);

/** Wraps a handler so thrown errors (and rejected promises) reach the one error handler. */
export const route = (fn: (req: AuthedRequest, res: Response) => unknown) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve()
    .then(() => fn(req as AuthedRequest, res))
    .catch(next);
};

/** Middleware factory: a signed-in user, and with a permission, one whose role has it. */
export type RequireUser = (permission?: Permission) => RequestHandler;

export const createRequireUser =
  (auth: SessionLookup): RequireUser =>
  (permission) =>
  (req, _res, next) => {
    let session;
    try {
      session = auth.sessionForToken(sessionToken(req.headers.cookie), { touch: !BACKGROUND_PATHS.has(req.path) });
    } catch (err) {
      return next(err);
    }
    if (!session) return next(new DomainError('UNAUTHENTICATED', '请先登录'));
    const { user, expiresAt } = session;
    if (permission && !can(user.role, permission)) return next(new DomainError('FORBIDDEN', refusalOf(permission)));
    (req as AuthedRequest).user = user;
    (req as AuthedRequest).sessionExpiresAt = expiresAt;
    (req as AuthedRequest).sessionTokenHash = session.tokenHash;
    next();
  };

/** The user `requireUser` put on the request. */
export function userOf(req: AuthedRequest): SessionUser {
  if (!req.user) throw new DomainError('UNAUTHENTICATED', '请先登录');
  return req.user;
}
