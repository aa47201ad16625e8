import express, { type Response } from 'express';
import {
  CallExportQuerySchema,
  MonthlyQuerySchema,
  REPORT_TABLE_LABELS,
  REPORT_TABLES,
  ReportQuerySchema,
  StaffingQuerySchema,
  TrendsQuerySchema,
  RiskWordsSchema,
  type ReportTable,
} from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import type { ServicePeriod } from '../../domain/policy.js';
import { planToPeriods } from '../../domain/stats/staffing.js';
import type { SessionUser } from '../auth/auth-service.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { expectVersion, parseOrThrow } from '../shared/validation.js';
import type { ExportService } from './export-service.js';
import type { ReportOffload } from './report-offload.js';
import type { ReportService } from './report-service.js';
import type { TrendsService } from './trends-service.js';

export interface ReportRouteDeps {
  reports: ReportService;
  exports: ExportService;
  /** Reports, staffing plans and exports computed off the router's thread. */
  offload: ReportOffload;
  requireUser: RequireUser;
  trends: TrendsService;
  /** Replaces the service calendar's weekly periods (the routing configuration's update, audited). */
  applyCalendarPeriods: (actor: SessionUser, periods: ServicePeriod[]) => void;
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function startDownload(res: Response, format: 'csv' | 'xlsx', name: string, rows?: number): void {
  res.status(200);
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  res.setHeader('Cache-Control', 'no-store');
  if (rows !== undefined) res.setHeader('X-Total-Rows', String(rows));
}

/** A failure once the download has started can only cut the response short. */
async function streaming(res: Response, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!res.headersSent) throw err;
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

const formatOf = (v: string): 'csv' | 'xlsx' => {
  if (v === 'csv' || v === 'xlsx') return v;
  throw new DomainError('NOT_FOUND', `没有这种导出格式:${v}`);
};

/** 统计报表: figures, live figures, exports. */
export function createReportRouter(deps: ReportRouteDeps): express.Router {
  const { reports, exports, offload, requireUser } = deps;
  const r = express.Router();

  r.get(
    '/reports/figures',
    requireUser('reports:read'),
    route(async (req, res) => ok(res, await offload.report(userOf(req), parseOrThrow(ReportQuerySchema, req.query)))),
  );

  /** The supervisor's live figures (since midnight, last 15 and 30 minutes), in the user's scope. */
  r.get(
    '/reports/live',
    requireUser('queue:monitor'),
    route((req, res) => ok(res, reports.live(userOf(req)))),
  );

  /** 舆情/风险预警: rising topics and categories, risk-word hits. */
  r.get(
    '/reports/trends',
    requireUser('reports:read'),
    route(async (req, res) => ok(res, await offload.trends(userOf(req), parseOrThrow(TrendsQuerySchema, req.query)))),
  );
  r.get(
    '/reports/risk-words',
    requireUser('queue:monitor'),
    route((_req, res) => ok(res, deps.trends.riskWords())),
  );
  r.put(
    '/reports/risk-words',
    requireUser('reports:read'),
    route((req, res) => {
      const { words } = parseOrThrow(RiskWordsSchema, req.body);
      // Saved with ?version= (the fingerprint of the list the page loaded): refused when another
      // manager saved the list since, so a word they added is not dropped unseen.
      expectVersion(
        req.query.version,
        deps.trends.riskWords(),
        '风险词表已被他人修改,您的修改尚未保存(页面上仍保留您填写的内容);请重新点“分析”载入最新词表后再保存',
      );
      ok(res, deps.trends.setRiskWords(userOf(req), words));
    }),
  );
  /** Today's summaries with a watch-list word (supervisors' flag), in scope. */
  r.get(
    '/reports/risk-hits',
    requireUser('queue:monitor'),
    route(async (req, res) => ok(res, await offload.riskHits(userOf(req)))),
  );

  r.get(
    '/reports/staffing',
    requireUser('reports:read'),
    route(async (req, res) => {
      const q = parseOrThrow(StaffingQuerySchema, req.query);
      ok(res, await offload.staffing(userOf(req), { weeks: q.weeks, targetSL: q.target, centres: q.centres, categories: q.categories }));
    }),
  );

  /** 一键写入排班: the plan's seats become the calendar's weekly planned seats (administrators). */
  r.post(
    '/reports/staffing/apply',
    requireUser('config:edit'),
    route(async (req, res) => {
      const q = parseOrThrow(StaffingQuerySchema, req.body ?? {});
      const user = userOf(req);
      const plan = await offload.staffing(user, { weeks: q.weeks, targetSL: q.target, centres: null });
      const periods = planToPeriods(plan.slots);
      deps.applyCalendarPeriods(user, periods);
      ok(res, { periods });
    }),
  );

  r.get(
    '/reports/export/calls.:format',
    requireUser('reports:read'),
    route(async (req, res) => {
      const format = formatOf(String(req.params.format));
      const user = userOf(req);
      const q = parseOrThrow(ReportQuerySchema, req.query);
      const e = parseOrThrow(CallExportQuerySchema, req.query);
      const unmask = e.unmask === '1';
      const { rows, name } = exports.prepareCalls(user, q, format, unmask, e.reason ?? '');
      startDownload(res, format, name, rows);
      await streaming(res, () => offload.calls(user, q, format, unmask, res));
    }),
  );

  r.get(
    '/reports/export/outbound-calls.:format',
    requireUser('reports:read'),
    route(async (req, res) => {
      const format = formatOf(String(req.params.format));
      const user = userOf(req);
      const q = parseOrThrow(ReportQuerySchema, req.query);
      const e = parseOrThrow(CallExportQuerySchema, req.query);
      const unmask = e.unmask === '1';
      const { name } = exports.prepareOutbound(user, q, format, unmask, e.reason ?? '');
      startDownload(res, format, name);
      await streaming(res, () => exports.outboundCalls(user, q, { format, unmask, reason: e.reason ?? '' }, res));
    }),
  );

  r.get(
    '/reports/export/monthly.xlsx',
    requireUser('reports:read'),
    route(async (req, res) => {
      const q = parseOrThrow(MonthlyQuerySchema, req.query);
      const user = userOf(req);
      // Resolve (scope, dates) before the download starts, so a refusal is a JSON error.
      reports.resolve(user, {
        from: `${q.month}-01`,
        to: `${q.month}-01`,
        centres: q.centres,
        categories: null,
        seats: null,
        hours: null,
        weekdays: null,
      });
      startDownload(res, 'xlsx', `统计月报_${q.month}.xlsx`);
      await streaming(res, () => offload.monthly(user, q.month, q.centres, res));
    }),
  );

  r.get(
    '/reports/export/:table.:format',
    requireUser('reports:read'),
    route(async (req, res) => {
      const table = String(req.params.table) as ReportTable;
      if (!REPORT_TABLES.includes(table)) throw new DomainError('NOT_FOUND', `没有这张报表:${table}`);
      const format = formatOf(String(req.params.format));
      const user = userOf(req);
      const q = parseOrThrow(ReportQuerySchema, req.query);
      reports.resolve(user, q);
      startDownload(res, format, `${REPORT_TABLE_LABELS[table]}_${q.from}_${q.to}.${format}`);
      await streaming(res, () => offload.table(user, q, table, format, res));
    }),
  );

  return r;
}
