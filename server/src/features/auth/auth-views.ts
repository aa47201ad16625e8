import type { LoginLockView, SipCredentials, UserView } from '../../contract/index.js';
import type { LoginLock } from './login-brake.js';
import type { SessionUser } from './auth-service.js';
import type { SoftphoneCredentials } from './sip-credentials-service.js';

export const userView = (u: SessionUser): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  seatId: u.seatId,
});

export const sipCredentialsView = (c: SoftphoneCredentials): SipCredentials => ({
  username: c.username,
  password: c.password,
  expiresAt: c.expiresAt,
  seatId: c.seatId,
  domain: c.domain,
  uri: c.uri,
  wsUrl: c.wsUrl,
});

export const loginLockView = (l: LoginLock): LoginLockView => ({
  id: l.id,
  kind: l.kind,
  username: l.username,
  address: l.address,
  failures: l.failures,
  lastFailureAt: l.lastFailureAt,
  lockedUntil: l.lockedUntil,
});
