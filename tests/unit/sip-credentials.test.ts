import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueSipCredentials } from '../../server/src/features/auth/sip-credentials.js';
import { loadOrCreateSipSecret, wsUrlFor } from '../../server/src/telephony/credentials.js';

/** What Kamailio's auth_ephemeral computes, by an independent implementation: openssl. */
function opensslPassword(secret: string, username: string): string {
  return execFileSync('sh', ['-c', 'printf %s "$U" | openssl dgst -sha1 -hmac "$K" -binary | base64'], {
    env: { ...process.env, U: username, K: secret },
  })
    .toString()
    .trim();
}

const NOW = Date.UTC(2026, 10, 23, 2, 0, 0, 123);

describe('issueSipCredentials', () => {
  it('should sign "<unix expiry>:<seat>" with HMAC-SHA1 in base64, as openssl computes it', () => {
    for (const [secret, seatId] of [
      ['3f9c0e6b1d2a4c5e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e', 's01'],
      ['short', 's18'],
      ['with spaces & symbols: 法律', 'seat-x'],
    ] as const) {
      const c = issueSipCredentials({ seatId, nowMs: NOW, lifetimeMs: 3600_000, secret });
      expect(c.password).toBe(opensslPassword(secret, c.username));
    }
  });

  it('should put the expiry, now + lifetime in unix seconds, before the seat id, and report it in ms', () => {
    const c = issueSipCredentials({ seatId: 's07', nowMs: NOW, lifetimeMs: 12 * 3600_000, secret: 'k' });
    const expiry = Math.floor((NOW + 12 * 3600_000) / 1000);
    expect(c.username).toBe(`${expiry}:s07`);
    expect(c.expiresAt).toBe(expiry * 1000);
    expect(c.expiresAt).toBeLessThanOrEqual(NOW + 12 * 3600_000);
    expect(NOW + 12 * 3600_000 - c.expiresAt).toBeLessThan(1000);
  });

  it('when the secret or the expiry differ, the password should differ', () => {
    const a = issueSipCredentials({ seatId: 's01', nowMs: NOW, lifetimeMs: 60_000, secret: 'k1' });
    const b = issueSipCredentials({ seatId: 's01', nowMs: NOW, lifetimeMs: 60_000, secret: 'k2' });
    const c = issueSipCredentials({ seatId: 's01', nowMs: NOW + 1000, lifetimeMs: 60_000, secret: 'k1' });
    expect(a.password).not.toBe(b.password);
    expect(a.password).not.toBe(c.password);
  });
});

describe('loadOrCreateSipSecret', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-secret-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('when the file is missing, should create its folders and a 32-byte hex secret readable by the owner only', () => {
    const file = path.join(tmp(), 'a', 'b', 'sip-secret');
    const secret = loadOrCreateSipSecret(file);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(secret);
  });

  it('when the file exists, should reuse its secret, trimmed, and leave it as it is', () => {
    const file = path.join(tmp(), 'sip-secret');
    const first = loadOrCreateSipSecret(file);
    expect(loadOrCreateSipSecret(file)).toBe(first);
    fs.writeFileSync(file, '  operator-chosen-secret \n');
    expect(loadOrCreateSipSecret(file)).toBe('operator-chosen-secret');
    expect(fs.readFileSync(file, 'utf8')).toBe('  operator-chosen-secret \n');
  });

  it('when the file exists but is empty, should write a new secret and make it owner-only', () => {
    const file = path.join(tmp(), 'sip-secret');
    fs.writeFileSync(file, '', { mode: 0o644 });
    const secret = loadOrCreateSipSecret(file);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('wsUrlFor', () => {
  it('should use ws:// on loopback and wss:// anywhere else', () => {
    expect(wsUrlFor('127.0.0.1:8088')).toBe('ws://127.0.0.1:8088');
    expect(wsUrlFor('127.1.2.3:8088')).toBe('ws://127.1.2.3:8088');
    expect(wsUrlFor('localhost:8088')).toBe('ws://localhost:8088');
    expect(wsUrlFor('10.0.0.5:8443')).toBe('wss://10.0.0.5:8443');
    expect(wsUrlFor('sip.hotline.example:443')).toBe('wss://sip.hotline.example:443');
  });
});
