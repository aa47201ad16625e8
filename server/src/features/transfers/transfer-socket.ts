import { TransferReportSchema, TransferRequestSchema } from '../../contract/index.js';
import { on, type SocketHandler } from '../../transport/socket-handlers.js';
import type { TransferService } from './transfer-service.js';
import type { TransferViewOf } from './transfer-views.js';

/** A seat starts a transfer of its call, and its phone reports how the REFER (or consultation) ended. */
export function transferSocketHandlers(transfers: TransferService, view: TransferViewOf): SocketHandler[] {
  return [
    on('call:transfer', TransferRequestSchema, 'seat:console', (p, ctx) =>
      // 咨询12345 waits for Kamailio to hold the seat's one-time token to call 12345.
      p.target.kind === '12345' && p.mode === 'consult'
        ? transfers.consult12345(ctx.seatId(), p).then(view)
        : view(transfers.start(ctx.seatId(), p)),
    ),
    on('transfer:report', TransferReportSchema, 'seat:console', (p, ctx) =>
      view(transfers.report(ctx.seatId(), p.transferId, p.outcome, p.detail)),
    ),
  ];
}
