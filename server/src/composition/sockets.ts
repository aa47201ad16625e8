import type http from 'node:http';
import { alertInScope, type LiveAlert } from '../contract/index.js';
import { QueueFanoutService } from '../features/queue/queue-fanout-service.js';
import { queueSocketHandlers } from '../features/queue/queue-socket.js';
import { centresOfRoom } from '../features/queue/queue-views.js';
import { seatSocketHandlers } from '../features/seats/seat-socket.js';
import { SeatLostService } from '../features/supervisor/seat-lost-service.js';
import { transferSocketHandlers } from '../features/transfers/transfer-socket.js';
import { gateSocketHandlers } from '../features/users/password-gate.js';
import { ROOMS } from '../transport/socket-handlers.js';
import { attachSocketServer, type SocketLayer } from '../transport/socket-server.js';
import type { AppDeps } from '../app.js';
import type { Parts } from './parts.js';

/** Threshold alerts to the supervisors' rooms: every centre, or each scoped room its centres only. */
export function pushScoped(sockets: SocketLayer, list: LiveAlert[]): void {
  sockets.io.to(ROOMS.supervisors).emit('live-alerts:updated', list);
  for (const room of sockets.io.sockets.adapter.rooms.keys()) {
    const centres = centresOfRoom(room);
    if (centres)
      sockets.io.to(room).emit(
        'live-alerts:updated',
        list.filter((a) => alertInScope(a, (c) => centres.has(c))),
      );
  }
}

/** The socket layer on the HTTP server: each feature's socket handlers behind the password gate. */
export function attachSockets(httpServer: http.Server, deps: AppDeps, p: Parts): SocketLayer {
  const { config, clock, logger } = deps;
  const { auth, engine, users, seats, transfers, transferView, liveQueue, scope, visits, record } = p;
  const queueFanout = new QueueFanoutService(liveQueue);
  // 坐席掉线: a call still up at a seat whose consoles are gone for the grace is ended (as 强拆 is).
  const seatLost = new SeatLostService({
    engine,
    ender: deps.callControl ?? null,
    visits,
    audit: record,
    clock,
    logger,
    graceS: config.SEAT_DISCONNECT_GRACE_S,
  });
  return attachSocketServer(httpServer, {
    queueFanout,
    auth,
    engine,
    handlers: gateSocketHandlers(users, [
      ...seatSocketHandlers(seats),
      ...transferSocketHandlers(transfers, transferView),
      ...queueSocketHandlers(liveQueue, clock, scope, queueFanout),
    ]),
    clock,
    logger,
    queue: liveQueue,
    disconnectGraceMs: config.SEAT_DISCONNECT_GRACE_S * 1000,
    endLostCall: (seatId, callId) => seatLost.endCall(seatId, callId),
    publicOrigins: config.PUBLIC_ORIGINS,
    socketsPerUser: config.SOCKETS_PER_USER,
    maxMessageBytes: config.SOCKET_MAX_MESSAGE_BYTES,
  });
}
