/** Seats as a browser sees them, and the seat's own status command. */
import { z } from 'zod';
import { line } from './fields.js';
import { NOT_READY_REASONS, type NotReadyReason } from '../vocabulary/not-ready-reasons.js';

export const NOT_READY_REASON_IDS = NOT_READY_REASONS;
export type NotReadyReasonId = NotReadyReason;

/**
 * A seat's live state exactly as the engine holds it (each state carries only its own fields;
 * the state machine is server/src/domain/seat.ts, and a test keeps the two shapes equal).
 */
export type SeatStateView =
  | { kind: 'offline'; since: number }
  | { kind: 'ready'; since: number }
  | { kind: 'ringing'; since: number; callId: string; attempt: number; idleSince: number }
  | { kind: 'talking'; since: number; callId: string }
  | { kind: 'wrap-up'; since: number; callId: string; until: number; extensions: number }
  | { kind: 'not-ready'; since: number; reason: NotReadyReason; autoReadyAt: number | null };

export interface SeatView {
  id: string;
  name: string;
  staffNo: string;
  centreId: string;
  skills: Record<string, number>;
  languages: string[];
  registered: boolean;
  state: SeatStateView;
}

/**
 * PUT /api/seats/:id: the profile's free text (shown on every supervisor's wall and in every
 * seat's transfer list) under the contract's text hygiene; the rest is the domain's SeatProfileSchema.
 */
export const SeatProfileTextSchema = z.object({
  name: line('姓名', 40).min(1, '请填写姓名'),
  staffNo: line('工号', 20).min(1, '请填写工号'),
});

/** 'seat:set-status': a seat picks ready, offline or a not-ready reason (not the engine's own ones). */
export const SetStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ready') }),
  z.object({ status: z.literal('offline') }),
  z.object({
    status: z.literal('not-ready'),
    reason: z.enum(NOT_READY_REASON_IDS).exclude(['missed', 'consult']),
  }),
]);
export type SetStatusRequest = z.infer<typeof SetStatusSchema>;
