import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { splitHostPort, type ServerConfig } from './config.js';
import type { Clock } from './domain/clock.js';
import { AcdEngine, type Acd, type TelephonyPort } from './domain/engine.js';
import { AuthService } from './features/auth/auth-service.js';
import { createAuthRouter } from './features/auth/auth-routes.js';
import { SessionRepository } from './features/auth/session-repository.js';
import { SipCredentialService } from './features/auth/sip-credentials-service.js';
import { UserRepository } from './features/auth/user-repository.js';
import { CallbackRepository } from './features/callbacks/callback-repository.js';
import { createCallbackRouter } from './features/callbacks/callback-routes.js';
import { CallbackService } from './features/callbacks/callback-service.js';
import { callbackView } from './features/callbacks/callback-views.js';
import { CallRepository } from './features/calls/call-repository.js';
import { createCallRouter } from './features/calls/call-routes.js';
import { CallService } from './features/calls/call-service.js';
import { KnowledgeRepository } from './features/knowledge/knowledge-repository.js';
import { createKnowledgeRouter } from './features/knowledge/knowledge-routes.js';
import { KnowledgeService } from './features/knowledge/knowledge-service.js';
import { createQueueRouter } from './features/queue/queue-routes.js';
import { queueSocketHandlers } from './features/queue/queue-socket.js';
import { RoutingConfigRepository } from './features/routing-config/routing-config-repository.js';
import { createRoutingConfigRouter } from './features/routing-config/routing-config-routes.js';
import { RoutingConfigService, startupRoutingConfig } from './features/routing-config/routing-config-service.js';
import { RatingRepository } from './features/satisfaction/rating-repository.js';
import { createSatisfactionRouter, createSurveyWebhookRouter } from './features/satisfaction/satisfaction-routes.js';
import { SatisfactionService } from './features/satisfaction/satisfaction-service.js';
import { VisitRepository } from './features/satisfaction/visit-repository.js';
import { VisitService } from './features/satisfaction/visit-service.js';
import { loadOrCreateSurveyKeys } from './features/satisfaction/webhook-signing.js';
import { SeatRepository } from './features/seats/seat-repository.js';
import { createSeatRouter } from './features/seats/seat-routes.js';
import { SeatService } from './features/seats/seat-service.js';
import { seatSocketHandlers } from './features/seats/seat-socket.js';
import { AlertRepository } from './features/summaries/alert-repository.js';
import { createAlertRouter } from './features/summaries/alert-routes.js';
import { AlertService } from './features/summaries/alert-service.js';
import { SummaryRepository } from './features/summaries/summary-repository.js';
import { createSummaryRouter } from './features/summaries/summary-routes.js';
import { SummaryService } from './features/summaries/summary-service.js';
import { majorAlertView, summaryViews } from './features/summaries/summary-views.js';
import { TransferRepository } from './features/transfers/transfer-repository.js';
import { createTransferRouter } from './features/transfers/transfer-routes.js';
import { TransferService, type ConsultGate } from './features/transfers/transfer-service.js';
import { transferSocketHandlers } from './features/transfers/transfer-socket.js';
import { createTransferView } from './features/transfers/transfer-views.js';
import { seedKnowledgeIfEmpty } from './seed/knowledge-entries.js';
import type { Db } from './store/db.js';
import { SqliteEngineStore } from './store/engine-store.js';
import { wsUrlFor } from './telephony/credentials.js';
import { apiErrorHandler, unknownApiPath } from './transport/api-errors.js';
import { createRequireUser } from './transport/http.js';
import { attachSocketServer, type SocketLayer } from './transport/socket-server.js';

export interface AppDeps {
  config: ServerConfig;
  db: Db;
  clock: Clock;
  logger: Logger;
  telephony: TelephonyPort;
  /** The auth_ephemeral secret shared with Kamailio; null when no telephony is configured. */
  sipSecret?: string | null;
  /** Offer calls only to seats whose softphone is registered (true when Kamailio is connected). */
  requireRegistration?: boolean;
  /** The engine could not store a change: its memory is no longer trusted (see EngineOptions). */
  onStorageFailure?: (err: unknown) => void;
  /** Opens Kamailio for a seat-to-seat consultation call; null without telephony. */
  consultGate?: ConsultGate | null;
}

