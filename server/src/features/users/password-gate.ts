import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { SessionLookup } from '../auth/auth-service.js';
import { sessionToken } from '../../transport/session-cookie.js';
import type { SocketHandler } from '../../transport/socket-handlers.js';
import type { UserService } from './users-service.js';

/** What a user who must change the password may still reach (signing in and out, the change itself). */
const OPEN = /^\/(health|deployment|reference|auth\/.*|my\/password(-status)?)$/;

/**
 * A one-time (reset) or expired password opens nothing but the password change: every other API
 * request of that session is refused until the user has chosen a new one.
 */
export function passwordGate(users: UserService, sessions: Pick<SessionLookup, 'userForToken'>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (OPEN.test(req.path)) return next();
    const token = sessionToken(req.headers.cookie);
    const user = token ? sessions.userForToken(token) : null;
    if (user && users.passwordStatus(user.id).mustChange) {
      return next(new DomainError('FORBIDDEN', '请先修改密码(一次性密码或密码已过期)'));
    }
    next();
  };
}

/** The same gate for socket events: a session with a one-time or expired password runs none of them. */
export function gateSocketHandlers(users: UserService, handlers: SocketHandler[]): SocketHandler[] {
  return handlers.map((h) => ({
    ...h,
    handle: (payload, ctx) => {
      if (users.passwordStatus(ctx.user.id).mustChange) throw new DomainError('FORBIDDEN', '请先修改密码(一次性密码或密码已过期)');
      return h.handle(payload, ctx);
    },
  }));
}
