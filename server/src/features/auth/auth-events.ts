import type { SessionUser } from './auth-service.js';

/** Why a session ended. */
export type SessionEndReason = 'logout' | 'expired' | 'idle' | 'replaced' | 'disabled' | 'password-changed';

/**
 * What the auth service tells the rest of the product (the audit log subscribes here; every
 * hook is optional and called synchronously after the fact, never able to change the outcome).
 * `username` is what was typed; `userId` is null when no such account exists.
 */
export interface AuthEvents {
  signedIn?(e: { user: SessionUser; address: string }): void;
  signInFailed?(e: { username: string; address: string; userId: number | null; reason: 'bad-credentials' | 'disabled' }): void;
  /** This failure started a lock (of the account-and-address pair, or of the whole address). */
  signInLocked?(e: { username: string; address: string; userId: number | null; scope: 'pair' | 'address'; until: number }): void;
  /** An attempt refused by a running lock, its password never checked. */
  signInRefused?(e: { username: string; address: string; userId: number | null; scope: 'pair' | 'address'; until: number }): void;
  /** A session ended (user null when the account is gone). */
  signedOut?(e: { user: SessionUser | null; reason: SessionEndReason }): void;
  /** An administrator cleared a sign-in lock. */
  lockCleared?(e: { admin: SessionUser; username: string | null; address: string | null; count: number }): void;
}
