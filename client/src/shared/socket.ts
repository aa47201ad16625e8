import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../contract';
import { DISCONNECTED_ERROR, TIMEOUT_ERROR } from './errors';

export type HotlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type CommandEvent = keyof ClientToServerEvents;
export type PayloadOf<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];
export type AckDataOf<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[1] extends (res: Ack<infer T>) => void ? T : never;

/**
 * How a console comes back after the router restarts: the first try after 0.5–1.5 s, then
 * doubling up to 10 s, each delay jittered by ±50 %, so a room of consoles does not knock at the
 * same moment (bench/reconnect-storm.bench.ts measures a thousand of them).
 */
export const RECONNECT = { reconnectionDelay: 1_000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 } as const;

/** Same origin as the page; the HttpOnly session cookie authenticates the handshake. */
export function createSocket(): HotlineSocket {
  return io({ path: '/socket.io', withCredentials: true, autoConnect: false, ...RECONNECT });
}

/**
 * Emits a command and resolves to its Ack. Never rejects: a lost connection or a server that
 * does not answer in time becomes an error Ack the page can show inline.
 */
export async function emitAck<E extends CommandEvent>(
  socket: HotlineSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 8_000,
): Promise<Ack<AckDataOf<E>>> {
  // socket.io buffers emits while disconnected; a seat lawyer needs to know now instead.
  if (!socket.connected) return { ok: false, error: DISCONNECTED_ERROR };
  try {
    // socket.io's own typing cannot follow a generic event name through timeout(); narrow it here.
    const timed = socket.timeout(timeoutMs) as unknown as {
      emitWithAck: (e: E, p: PayloadOf<E>) => Promise<Ack<AckDataOf<E>>>;
    };
    return await timed.emitWithAck(event, payload);
  } catch {
    return { ok: false, error: TIMEOUT_ERROR };
  }
}
