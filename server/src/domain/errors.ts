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

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(x)}`);
}
