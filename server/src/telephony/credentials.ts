import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Time-limited SIP credentials for Kamailio's auth_ephemeral (username_format 1):
 * username "<unix expiry>:<seat>", password base64(HMAC-SHA1(secret, username)).
 * Kamailio checks them without a database and binds the From/To user to the seat;
 * they cannot be revoked, so they live at most a shift.
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

/** Reads the shared secret, or creates it (random, mode 0600) on first start. */
export function loadOrCreateSipSecret(file: string): string {
  try {
    const s = fs.readFileSync(file, 'utf8').trim();
    if (s) return s;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const secret = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // `mode` applies only to a new file; an empty one left behind keeps its own
  return secret;
}

/** The URL a browser softphone uses: ws:// on loopback, wss:// anywhere else. */
export function wsUrlFor(wsAddr: string): string {
  return `${isLoopbackHost(wsAddr.slice(0, wsAddr.lastIndexOf(':'))) ? 'ws' : 'wss'}://${wsAddr}`;
}

/** Loopback hosts need no TLS: browsers treat them as secure contexts. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || /^127\./.test(host);
}
