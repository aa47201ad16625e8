import express from 'express';
import {
  CallAssignSchema,
  CallCategorySchema,
  CallForceReleaseSchema,
  CallPrioritySchema,
  SupervisorMessageSchema,
  SupervisorSeatStatusSchema,
} from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { queueCallView } from '../queue/queue-views.js';
import { seatView } from '../seats/seat-views.js';
import { parseOrThrow } from '../shared/validation.js';
import type { SupervisorService } from './supervisor-service.js';

/** 班长干预: POST /api/supervisor/... (every action audited; scope checked by the service). */
export function createSupervisorRouter(deps: { supervisor: SupervisorService; requireUser: RequireUser }): express.Router {
  const { supervisor, requireUser } = deps;
  const r = express.Router();
  const may = requireUser('queue:supervise');

  r.post(
    '/supervisor/seats/:id/status',
    may,
    route((req, res) => {
      const p = parseOrThrow(SupervisorSeatStatusSchema, req.body ?? {});
      ok(res, seatView(supervisor.setSeatStatus(userOf(req), String(req.params.id), p)));
    }),
  );

  r.post(
    '/supervisor/calls/:id/priority',
    may,
    route((req, res) => {
      const p = parseOrThrow(CallPrioritySchema, req.body ?? {});
      ok(res, queueCallView(supervisor.reprioritize(userOf(req), String(req.params.id), p.priority, p.note)));
    }),
  );

  r.post(
    '/supervisor/calls/:id/assign',
    may,
    route((req, res) => {
      const p = parseOrThrow(CallAssignSchema, req.body ?? {});
      ok(res, queueCallView(supervisor.assign(userOf(req), String(req.params.id), p.seatId, p.note)));
    }),
  );

  r.post(
    '/supervisor/calls/:id/category',
    may,
    route((req, res) => {
      const p = parseOrThrow(CallCategorySchema, req.body ?? {});
      ok(res, queueCallView(supervisor.recategorize(userOf(req), String(req.params.id), p.categoryId, p.note)));
    }),
  );

  r.post(
    '/supervisor/calls/:id/force-release',
    may,
    route(async (req, res) => {
      const p = parseOrThrow(CallForceReleaseSchema, req.body ?? {});
      const call = await supervisor.forceRelease(userOf(req), String(req.params.id), p.note);
      ok(res, { callId: call.id, state: call.state.kind });
    }),
  );

  r.post(
    '/supervisor/messages',
    may,
    route((req, res) => {
      const p = parseOrThrow(SupervisorMessageSchema, req.body ?? {});
      ok(res, supervisor.message(userOf(req), p));
    }),
  );

  return r;
}
