import type { Socket } from 'socket.io-client';
import { watchesQueue } from '../shared/routes';
import { emitAck, type HotlineSocket } from '../shared/socket';
import type { AppStore } from './store';
import { seatMessages } from '../features/seat-messages/messages-store';
import { liveAlerts } from '../features/monitor/live-alerts-store';
import { listenPhone } from '../features/monitor/listen-phone';
import { supervision } from '../features/monitor/supervision';

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

  /** Subscribes for deltas: the scope's snapshot now (numbered), then only what changes. */
  let resyncing = false;
  const subscribeQueue = () => {
    resyncing = true;
    void emitAck(socket, 'queue:subscribe', { deltas: true }).then((ack) => {
      resyncing = false;
      if (ack.ok) s().applySnapshot(ack.data, now());
      else s().queueFailed(ack.error);
    });
  };
  const onConnect = () => {
    s().setConnection('online');
    const user = s().user;
    if (!user) return;
    if (watchesQueue(user.role)) {
      subscribeQueue();
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
  socket.on('queue:updated', (snapshot) => s().applySnapshot(snapshot, now()));
  // A missed delta: subscribe again for a whole snapshot (deltas meanwhile are dropped as gaps).
  socket.on('queue:changed', (delta) => {
    if (!s().applyQueueDelta(delta, now()) && !resyncing) subscribeQueue();
  });
  socket.on('alert:updated', (alert) => s().applyAlert(alert));
  socket.on('callback:updated', (request) => s().applyCallback(request));
  socket.on('transfer:updated', (t) => s().applyTransfer(t, s().user?.seatId ?? null));
  socket.on('supervisor:message-posted', (m) => seatMessages.getState().received(m));
  socket.on('live-alerts:updated', (list) => liveAlerts.getState().replace(list));
  socket.on('reference:updated', (reference) => s().setReference(reference));
  socket.on('listen:changed', (change) => listenPhone(supervision).sync(change));

  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.io.off('reconnect_attempt', onReconnectAttempt);
    socket.off('seat:status-changed');
    socket.off('call:offered');
    socket.off('call:updated');
    socket.off('queue:updated');
    socket.off('queue:changed');
    socket.off('alert:updated');
    socket.off('callback:updated');
    socket.off('transfer:updated');
    socket.off('supervisor:message-posted');
    socket.off('live-alerts:updated');
    socket.off('reference:updated');
    socket.off('listen:changed');
    seatMessages.getState().clear();
    liveAlerts.getState().clear();
  };
}
