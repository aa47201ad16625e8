import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type {
  Ack,
  CallbackRequestView,
  ClientToServerEvents,
  InterServerEvents,
  MajorAlert,
  ServerToClientEvents,
  SocketData,
  TransferView,
} from '../contract/index.js';
import type { Clock, TimerHandle } from '../domain/clock.js';
import type { Acd } from '../domain/engine.js';
import { ConsoleWatch, consoleGoneStep } from '../domain/console-watch.js';
import { DomainError } from '../domain/errors.js';
import { seatOfUser, type SessionLookup } from '../features/auth/auth-service.js';
import { callView } from '../features/calls/call-views.js';
import { QueueFanoutService } from '../features/queue/queue-fanout-service.js';
import { centresOfRoom, type LiveQueue } from '../features/queue/queue-views.js';
import { seatView } from '../features/seats/seat-views.js';
import { can, refusalOf } from '../contract/permissions.js';
import { toApiError } from './api-errors.js';
import { originAllowed } from './security.js';
import { sessionToken } from './session-cookie.js';
import { ROOMS, type HotlineSocket, type SocketContext, type SocketHandler } from './socket-handlers.js';

type HotlineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A client's acknowledgement callback: the last argument of an emit, when the client asked for a reply. */
type AckCallback = (res: Ack<unknown>) => void;
/** The client sends whatever it likes; only a function is a callback to answer through. */
const isAckCallback = (ack: unknown): ack is AckCallback => typeof ack === 'function';

export interface SocketDeps {
  auth: SessionLookup;
  engine: Acd;
  /** Every feature's client-event handlers (see socket-handlers.ts `on`). */
  handlers: SocketHandler[];
  clock: Clock;
  logger: Logger;
  /** A seat whose every console is gone goes offline after this long. */
  disconnectGraceMs: number;
  /**
   * Ends the call still up at a seat whose consoles have been gone for the grace (坐席掉线: BYE to
   * both sides, call-back task, seat offline); false (or a rejection) tries again after another
   * grace. Absent: the call is left to finish (no telephony).
   */
  endLostCall?: (seatId: string, callId: string) => Promise<boolean>;
  /**
   * Live-queue pushes are coalesced to at most one per this many ms: a change after a quiet
   * spell goes out at once (after the command that made it), the changes of a busy spell wait
   * for the end of the interval since the last push (default 100).
   */
  snapshotIntervalMs?: number;
  /** Origins allowed besides the router's own address (PUBLIC_ORIGINS). */
  publicOrigins?: readonly string[];
  /** Open sockets per user; one more is refused (default 8). */
  socketsPerUser?: number;
  /** The largest message a client may send, in bytes (default 32 KiB). */
  maxMessageBytes?: number;
  /** The live queue's pushes (whole snapshots or deltas); one on `queue` when absent. */
  queueFanout?: QueueFanoutService;
  /** What supervisor snapshots show (features/queue); the engine alone when absent. */
  queue?: LiveQueue;
}

export interface SocketLayer {
  io: HotlineServer;
  /** Disconnects every socket opened with this session token (after logout). */
  endSession(token: string): void;
  /** Disconnects every socket of these sessions (by token hash: ended, expired, idle, replaced). */
  endSessions(tokenHashes: readonly string[]): void;
  /**
   * The user's account changed (role, seat or centres in scope): its sockets stop getting pushes
   * at once and are closed; the console checks its session and reconnects with the new scope.
   */
  endUserSockets(userId: number): void;
  /** 重大事项上报: pushes an alert (raised, updated or acknowledged) to the supervisors' room. */
  notifyStaff(alert: MajorAlert, centres?: readonly string[]): void;
  /** 回电请求: pushes a stored or changed callback request to the supervisors' room and the scoped rooms of its home centre. */
  callbackChanged(request: CallbackRequestView): void;
  /** Tells the transferring seat and the target seat. */
  transferChanged(t: TransferView): void;
  close(): void;
}

/**
 * The Socket.IO server: authenticates the handshake, dispatches client events to the features'
 * handlers (session re-check → permission → handler → ack), fans the engine's changes out to
 * seat rooms and the supervisors, and sets a seat offline once all its consoles are gone.
 */
