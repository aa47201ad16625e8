/** Transfers of a call to a category's queue or a named seat, blind or after a consultation. */
import { z } from 'zod';
import { line, text } from './fields.js';

export const TransferRequestSchema = z
  .object({
    callId: z.string().min(1),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('category'), categoryId: z.string().min(1) }),
      z.object({ kind: z.literal('seat'), seatId: z.string().min(1) }),
      /** 转12345: the caller goes to the 12345 hotline and a work order goes with them. */
      z.object({ kind: z.literal('12345') }),
    ]),
    mode: z.enum(['blind', 'consult']),
    note: text('转接说明', 200).default(''),
  })
  .strict();
export type TransferRequest = z.output<typeof TransferRequestSchema>;
export type TransferTarget = TransferRequest['target'];

export const TRANSFER_OUTCOMES = ['completed', 'refused', 'cancelled'] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];
export const TransferReportSchema = z
  .object({
    transferId: z.string().min(1),
    outcome: z.enum(TRANSFER_OUTCOMES),
    /** What the far side said (a SIP status line) when refused. */
    detail: line('对方答复', 200).default(''),
  })
  .strict();

export interface TransferView {
  id: string;
  callId: string;
  fromSeatId: string;
  target: TransferTarget;
  mode: 'blind' | 'consult';
  /** The SIP URI the seat's phone REFERs the caller to. */
  referTo: string;
  /** For consult: the URI the seat's phone calls first to talk to the target. */
  consultUri: string | null;
  /** The seat that will take the call (named, or picked for a consultation); null for a queue. */
  targetSeatId: string | null;
  fromSeatName: string;
  targetSeatName: string | null;
  /** The call the caller came back in with, once the token arrived. */
  newCallId: string | null;
  /** 转12345: the work order's hand-over id (its state comes in handover:updated). */
  handoverId?: string | null;
  state: 'pending' | 'completed' | 'refused' | 'cancelled' | 'expired';
  createdAt: number;
}

/** GET /api/transfer-targets: where a seat may send a call now. */
export interface TransferTargets {
  categories: { id: string; name: string; readySeats: number; loggedInSeats: number }[];
  seats: { id: string; name: string; staffNo: string; state: string; registered: boolean; skills: string[] }[];
}
