import crypto from 'node:crypto';

/**
 * Time-limited SIP credentials for Kamailio's auth_ephemeral (username_format 1):
 * username "<unix expiry>:<seat>", password base64(HMAC-SHA1(secret, username)).
 * Kamailio checks them without a database and binds the From/To user to the seat;
 * they cannot be revoked, so they live at most a shift.
 *
 * Pure credential maths, no telephony transport: it belongs to the auth feature, which issues
 * the credentials (the Kamailio adapter in server/src/telephony only shares the secret).
 */
export interface SipCredentialsIssued {
  username: string;
  password: string;
  /** Unix ms. */
  expiresAt: number;
}

export function issueSipCredentials(o: { seatId: string; nowMs: number; lifetimeMs: number; secret: string }): SipCredentialsIssued {
  const expiry = Math.floor((o.nowMs + o.lifetimeMs) / 1000);
  const username = `${expiry}:${o.seatId}`;
  const password = crypto.createHmac('sha1', o.secret).update(username).digest('base64');
  return { username, password, expiresAt: expiry * 1000 };
}
