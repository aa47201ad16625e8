import express from 'express';
import { SeatProfileTextSchema } from '../../contract/index.js';
import { SeatProfileSchema } from '../../domain/model.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow, ValidationError } from '../shared/validation.js';
import type { ScopeService } from '../users/scope-service.js';
import type { SeatService } from './seat-service.js';
import { seatView } from './seat-views.js';

/** GET /api/seats (staff) and PUT /api/seats/:id (admin). */
export function createSeatRouter(deps: { seats: SeatService; requireUser: RequireUser; scope?: ScopeService }): express.Router {
  const r = express.Router();

  r.get(
    '/seats',
    deps.requireUser('config:read'),
    route((req, res) => {
      const centres = deps.scope?.centresOf(userOf(req)) ?? null;
      ok(
        res,
        deps.seats
          .list()
          .filter((s) => centres === null || centres.has(s.profile.centreId))
          .map(seatView),
      );
    }),
  );

  r.put(
    '/seats/:id',
    deps.requireUser('config:edit'),
    route((req, res) => {
      // A seat id such as __proto__ or constructor would be a key of every plain object.
      if (String(req.params.id) in Object.prototype) throw new ValidationError({ id: ['坐席编号不能使用保留字'] });
      const texts = parseOrThrow(SeatProfileTextSchema, req.body ?? {});
      const profile = parseOrThrow(SeatProfileSchema, { ...req.body, ...texts, id: req.params.id });
      ok(res, seatView(deps.seats.saveProfile(userOf(req), profile)));
    }),
  );

  return r;
}
