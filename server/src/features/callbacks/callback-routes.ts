import express from 'express';
import { CallbackListQuerySchema, type CallbackRequestView } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { ScopeService } from '../users/scope-service.js';
import type { CallbackService } from './callback-service.js';
import { callbackView } from './callback-views.js';

/**
 * GET /api/callbacks?status=open&limit=: callback requests, newest first, numbers masked (staff);
 * a supervisor with centres in scope sees the requests of those home centres only.
 */
export function createCallbackRouter(deps: { callbacks: CallbackService; requireUser: RequireUser; scope?: ScopeService }): express.Router {
  const r = express.Router();
  r.get(
    '/callbacks',
    deps.requireUser('callbacks:read'),
    route((req, res) => {
      const q = parseOrThrow(CallbackListQuerySchema, req.query);
      const centres = deps.scope?.centreList(userOf(req)) ?? null;
      ok<CallbackRequestView[]>(res, deps.callbacks.list(q.status, q.limit, centres).map(callbackView));
    }),
  );
  return r;
}
