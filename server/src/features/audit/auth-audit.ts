import type { AuthEvents } from '../auth/auth-service.js';
import type { AuditActor, AuditService } from './audit-service.js';

/** Someone who typed a username: not (yet) a user of the product. */
const anonymous = (username: string): AuditActor => ({ id: null, username: username.slice(0, 64), role: 'anonymous' });

/**
 * The audit log's subscription to the auth feature's events (features/auth/auth-events.ts):
 * sign-in success, failure, the start of a lock and each attempt a lock refuses, every session's
 * end (a logout, or expiry, idle, replacement, a disabled account, a changed password) and an
 * administrator clearing a lock.
 */
export function signInAudit(audit: AuditService): AuthEvents {
  return {
    signedIn: ({ user, address }) => audit.record({ actor: user, action: 'auth.login', target: `user:${user.id}`, address }),
    signInFailed: ({ username, address, reason }) =>
      audit.record({
        actor: anonymous(username),
        action: 'auth.login-failed',
        target: `username:${username.slice(0, 64)}`,
        address,
        reason,
      }),
    signInLocked: ({ username, address, scope, until }) =>
      audit.record({
        actor: anonymous(username),
        action: 'auth.locked',
        target: `username:${username.slice(0, 64)}`,
        address,
        after: { scope, until },
      }),
    signInRefused: ({ username, address, scope, until }) =>
      audit.record({
        actor: anonymous(username),
        action: 'auth.login-refused',
        target: `username:${username.slice(0, 64)}`,
        address,
        after: { scope, until },
      }),
    signedOut: ({ user, reason }) => {
      if (!user) return;
      audit.record({ actor: user, action: reason === 'logout' ? 'auth.logout' : 'auth.session-end', target: `user:${user.id}`, reason });
    },
    lockCleared: ({ admin, username, address, count }) =>
      audit.record({
        actor: admin,
        action: 'user.unlock',
        target: username ? `username:${username}` : `address:${address ?? ''}`,
        after: { count },
      }),
  };
}
