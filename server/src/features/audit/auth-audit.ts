import { DomainError } from '../../domain/errors.js';
import type { AuthService } from '../auth/auth-service.js';
import type { AuditService } from './audit-service.js';

/**
 * The audit hook of signing in and out, without touching the auth feature: the auth routes get
 * this view of the AuthService, whose `login` and `logout` record sign-in success, failure and
 * lock (the brake's RATE_LIMITED) and sign-out; everything else is the service itself.
 */
export function withSignInAudit(auth: AuthService, audit: AuditService): AuthService {
  const login: AuthService['login'] = async (username, password, address) => {
    try {
      const result = await auth.login(username, password, address);
      audit.record({ actor: result.user, action: 'auth.login', target: `user:${result.user.id}`, address });
      return result;
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'UNAUTHENTICATED' || err.code === 'RATE_LIMITED')) {
        audit.record({
          actor: { id: null, username: username.slice(0, 64), role: 'anonymous' },
          action: err.code === 'RATE_LIMITED' ? 'auth.locked' : 'auth.login-failed',
          target: `username:${username.slice(0, 64)}`,
          address,
        });
      }
      throw err;
    }
  };
  const logout: AuthService['logout'] = (token) => {
    const user = token ? auth.userForToken(token) : null;
    auth.logout(token);
    if (user) audit.record({ actor: user, action: 'auth.logout', target: `user:${user.id}` });
  };
  return new Proxy(auth, {
    get(target, prop) {
      if (prop === 'login') return login;
      if (prop === 'logout') return logout;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
