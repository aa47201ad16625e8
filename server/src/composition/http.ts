import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { createAuditRouter } from '../features/audit/audit-routes.js';
import { withRequestContext } from '../features/audit/request-context.js';
import { createAuthRouter } from '../features/auth/auth-routes.js';
import { createLoginLockRouter } from '../features/auth/login-lock-routes.js';
import { createCallbackRouter } from '../features/callbacks/callback-routes.js';
import { createCallRouter } from '../features/calls/call-routes.js';
import { createRecordingRouter } from '../features/recordings/recording-routes.js';
import { createKnowledgeRouter } from '../features/knowledge/knowledge-routes.js';
import { createQcRouter } from '../features/qc/qc-routes.js';
import { createQueueRouter } from '../features/queue/queue-routes.js';
import { createReportRouter } from '../features/reports/report-routes.js';
import { createRoutingConfigRouter } from '../features/routing-config/routing-config-routes.js';
import { createSatisfactionRouter, createSurveyWebhookRouter } from '../features/satisfaction/satisfaction-routes.js';
import { createSurveyRouter } from '../features/satisfaction/survey-routes.js';
import { createOutboundCallRouter } from '../features/satisfaction/outbound-call-routes.js';
import { createSeatDayRouter } from '../features/seats/seat-day-routes.js';
import { createSeatRouter } from '../features/seats/seat-routes.js';
import { createSupervisorRouter } from '../features/supervisor/supervisor-routes.js';
import { createListenRouter } from '../features/supervisor/listen-routes.js';
import { createAlertRouter } from '../features/summaries/alert-routes.js';
import { createAlertThresholdRouter } from '../features/summaries/alert-threshold-routes.js';
import { createSummaryRouter } from '../features/summaries/summary-routes.js';
import { createPhoneRouter } from '../features/seats/phone-routes.js';
import { summaryViews } from '../features/summaries/summary-views.js';
import { createHandoverRouter, createHandoverWebhookRouter } from '../features/handover/handover-routes.js';
import { createReferralRouter } from '../features/handover/referral-routes.js';
import { createTransferRouter } from '../features/transfers/transfer-routes.js';
import { passwordGate } from '../features/users/password-gate.js';
import { createUsersRouter } from '../features/users/users-routes.js';
import { storageGate } from '../transport/storage-gate.js';
import { wsUrlFor } from '../telephony/credentials.js';
import { apiErrorHandler, lastErrorHandler, unknownApiPath } from '../transport/api-errors.js';
import { checkOrigin, jsonOnly, noStore, securityHeaders } from '../transport/security.js';
import { createRequireUser } from '../transport/http.js';
import { ROOMS } from '../transport/socket-handlers.js';
import type { AppDeps } from '../app.js';
import type { LateParts } from './late.js';
import type { Parts } from './parts.js';

/** The one JSON body parser of the API (every feature router is mounted after it). */
const JSON_BODY_LIMIT = '256kb';

/**
 * The Express app: security headers, the request context, the storage gate, the signed webhooks
 * (raw bodies), the origin check, the one JSON body parser, every feature's router, the one API
 * error handler, then the client's files and the last-resort error handler.
 */
