import { TransferReportSchema, TransferRequestSchema } from '../../contract/index.js';
import { on, type SocketHandler } from '../../transport/socket-handlers.js';
import type { TransferService } from './transfer-service.js';
import type { TransferViewOf } from './transfer-views.js';

/** A seat starts a transfer of its call, and its phone reports how the REFER (or consultation) ended. */
export function transferSocketHandlers(transfers: TransferService, view: TransferViewOf): SocketHandler[] {
  return [
    on('call:transfer', TransferRequestSchema, 'seat:console', (p, ctx) => view(transfers.start(ctx.seatId(), p))),
    on('transfer:report', TransferReportSchema, 'seat:console', (p, ctx) =>
      view(transfers.report(ctx.seatId(), p.transferId, p.outcome, p.detail)),
    ),
  ];
}
