import express from 'express';
import { LoginRequestSchema } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { SESSION_COOKIE, sessionToken } from '../../transport/session-cookie.js';
import { parseOrThrow } from '../shared/validation.js';
import type { AuthService } from './auth-service.js';
import { sipCredentialsView, userView } from './auth-views.js';
import type { SipCredentialService } from './sip-credentials-service.js';

export interface AuthRouteDeps {
  auth: AuthService;
  sipCredentials: SipCredentialService;
  requireUser: RequireUser;
  cookieSecure: boolean;
  /** Called after a logout so live sockets of that session close too. */
  onLogout?: (token: string) => void;
}

/** /api/auth/login, /api/auth/logout, /api/auth/me and the softphone's /api/sip/credentials. */
export function createAuthRouter(deps: AuthRouteDeps): express.Router {
  const r = express.Router();

  r.post(
    '/auth/login',
    route(async (req, res) => {
      const body = parseOrThrow(LoginRequestSchema, req.body);
      // a new session id at every sign-in; the one the browser still carried ends
      const previous = sessionToken(req.headers.cookie);
      const { token, user } = await deps.auth.login(body.username, body.password, req.ip ?? 'unknown', previous);
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.cookieSecure,
        path: '/',
        maxAge: deps.auth.sessionMs,
      });
      ok(res, { user: userView(user) });
    }),
  );

  r.post(
    '/auth/logout',
    route((req, res) => {
      const token = sessionToken(req.headers.cookie);
      deps.auth.logout(token);
      if (token) deps.onLogout?.(token);
      res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.cookieSecure });
      ok(res, null);
    }),
  );

  r.get(
    '/auth/me',
    deps.requireUser(),
    route((req, res) => ok(res, { user: userView(userOf(req)) })),
  );

  r.get(
    '/sip/credentials',
    deps.requireUser(),
    route((req, res) => {
      const consoleId = typeof req.query.console === 'string' ? req.query.console : undefined;
      const issued = deps.sipCredentials.issue(userOf(req), req.sessionExpiresAt, consoleId);
      res.set('Cache-Control', 'no-store');
      ok(res, sipCredentialsView(issued));
    }),
  );

  return r;
}
