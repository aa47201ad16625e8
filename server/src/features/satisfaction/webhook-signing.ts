import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The external survey provider's webhook signature: HMAC-SHA256 with a shared secret over
 * `<timestamp>.<raw body>`, hex, in `X-Survey-Signature: v1=<hex>`; the key's id in
 * `X-Survey-Key-Id` (a new key is added and the old one retired without downtime), unix seconds in
 * `X-Survey-Timestamp`. The same scheme as the 12345 hand-over's signing, with its own headers and
 * key file so the two partners never share a secret.
 */
export const SURVEY_SIGNATURE_HEADER = 'x-survey-signature';
export const SURVEY_KEY_ID_HEADER = 'x-survey-key-id';
export const SURVEY_TIMESTAMP_HEADER = 'x-survey-timestamp';

export interface SurveyKey {
  id: string;
  secret: string;
}

export function surveySignature(secret: string, timestampS: number, body: string): string {
  return 'v1=' + crypto.createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** The headers a provider sends with `body` (used by tests and the docs' example). */
export function surveySignedHeaders(key: SurveyKey, nowMs: number, body: string): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    [SURVEY_KEY_ID_HEADER]: key.id,
    [SURVEY_TIMESTAMP_HEADER]: String(ts),
    [SURVEY_SIGNATURE_HEADER]: surveySignature(key.secret, ts, body),
  };
}

export type SurveyVerifyResult = { ok: true } | { ok: false; message: string };

export function verifySurveySignature(
  keys: readonly SurveyKey[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
  maxSkewS: number,
): SurveyVerifyResult {
  const one = (h: string) => {
    const v = headers[h];
    return Array.isArray(v) ? v[0] : v;
  };
  const keyId = one(SURVEY_KEY_ID_HEADER);
  const ts = one(SURVEY_TIMESTAMP_HEADER);
  const sig = one(SURVEY_SIGNATURE_HEADER);
  if (!keyId || !ts || !sig) {
    return { ok: false, message: `请求缺少签名头(${SURVEY_KEY_ID_HEADER}、${SURVEY_TIMESTAMP_HEADER}、${SURVEY_SIGNATURE_HEADER})` };
  }
  const key = keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, message: `签名密钥 ${keyId} 未登记或已停用` };
  const expected = Buffer.from(surveySignature(key.secret, Number(ts), body));
  const got = Buffer.from(sig);
  if (!/^\d{1,12}$/.test(ts) || expected.length !== got.length || !crypto.timingSafeEqual(expected, got)) {
    return { ok: false, message: '签名不正确' };
  }
  if (Math.abs(nowMs / 1000 - Number(ts)) > maxSkewS) {
    return { ok: false, message: `时间戳超出允许范围(±${maxSkewS} 秒),请检查时钟或重新签名后发送` };
  }
  return { ok: true };
}

/** Reads `<key id>=<secret>` lines; creates the file with one random key, mode 0600, when missing. */
export function loadOrCreateSurveyKeys(file: string): SurveyKey[] {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `k1=${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  const keys: SurveyKey[] = [];
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    const id = line.slice(0, i).trim();
    const secret = line.slice(i + 1).trim();
    if (i <= 0 || !/^[A-Za-z0-9_.-]{1,32}$/.test(id) || secret.length < 16) {
      throw new Error(`${file}: each line must be <key id>=<secret of 16 or more characters>`);
    }
    keys.push({ id, secret });
  }
  if (keys.length === 0) throw new Error(`${file}: no key`);
  return keys;
}
