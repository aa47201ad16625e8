import express, { type Request } from 'express';
import { CategoriesInputSchema, RoutingRulesInputSchema, ServiceCalendarInputSchema } from '../../contract/index.js';
import { RoutingConfigSchema } from '../../domain/policy.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { expectVersion, parseOrThrow } from '../shared/validation.js';
import { rulesOf, type RoutingConfigService } from './routing-config-service.js';
import { referenceDataView } from './routing-config-views.js';

/** A section saved from a page loaded before another administrator's save is refused (`expectVersion`). */
function expectSectionVersion(req: Request, section: unknown, name: string): void {
  expectVersion(
    req.query.version,
    section,
    `${name}已被其他管理员修改,您的修改尚未保存(页面上仍保留您填写的内容);请记下修改,刷新页面载入最新设置后再保存`,
  );
}

/**
 * GET /api/reference (everyone), GET /api/config/routing (staff), PUT /api/config/routing (admin);
 * the administration pages' sections: categories, rules and the service calendar (GET staff, PUT
 * admin; administrators are hotline-wide, so no centre scope narrows them), and the calendar's
 * preview of the coming week.
 */
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

  r.get(
    '/config/categories',
    requireUser('config:read'),
    route((_req, res) => ok(res, routingConfig.current().categories)),
  );
  r.put(
    '/config/categories',
    requireUser('config:edit'),
    route((req, res) => {
      const input = parseOrThrow(CategoriesInputSchema, req.body);
      expectSectionVersion(req, routingConfig.current().categories, '专业类别');
      ok(res, routingConfig.updateCategories(userOf(req), input).categories);
    }),
  );

  r.get(
    '/config/rules',
    requireUser('config:read'),
    route((_req, res) => ok(res, rulesOf(routingConfig.current()))),
  );
  r.put(
    '/config/rules',
    requireUser('config:edit'),
    route((req, res) => {
      const rules = parseOrThrow(RoutingRulesInputSchema, req.body);
      expectSectionVersion(req, rulesOf(routingConfig.current()), '路由规则');
      ok(res, rulesOf(routingConfig.updateRules(userOf(req), rules)));
    }),
  );

  r.get(
    '/config/calendar',
    requireUser('config:read'),
    route((_req, res) => ok(res, routingConfig.current().serviceCalendar)),
  );
  r.get(
    '/config/calendar/preview',
    requireUser('config:read'),
    route((_req, res) => ok(res, routingConfig.preview())),
  );
  r.put(
    '/config/calendar',
    requireUser('config:edit'),
    route((req, res) => {
      const calendar = parseOrThrow(ServiceCalendarInputSchema, req.body);
      expectSectionVersion(req, routingConfig.current().serviceCalendar, '服务日历');
      const cfg = routingConfig.updateCalendar(userOf(req), calendar);
      ok(res, cfg.serviceCalendar);
    }),
  );

  return r;
}