export function createHttpApp(deps: AppDeps, late: LateParts, p: Parts, isReady: () => boolean): express.Express {
  const { config, clock, logger } = deps;
  const { engine, storage, auth, sipCredentials, phones, users, audit, scope, seats, routingConfig, calls, seatDay } = p;
  const { outboxRepo, seatInfo, referrals, handover, ticketFetch, alerts, qc, reports, exports, trends, reportOffload, summaries } = p;
  const { transfers, liveQueue, supervisor, listen, liveAlerts, recordings, recordingStorage, callbacks } = p;
  const { visits, satisfaction, surveyKeys, survey, visitDials, outboundCalls, knowledge } = p;
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For is believed: nobody's unless TRUST_PROXY names the proxy.
  app.set('trust proxy', config.TRUST_PROXY);
  const requireUser = createRequireUser(auth);
  const sipWsUrl = deps.sipSecret ? wsUrlFor(config.SIP_WS_ADDR) : null;
  app.use(securityHeaders({ secure: config.COOKIE_SECURE, publicOrigins: config.PUBLIC_ORIGINS, sipWsUrl }));
  app.use('/api', (req, _res, next) => withRequestContext({ address: req.ip ?? 'unknown' }, next));
  app.use('/api', noStore);
  app.use(
    '/api',
    storageGate(() => storage.outage?.message ?? null),
  );
  // The 12345 webhook reads its raw body (the signature covers the exact bytes): before the JSON
  // parser; it is signed server to server, so no browser Origin applies to it.
  app.use('/api', createHandoverWebhookRouter({ handover }));
  app.use('/api', createSurveyWebhookRouter({ satisfaction, keys: surveyKeys, maxSkewS: config.SURVEY_WEBHOOK_MAX_SKEW_S, clock }));
  app.use('/api', checkOrigin(config.PUBLIC_ORIGINS));
  app.use('/api', jsonOnly, express.json({ limit: JSON_BODY_LIMIT }));
  app.get('/api/health', (_req, res) => {
    if (!isReady()) return res.status(503).json({ ok: false, error: { code: 'INTERNAL', message: 'starting' } });
    res.json({ ok: true });
  });
  app.use(
    '/api',
    passwordGate(users, auth),
    createAuthRouter({
      auth,
      sipCredentials,
      requireUser,
      cookieSecure: config.COOKIE_SECURE,
      onLogout: (token) => {
        phones.releaseSession(token);
        late.sockets?.endSession(token);
      },
    }),
    createRecordingRouter({ recordings, storage: recordingStorage, requireUser }),
    createCallRouter({
      calls,
      summaryViewsOf: (ids, viewer, now) => summaryViews(summaries.summariesOf(ids, viewer, now)),
      requireUser,
      clock,
    }),
    createSummaryRouter({
      summaries,
      requireUser,
      onFiled: (summary) => late.sockets?.io.to(ROOMS.seat(summary.seatId)).emit('summary:filed', summary),
    }),
    createPhoneRouter({ phones, requireUser }),
    createAlertRouter({ alerts, requireUser }),
    createCallbackRouter({ callbacks, requireUser, scope }),
    createSatisfactionRouter({ satisfaction, visits, requireUser, clock, dial: visitDials, scope }),
    createOutboundCallRouter({ outbound: outboundCalls, requireUser }),
    createTransferRouter({ transfers, requireUser }),
    createQueueRouter({ queue: liveQueue, clock, requireUser, scope }),
    createSeatDayRouter({ seatDay, requireUser }),
    createSupervisorRouter({ supervisor, requireUser }),
    createListenRouter({ listen, sipCredentials, requireUser }),
    createSurveyRouter({ survey, requireUser }),
    createAlertThresholdRouter({ monitor: liveAlerts, requireUser, scope }),
    createSeatRouter({ seats, requireUser, scope }),
    createRoutingConfigRouter({ routingConfig, requireUser }),
    createUsersRouter({ users, mode: config.HOTLINE_MODE, requireUser }),
    createAuditRouter({ audit, requireUser }),
    createReferralRouter({
      referrals,
      messagesOf: (id) => outboxRepo.byRef(id),
      requireUser,
      now: () => clock.now(),
      scope,
      audit: (entry) => void audit.record(entry),
    }),
    createHandoverRouter({
      handover,
      fetchTicket: ticketFetch ? (id) => ticketFetch.get(id) : undefined,
      ticketCalls: (ticket) =>
        engine
          .activeCalls()
          .filter((c) => c.ticket12345 === ticket)
          .map((c) => ({ homeCentreId: c.homeCentreId, seatIds: 'seatId' in c.state ? [c.state.seatId] : [] })),
      requireUser,
      knownCategory: (id) => engine.config.categories.some((c) => c.id === id),
      now: () => clock.now(),
      scope,
    }),
    createLoginLockRouter({ auth, requireUser }),
    createQcRouter({
      qc,
      requireUser,
      clock,
      callOf: (id) => calls.find(id),
      summaryOf: (id, viewer) => summaryViews(summaries.summariesOf([id], viewer, clock.now())).get(id) ?? null,
      seatName: (id) => seatInfo(id)?.name ?? null,
    }),
    createReportRouter({
      reports,
      exports,
      offload: reportOffload,
      trends,
      requireUser,
      applyCalendarPeriods: (actor, periods) =>
        routingConfig.update(actor, { ...engine.config, serviceCalendar: { ...engine.config.serviceCalendar, periods } }),
    }),
  );
  app.use('/api/knowledge', createKnowledgeRouter({ knowledge, requireUser }));
  app.use('/api', unknownApiPath);
  app.use(
    '/api',
    apiErrorHandler(logger, (err) => storage.report(err)),
  );

  const dist = path.resolve(config.CLIENT_DIST);
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }
  app.use(lastErrorHandler(logger));

  return app;
}
