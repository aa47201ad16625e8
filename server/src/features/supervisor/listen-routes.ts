import express from 'express';
import { CallListenSchema, type ListenPhoneCredentials } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import type { SipCredentialService } from '../auth/sip-credentials-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { ListenService } from './listen-service.js';

/**
 * 监听: GET /api/supervisor/listen/phone (the listening phone's SIP credentials), GET
 * /api/supervisor/listen (the supervisor's leg now), POST /api/supervisor/calls/:id/listen (start,
 * reason required, audited) and POST /api/supervisor/listen/:lid/stop.
 */
export function createListenRouter(deps: {
  listen: ListenService;
  sipCredentials: SipCredentialService;
  requireUser: RequireUser;
}): express.Router {
  const { listen, requireUser } = deps;
  const r = express.Router();
  const may = requireUser('queue:supervise');

  r.get(
    '/supervisor/listen/phone',
    may,
    route((req, res) => {
      const c = deps.sipCredentials.issueListener(userOf(req), req.sessionExpiresAt);
      res.set('Cache-Control', 'no-store');
      const view: ListenPhoneCredentials = {
        username: c.username,
        password: c.password,
        expiresAt: c.expiresAt,
        uri: c.uri,
        domain: c.domain,
        wsUrl: c.wsUrl,
      };
      ok(res, view);
    }),
  );

  r.get(
    '/supervisor/listen',
    may,
    route((req, res) => ok(res, listen.mine(userOf(req)))),
  );

  r.post(
    '/supervisor/calls/:id/listen',
    may,
    route(async (req, res) => {
      const p = parseOrThrow(CallListenSchema, req.body ?? {});
      ok(res, await listen.start(userOf(req), String(req.params.id), p.note));
    }),
  );

  r.post(
    '/supervisor/listen/:lid/stop',
    may,
    route((req, res) => ok(res, listen.stop(userOf(req), String(req.params.lid)))),
  );

  return r;
}
