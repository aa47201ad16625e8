import express from 'express';
import type { Clock } from '../../domain/clock.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import type { ScopeService } from '../users/scope-service.js';
import { queueSnapshot, type LiveQueue } from './queue-views.js';

/** GET /api/queue: the live queue for staff, their centres only (the socket's queue:subscribe keeps it current). */
export function createQueueRouter(deps: {
  queue: LiveQueue;
  clock: Clock;
  requireUser: RequireUser;
  scope?: ScopeService;
}): express.Router {
  const r = express.Router();
  r.get(
    '/queue',
    deps.requireUser('queue:monitor'),
    route((req, res) => ok(res, queueSnapshot(deps.queue, deps.clock.now(), deps.scope?.centresOf(userOf(req)) ?? null))),
  );
  return r;
}
