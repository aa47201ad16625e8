import { EmptySchema, SetStatusSchema } from '../../contract/index.js';
import { on, type SocketHandler } from '../../transport/socket-handlers.js';
import type { SeatService } from './seat-service.js';
import { seatView } from './seat-views.js';

/** The seat console's own seat: read it, set its status, extend or end its wrap-up. */
export function seatSocketHandlers(seats: SeatService): SocketHandler[] {
  return [
    on('seat:get', EmptySchema, 'seat:console', (_p, ctx) => seatView(seats.get(ctx.seatId()))),
    on('seat:set-status', SetStatusSchema, 'seat:console', (p, ctx) => seatView(seats.setStatus(ctx.seatId(), p))),
    on('seat:extend-wrap-up', EmptySchema, 'seat:console', (_p, ctx) => seatView(seats.extendWrapUp(ctx.seatId()))),
    on('seat:end-wrap-up', EmptySchema, 'seat:console', (_p, ctx) => seatView(seats.endWrapUp(ctx.seatId()))),
  ];
}
