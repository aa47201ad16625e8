/** Callback requests (回电请求): what a callback overflow stores, as supervisors see it. */
import { z } from 'zod';
import type { OverflowReason, OverflowTrigger } from '../vocabulary/index.js';

/** `open` until someone calls back; the call-back worklist adds the later statuses. */
export const CALLBACK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export const CALLBACK_STATUS_LABELS: Record<CallbackStatus, string> = { open: '待回电', done: '已回电', cancelled: '已取消' };

export const CallbackListQuerySchema = z.object({
  status: z.enum(CALLBACK_STATUSES, { error: '状态须为待回电、已回电或已取消' }).optional(),
  limit: z.coerce.number({ error: '条数必须是整数' }).int('条数必须是整数').min(1, '条数至少为 1').max(500, '条数最多为 500').default(100),
});
export type CallbackListQuery = z.infer<typeof CallbackListQuerySchema>;

export interface CallbackRequestView {
  id: number;
  callId: string;
  /** The caller's number masked (138****1234); the full number stays on the server. */
  callerMasked: string;
  categoryId: string;
  homeCentreId: string;
  /** The caller's language when not the default (Mandarin). */
  language: string | null;
  flags: string[];
  /** How long the caller waited before the overflow, in seconds. */
  waitS: number;
  trigger: OverflowTrigger;
  reason: OverflowReason | null;
  createdAt: number;
  status: CallbackStatus;
}
