import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { splitHostPort, type ServerConfig } from './config.js';
import type { Clock } from './domain/clock.js';
import { AcdEngine, type TelephonyPort } from './domain/engine.js';
import { DEFAULT_ROUTING_CONFIG } from './domain/policy.js';
import type { Db } from './store/db.js';
import { SqliteEngineStore } from './store/engine-store.js';
import { SeatRepo, SessionRepo, SettingsRepo, UserRepo } from './store/repos.js';
import { SummaryRepo } from './store/summaries.js';
import { AuthService } from './transport/auth.js';
import { wsUrlFor } from './telephony/credentials.js';
import { createConsoleRouter } from './transport/console-routes.js';
import { createHttpRouter } from './transport/http.js';
import { seedKnowledgeIfEmpty } from './seed/knowledge-entries.js';
import { KnowledgeRepo } from './store/knowledge.js';
import { createKnowledgeRouter } from './transport/knowledge-routes.js';
import { TransferRepo } from './store/transfers.js';
import { TransferService, type ConsultGate } from './telephony/transfers.js';
import { createTransferRouter } from './transport/transfer-routes.js';
import { attachSocketServer, type SocketLayer } from './transport/socket.js';

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
  engine: AcdEngine;
  engineStore: SqliteEngineStore;
  transfers: TransferService;
  /** Stops sockets and timers and closes the HTTP server (the caller closes the database). */
  close(): Promise<void>;
}

/**
 * The composition root: wires store, engine and transports. It never listens;
 * main.ts (or a test, on port 0) calls httpServer.listen.
 */
export function createApp(deps: AppDeps): App {
  const { config, db, clock, logger } = deps;
  const settings = new SettingsRepo(db);
  const seats = new SeatRepo(db);
  const engineStore = new SqliteEngineStore(db);

  let routing = settings.getRoutingConfig() ?? DEFAULT_ROUTING_CONFIG;
  if (config.routingOverride) {
    routing = config.routingOverride;
    settings.saveRoutingConfig(routing, clock.now());
  }
  const engine = new AcdEngine({
    clock,
    store: engineStore,
    telephony: deps.telephony,
    config: routing,
    seats: seats.list(),
    requireRegistration: deps.requireRegistration ?? false,
    // Kamailio's own ring timer ends a ring first; the engine's is the backstop.
    ringGraceMs: deps.requireRegistration ? 3000 : undefined,
    onStorageFailure: deps.onStorageFailure,
  });
  engine.restore(engineStore.loadActiveCalls(), engineStore.loadSeatStates());
  const restored = engine.activeCalls().length;
  if (restored > 0) logger.info({ calls: restored }, 'restored calls in progress from the store');

  let sockets: SocketLayer | null = null;
  const trunk = splitHostPort(config.SIP_TRUNK_ADDR);
  const transfers = new TransferService({
    engine,
    repo: new TransferRepo(db),
    clock,
    logger,
    // The caller's side dials us again at the trunk listener (a wildcard listener: by domain).
    referHost: trunk.host === '0.0.0.0' || trunk.host === '::' ? config.SIP_DOMAIN : config.SIP_TRUNK_ADDR,
    sipDomain: config.SIP_DOMAIN,
    gate: deps.consultGate ?? null,
    onChange: (t) => sockets?.transferChanged(t),
  });

  const sessionMs = config.SESSION_HOURS * 3600_000;
  const auth = new AuthService(new UserRepo(db), new SessionRepo(db), clock, sessionMs);
  new SessionRepo(db).purgeExpired(clock.now());
  const seededKnowledge = seedKnowledgeIfEmpty(db, clock);
  if (seededKnowledge > 0) logger.info({ entries: seededKnowledge }, 'seeded the knowledge base with its starter set');

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  let ready = false;
  // Before the main router: its last handler answers every path it does not know with 404.
  app.use('/api', createTransferRouter({ auth, transfers, logger }));
  app.use(
    '/api',
    createConsoleRouter({
      auth,
      engine,
      engineStore,
      summaries: new SummaryRepo(db),
      clock,
      logger,
      onAlert: (alert) => sockets?.notifyStaff(alert),
    }),
  );
  app.use(
    '/api/knowledge',
    createKnowledgeRouter({ knowledge: new KnowledgeRepo(db), auth, clock, logger, categories: () => engine.config.categories }),
  );
  app.use(
    '/api',
    createHttpRouter({
      db,
      auth,
      engine,
      engineStore,
      settings,
      seats,
      clock,
      logger,
      cookieSecure: config.COOKIE_SECURE,
      sessionMs,
      isReady: () => ready,
      sip: deps.sipSecret
        ? {
            secret: deps.sipSecret,
            domain: config.SIP_DOMAIN,
            wsUrl: wsUrlFor(config.SIP_WS_ADDR),
            credentialMs: config.SIP_CREDENTIAL_HOURS * 3600_000,
          }
        : null,
      onLogout: (token) => sockets?.endSession(token),
    }),
  );
  const dist = path.resolve(config.CLIENT_DIST);
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }

  const httpServer = http.createServer(app);
  sockets = attachSocketServer(httpServer, {
    auth,
    engine,
    transfers,
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
    close: () =>
      new Promise<void>((resolve) => {
        sockets?.close();
        engine.dispose();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      }),
  };
}
