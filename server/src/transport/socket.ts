import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  EmptySchema,
  SetStatusSchema,
  TransferReportSchema,
  TransferRequestSchema,
  type TransferView,
  type Ack,
  type ClientToServerEvents,
  type InterServerEvents,
  type MajorAlert,
  type Role,
  type ServerToClientEvents,
  type SocketData,
} from '../contract/index.js';
import type { Clock, TimerHandle } from '../domain/clock.js';
import type { AcdEngine } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import type { TransferService } from '../telephony/transfers.js';
import { SESSION_COOKIE, readCookie, type AuthService } from './auth.js';
import { parseOrThrow, toApiError } from './errors.js';
import { callView, queueSnapshot, seatView } from './views.js';

type HotlineServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type HotlineSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketDeps {
  auth: AuthService;
  engine: AcdEngine;
  transfers: TransferService;
  clock: Clock;
  logger: Logger;
  /** A seat whose every console is gone goes offline after this long. */
  disconnectGraceMs: number;
  /** Supervisor snapshots are coalesced to at most one per this many ms. */
  snapshotIntervalMs?: number;
}

const SUPERVISORS = 'supervisors';
const STAFF: Role[] = ['supervisor', 'manager', 'admin'];
const seatRoom = (seatId: string) => `seat:${seatId}`;

export interface SocketLayer {
  io: HotlineServer;
  /** Disconnects every socket opened with this session token (after logout). */
  endSession(token: string): void;
  /** 重大事项上报: pushes an alert (raised, updated or acknowledged) to the supervisors' room. */
  notifyStaff(alert: MajorAlert): void;
  /** Tells the transferring seat and the target seat. */
  transferChanged(t: TransferView): void;
  close(): void;
}

