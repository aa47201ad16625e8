/** Calls and call records (话单) as a browser sees them, and the call list query. */
import { z } from 'zod';
import type { CallResult } from '../vocabulary/call-results.js';
import type { CallStateKind } from '../vocabulary/call-states.js';
import type { HangupSide } from '../vocabulary/hangup.js';
import type { OverflowTrigger } from '../vocabulary/overflow.js';
import { queryInt, timestamp } from './fields.js';

export interface CallView {
  id: string;
  /** Masked for display, e.g. 138****1234. */
  callerMasked: string;
  categoryId: string;
  homeCentreId: string;
  flags: string[];
  priority: number;
  ticket12345: string | null;
  /** The caller's language when not the default (Mandarin), e.g. `en`; null or absent otherwise. */
  language?: string | null;
  enqueuedAt: number;
  offers: number;
  /** When a seat answered, or null. */
  answeredAt: number | null;
  /** The seat whose transfer brought this caller in (转接来电), or null. */
  transferredFrom: { callId: string; seatId: string; seatName: string } | null;
  /** Who ended the conversation (caller, seat, system) once it has ended, else null. */
  hungUpBy: HangupSide | null;
  state: { kind: CallStateKind; since: number; seatId?: string };
}

/**
 * A call record (话单) as a browser may see it: the domain's CallRecord (every definition is
 * stated in server/src/domain/call-record.ts; a test keeps the two shapes equal) with the
 * caller masked.
 */
export interface CallRecordView {
  callId: string;
  categoryId: string;
  homeCentreId: string;
  /** The seat that answered, or null. */
  seatId: string | null;
  enqueuedAt: number;
  answeredAt: number | null;
  /** Hang-up, abandon, overflow or time-out time; null while in progress. */
  endedAt: number | null;
  waitMs: number;
  talkMs: number;
  holdMs: number;
  holds: number;
  hungUpBy: HangupSide | null;
  result: CallResult;
  offers: number;
  overflowTrigger: OverflowTrigger | null;
  /** Masked for display, e.g. 138****1234. */
  callerMasked: string;
}

/** GET /api/calls?from=&to=&limit=: records of the calls enqueued in [from, to), newest first. */
export const CALL_LIST_MAX_LIMIT = 1000;
export const CallListQuerySchema = z
  .object({
    from: queryInt('起始时间(毫秒时间戳)').pipe(timestamp('起始时间')),
    to: queryInt('结束时间(毫秒时间戳)').pipe(timestamp('结束时间')),
    limit: queryInt('条数', 200)
      .default(200)
      .pipe(z.number().min(1, '条数至少为 1').max(CALL_LIST_MAX_LIMIT, `条数最多为 ${CALL_LIST_MAX_LIMIT}`)),
  })
  .refine((q) => q.to > q.from, { path: ['to'], message: '结束时间必须晚于起始时间' });
export type CallListQuery = z.infer<typeof CallListQuerySchema>;

export interface CallListResponse {
  from: number;
  to: number;
  limit: number;
  records: CallRecordView[];
}

/** 13812341234 → 138****1234; short numbers keep their last 2 digits. */
export function maskNumber(n: string): string {
  const digits = n.replace(/\s+/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 5) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return '*'.repeat(digits.length);
}
