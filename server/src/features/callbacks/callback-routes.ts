import express from 'express';
import { CallbackListQuerySchema, type CallbackRequestView } from '../../contract/index.js';
import { ok, route, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { CallbackService } from './callback-service.js';
import { callbackView } from './callback-views.js';

/** GET /api/callbacks?status=open&limit=: callback requests, newest first, numbers masked (staff). */
export function createCallbackRouter(deps: { callbacks: CallbackService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/callbacks',
    deps.requireUser('callbacks:read'),
    route((req, res) => {
      const q = parseOrThrow(CallbackListQuerySchema, req.query);
      ok<CallbackRequestView[]>(res, deps.callbacks.list(q.status, q.limit).map(callbackView));
    }),
  );
  return r;
}
