import express from 'express';
import type { TransferTargets } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { seatOfUser } from '../auth/auth-service.js';
import type { TransferService } from './transfer-service.js';
import { transferTargetsView } from './transfer-views.js';

/** GET /api/transfer-targets: where the signed-in seat may transfer its call now. */
export function createTransferRouter(deps: { transfers: TransferService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/transfer-targets',
    deps.requireUser('seat:console'),
    route((req, res) => {
      const seatId = seatOfUser(userOf(req));
      return ok<TransferTargets>(res, transferTargetsView(deps.transfers.targets(seatId)));
    }),
  );
  return r;
}