export interface App {
  httpServer: http.Server;
  engine: Acd;
  engineStore: SqliteEngineStore;
  transfers: TransferService;
  satisfaction: SatisfactionService;
  visits: VisitService;
  /** Stops sockets and timers and closes the HTTP server (the caller closes the database). */
  close(): Promise<void>;
}

/** The one JSON body parser of the API (every feature router is mounted after it). */
const JSON_BODY_LIMIT = '256kb';

/**
 * The composition root: wires repositories → services → routes and socket handlers, around the
 * engine. It never listens; main.ts (or a test, on port 0) calls httpServer.listen.
 */
export function createApp(deps: AppDeps): App {
  const { config, db, clock, logger } = deps;
  const seatRepo = new SeatRepository(db);
  const routingRepo = new RoutingConfigRepository(db);

  // ------------------------------------------------------------------ engine
  const engineStore = new SqliteEngineStore(db);
  const routing = startupRoutingConfig(routingRepo, config.routingOverride, clock.now());
  const engine = new AcdEngine({
    clock,
    store: engineStore,
    telephony: deps.telephony,
    config: routing,
    seats: seatRepo.list(),
    requireRegistration: deps.requireRegistration ?? false,
    // Kamailio's own ring timer ends a ring first; the engine's is the backstop.
    ringGraceMs: deps.requireRegistration ? 3000 : undefined,
    onStorageFailure: deps.onStorageFailure,
  });
  // Listening before restore: a call restored past its maximum wait overflows to a callback request.
  let sockets: SocketLayer | null = null;
  let visits: VisitService | null = null;
  const callbacks = new CallbackService({
    engine,
    repo: new CallbackRepository(db),
    logger,
    onChange: (r) => {
      sockets?.callbackChanged(callbackView(r));
      visits?.sync();
    },
  });
  callbacks.attach();
  engine.restore(engineStore.loadActiveCalls(), engineStore.loadSeatStates());
  const restored = engine.activeCalls().length;
  if (restored > 0) logger.info({ calls: restored }, 'restored calls in progress from the store');

  // ------------------------------------------------------------------ services
  const sessionMs = config.SESSION_HOURS * 3600_000;
  const auth = new AuthService(new UserRepository(db), new SessionRepository(db), clock, sessionMs);
  auth.purgeExpiredSessions();
  const sipCredentials = new SipCredentialService(
    deps.sipSecret
      ? {
          secret: deps.sipSecret,
          domain: config.SIP_DOMAIN,
          wsUrl: wsUrlFor(config.SIP_WS_ADDR),
          credentialMs: config.SIP_CREDENTIAL_HOURS * 3600_000,
        }
      : null,
    clock,
    sessionMs,
  );
  const seats = new SeatService(db, engine, seatRepo);
  const routingConfig = new RoutingConfigService(db, engine, routingRepo, clock);
  const calls = new CallService(engine, new CallRepository(db, engineStore), clock);
  const alerts = new AlertService({
    db,
    alerts: new AlertRepository(db),
    calls,
    clock,
    logger,
    onAlert: (alert) => sockets?.notifyStaff(majorAlertView(alert)),
  });
  const summaries = new SummaryService({ db, engine, calls, summaries: new SummaryRepository(db), alerts, clock, logger });
  summaries.repairFilings();

  const trunk = splitHostPort(config.SIP_TRUNK_ADDR);
  const transferView = createTransferView({
    // The caller's side dials us again at the trunk listener (a wildcard listener: by domain).
    referHost: trunk.host === '0.0.0.0' || trunk.host === '::' ? config.SIP_DOMAIN : config.SIP_TRUNK_ADDR,
    sipDomain: config.SIP_DOMAIN,
    seats: () => engine.listSeats(),
    now: () => clock.now(),
  });
  const transfers = new TransferService({
    engine,
    repo: new TransferRepository(db),
    clock,
    logger,
    gate: deps.consultGate ?? null,
    onChange: (t) => sockets?.transferChanged(transferView(t)),
  });

  // ------------------------------------------------------------------ satisfaction and 回访
  const ratingRepo = new RatingRepository(db);
  const visitRepo = new VisitRepository(db);
  visits = new VisitService({
    db,
    repo: visitRepo,
    ratings: ratingRepo,
    clock,
    logger,
    policy: {
      dissatisfiedDueH: config.VISIT_DISSATISFIED_DUE_H,
      callbackDueH: config.VISIT_CALLBACK_DUE_H,
      samplePercent: config.VISIT_SAMPLE_PERCENT,
      sampleDueH: config.VISIT_SAMPLE_DUE_H,
      retrySpacingMin: config.VISIT_RETRY_SPACING_MIN,
      maxAttempts: config.VISIT_MAX_ATTEMPTS,
    },
  });
  visits.sync();
  const satisfaction = new SatisfactionService({
    db,
    ratings: ratingRepo,
    visits,
    visitRepo,
    clock,
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
  });
  const surveyKeys = loadOrCreateSurveyKeys(config.SURVEY_WEBHOOK_KEYS_FILE);

  const knowledge = new KnowledgeService({ db, knowledge: new KnowledgeRepository(db), clock, categories: () => engine.config.categories });
  const seededKnowledge = seedKnowledgeIfEmpty(db, clock);
  if (seededKnowledge > 0) logger.info({ entries: seededKnowledge }, 'seeded the knowledge base with its starter set');
  const indexedKnowledge = knowledge.ensureSearchIndex();
  if (indexedKnowledge > 0) logger.info({ entries: indexedKnowledge }, 'indexed the knowledge base for short words and pinyin');

  // ------------------------------------------------------------------ HTTP
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  let ready = false;
  const requireUser = createRequireUser(auth);
  // Signed over the raw body: before the JSON parser.
  app.use('/api', createSurveyWebhookRouter({ satisfaction, keys: surveyKeys, maxSkewS: config.SURVEY_WEBHOOK_MAX_SKEW_S, clock }));
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT }));
  app.get('/api/health', (_req, res) => {
    if (!ready) return res.status(503).json({ ok: false, error: { code: 'INTERNAL', message: 'starting' } });
    res.json({ ok: true });
  });
  app.use(
    '/api',
    createAuthRouter({
      auth,
      sipCredentials,
      requireUser,
      cookieSecure: config.COOKIE_SECURE,
      onLogout: (token) => sockets?.endSession(token),
    }),
    createCallRouter({
      calls,
      summaryViewsOf: (ids, viewer, now) => summaryViews(summaries.summariesOf(ids, viewer, now)),
      requireUser,
      clock,
    }),
    createSummaryRouter({ summaries, requireUser }),
    createAlertRouter({ alerts, requireUser }),
    createCallbackRouter({ callbacks, requireUser }),
    createSatisfactionRouter({ satisfaction, visits, requireUser, clock, dial: null }),
    createTransferRouter({ transfers, requireUser }),
    createQueueRouter({ queue: engine, clock, requireUser }),
    createSeatRouter({ seats, requireUser }),
    createRoutingConfigRouter({ routingConfig, requireUser }),
  );
  app.use('/api/knowledge', createKnowledgeRouter({ knowledge, requireUser }));
  app.use('/api', unknownApiPath);
  app.use('/api', apiErrorHandler(logger));

  const dist = path.resolve(config.CLIENT_DIST);
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }

  // ------------------------------------------------------------------ sockets
  const httpServer = http.createServer(app);
  sockets = attachSocketServer(httpServer, {
    auth,
    engine,
    handlers: [...seatSocketHandlers(seats), ...transferSocketHandlers(transfers, transferView), ...queueSocketHandlers(engine, clock)],
    clock,
    logger,
    disconnectGraceMs: config.SEAT_DISCONNECT_GRACE_S * 1000,
  });
  ready = true;

  return {
    httpServer,
    engine,
    engineStore,
    transfers,
    satisfaction,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        sockets?.close();
        callbacks.detach();
        engine.dispose();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      }),
  };
}
