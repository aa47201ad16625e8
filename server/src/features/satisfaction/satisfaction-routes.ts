import express from 'express';
import {
  SatisfactionFiguresQuerySchema,
  SurveyWebhookSchema,
  can,
  VisitAssignSchema,
  VisitListQuerySchema,
  VisitOutcomeSchema,
  type SatisfactionFigures,
  type SurveyWebhookResult,
  type VisitDialView,
  type VisitTaskView,
} from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { SatisfactionService } from './satisfaction-service.js';
import type { VisitService } from './visit-service.js';
import type { VisitDialService } from './visit-dial-service.js';
import { visitTaskView } from './visit-views.js';
import { verifySurveySignature, type SurveyKey } from './webhook-signing.js';
import type { ScopeService } from '../users/scope-service.js';

/**
 * POST /api/satisfaction/webhook: the external survey provider's signed results. Mounted before the
 * API's JSON parser: the signature covers the raw body.
 */
export function createSurveyWebhookRouter(deps: {
  satisfaction: SatisfactionService;
  keys: readonly SurveyKey[];
  maxSkewS: number;
  clock: Clock;
}): express.Router {
  const r = express.Router();
  r.post(
    '/satisfaction/webhook',
    express.text({ type: () => true, limit: '16kb' }),
    route((req, res) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const v = verifySurveySignature(deps.keys, req.headers, raw, deps.clock.now(), deps.maxSkewS);
      if (!v.ok) throw new DomainError('UNAUTHENTICATED', v.message);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new DomainError('VALIDATION', '请求体不是有效的 JSON');
      }
      const body = parseOrThrow(SurveyWebhookSchema, parsed);
      ok<SurveyWebhookResult>(res, deps.satisfaction.receiveWebhook(body, raw));
    }),
  );
  return r;
}

/** Figures (staff) and the 回访 worklist (seats: their assigned tasks; staff: all). */
export function createSatisfactionRouter(deps: {
  satisfaction: SatisfactionService;
  visits: VisitService;
  requireUser: RequireUser;
  clock: Clock;
  /** Click-to-call: a one-time target for the browser, or why not (null: no telephony). */
  dial: VisitDialService | null;
  /** Centres in scope: a scoped supervisor's figures and worklist cover its centres only. */
  scope?: ScopeService;
}): express.Router {
  const r = express.Router();
  const now = () => deps.clock.now();
  const centresOf = (req: express.Request) => deps.scope?.centreList(userOf(req)) ?? null;
  /** The task's id when this user may work it: a scoped supervisor's centres only (404 otherwise). */
  const taskId = (req: express.Request): number => {
    const raw = String(req.params.id);
    // Not a task number at all (/api/visits/abc): no such task (the message said "编号为 NaN").
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new DomainError('NOT_FOUND', '没有找到该回访任务:任务编号须为正整数');
    const id = Number(raw);
    const centres = can(userOf(req).role, 'calls:read-all') ? centresOf(req) : null;
    if (centres !== null && !centres.includes(deps.visits.taskFor(userOf(req), id).centreId)) {
      throw new DomainError('NOT_FOUND', `没有找到编号为 ${String(req.params.id)} 的回访任务,或您无权处理`);
    }
    return id;
  };
  r.get(
    '/satisfaction/figures',
    deps.requireUser('satisfaction:read'),
    route((req, res) => {
      const q = parseOrThrow(SatisfactionFiguresQuerySchema, req.query);
      ok<SatisfactionFigures>(res, deps.satisfaction.figures(q.from, q.to, q.groupBy, centresOf(req)));
    }),
  );
  r.get(
    '/visits',
    deps.requireUser('visits:work'),
    route((req, res) => {
      const q = parseOrThrow(VisitListQuerySchema, req.query);
      ok<VisitTaskView[]>(
        res,
        deps.visits.list(userOf(req), q.status, q.limit, centresOf(req), q.offset).map((t) => visitTaskView(t, now())),
      );
    }),
  );
  r.post(
    '/visits/:id/outcome',
    deps.requireUser('visits:work'),
    route((req, res) => {
      const input = parseOrThrow(VisitOutcomeSchema, req.body);
      const out = deps.visits.recordOutcome(userOf(req), taskId(req), input);
      ok(res, { task: visitTaskView(out.task, now()), followUp: out.followUp && visitTaskView(out.followUp, now()) });
    }),
  );
  r.put(
    '/visits/:id/assignee',
    deps.requireUser('visits:work'),
    route((req, res) => {
      const { seatId } = parseOrThrow(VisitAssignSchema, req.body);
      const id = taskId(req);
      // A task given to a seat that does not exist would leave every worklist: refused.
      if (seatId !== null && deps.scope?.seatCentre(seatId) === null && can(userOf(req).role, 'calls:read-all')) {
        throw new DomainError('NOT_FOUND', `没有编号为 ${seatId} 的坐席,回访任务未分派`);
      }
      if (seatId !== null && deps.scope && !deps.scope.seesSeat(userOf(req), seatId)) {
        throw new DomainError('FORBIDDEN', '该坐席不在您的管辖范围内');
      }
      // The seat on the phone with the citizen must still be able to record the outcome.
      if (deps.dial?.inFlight(id)) throw new DomainError('CONFLICT', '该回访任务正在外呼中,通话结束后再改派');
      ok<VisitTaskView>(res, visitTaskView(deps.visits.assign(userOf(req), id, seatId), now()));
    }),
  );
  r.post(
    '/visits/:id/dial',
    deps.requireUser('visits:work'),
    route(async (req, res) => {
      const id = taskId(req);
      // The task in the user's reach first (404 otherwise), whichever line dials it.
      const t = deps.visits.taskFor(userOf(req), id);
      if (deps.dial) return ok<VisitDialView>(res, await deps.dial.dial(userOf(req), id));
      if (t.status === 'closed') throw new DomainError('CONFLICT', '该回访任务已关闭');
      ok<VisitDialView>(res, {
        connected: false,
        target: null,
        message: '外呼线路未接通:本系统未连接电话系统,请用座机拨打后在此记录回访结果',
      });
    }),
  );
  return r;
}
