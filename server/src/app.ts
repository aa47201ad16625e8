import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { splitHostPort, type ServerConfig } from './config.js';
import { alertInScope, type CallSummaryInput, type LiveAlert } from './contract/index.js';
import type { Clock } from './domain/clock.js';
import { AcdEngine, type Acd, type StoredEngineState, type TelephonyPort } from './domain/engine.js';
import { DomainError } from './domain/errors.js';
import { AuditRepository } from './features/audit/audit-repository.js';
import { createAuditRouter } from './features/audit/audit-routes.js';
import { AuditService, type AuditInput } from './features/audit/audit-service.js';
import { signInAudit } from './features/audit/auth-audit.js';
import { withRequestContext } from './features/audit/request-context.js';
import { AccountService } from './features/auth/accounts-service.js';
import { AuthService } from './features/auth/auth-service.js';
import { createAuthRouter } from './features/auth/auth-routes.js';
import { LoginBrake } from './features/auth/login-brake.js';
import { LoginBrakeRepository } from './features/auth/login-brake-repository.js';
import { createLoginLockRouter } from './features/auth/login-lock-routes.js';
import { SessionRepository } from './features/auth/session-repository.js';
import { listenAor, SipCredentialService, type SipRevocationGate } from './features/auth/sip-credentials-service.js';
import { UserRepository } from './features/auth/user-repository.js';
import { CallbackRepository } from './features/callbacks/callback-repository.js';
import { createCallbackRouter } from './features/callbacks/callback-routes.js';
import { CallbackService } from './features/callbacks/callback-service.js';
import { callbackView } from './features/callbacks/callback-views.js';
import { CallRepository } from './features/calls/call-repository.js';
import { createCallRouter } from './features/calls/call-routes.js';
import { RecordingRepository } from './features/recordings/recording-repository.js';
import { createRecordingRouter } from './features/recordings/recording-routes.js';
import { RecordingService, type RecordingMedia } from './features/recordings/recording-service.js';
import { RecordingStorage } from './features/recordings/recording-storage.js';
import { CallService } from './features/calls/call-service.js';
import { KnowledgeRepository } from './features/knowledge/knowledge-repository.js';
import { createKnowledgeRouter } from './features/knowledge/knowledge-routes.js';
import { KnowledgeService } from './features/knowledge/knowledge-service.js';
import { QcRepository } from './features/qc/qc-repository.js';
import { createQcRouter } from './features/qc/qc-routes.js';
import { QcService } from './features/qc/qc-service.js';
import { createQueueRouter } from './features/queue/queue-routes.js';
import { ExportService } from './features/reports/export-service.js';
import { ReportRepository } from './features/reports/report-repository.js';
import { createReportRouter } from './features/reports/report-routes.js';
import { ReportOffload } from './features/reports/report-offload.js';
import { ReportService } from './features/reports/report-service.js';
import { segment, STOP_WORDS } from './features/reports/segmenter.js';
import { TrendsService } from './features/reports/trends-service.js';
import { QueueFanoutService } from './features/queue/queue-fanout-service.js';
import { queueSocketHandlers } from './features/queue/queue-socket.js';
import { centresOfRoom, type LiveQueue } from './features/queue/queue-views.js';
import { SeatDayCounts } from './features/queue/seat-day-counts.js';
import { RoutingConfigRepository } from './features/routing-config/routing-config-repository.js';
import { createRoutingConfigRouter } from './features/routing-config/routing-config-routes.js';
import { referenceDataView } from './features/routing-config/routing-config-views.js';
import { RoutingConfigService, startupRoutingConfig } from './features/routing-config/routing-config-service.js';
import { dayBounds } from './features/shared/local-day.js';
import { RatingRepository } from './features/satisfaction/rating-repository.js';
import { createSatisfactionRouter, createSurveyWebhookRouter } from './features/satisfaction/satisfaction-routes.js';
import { SatisfactionService } from './features/satisfaction/satisfaction-service.js';
import { SurveyService, type SurveyArming } from './features/satisfaction/survey-service.js';
import { createSurveyRouter } from './features/satisfaction/survey-routes.js';
import { VisitRepository } from './features/satisfaction/visit-repository.js';
import { VisitService } from './features/satisfaction/visit-service.js';
import { VisitDialRepository } from './features/satisfaction/visit-dial-repository.js';
import { VisitDialService, type OutboundPort } from './features/satisfaction/visit-dial-service.js';
import { OutboundCallService } from './features/satisfaction/outbound-call-service.js';
import { createOutboundCallRouter } from './features/satisfaction/outbound-call-routes.js';
import { loadOrCreateSurveyKeys } from './features/satisfaction/webhook-signing.js';
import { SeatRepository } from './features/seats/seat-repository.js';
import { SeatDayRepository } from './features/seats/seat-day-repository.js';
import { createSeatDayRouter } from './features/seats/seat-day-routes.js';
import { SeatDayService } from './features/seats/seat-day-service.js';
import { createSeatRouter } from './features/seats/seat-routes.js';
import { SeatService } from './features/seats/seat-service.js';
import { seatSocketHandlers } from './features/seats/seat-socket.js';
import { createSupervisorRouter } from './features/supervisor/supervisor-routes.js';
import { SupervisorService, type CallEnder } from './features/supervisor/supervisor-service.js';
import { ListenService, type ListenLegInfo, type ListenPort } from './features/supervisor/listen-service.js';
import { createListenRouter } from './features/supervisor/listen-routes.js';
import { AlertRepository } from './features/summaries/alert-repository.js';
import { createAlertRouter } from './features/summaries/alert-routes.js';
import { AlertMonitor } from './features/summaries/alert-monitor.js';
import { createAlertThresholdRouter } from './features/summaries/alert-threshold-routes.js';
import { AlertThresholdRepository } from './features/summaries/alert-thresholds.js';
import { AlertService } from './features/summaries/alert-service.js';
import { SummaryRepository } from './features/summaries/summary-repository.js';
import { createSummaryRouter } from './features/summaries/summary-routes.js';
import { PhoneOwnershipService } from './features/seats/phone-ownership-service.js';
import { createPhoneRouter } from './features/seats/phone-routes.js';
import { SummaryService } from './features/summaries/summary-service.js';
import { majorAlertView, summaryViews } from './features/summaries/summary-views.js';
import { HandoverRepository } from './features/handover/handover-repository.js';
import { createHandoverRouter, createHandoverWebhookRouter } from './features/handover/handover-routes.js';
import { HandoverService, STREAM_12345 } from './features/handover/handover-service.js';
import { OutboxRepository } from './features/handover/outbox-repository.js';
import { fetchTransport, OutboxWorker } from './features/handover/outbox-worker.js';
import { ReferralRepository } from './features/handover/referral-repository.js';
import { createReferralRouter } from './features/handover/referral-routes.js';
import { ReferralService } from './features/handover/referral-service.js';
import { loadOrCreateKeyRing, type KeyRing } from './features/handover/signing.js';
import { TicketFetcher } from './features/handover/ticket-fetch.js';
import { TransferRepository } from './features/transfers/transfer-repository.js';
import { createTransferRouter } from './features/transfers/transfer-routes.js';
import { TransferService, type ConsultGate } from './features/transfers/transfer-service.js';
import { transferSocketHandlers } from './features/transfers/transfer-socket.js';
import { createTransferView } from './features/transfers/transfer-views.js';
import { gateSocketHandlers, passwordGate } from './features/users/password-gate.js';
import { ScopeService } from './features/users/scope-service.js';
import { createUsersRouter } from './features/users/users-routes.js';
import { UserService } from './features/users/users-service.js';
import { seedKnowledgeIfEmpty } from './seed/knowledge-entries.js';
import type { Db } from './store/db.js';
import { SqliteEngineStore } from './store/engine-store.js';
import { StorageGuard } from './store/storage-guard.js';
import { storageGate } from './transport/storage-gate.js';
import { wsUrlFor } from './telephony/credentials.js';
import { apiErrorHandler, lastErrorHandler, unknownApiPath } from './transport/api-errors.js';
import { checkOrigin, jsonOnly, noStore, securityHeaders } from './transport/security.js';
import { createRequireUser } from './transport/http.js';
import { ROOMS } from './transport/socket-handlers.js';
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
  /**
   * The engine could not store a change for a reason other than the disk (a full or failing disk
   * puts the router in degraded mode instead: App.storage): its memory is no longer trusted.
   */
  onStorageFailure?: (err: unknown) => void;
  /** Opens Kamailio for a seat-to-seat consultation call; null without telephony. */
  consultGate?: ConsultGate | null;
  /** The QC sample's random source (tests pass a fixed sequence; Math.random otherwise). */
  qcRandom?: () => number;
  /** Kamailio's dialog module: arms the post-call survey and ends calls (强拆); null without telephony. */
  callControl?: (SurveyArming & CallEnder) | null;
  /** Records answered calls (rtpengine); null or absent: calls are not recorded. */
  recordingMedia?: RecordingMedia | null;
  /** Click-to-call through Kamailio and the trunk (telephony/outbound-line.ts); null without telephony. */
  outbound?: OutboundPort | null;
  /** Ends a seat's phone at Kamailio when its session ends early; null without telephony. */
  sipRevocation?: SipRevocationGate | null;
  /** 监听 through rtpengine and Kamailio (telephony/listen-line.ts); null without telephony. */
  listen?: (ListenPort & { listen(f: (leg: ListenLegInfo) => void): void }) | null;
}

