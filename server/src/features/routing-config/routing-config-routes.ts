import express from 'express';
import { RoutingConfigSchema } from '../../domain/policy.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { RoutingConfigService } from './routing-config-service.js';
import { referenceDataView } from './routing-config-views.js';

/** GET /api/reference (everyone), GET /api/config/routing (staff), PUT /api/config/routing (admin). */
export function createRoutingConfigRouter(deps: { routingConfig: RoutingConfigService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  const { routingConfig, requireUser } = deps;

  r.get(
    '/reference',
    requireUser(),
    route((_req, res) => ok(res, referenceDataView(routingConfig.current()))),
  );

  r.get(
    '/config/routing',
    requireUser('config:read'),
    route((_req, res) => ok(res, routingConfig.current())),
  );

  r.put(
    '/config/routing',
    requireUser('config:edit'),
    route((req, res) => {
      const cfg = parseOrThrow(RoutingConfigSchema, req.body);
      ok(res, routingConfig.update(userOf(req), cfg));
    }),
  );

  return r;
}
