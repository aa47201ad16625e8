/**
 * The one list of error codes. Domain errors carry one of them; the transports map a code to an
 * HTTP status or an ack, and the client to a zh-CN sentence. INTERNAL is reserved for failures
 * nobody anticipated: a domain error never carries it.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  /** The database cannot be written (disk full, I/O error): new work is refused until space returns. */
  'STORAGE_FULL',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes a DomainError may carry. */
export type DomainErrorCode = Exclude<ErrorCode, 'INTERNAL'>;