export interface App {
  httpServer: http.Server;
  engine: Acd;
  engineStore: SqliteEngineStore;
  transfers: TransferService;
  handover: HandoverService;
  /** The 12348 specialty for a call carrying this 12345 ticket (starts a fetch when not on file). */
  ticketSpecialty: (ticket: string) => string | null;
  outbox: OutboxWorker;
  satisfaction: SatisfactionService;
  /** The post-call survey's policy, choices and outcomes (the telephony side records through it). */
  survey: SurveyService;
  visits: VisitService;
  /** The report worker's front (reports and exports off the event loop). */
  reportOffload: ReportOffload;
  /** Degraded mode while the database's disk is full: the outage, report(err), subscribe. */
  storage: StorageGuard;
  /** Call recordings (main.ts ends the open ones before the telephony stops: `shutdown`). */
  recordings: RecordingService;
  /** Stops sockets and timers and closes the HTTP server (the caller closes the database). */
  close(): Promise<void>;
}

/** The one JSON body parser of the API (every feature router is mounted after it). */
const JSON_BODY_LIMIT = '256kb';

/** Threshold alerts to the supervisors' rooms: every centre, or each scoped room its centres only. */
function pushScoped(sockets: SocketLayer, list: LiveAlert[]): void {
  sockets.io.to(ROOMS.supervisors).emit('live-alerts:updated', list);
  for (const room of sockets.io.sockets.adapter.rooms.keys()) {
    const centres = centresOfRoom(room);
    if (centres)
      sockets.io.to(room).emit(
        'live-alerts:updated',
        list.filter((a) => alertInScope(a, (c) => centres.has(c))),
      );
  }
}

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
  // A full disk: degraded mode (refuse new work, alarm, probe until space returns), not an exit.
  const storage = new StorageGuard({
    db,
    file: config.DB_PATH,
    logger,
    probeEveryMs: config.STORAGE_PROBE_S * 1000,
    resumeFreeBytes: config.STORAGE_RESUME_FREE_MB * 1024 * 1024,
  });
  const engine = new AcdEngine({
    clock,
    store: engineStore,
    telephony: deps.telephony,
    config: routing,
    seats: seatRepo.list(),
    requireRegistration: deps.requireRegistration ?? false,
    // Kamailio's own ring timer ends a ring first; the engine's is the backstop.
    ringGraceMs: deps.requireRegistration ? 3000 : undefined,
    onStorageFailure: (err) => {
      if (!storage.report(err)) deps.onStorageFailure?.(err);
    },
  });
  // What the store holds: the engine's memory is put back to it after a failed commit.
  const storedEngineState = (): StoredEngineState => ({
    config: routingRepo.get() ?? engine.config,
    seats: seatRepo.list(),
    calls: engineStore.loadActiveCalls(),
    seatStates: engineStore.loadSeatStates(),
  });
  storage.subscribe((outage) => {
    if (outage) engine.suspend(new DomainError('STORAGE_FULL', outage.message), storedEngineState);
    else engine.resumeFromStore(storedEngineState);
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
  const userRepo = new UserRepository(db);
  // Accounts, scope and the audit log (features/users, features/audit).
  const audit = new AuditService(db, new AuditRepository(db), clock);
  const brake = new LoginBrake(db, new LoginBrakeRepository(db), clock);
  const auth = new AuthService(userRepo, new SessionRepository(db), clock, sessionMs, {
    brake,
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    maxSessionsPerUser: config.SESSION_MAX_PER_USER,
    // A seat waiting for calls (就绪), ringing, on a call or in wrap-up is at work, never idle.
    isBusy: (user) => {
      const kind = user.seatId ? engine.listSeats().find((seat) => seat.profile.id === user.seatId)?.state.kind : undefined;
      return kind === 'ready' || kind === 'ringing' || kind === 'talking' || kind === 'wrap-up';
    },
    events: signInAudit(audit),
    onSessionsEnded: (hashes, reason, userIds) => {
      sockets?.endSessions(hashes);
      // A seat whose last session ended loses its phone: unregistered, its credentials refused
      // (not when a sign-in replaced it: the new session takes the phone over).
      if (reason === 'replaced') return;
      for (const id of userIds) {
        if (auth.sessionsLeft(id) !== 0) continue;
        const seatId = userRepo.byId(id)?.seatId;
        if (seatId) {
          sipCredentials.revoke(seatId);
          logger.info({ seatId, reason }, 'seat phone ended with its last session');
        }
        // A supervisor's listening phone (监听) ends the same way (nothing happens if it never had one).
        if (sipCredentials.hadListener(id)) {
          sipCredentials.revoke(listenAor(id));
          logger.info({ userId: id, reason }, 'listening phone ended with its last session');
        }
      }
    },
  });
  auth.startSweeping();
  const record = (entry: AuditInput) => void audit.record(entry);
  const accounts = new AccountService(userRepo);
  const scope = new ScopeService(accounts, (seatId) => engine.listSeats().find((s) => s.profile.id === seatId)?.profile.centreId ?? null);
  const users = new UserService({
    db,
    users: accounts,
    audit,
    clock,
    seatExists: (id) => engine.listSeats().some((s) => s.profile.id === id),
    centreExists: (id) => engine.config.centres.some((c) => c.id === id),
    locks: { unlock: (username) => brake.clearAccount(username) },
    maxPasswordAgeMs: config.PASSWORD_MAX_AGE_DAYS * 86_400_000,
    endSessions: (id, reason) => auth.endSessionsOfUser(id, reason),
    endOtherSessions: (id, keep) => auth.endOtherSessionsOfUser(id, keep, 'password-changed'),
    onAccountChanged: (id, leftSeatId) => {
      sockets?.endUserSockets(id);
      if (leftSeatId) sipCredentials.revoke(leftSeatId);
    },
  });
  // One phone per seat: which console's softphone may register; changes go to the seat's consoles.
  const phones = new PhoneOwnershipService({
    clock,
    inCall: (seatId) => engine.getSeat(seatId).state.kind === 'talking',
    onChange: (owner) => sockets?.io.to(ROOMS.seat(owner.seatId)).emit('phone:owner-changed', owner),
  });
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
    phones,
    deps.sipRevocation ?? null,
  );
  const seats = new SeatService(db, engine, seatRepo, record);
  const routingConfig = new RoutingConfigService(db, engine, routingRepo, clock, record, (cfg) =>
    sockets?.io.emit('reference:updated', referenceDataView(cfg)),
  );
  const calls = new CallService(engine, new CallRepository(db, engineStore), clock, scope);
  const seatDay = new SeatDayService(engine, calls, new SeatDayRepository(db), clock);
  // ------------------------------------------------------------------ 12345 hand-overs (outbox)
  let keyRing: KeyRing | null = null;
  const keys = () =>
    (keyRing ??= loadOrCreateKeyRing(
      config.H12345_KEY_FILE ?? path.join(config.DB_PATH === ':memory:' ? 'data' : path.dirname(config.DB_PATH), '12345-keys'),
    ));
  const outboxRepo = new OutboxRepository(db);
  const outbox = new OutboxWorker({
    repo: outboxRepo,
    clock,
    logger,
    endpoint: (stream) => {
      const url = stream === STREAM_12345 ? config.H12345_API_URL : referrals.endpointOf(stream);
      return url ? { baseUrl: url, key: keys().signing } : null;
    },
    transport: fetchTransport(),
    backoff: { baseMs: config.H12345_RETRY_BASE_MS, maxMs: config.H12345_RETRY_MAX_MS },
  });
  const summaryRepo = new SummaryRepository(db);
  const seatInfo = (id: string) => {
    const p = engine.listSeats().find((x) => x.profile.id === id)?.profile;
    if (!p) return null;
    const centre = engine.config.centres.find((c) => c.id === p.centreId);
    return { name: p.name, staffNo: p.staffNo, centreId: p.centreId, centreName: centre?.name ?? p.centreId };
  };
  const referrals = new ReferralService({
    db,
    repo: new ReferralRepository(db),
    outbox: outboxRepo,
    clock,
    seatInfo,
    knownCentre: (id) => engine.config.centres.some((c) => c.id === id),
    kick: () => outbox.kick(),
  });
  const handover = new HandoverService({
    db,
    repo: new HandoverRepository(db),
    outbox: outboxRepo,
    clock,
    logger,
    keys: () => keys().all,
    maxSkewS: config.H12345_MAX_SKEW_S,
    shareCallerNumber: config.H12345_SHARE_CALLER_NUMBER,
    seatInfo,
    categoryName: (id) => engine.config.categories.find((c) => c.id === id)?.name ?? null,
    draftOf: (callId, seatId) => summaryRepo.draft(callId, seatId)?.draft ?? null,
    kick: () => outbox.kick(),
  });
  /** A ticket fetched after its call arrived: the waiting call moves to the specialty it maps to. */
  const routeByTicket = (ticket: string) => {
    const categoryId = handover.specialtyForTicket(ticket);
    if (!categoryId) return;
    for (const call of engine.waitingCalls()) {
      if (call.ticket12345 !== ticket || call.categoryId === categoryId) continue;
      try {
        engine.recategorize(call.id, categoryId);
      } catch (err) {
        logger.warn({ err, callId: call.id, ticket }, 'a call could not move to its 12345 ticket specialty');
      }
    }
  };
  const ticketFetch =
    config.H12345_TICKET_SOURCE === 'fetch'
      ? new TicketFetcher({
          baseUrl: config.H12345_API_URL,
          key: () => keys().signing,
          clock,
          logger,
          onFile: (id) => handover.ticket(id),
          store: (t, event) => handover.storeFetchedTicket(t, event),
          onFetched: (h) => h.ticket && routeByTicket(h.ticket),
          timeoutMs: config.H12345_TICKET_FETCH_TIMEOUT_MS,
        })
      : null;
  const ticketSpecialty = (ticket: string) => {
    const categoryId = handover.specialtyForTicket(ticket);
    if (!categoryId && !handover.ticket(ticket)) ticketFetch?.prefetch(ticket);
    return categoryId;
  };

  const alerts = new AlertService({
    db,
    alerts: new AlertRepository(db),
    calls,
    clock,
    logger,
    onAlert: (alert) =>
      sockets?.notifyStaff(majorAlertView(alert), [alert.homeCentreId, scope.seatCentre(alert.seatId) ?? alert.homeCentreId]),
    scope,
    audit: record,
  });
  // ------------------------------------------------------------------ quality inspection (质检)
  const qc = new QcService({ repo: new QcRepository(db), clock, random: deps.qcRandom, scope, audit: record });
  qc.sync();

  // Reports (统计报表) and the live figures: domain/stats over the facts of the calls in scope.
  const reportRepo = new ReportRepository(db);
  const reports = new ReportService({
    repo: reportRepo,
    engine,
    loadCall: (id) => engineStore.loadCall(id),
    scope,
    clock,
    qcFacts: (from, to) => qc.facts(from, to),
    catchUpAlso: () => qc.sync(),
    // Built below with the 回访 worklist; only read when a report is asked for.
    satisfaction: {
      ratingsByArrival: (from, to) => satisfaction.reportInputs().ratingsByArrival(from, to),
      visitFigures: (from, to, filter) => satisfaction.reportInputs().visitFigures(from, to, filter),
      outboundFacts: (from, to, centres) => satisfaction.reportInputs().outboundFacts(from, to, centres),
      callbackCompletion: (from, to, filter) => satisfaction.reportInputs().callbackCompletion(from, to, filter),
    },
  });
  engine.subscribe(reports.factWriter()); // each call's fact in the commit that ends it
  const exports = new ExportService({ repo: reportRepo, reports, engine, audit: record });
  const trends = new TrendsService({ db, reports, segment, stopWords: STOP_WORDS, clock, audit: record });
  // Reports and exports run in a worker thread on their own read-only connection (not for :memory:).
  const reportOffload = new ReportOffload({
    reports,
    exports,
    trends,
    engine,
    scope,
    clock,
    audit: record,
    dbPath: db.memory ? null : db.name,
  });
  // Filing a summary sends a 12345 ticket's result back and creates an onward referral, in its commit.
  const onFiling = {
    summaryFiled: (callId: string, seatId: string, ticket: string | null, input: CallSummaryInput, caller: string) => {
      return [handover.summaryFiled(callId, seatId, ticket, input), referrals.summaryFiled(callId, seatId, caller, input)];
    },
    afterCommit: ([h, r]: [ReturnType<HandoverService['summaryFiled']>, ReturnType<ReferralService['summaryFiled']>]) => {
      if (h) handover.afterCommit(h);
      if (r) referrals.afterCommit();
    },
  };
  const summaries = new SummaryService({
    db,
    engine,
    calls,
    summaries: summaryRepo,
    alerts,
    clock,
    logger,
    handover: onFiling,
    audit: record,
  });
  summaries.repairFilings();

  const trunk = splitHostPort(config.SIP_TRUNK_ADDR);
  const transferView = createTransferView({
    // The caller's side dials us again at the trunk listener (a wildcard listener: by domain).
    referHost: trunk.host === '0.0.0.0' || trunk.host === '::' ? config.SIP_DOMAIN : config.SIP_TRUNK_ADDR,
    sipDomain: config.SIP_DOMAIN,
    uri12345: config.SIP_12345_URI,
    seats: () => engine.listSeats(),
    now: () => clock.now(),
  });
  const transfers = new TransferService({
    engine,
    repo: new TransferRepository(db),
    clock,
    logger,
    gate: deps.consultGate ?? null,
    db,
    handover,
    // 咨询12345: the seat's phone calls 12345 through Kamailio's outbound route (telephony/outbound-line.ts).
    consult12345: deps.outbound
      ? { line: deps.outbound, uri: config.SIP_12345_URI, callerId: config.OUTBOUND_CALLER_ID, ringS: config.OUTBOUND_RING_S }
      : null,
    onChange: (t) => {
      sockets?.transferChanged(transferView(t));
      survey.transferChanged(t.callId, t.state);
    },
  });

  // The supervisor's live queue and seat wall (features/queue) and actions (features/supervisor).
  const seatCounts = new SeatDayCounts(
    () => clock.now(),
    () => engine.config.utcOffsetMinutes,
  );
  const todayBounds = dayBounds(calls.today(), calls.utcOffsetMinutes);
  // Calls enqueued yesterday may have been answered or missed after midnight.
  if (todayBounds) for (const c of calls.list(todayBounds.from - 86_400_000, todayBounds.to, 100_000)) seatCounts.observe(c);
  for (const c of engine.activeCalls()) seatCounts.observe(c);
  engine.subscribe({ callChanged: (c) => seatCounts.observe(c) });
  const liveQueue: LiveQueue = {
    get config() {
      return engine.config;
    },
    listSeats: () => engine.listSeats(),
    activeCalls: () => engine.activeCalls(),
    seatDay: (id) => seatCounts.counts(id),
    liveAlerts: () => liveAlerts.list(),
  };
  const supervisor = new SupervisorService({
    engine,
    scope,
    clock,
    audit: record,
    deliver: (seatIds, message) => {
      if (seatIds.length > 0) sockets?.io.to(seatIds.map(ROOMS.seat)).emit('supervisor:message-posted', message);
    },
    ender: deps.callControl ?? null,
  });
  const listen = new ListenService({ engine, scope, audit: record, port: deps.listen ?? null });
  deps.listen?.listen((leg) => listen.ended(leg.lid));

  const liveAlerts = new AlertMonitor({
    engine,
    thresholds: new AlertThresholdRepository(db),
    unfiled: () => {
      const today = dayBounds(calls.today(), calls.utcOffsetMinutes);
      return calls.unfiled(null, 500).filter((c) => today !== null && c.enqueuedAt >= today.from);
    },
    clock,
    audit: record,
    onChange: (list) => sockets && pushScoped(sockets, list),
    storageOutage: () => storage.outage?.message ?? null,
  });
  storage.subscribe(() => liveAlerts.evaluate());
  for (const c of engine.activeCalls()) liveAlerts.observe(c);
  engine.subscribe({ callChanged: (c) => liveAlerts.observe(c) });

  // Call recordings (features/recordings): started at the answer, stored after the hang-up.
  const recordingRepo = new RecordingRepository(db);
  const recordingDir = path.resolve(config.RECORDING_DIR);
  const recordings = new RecordingService({
    repo: recordingRepo,
    calls,
    clock,
    logger: logger.child({ part: 'recordings' }),
    audit: record,
    dir: recordingDir,
    offCategories: config.RECORDING_OFF_CATEGORIES,
    media: config.RECORDING === 'on' ? (deps.recordingMedia ?? null) : null,
  });
  engine.subscribe({ callChanged: (c) => recordings.observe(c) });
  recordings.recover();
  const recordingStorage = new RecordingStorage({
    repo: recordingRepo,
    clock,
    logger: logger.child({ part: 'recordings' }),
    audit: record,
    dir: recordingDir,
    retentionDays: config.RECORDING_RETENTION_DAYS,
    alarmDays: config.RECORDING_ALARM_DAYS,
  });
  const retentionTimer = setInterval(() => recordingStorage.sweep(), 3600_000);
  retentionTimer.unref();

  // ------------------------------------------------------------------ satisfaction and 回访
  const ratingRepo = new RatingRepository(db);
  const visitRepo = new VisitRepository(db);
  const visitDialRepo = new VisitDialRepository(db);
  visits = new VisitService({
    db,
    repo: visitRepo,
    ratings: ratingRepo,
    clock,
    logger,
    policy: {
      dissatisfiedDueH: config.VISIT_DISSATISFIED_DUE_H,
      callbackDueH: config.VISIT_CALLBACK_DUE_H,
      ticketCentreId: engine.config.centres.find((c) => c.level === 'city')?.id ?? engine.config.centres[0]!.id,
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
    dials: visitDialRepo,
    clock,
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
  });
  const surveyKeys = loadOrCreateSurveyKeys(config.SURVEY_WEBHOOK_KEYS_FILE);
  const survey = new SurveyService({
    policy: config.SURVEY_POLICY,
    arming: deps.callControl ?? null,
    engine,
    satisfaction,
    clock,
  });
  engine.subscribe({ callChanged: (c) => survey.callChanged(c) });
  const visitDials = deps.outbound
    ? new VisitDialService({
        repo: visitDialRepo,
        visits,
        line: deps.outbound,
        settings: {
          trunkAddr: config.OUTBOUND_TRUNK_ADDR,
          callerId: config.OUTBOUND_CALLER_ID,
          ringS: config.OUTBOUND_RING_S,
          sipDomain: config.SIP_DOMAIN,
        },
        clock,
        logger,
        audit: record,
        seatState: (id) => (engine.listSeats().some((s) => s.profile.id === id) ? engine.getSeat(id).state.kind : null),
      })
    : null;
  if (visitDials) deps.outbound!.listen((ev) => visitDials.onReport(ev));
  const outboundCalls = new OutboundCallService({
    repo: visitDialRepo,
    scope,
    clock,
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
  });

  const knowledge = new KnowledgeService({
    db,
    knowledge: new KnowledgeRepository(db),
    clock,
    categories: () => engine.config.categories,
    audit: record,
  });
  const seededKnowledge = seedKnowledgeIfEmpty(db, clock);
  if (seededKnowledge > 0) logger.info({ entries: seededKnowledge }, 'seeded the knowledge base with its starter set');
  const indexedKnowledge = knowledge.ensureSearchIndex();
  if (indexedKnowledge > 0) logger.info({ entries: indexedKnowledge }, 'indexed the knowledge base for short words and pinyin');

  // ------------------------------------------------------------------ HTTP
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For is believed: nobody's unless TRUST_PROXY names the proxy.
  app.set('trust proxy', config.TRUST_PROXY);
  let ready = false;
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
    if (!ready) return res.status(503).json({ ok: false, error: { code: 'INTERNAL', message: 'starting' } });
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
        sockets?.endSession(token);
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
      onFiled: (summary) => sockets?.io.to(ROOMS.seat(summary.seatId)).emit('summary:filed', summary),
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
    createReferralRouter({ referrals, messagesOf: (id) => outboxRepo.byRef(id), requireUser, now: () => clock.now(), scope }),
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

  // ------------------------------------------------------------------ sockets
  const httpServer = http.createServer(app);
  const queueFanout = new QueueFanoutService(liveQueue);
  sockets = attachSocketServer(httpServer, {
    queueFanout,
    auth,
    engine,
    handlers: gateSocketHandlers(users, [
      ...seatSocketHandlers(seats),
      ...transferSocketHandlers(transfers, transferView),
      ...queueSocketHandlers(liveQueue, clock, scope, queueFanout),
    ]),
    clock,
    logger,
    queue: liveQueue,
    disconnectGraceMs: config.SEAT_DISCONNECT_GRACE_S * 1000,
    publicOrigins: config.PUBLIC_ORIGINS,
    socketsPerUser: config.SOCKETS_PER_USER,
    maxMessageBytes: config.SOCKET_MAX_MESSAGE_BYTES,
  });
  liveAlerts.start();
  ready = true;
  outbox.kick(); // messages a previous process committed but did not deliver
  // A pass that could not record a delivery on a full disk stopped: looked at again once space returns.
  storage.subscribe((outage) => {
    if (!outage) outbox.kick();
  });

  return {
    httpServer,
    engine,
    engineStore,
    transfers,
    handover,
    ticketSpecialty,
    outbox,
    satisfaction,
    survey,
    visits,
    reportOffload,
    storage,
    recordings,
    close: () =>
      new Promise<void>((resolve) => {
        storage.stop();
        outbox.stop();
        sockets?.close();
        callbacks.detach();
        auth.stopSweeping();
        liveAlerts.stop();
        clearInterval(retentionTimer);
        engine.dispose();
        void reportOffload.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      }),
  };
}
