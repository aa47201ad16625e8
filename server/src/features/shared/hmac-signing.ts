import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The one HMAC request-signing scheme every partner link uses (the 12345 hand-over, the survey
 * provider's webhook): HMAC-SHA256 with a shared secret over `<timestamp>.<raw body>`, hex, sent as
 * `v1=<hex>`; the key's id in its own header (so a new key can be added and the old one retired
 * without downtime), the unix time in seconds in another. The receiver refuses an unknown key, a
 * wrong signature, and a timestamp further than the allowed skew from its own clock. Each link
 * names its own headers (`SigningHeaders`) and keeps its own key file, so no two partners share a
 * secret.
 */
export interface SigningHeaders {
  /** Lower-case header names, as Node gives them. */
  signature: string;
  keyId: string;
  timestamp: string;
}

export interface SigningKey {
  id: string;
  secret: string;
}

/** The keys in force: the first signs what is sent; every one of them is accepted inbound. */
export interface KeyRing {
  signing: SigningKey;
  all: readonly SigningKey[];
}

export function signature(secret: string, timestampS: number, body: string): string {
  return 'v1=' + crypto.createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** The headers of one signed request. */
export function signedHeaders(names: SigningHeaders, key: SigningKey, nowMs: number, body: string): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return { [names.keyId]: key.id, [names.timestamp]: String(ts), [names.signature]: signature(key.secret, ts, body) };
}

export type VerifyResult =
  | { ok: true; keyId: string }
  | { ok: false; reason: 'missing-headers' | 'unknown-key' | 'bad-signature' | 'stale-timestamp'; message: string };

/** Checks one request's signature; `headers` as Node gives them (lower-case names). */
export function verifySignature(
  names: SigningHeaders,
  keys: readonly SigningKey[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
  maxSkewS: number,
): VerifyResult {
  const one = (h: string) => {
    const v = headers[h];
    return Array.isArray(v) ? v[0] : v;
  };
  const keyId = one(names.keyId);
  const ts = one(names.timestamp);
  const sig = one(names.signature);
  if (!keyId || !ts || !sig) {
    return { ok: false, reason: 'missing-headers', message: `请求缺少签名头(${names.keyId}、${names.timestamp}、${names.signature})` };
  }
  const key = keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, reason: 'unknown-key', message: `签名密钥 ${keyId} 未登记或已停用` };
  const expected = Buffer.from(signature(key.secret, Number(ts), body));
  const got = Buffer.from(sig);
  if (!/^\d{1,12}$/.test(ts) || expected.length !== got.length || !crypto.timingSafeEqual(expected, got)) {
    return { ok: false, reason: 'bad-signature', message: '签名不正确' };
  }
  if (Math.abs(nowMs / 1000 - Number(ts)) > maxSkewS) {
    return { ok: false, reason: 'stale-timestamp', message: `时间戳超出允许范围(±${maxSkewS} 秒),请检查时钟或重新签名后发送` };
  }
  return { ok: true, keyId };
}

/**
 * Reads the key ring from a file of `<key id>=<secret>` lines (the first line signs); creates it
 * with one random key, mode 0600, when missing. The partner gets the same file's lines.
 */
export function loadOrCreateKeyRing(file: string): KeyRing {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `k1=${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  return parseKeyRing(fs.readFileSync(file, 'utf8'), file);
}

export function parseKeyRing(text: string, source = 'key file'): KeyRing {
  const all: SigningKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    const id = line.slice(0, i).trim();
    const secret = line.slice(i + 1).trim();
    if (i <= 0 || !/^[A-Za-z0-9_.-]{1,32}$/.test(id) || secret.length < 16) {
      throw new Error(`${source}: each line must be <key id>=<secret of 16 or more characters>`);
    }
    all.push({ id, secret });
  }
  if (all.length === 0) throw new Error(`${source}: no key`);
  return { signing: all[0]!, all };
}
