/** What every reply shares: the error body, the ack of a socket command, the empty payload. */
import { z } from 'zod';
import type { ErrorCode } from '../vocabulary/error-codes.js';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field path → messages, for VALIDATION. */
  fields?: Record<string, string[]>;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** The payload of a command that takes none. */
export const EmptySchema = z.object({}).strict();
