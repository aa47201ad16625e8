import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../contract/index.js';
import type { SessionUser } from '../features/auth/auth-service.js';
import type { Permission } from '../contract/permissions.js';
import { parseOrThrow } from '../features/shared/validation.js';

export type HotlineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type ClientEvent = keyof ClientToServerEvents;

/** What the ack of a client event carries when it succeeds. */
export type AckData<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[1] extends (res: Ack<infer T>) => void ? T : never;

/** Rooms a socket joins: its seat's consoles, and the supervisors watching the queue. */
export const ROOMS = {
  supervisors: 'supervisors',
  seat: (seatId: string) => `seat:${seatId}`,
} as const;

/** What a handler knows of the socket it serves. */
export interface SocketContext {
  user: SessionUser;
  /** The user's seat (FORBIDDEN for an account without one). */
  seatId(): string;
  join(room: string): void;
}

/** One client event's handler, its payload parsed and its result typed as the event's ack. */
export interface SocketHandler {
  event: ClientEvent;
  permission: Permission;
  /** Parses the payload, runs the service call and returns the ack's data (throws a DomainError to refuse). */
  handle(payload: unknown, ctx: SocketContext): unknown;
}

/**
 * Declares the handler of a client event: validate (the contract's schema) → service → ack.
 * The ack's data is typed by the event (ClientToServerEvents). Broadcasts follow from the
 * engine's and the services' change events (socket-server.ts).
 */
export function on<E extends ClientEvent, P>(
  event: E,
  schema: z.ZodType<P>,
  permission: Permission,
  run: (payload: P, ctx: SocketContext) => AckData<E> | Promise<AckData<E>>,
): SocketHandler {
  return { event, permission, handle: (payload, ctx) => run(parseOrThrow(schema, payload ?? {}), ctx) };
}
