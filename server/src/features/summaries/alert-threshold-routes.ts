import express from 'express';
import { AlertThresholdsSchema, alertInScope } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { ScopeService } from '../users/scope-service.js';
import type { AlertMonitor } from './alert-monitor.js';

/** Threshold alerts: GET/PUT /api/alert-thresholds, GET /api/live-alerts, POST /api/live-alerts/:key/ack. */
export function createAlertThresholdRouter(deps: { monitor: AlertMonitor; requireUser: RequireUser; scope: ScopeService }): express.Router {
  const { monitor, requireUser, scope } = deps;
  const r = express.Router();
  r.get(
    '/alert-thresholds',
    requireUser('queue:monitor'),
    route((_req, res) => ok(res, monitor.thresholds())),
  );
  r.put(
    '/alert-thresholds',
    requireUser('queue:supervise'),
    route((req, res) => ok(res, monitor.setThresholds(userOf(req), parseOrThrow(AlertThresholdsSchema, req.body ?? {})))),
  );
  r.get(
    '/live-alerts',
    requireUser('queue:monitor'),
    route((req, res) => {
      const user = userOf(req);
      ok(
        res,
        monitor.current().filter((a) => alertInScope(a, (c) => scope.seesCentre(user, c))),
      );
    }),
  );
  r.post(
    '/live-alerts/:key/ack',
    requireUser('alerts:manage'),
    route((req, res) => {
      const user = userOf(req);
      ok(
        res,
        monitor.acknowledge(user, String(req.params.key), (a) => alertInScope(a, (c) => scope.seesCentre(user, c))),
      );
    }),
  );
  return r;
}
