import {
  loadOrCreateKeyRing,
  signedHeaders,
  verifySignature,
  type SigningHeaders,
  type SigningKey,
  type VerifyResult,
} from '../shared/hmac-signing.js';

/**
 * The external survey provider's webhook signature: the shared HMAC scheme
 * (features/shared/hmac-signing.ts, the same as the 12345 hand-over's) with its own headers,
 * `X-Survey-Signature: v1=<hex>`, `X-Survey-Key-Id` and `X-Survey-Timestamp`, and its own key file
 * (`SURVEY_WEBHOOK_KEYS_FILE`), so the two partners never share a secret.
 */
export const SURVEY_SIGNING_HEADERS: SigningHeaders = {
  signature: 'x-survey-signature',
  keyId: 'x-survey-key-id',
  timestamp: 'x-survey-timestamp',
};

export type SurveyKey = SigningKey;

/** The headers a provider sends with `body` (used by tests and the docs' example). */
export function surveySignedHeaders(key: SurveyKey, nowMs: number, body: string): Record<string, string> {
  return signedHeaders(SURVEY_SIGNING_HEADERS, key, nowMs, body);
}

export function verifySurveySignature(
  keys: readonly SurveyKey[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
  maxSkewS: number,
): VerifyResult {
  return verifySignature(SURVEY_SIGNING_HEADERS, keys, headers, body, nowMs, maxSkewS);
}

/** Every key in the survey key file (created with one random key, mode 0600, when missing). */
export function loadOrCreateSurveyKeys(file: string): readonly SurveyKey[] {
  return loadOrCreateKeyRing(file).all;
}
