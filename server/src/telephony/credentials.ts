import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// The credentials themselves (auth_ephemeral username and HMAC password) are issued by the auth
// feature: server/src/features/auth/sip-credentials.ts. This file holds the secret Kamailio and the
// server share, and the softphone's WebSocket URL.

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