export function attachSocketServer(httpServer: HttpServer, deps: SocketDeps): SocketLayer {
  const publicOrigins = deps.publicOrigins ?? [];
  const io: HotlineServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: deps.maxMessageBytes ?? 32 * 1024,
    // A handshake from a page of another origin is refused before any session is looked at.
    allowRequest: (req, callback) => {
      const allowed = originAllowed(req, publicOrigins);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });
  const { engine, clock, logger } = deps;
  const socketsPerUser = deps.socketsPerUser ?? 8;
  /** The session (token hash) each socket was opened with, and each user's open sockets. */
  const sessionOf = new WeakMap<HotlineSocket, string>();
  const socketsOfUser = new Map<number, Set<HotlineSocket>>();
  io.engine.on('connection_error', (err: { code?: number; message?: string }) => {
    logger.warn({ code: err.code, reason: err.message }, 'socket connection refused');
  });
  const live = deps.queue ?? engine;
  // Supervisors with centres in scope get their scope's room only (features/queue); each scope built once per push.
  const fanout = deps.queueFanout ?? new QueueFanoutService(live);
  let snapshotTimer: TimerHandle | null = null;
  let lastPushAt = -Infinity;
  let closed = false;
  const pushInterval = deps.snapshotIntervalMs ?? 100;

  const scheduleSnapshot = () => {
    if (snapshotTimer) return;
    snapshotTimer = clock.setTimeout(
      () => {
        snapshotTimer = null;
        if (closed) return;
        lastPushAt = clock.now();
        fanout.push(lastPushAt, {
          rooms: io.sockets.adapter.rooms,
          snapshot: (room, except, snap) => io.to(room).except(except).emit('queue:updated', snap),
          delta: (room, delta) => io.to(room).emit('queue:changed', delta),
        });
      },
      Math.max(0, lastPushAt + pushInterval - clock.now()),
    );
  };

  const consoles = (seatId: string) => io.sockets.adapter.rooms.get(ROOMS.seat(seatId))?.size ?? 0;

  /**
   * A seat with no console left goes offline after the grace period (domain/console-watch.ts); a
   * call still up there (talking, or the caller on hold) is ended first through `endLostCall`, so
   * the caller is not left in silence; a ringing call re-offers itself (another grace).
   */
  const watch = new ConsoleWatch({
    clock,
    graceMs: deps.disconnectGraceMs,
    expired: (seatId) => {
      if (closed || consoles(seatId) > 0) return 'done';
      const step = consoleGoneStep(engine.getSeat(seatId).state);
      if (step.kind === 'nothing') return 'done';
      if (step.kind === 'wait') return 'again';
      if (step.kind === 'end-call') {
        if (!deps.endLostCall) return 'again';
        deps.endLostCall(seatId, step.callId).then(
          (ended) => {
            if (!ended && !closed && consoles(seatId) === 0) watch.gone(seatId);
          },
          (err: unknown) => {
            logger.error({ err, seatId }, 'could not end the call of a seat without console');
            if (!closed && consoles(seatId) === 0) watch.gone(seatId);
          },
        );
        return 'done';
      }
      try {
        engine.setSeatOffline(seatId);
        logger.info({ seatId }, 'seat console gone: seat set offline');
      } catch (err) {
        // A full disk (degraded mode, alarmed once): tried again after another grace period.
        if (err instanceof DomainError && err.code === 'STORAGE_FULL') return 'again';
        logger.error({ err, seatId }, 'could not set a seat without console offline');
      }
      return 'done';
    },
  });
  const armGrace = (seatId: string) => watch.gone(seatId);

  const unsubscribe = engine.subscribe({
    seatChanged: (seat) => {
      io.to(ROOMS.seat(seat.profile.id)).emit('seat:status-changed', seatView(seat));
      scheduleSnapshot();
    },
    callChanged: (call) => {
      const st = call.state;
      if (st.kind === 'ringing') io.to(ROOMS.seat(st.seatId)).emit('call:offered', callView(call));
      const seatIds = new Set<string>();
      if ('seatId' in st) seatIds.add(st.seatId);
      for (const e of call.events.slice(-3)) if ('seatId' in e) seatIds.add(e.seatId);
      for (const id of seatIds) io.to(ROOMS.seat(id)).emit('call:updated', callView(call));
      scheduleSnapshot();
    },
  });

  io.use((socket, next) => {
    try {
      // opening a socket (the console's automatic reconnect) is not activity
      const session = deps.auth.sessionForToken(sessionToken(socket.handshake.headers.cookie), { touch: false });
      if (!session) return next(new Error('UNAUTHENTICATED'));
      if ((socketsOfUser.get(session.user.id)?.size ?? 0) >= socketsPerUser) {
        logger.warn({ userId: session.user.id }, 'socket refused: too many open for this user');
        return next(new Error('TOO_MANY_CONNECTIONS'));
      }
      socket.data.user = session.user;
      sessionOf.set(socket, session.tokenHash);
      next();
    } catch (err) {
      logger.error({ err }, 'socket handshake failed');
      next(new Error('INTERNAL'));
    }
  });

  /** Registers a handler on a socket: the session still valid → permission → handler → ack; errors become {ok:false}. */
  function register(socket: HotlineSocket, ctx: SocketContext, h: SocketHandler): void {
    socket.on(h.event, (payload: unknown, ack: unknown) => {
      const reply = (res: Ack<unknown>) => {
        try {
          if (isAckCallback(ack)) ack(res);
        } catch (err) {
          logger.error({ err, event: h.event }, 'socket ack failed');
        }
      };
      const fail = (err: unknown) => {
        const { error, unexpected } = toApiError(err);
        if (unexpected) logger.error({ err, event: h.event }, 'socket handler failed');
        reply({ ok: false, error });
      };
      try {
        // the session may have expired or been ended since the socket connected
        if (!deps.auth.userForToken(sessionToken(socket.handshake.headers.cookie))) {
          reply({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已失效,请重新登录' } });
          socket.disconnect(true);
          return;
        }
        if (!can(ctx.user.role, h.permission)) throw new DomainError('FORBIDDEN', refusalOf(h.permission));
        const data = h.handle(payload, ctx);
        if (data instanceof Promise) data.then((d) => reply({ ok: true, data: d }), fail);
        else reply({ ok: true, data });
      } catch (err) {
        fail(err);
      }
    });
  }

  /** No push reaches these sockets from now on; the disconnect itself waits for an ack being answered. */
  const closeAll = (doomed: HotlineSocket[]) => {
    if (doomed.length === 0) return;
    for (const socket of doomed) for (const room of [...socket.rooms]) if (room !== socket.id) void socket.leave(room);
    setImmediate(() => {
      for (const socket of doomed) socket.disconnect(true);
    });
  };

  io.on('connection', (socket) => {
    const user = socket.data.user;
    const seatId = user.seatId;
    const mine = socketsOfUser.get(user.id) ?? new Set<HotlineSocket>();
    mine.add(socket);
    socketsOfUser.set(user.id, mine);
    socket.on('disconnect', () => {
      mine.delete(socket);
      if (mine.size === 0 && socketsOfUser.get(user.id) === mine) socketsOfUser.delete(user.id);
    });
    if (seatId) {
      void socket.join(ROOMS.seat(seatId));
      watch.back(seatId);
      try {
        // a console that reloads mid-call gets its call back at once
        const st = engine.getSeat(seatId).state;
        const current = 'callId' in st ? engine.getCall(st.callId) : undefined;
        if (current) socket.emit('call:updated', callView(current));
      } catch (err) {
        logger.error({ err, seatId }, 'could not send a reconnecting console its call');
      }
    }
    const ctx: SocketContext = {
      user,
      seatId: () => seatOfUser(user),
      join: (room) => void socket.join(room),
    };
    for (const h of deps.handlers) register(socket, ctx, h);

    socket.on('disconnect', () => {
      if (seatId && consoles(seatId) === 0) armGrace(seatId);
    });
  });

  // After a restart no console is connected yet: seats restored as logged in get the same grace.
  for (const seat of engine.listSeats()) if (seat.state.kind !== 'offline') armGrace(seat.profile.id);

  return {
    io,
    notifyStaff: (alert, alertCentres = []) => {
      if (closed) return;
      io.to(ROOMS.supervisors).emit('alert:updated', alert);
      for (const room of io.sockets.adapter.rooms.keys()) {
        const centres = centresOfRoom(room);
        if (centres && alertCentres.some((c) => centres.has(c))) {
          io.to(room).emit('alert:updated', alert);
        }
      }
    },
    callbackChanged: (request) => {
      if (closed) return;
      io.to(ROOMS.supervisors).emit('callback:updated', request);
      for (const room of io.sockets.adapter.rooms.keys()) {
        if (centresOfRoom(room)?.has(request.homeCentreId)) io.to(room).emit('callback:updated', request);
      }
    },
    transferChanged: (t) => {
      const rooms = [ROOMS.seat(t.fromSeatId), ...(t.targetSeatId ? [ROOMS.seat(t.targetSeatId)] : [])];
      io.to(rooms).emit('transfer:updated', t);
    },
    endSession: (token) => {
      for (const socket of io.sockets.sockets.values()) {
        if (sessionToken(socket.handshake.headers.cookie) === token) socket.disconnect(true);
      }
    },
    endSessions: (tokenHashes) => {
      if (tokenHashes.length === 0) return;
      const ended = new Set(tokenHashes);
      closeAll([...io.sockets.sockets.values()].filter((socket) => ended.has(sessionOf.get(socket) ?? '')));
    },
    endUserSockets: (userId) => closeAll([...(socketsOfUser.get(userId) ?? [])]),
    close: () => {
      closed = true;
      unsubscribe();
      watch.close();
      if (snapshotTimer) clock.clearTimeout(snapshotTimer);
      void io.close();
    },
  };
}
