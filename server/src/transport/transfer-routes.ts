import express from 'express';
import type { Logger } from 'pino';
import type { TransferTargets } from '../contract/index.js';
import { DomainError } from '../domain/errors.js';
import type { TransferService } from '../telephony/transfers.js';
import type { AuthService } from './auth.js';
import { apiErrorHandler, ok, requireUserWith, route } from './http.js';

/** GET /api/transfer-targets: where the signed-in seat may transfer its call now. */
export function createTransferRouter(deps: { auth: AuthService; transfers: TransferService; logger: Logger }): express.Router {
  const r = express.Router();
  const seatUser = requireUserWith(deps.auth)('seat');
  r.get(
    '/transfer-targets',
    seatUser,
    route((req, res) => {
      const seatId = req.user!.seatId;
      if (!seatId) throw new DomainError('FORBIDDEN', '当前账号没有绑定坐席');
      return ok<TransferTargets>(res, deps.transfers.targets(seatId));
    }),
  );
  r.use(apiErrorHandler(deps.logger));
  return r;
}