export function attachSocketServer(httpServer: HttpServer, deps: SocketDeps): SocketLayer {
  const io: HotlineServer = new Server(httpServer, { serveClient: false });
  const { engine, clock, logger } = deps;
  const graceTimers = new Map<string, TimerHandle>();
  let snapshotTimer: TimerHandle | null = null;
  let closed = false;

  const scheduleSnapshot = () => {
    if (snapshotTimer) return;
    snapshotTimer = clock.setTimeout(() => {
      snapshotTimer = null;
      if (closed) return;
      io.to(SUPERVISORS).emit('queue:updated', queueSnapshot(engine, clock.now()));
    }, deps.snapshotIntervalMs ?? 200);
  };

  const consoles = (seatId: string) => io.sockets.adapter.rooms.get(seatRoom(seatId))?.size ?? 0;

  /** A seat with no console left goes offline after the grace period (a call in progress finishes first). */
  function armGrace(seatId: string): void {
    if (deps.disconnectGraceMs <= 0 || closed || graceTimers.has(seatId)) return;
    graceTimers.set(
      seatId,
      clock.setTimeout(() => {
        graceTimers.delete(seatId);
        if (closed || consoles(seatId) > 0) return;
        const kind = engine.getSeat(seatId).state.kind;
        if (kind === 'ringing' || kind === 'talking') return armGrace(seatId);
        if (kind === 'offline') return;
        try {
          engine.setSeatOffline(seatId);
          logger.info({ seatId }, 'seat console gone: seat set offline');
        } catch (err) {
          logger.error({ err, seatId }, 'could not set a seat without console offline');
        }
      }, deps.disconnectGraceMs),
    );
  }

  const unsubscribe = engine.subscribe({
    seatChanged: (seat) => {
      io.to(seatRoom(seat.profile.id)).emit('seat:status-changed', seatView(seat));
      scheduleSnapshot();
    },
    callChanged: (call) => {
      const st = call.state;
      if (st.kind === 'ringing') io.to(seatRoom(st.seatId)).emit('call:offered', callView(call));
      const seatIds = new Set<string>();
      if ('seatId' in st) seatIds.add(st.seatId);
      for (const e of call.events.slice(-3)) if ('seatId' in e) seatIds.add(e.seatId);
      for (const id of seatIds) io.to(seatRoom(id)).emit('call:updated', callView(call));
      scheduleSnapshot();
    },
  });

  io.use((socket, next) => {
    const user = deps.auth.userForToken(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
    if (!user) return next(new Error('UNAUTHENTICATED'));
    socket.data.user = user;
    next();
  });

  /** validate → domain → ack; errors become {ok:false}. Broadcasts follow from engine events. */
  function on<E extends keyof ClientToServerEvents, S extends z.ZodType>(
    socket: HotlineSocket,
    event: E,
    schema: S,
    roles: Role[],
    handler: (payload: z.infer<S>) => unknown,
  ): void {
    socket.on(event as never, ((payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: Ack<unknown>) => void) : () => {};
      // the session may have expired or been ended since the socket connected
      if (!deps.auth.userForToken(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE))) {
        reply({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录已失效,请重新登录' } });
        socket.disconnect(true);
        return;
      }
      try {
        if (!roles.includes(socket.data.user.role)) throw new DomainError('FORBIDDEN', '当前账号无权执行此操作');
        const data = handler(parseOrThrow(schema, payload ?? {}) as z.infer<S>);
        reply({ ok: true, data });
      } catch (err) {
        const { error, unexpected } = toApiError(err);
        if (unexpected) logger.error({ err, event }, 'socket handler failed');
        reply({ ok: false, error });
      }
    }) as never);
  }

  io.on('connection', (socket) => {
    const user = socket.data.user;
    const seatId = user.seatId;
    if (seatId) {
      void socket.join(seatRoom(seatId));
      const t = graceTimers.get(seatId);
      if (t) clock.clearTimeout(t);
      graceTimers.delete(seatId);
      // a console that reloads mid-call gets its call back at once
      const st = engine.getSeat(seatId).state;
      const current = 'callId' in st ? engine.getCall(st.callId) : undefined;
      if (current) socket.emit('call:updated', callView(current));
    }
    const mySeat = () => {
      if (!seatId) throw new DomainError('FORBIDDEN', '当前账号没有绑定坐席');
      return seatId;
    };

    on(socket, 'seat:get', EmptySchema, ['seat'], () => seatView(engine.getSeat(mySeat())));
    on(socket, 'seat:set-status', SetStatusSchema, ['seat'], (p) => {
      const id = mySeat();
      switch (p.status) {
        case 'ready':
          return seatView(engine.setSeatReady(id));
        case 'not-ready':
          return seatView(engine.setSeatNotReady(id, p.reason));
        case 'offline':
          return seatView(engine.setSeatOffline(id, { bySeat: true }));
      }
    });
    on(socket, 'seat:extend-wrap-up', EmptySchema, ['seat'], () => seatView(engine.extendWrapUp(mySeat())));
    on(socket, 'seat:end-wrap-up', EmptySchema, ['seat'], () => seatView(engine.endWrapUp(mySeat())));
    on(socket, 'call:transfer', TransferRequestSchema, ['seat'], (p) => deps.transfers.start(mySeat(), p));
    on(socket, 'transfer:report', TransferReportSchema, ['seat'], (p) =>
      deps.transfers.report(mySeat(), p.transferId, p.outcome, p.detail),
    );
    on(socket, 'queue:subscribe', EmptySchema, STAFF, () => {
      void socket.join(SUPERVISORS);
      return queueSnapshot(engine, clock.now());
    });

    socket.on('disconnect', () => {
      if (seatId && consoles(seatId) === 0) armGrace(seatId);
    });
  });

  // After a restart no console is connected yet: seats restored as logged in get the same grace.
  for (const seat of engine.listSeats()) if (seat.state.kind !== 'offline') armGrace(seat.profile.id);

  return {
    io,
    notifyStaff: (alert) => {
      if (!closed) io.to(SUPERVISORS).emit('alert:updated', alert);
    },
    transferChanged: (t) => {
      const rooms = [seatRoom(t.fromSeatId), ...(t.targetSeatId ? [seatRoom(t.targetSeatId)] : [])];
      io.to(rooms).emit('transfer:updated', t);
    },
    endSession: (token) => {
      for (const socket of io.sockets.sockets.values()) {
        if (readCookie(socket.handshake.headers.cookie, SESSION_COOKIE) === token) socket.disconnect(true);
      }
    },
    close: () => {
      closed = true;
      unsubscribe();
      for (const t of graceTimers.values()) clock.clearTimeout(t);
      if (snapshotTimer) clock.clearTimeout(snapshotTimer);
      void io.close();
    },
  };
}
