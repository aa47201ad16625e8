import express from 'express';
import {
  QcConfigInputSchema,
  QcDecisionInputSchema,
  QcListQuerySchema,
  QcReviewRequestSchema,
  QcScoreInputSchema,
  type CallSummaryView,
  type QcConfigView,
  type QcDetailView,
  type QcItemView,
} from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import type { SessionUser } from '../auth/auth-service.js';
import { callRecordView } from '../calls/call-views.js';
import { parseOrThrow } from '../shared/validation.js';
import type { QcItemState, QcService } from './qc-service.js';
import { qcDetailView, qcItemView, timelineOf } from './qc-views.js';

export interface QcRouteDeps {
  qc: QcService;
  requireUser: RequireUser;
  clock: Clock;
  /** A call with its event log (in progress or stored). */
  callOf: (callId: string) => Call | null;
  /** The call's filed summary, in full (the inspector reads it for the inspection; the open is audited). */
  summaryOf: (callId: string, viewer: SessionUser) => CallSummaryView | null;
  seatName: (seatId: string) => string | null;
}

/** 质检: the worklist, 我的质检, one item with its call, scoring, 申请复核, the decision and the form. */
export function createQcRouter(deps: QcRouteDeps): express.Router {
  const { qc, requireUser, clock } = deps;
  const r = express.Router();
  const listView = (user: SessionUser, items: ReturnType<QcService['list']>): QcItemView[] => {
    const { reviewDays } = qc.config();
    const now = clock.now();
    return items.map((i) => qcItemView(i, { seatName: deps.seatName, reviewDays, viewer: user, now }));
  };
  const detail = (user: SessionUser, state: QcItemState): QcDetailView => {
    const call = deps.callOf(state.item.callId);
    if (!call) throw new DomainError('NOT_FOUND', `没有编号为 ${state.item.callId} 的来电`);
    const now = clock.now();
    return qcDetailView(state, {
      seatName: deps.seatName,
      viewer: user,
      now,
      record: callRecordView(call, now),
      timeline: timelineOf(call, (id) => deps.seatName(id) ?? id),
      summary: deps.summaryOf(call.id, user),
      form: qc.config(),
    });
  };
  const callIdOf = (req: express.Request) => String(req.params.callId);

  r.get(
    '/qc/items',
    requireUser('qc:inspect'),
    route((req, res) => {
      const q = parseOrThrow(QcListQuerySchema, req.query);
      const user = userOf(req);
      ok(res, listView(user, qc.list(user, q.status, q.limit)));
    }),
  );
  r.get(
    '/qc/mine',
    requireUser('qc:own'),
    route((req, res) => {
      const user = userOf(req);
      ok(res, listView(user, qc.mine(user, 200)));
    }),
  );
  r.get(
    '/qc/items/:callId',
    requireUser(),
    route((req, res) => {
      const user = userOf(req);
      ok(res, detail(user, qc.open(user, callIdOf(req))));
    }),
  );
  r.post(
    '/qc/items/:callId/score',
    requireUser('qc:inspect'),
    route((req, res) => {
      const user = userOf(req);
      const input = parseOrThrow(QcScoreInputSchema, req.body);
      ok(res, detail(user, qc.score(user, callIdOf(req), input)));
    }),
  );
  r.post(
    '/qc/items/:callId/review',
    requireUser('qc:own'),
    route((req, res) => {
      const user = userOf(req);
      const { reason } = parseOrThrow(QcReviewRequestSchema, req.body);
      ok(res, detail(user, qc.requestReview(user, callIdOf(req), reason)));
    }),
  );
  r.post(
    '/qc/items/:callId/decision',
    requireUser('qc:inspect'),
    route((req, res) => {
      const user = userOf(req);
      const input = parseOrThrow(QcDecisionInputSchema, req.body);
      ok(res, detail(user, qc.decide(user, callIdOf(req), input)));
    }),
  );
  r.get(
    '/qc/config',
    requireUser('qc:inspect'),
    route((_req, res) => ok<QcConfigView>(res, qc.config())),
  );
  r.put(
    '/qc/config',
    requireUser('qc:configure'),
    route((req, res) => ok<QcConfigView>(res, qc.updateConfig(userOf(req), parseOrThrow(QcConfigInputSchema, req.body)))),
  );
  return r;
}
