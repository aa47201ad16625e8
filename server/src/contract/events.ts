/**
 * The Socket.IO contract: every command a console sends and every fact the server pushes, in
 * one place both sides import.
 *
 * Event names follow one rule:
 * - a command (client → server, answered by an ack) is `<noun>:<verb>[-<object>]`, imperative:
 *   `seat:set-status`, `queue:subscribe`, `transfer:report`;
 * - a fact (server → client push) is `<noun>:[<object>-]<past participle>`: `call:offered`,
 *   `seat:status-changed`. A fact that says "this thing changed" is `<noun>:updated` and carries
 *   the thing's whole current view (`call:updated`, `queue:updated` with the full snapshot).
 */
import type { z } from 'zod';
import { EmptySchema, type Ack } from './common.js';
import type { MajorAlert } from './alerts.js';
import type { CallbackRequestView } from './callbacks.js';
import type { LiveAlert } from './live-alerts.js';
import type { UserView } from './auth.js';
import type { CallView } from './calls.js';
import type { PhoneOwnerView } from './phone.js';
import type { ReferenceData } from './reference.js';
import type { QueueDelta, QueueSnapshot } from './queue.js';
import { QueueSubscribeSchema } from './queue-subscribe.js';
import type { ListenChange, SupervisorMessage } from './supervisor.js';
import { SetStatusSchema, type SetStatusRequest, type SeatView } from './seats.js';
import type { CallSummaryView } from './summaries.js';
import { TransferReportSchema, TransferRequestSchema, type TransferView } from './transfers.js';

type Empty = Record<string, never>;

/** Every command: what it sends and what its ack carries when it succeeds. */
export interface Commands {
  'seat:get': { payload: Empty; result: SeatView };
  'seat:set-status': { payload: SetStatusRequest; result: SeatView };
  'seat:extend-wrap-up': { payload: Empty; result: SeatView };
  'seat:end-wrap-up': { payload: Empty; result: SeatView };
  /**
   * Supervisors: the live queue now; then 'queue:updated' pushes every change whole, or, with
   * `deltas: true`, 'queue:changed' pushes only what changed (the snapshot then carries `seq`).
   */
  'queue:subscribe': { payload: z.input<typeof QueueSubscribeSchema>; result: QueueSnapshot };
  /** Starts a transfer of the seat's current call; the phone then REFERs (or consults first). */
  'call:transfer': { payload: z.input<typeof TransferRequestSchema>; result: TransferView };
  /** The seat's phone reports how the REFER (or the consult) ended. */
  'transfer:report': { payload: z.input<typeof TransferReportSchema>; result: TransferView };
}
export type CommandName = keyof Commands;
export type CommandPayload<E extends CommandName> = Commands[E]['payload'];
export type CommandResult<E extends CommandName> = Commands[E]['result'];
export type CommandListener<E extends CommandName> = (payload: CommandPayload<E>, ack: (res: Ack<CommandResult<E>>) => void) => void;

/** The schema the server validates each command's payload with. */
export const COMMAND_SCHEMAS = {
  'seat:get': EmptySchema,
  'seat:set-status': SetStatusSchema,
  'seat:extend-wrap-up': EmptySchema,
  'seat:end-wrap-up': EmptySchema,
  'queue:subscribe': QueueSubscribeSchema,
  'call:transfer': TransferRequestSchema,
  'transfer:report': TransferReportSchema,
} as const satisfies { [E in CommandName]: z.ZodType };

export const COMMAND_EVENTS = Object.keys(COMMAND_SCHEMAS) as CommandName[];

/** Every fact the server pushes, with its payload. */
export interface Facts {
  'seat:status-changed': SeatView;
  'call:offered': CallView;
  'call:updated': CallView;
  /** To supervisors who subscribed: the whole live queue, at most every snapshot interval. */
  'queue:updated': QueueSnapshot;
  /** To supervisors who subscribed with `deltas`: what changed in their scope, numbered. */
  'queue:changed': QueueDelta;
  /** 重大事项上报: sent to supervisors when raised, and again when acknowledged. */
  'alert:updated': MajorAlert;
  /** A callback request (回电请求) stored by a callback overflow, or changed: to supervisors. */
  'callback:updated': CallbackRequestView;
  /** A transfer involving this seat changed (to the sending seat and a named target seat). */
  'transfer:updated': TransferView;
  /** To every console of the seat: which console now holds the seat's phone (one phone per seat). */
  'phone:owner-changed': PhoneOwnerView;
  /** To every console of the seat: a summary of its call was filed or amended (any tab or computer). */
  'summary:filed': CallSummaryView;
  /** A supervisor's message to this seat (shown in the seat console). */
  'supervisor:message-posted': SupervisorMessage;
  /** Threshold alerts in the supervisor's scope changed (the whole current list). */
  'live-alerts:updated': LiveAlert[];
  /** To every console: the categories or centres changed (an administrator's edit). */
  'reference:updated': ReferenceData;
  /** 监听: to every page of the supervisor, their listening leg started or ended (on any page). */
  'listen:changed': ListenChange;
}
export type FactName = keyof Facts;

export const FACT_EVENTS = [
  'seat:status-changed',
  'call:offered',
  'call:updated',
  'queue:updated',
  'queue:changed',
  'alert:updated',
  'callback:updated',
  'transfer:updated',
  'phone:owner-changed',
  'summary:filed',
  'supervisor:message-posted',
  'live-alerts:updated',
  'reference:updated',
  'listen:changed',
] as const satisfies readonly FactName[];

export type ClientToServerEvents = { [E in CommandName]: CommandListener<E> };
export type ServerToClientEvents = { [E in FactName]: (payload: Facts[E]) => void };
export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserView;
}
