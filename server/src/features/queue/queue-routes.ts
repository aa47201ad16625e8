import express from 'express';
import type { Clock } from '../../domain/clock.js';
import { ok, route, type RequireUser } from '../../transport/http.js';
import { queueSnapshot, type LiveQueue } from './queue-views.js';

/** GET /api/queue: the live queue for staff (the socket's queue:subscribe keeps it current). */
export function createQueueRouter(deps: { queue: LiveQueue; clock: Clock; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/queue',
    deps.requireUser('queue:monitor'),
    route((_req, res) => ok(res, queueSnapshot(deps.queue, deps.clock.now()))),
  );
  return r;
}
