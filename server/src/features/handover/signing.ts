import * as hmac from '../shared/hmac-signing.js';
import type { SigningKey } from '../shared/hmac-signing.js';

/**
 * Request signing between 12348 and the 12345 platform, both ways: the shared HMAC scheme
 * (features/shared/hmac-signing.ts) with the `X-Hotline-Signature: v1=<hex>`, `X-Hotline-Key-Id`
 * and `X-Hotline-Timestamp` headers and its own key ring (`H12345_KEY_FILE`).
 */
export const SIGNATURE_HEADER = 'x-hotline-signature';
export const KEY_ID_HEADER = 'x-hotline-key-id';
export const TIMESTAMP_HEADER = 'x-hotline-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export const HOTLINE_SIGNING_HEADERS: hmac.SigningHeaders = {
  signature: SIGNATURE_HEADER,
  keyId: KEY_ID_HEADER,
  timestamp: TIMESTAMP_HEADER,
};

export { signature, loadOrCreateKeyRing, parseKeyRing } from '../shared/hmac-signing.js';
export type { SigningKey, KeyRing, VerifyResult } from '../shared/hmac-signing.js';

/** The headers of one signed request to 12345. */
export function signedHeaders(key: SigningKey, nowMs: number, body: string): Record<string, string> {
  return hmac.signedHeaders(HOTLINE_SIGNING_HEADERS, key, nowMs, body);
}

/** Checks one request from 12345; `headers` as Node gives them (lower-case names). */
export function verifySignature(
  keys: readonly SigningKey[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
  maxSkewS: number,
): hmac.VerifyResult {
  return hmac.verifySignature(HOTLINE_SIGNING_HEADERS, keys, headers, body, nowMs, maxSkewS);
}
