import express from 'express';
import { PhoneClaimSchema, PhoneReleaseSchema } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { sessionToken } from '../../transport/session-cookie.js';
import { seatOfUser } from '../auth/auth-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { PhoneOwnershipService } from './phone-ownership-service.js';

/**
 * One phone per seat: POST /api/phone/claim (this console's softphone may register, or who holds
 * it) and POST /api/phone/release (the console stops using it; sent with keepalive as the page closes).
 */
export function createPhoneRouter(deps: { phones: PhoneOwnershipService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  const seatConsole = deps.requireUser('seat:console');

  r.post(
    '/phone/claim',
    seatConsole,
    route((req, res) => {
      const body = parseOrThrow(PhoneClaimSchema, req.body ?? {});
      const token = sessionToken(req.headers.cookie) ?? '';
      const seatId = seatOfUser(userOf(req));
      const claimant = { consoleId: body.consoleId, token, sessionExpiresAt: req.sessionExpiresAt ?? 0 };
      res.set('Cache-Control', 'no-store');
      ok(res, deps.phones.claim(seatId, claimant, body.take));
    }),
  );

  r.post(
    '/phone/release',
    seatConsole,
    route((req, res) => {
      const body = parseOrThrow(PhoneReleaseSchema, req.body ?? {});
      deps.phones.release(seatOfUser(userOf(req)), body.consoleId);
      ok(res, deps.phones.view(seatOfUser(userOf(req))));
    }),
  );

  return r;
}
