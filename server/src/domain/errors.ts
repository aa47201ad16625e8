import type { DomainErrorCode } from '../vocabulary/error-codes.js';

/** Domain errors carry a stable code (one of the vocabulary's list); transports map codes to HTTP statuses / acks. */
export type { DomainErrorCode };

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export { assertNever } from '../vocabulary/assert-never.js';

/**
 * A one-line description of anything thrown, for error details and logs: `Name: message` for an
 * Error (what String(err) gives), the string itself for a thrown string, else its JSON.
 */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.toString();
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? typeof err;
  } catch {
    return Object.prototype.toString.call(err);
  }
}
