/** A supervisor's actions on seats and waiting calls (班长干预), and messages to seats. */
import { z } from 'zod';
import { text } from './fields.js';

/** Why a supervisor acted: required where it changes a person's day (a seat forced not-ready or signed out). */
const note = (required: boolean) => {
  const t = text('原因', 200);
  return required ? t.min(1, '请填写原因') : t.default('');
};

/** POST /api/supervisor/seats/:id/status: set a seat not-ready (with a not-ready reason) or sign it out. */
export const SupervisorSeatStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('not-ready'), reason: z.enum(['meal', 'training', 'meeting', 'rest']), note: note(true) }).strict(),
  z.object({ status: z.literal('offline'), note: note(true) }).strict(),
]);
export type SupervisorSeatStatusRequest = z.input<typeof SupervisorSeatStatusSchema>;
export type SupervisorSeatStatus = z.output<typeof SupervisorSeatStatusSchema>;

/** Highest priority a supervisor may give (a transferred call's own priority stays above it). */
export const SUPERVISOR_MAX_PRIORITY = 100;

/** POST /api/supervisor/calls/:id/priority */
export const CallPrioritySchema = z
  .object({
    priority: z
      .number({ error: '优先级必须是 0–100 的整数' })
      .int('优先级必须是 0–100 的整数')
      .min(0, '优先级必须是 0–100 的整数')
      .max(SUPERVISOR_MAX_PRIORITY, '优先级必须是 0–100 的整数'),
    note: note(false),
  })
  .strict();
/** POST /api/supervisor/calls/:id/assign: ring a waiting call at this ready seat now. */
export const CallAssignSchema = z.object({ seatId: z.string({ error: '请选择坐席' }).min(1, '请选择坐席'), note: note(false) }).strict();
/** POST /api/supervisor/calls/:id/category: move a waiting call to another category's queue. */
export const CallCategorySchema = z
  .object({ categoryId: z.string({ error: '请选择专业类别' }).min(1, '请选择专业类别'), note: note(false) })
  .strict();

export const MESSAGE_MAX = 300;
/** POST /api/supervisor/messages: to one seat, the seats of a centre, or every seat in scope. */
export const SupervisorMessageSchema = z
  .object({
    to: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('seat'), seatId: z.string().min(1, '请选择坐席') }).strict(),
      z.object({ kind: z.literal('centre'), centreId: z.string().min(1, '请选择中心') }).strict(),
      z.object({ kind: z.literal('all') }).strict(),
    ]),
    text: text('消息', MESSAGE_MAX).min(1, '请填写消息内容'),
  })
  .strict();
export type SupervisorMessageRequest = z.input<typeof SupervisorMessageSchema>;
export type SupervisorMessageInput = z.output<typeof SupervisorMessageSchema>;

/** A message as the seat console shows it ('supervisor:message-posted'). */
export interface SupervisorMessage {
  id: string;
  fromName: string;
  text: string;
  at: number;
  /** How many seats it was sent to (in the sender's reply). */
  recipients: number;
}

/** POST /api/supervisor/calls/:id/force-release (强拆): end a talking call; the reason is required and audited. */
export const CallForceReleaseSchema = z.object({ note: note(true) }).strict();
export type CallForceReleaseRequest = z.input<typeof CallForceReleaseSchema>;

/** POST /api/supervisor/calls/:id/listen (监听): listen to a talking call; the reason is required and audited. */
export const CallListenSchema = z.object({ note: note(true) }).strict();
export type CallListenRequest = z.input<typeof CallListenSchema>;

/** A listening leg: the supervisor's phone hears both sides of `callId` and sends nothing into it. */
export interface ListenView {
  /** The leg's id (its SIP Call-ID); POST /api/supervisor/listen/:lid/stop ends it. */
  lid: string;
  callId: string;
  /** The seat talking on the call when the listening began. */
  seatId: string | null;
}

/**
 * Why a listening leg ended: 停止监听 (`stopped`), the supervisor listened to another call
 * (`another-call`), the call ended (`call-ended`), the listening phone hung up (`phone-hung-up`),
 * the page holding the phone was reloaded or closed (`phone-gone`), or the media failed (`failed`).
 */
export type ListenEndReason = 'stopped' | 'another-call' | 'call-ended' | 'phone-hung-up' | 'phone-gone' | 'failed';

/** 'listen:changed', to every page of the supervisor: the leg now (any page's), and the one that just ended. */
export interface ListenChange {
  leg: ListenView | null;
  ended: { lid: string; callId: string; why: ListenEndReason } | null;
}

/** GET /api/supervisor/listen/phone: time-limited SIP credentials for the monitor page's listening phone. */
export interface ListenPhoneCredentials {
  /** "<unix expiry>:listen-u<user id>" */
  username: string;
  password: string;
  /** Unix ms: renew before this. */
  expiresAt: number;
  /** sip:listen-u<user id>@<domain> */
  uri: string;
  domain: string;
  wsUrl: string;
}
