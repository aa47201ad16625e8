import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../contract';
import { DISCONNECTED_ERROR, TIMEOUT_ERROR } from './errors';
import { watchesQueue } from './routes';
import type { AppStore } from '../app/store';

export type HotlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type CommandEvent = keyof ClientToServerEvents;
export type PayloadOf<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];
export type AckDataOf<E extends CommandEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends (res: Ack<infer T>) => void ? T : never;

/** Same origin as the page; the HttpOnly session cookie authenticates the handshake. */
export function createSocket(): HotlineSocket {
  return io({ path: '/socket.io', withCredentials: true, autoConnect: false });
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

export interface SocketHooks {
  /** The server refused or dropped us; the session may have expired. */
  onRefused: () => void;
  now?: () => number;
}

/**
 * Wires server pushes to store actions, outside React. On every (re)connect the seat reloads
 * its own state and a supervisor re-subscribes, since the server forgets both on disconnect.
 */
export function bindSocket(socket: HotlineSocket, store: AppStore, hooks: SocketHooks): () => void {
  const now = hooks.now ?? Date.now;
  const s = () => store.getState();

  const onConnect = () => {
    s().setConnection('online');
    const user = s().user;
    if (!user) return;
    if (watchesQueue(user.role)) {
      void emitAck(socket, 'queue:subscribe', {}).then((ack) => {
        if (ack.ok) s().applySnapshot(ack.data, now());
        else s().queueFailed(ack.error);
      });
    } else {
      void s().runSeatCommand('load', () => emitAck(socket, 'seat:get', {}));
    }
  };
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    s().setConnection('offline');
    // The server closed the socket itself (e.g. logged out elsewhere): it will not reconnect.
    if (reason === 'io server disconnect') hooks.onRefused();
  };
  const onConnectError = () => {
    s().setConnection('offline');
    // A refusal by the server's auth middleware is not retried by socket.io.
    if (!socket.active) hooks.onRefused();
  };
  const onReconnectAttempt = () => s().setConnection('connecting');

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.io.on('reconnect_attempt', onReconnectAttempt);
  socket.on('seat:status-changed', (seat) => s().applySeat(seat));
  socket.on('call:offered', (call) => s().applyCall(call));
  socket.on('call:updated', (call) => s().applyCall(call));
  socket.on('queue:snapshot', (snapshot) => s().applySnapshot(snapshot, now()));
  socket.on('alert:major-matter', (alert) => s().applyAlert(alert));
  socket.on('transfer:updated', (t) => s().applyTransfer(t, s().user?.seatId ?? null));

  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.io.off('reconnect_attempt', onReconnectAttempt);
    socket.off('seat:status-changed');
    socket.off('call:offered');
    socket.off('call:updated');
    socket.off('queue:snapshot');
    socket.off('alert:major-matter');
    socket.off('transfer:updated');
  };
}
