import express from 'express';
import { z } from 'zod';
import { MajorReportSchema, type MajorAlert } from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { AlertService } from './alert-service.js';
import { majorAlertView } from './summary-views.js';

const AlertListQuerySchema = z.object({
  open: z.enum(['0', '1', 'true', 'false'], { error: '“仅未确认”须为 1 或 0' }).optional(),
  limit: z.coerce.number({ error: '条数必须是整数' }).int('条数必须是整数').min(1, '条数至少为 1').max(500, '条数最多为 500').default(100),
});

/** Major-matter alerts (重大事项上报): a seat reports one on its call; staff list and acknowledge them. */
export function createAlertRouter(deps: { alerts: AlertService; requireUser: RequireUser }): express.Router {
  const { alerts, requireUser } = deps;
  const r = express.Router();

  r.post(
    '/calls/:id/major-report',
    requireUser(),
    route((req, res) => {
      const { alert, created } = alerts.report(
        userOf(req),
        String(req.params.id),
        () => parseOrThrow(MajorReportSchema, req.body ?? {}).note,
      );
      ok(res, majorAlertView(alert), created ? 201 : 200);
    }),
  );

  r.get(
    '/alerts',
    requireUser('alerts:manage'),
    route((req, res) => {
      const q = parseOrThrow(AlertListQuerySchema, req.query);
      const openOnly = q.open === '1' || q.open === 'true';
      ok<MajorAlert[]>(res, alerts.list(userOf(req), openOnly, q.limit).map(majorAlertView));
    }),
  );

  r.post(
    '/alerts/:id/ack',
    requireUser('alerts:manage'),
    route((req, res) => {
      const raw = String(req.params.id);
      const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
      const alert = Number.isSafeInteger(id) ? alerts.acknowledge(id, userOf(req)) : null;
      if (!alert) throw new DomainError('NOT_FOUND', `没有编号为 ${raw} 的重大事项上报`);
      ok(res, majorAlertView(alert));
    }),
  );

  return r;
}
