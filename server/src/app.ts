import http from 'node:http';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import type { Clock } from './domain/clock.js';
import type { Acd, TelephonyPort } from './domain/engine.js';
import type { SipRevocationGate } from './features/auth/sip-credentials-service.js';
import type { HandoverService } from './features/handover/handover-service.js';
import type { OutboxWorker } from './features/handover/outbox-worker.js';
import type { RecordingMedia, RecordingService } from './features/recordings/recording-service.js';
import type { ReportOffload } from './features/reports/report-offload.js';
import type { SatisfactionService } from './features/satisfaction/satisfaction-service.js';
import type { SurveyArming, SurveyService } from './features/satisfaction/survey-service.js';
import type { OutboundPort } from './features/satisfaction/visit-dial-service.js';
import type { VisitService } from './features/satisfaction/visit-service.js';
import type { CallEnder } from './features/supervisor/supervisor-service.js';
import type { ListenLegInfo, ListenPort } from './features/supervisor/listen-service.js';
import type { ListenEndReason } from './contract/index.js';
import type { ConsultGate, TransferService } from './features/transfers/transfer-service.js';
import type { Db } from './store/db.js';
import type { SqliteEngineStore } from './store/engine-store.js';
import type { StorageGuard } from './store/storage-guard.js';
import { buildAccounts } from './composition/accounts.js';
import { buildEngine } from './composition/engine.js';
import { buildHandover } from './composition/handover.js';
import { createHttpApp } from './composition/http.js';
import { buildKnowledge } from './composition/knowledge.js';
import type { LateParts } from './composition/late.js';
import { buildLive } from './composition/live.js';
import { buildSatisfaction } from './composition/satisfaction.js';
import { attachSockets } from './composition/sockets.js';
import { buildSummariesAndReports } from './composition/summaries-reports.js';

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
  listen?: (ListenPort & { listen(f: (leg: ListenLegInfo, why: ListenEndReason) => void): void }) | null;
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

/**
 * The composition root: wires repositories → services → routes and socket handlers, around the
 * engine. It never listens; main.ts (or a test, on port 0) calls httpServer.listen.
 *
 * The wiring is in server/src/composition/, one builder per area, called here in the order the
 * parts depend on each other (and in which their start-up work runs: the restore, the repairs, the
 * catch-ups). A service that calls back into a part built after it (the socket layer, the 回访
 * worklist, the survey) reaches it through `late`, filled in as those parts are built.
 */
export function createApp(deps: AppDeps): App {
  const late: LateParts = { sockets: null, visits: null, satisfaction: null, survey: null };
  const engineParts = buildEngine(deps, late);
  const accountParts = buildAccounts(deps, late, engineParts);
  const base = { ...engineParts, ...accountParts };
  const handoverParts = buildHandover(deps, base);
  const withHandover = { ...base, ...handoverParts };
  const recordParts = buildSummariesAndReports(deps, late, withHandover);
  const liveParts = buildLive(deps, late, withHandover);
  const satisfactionParts = buildSatisfaction(deps, late, base);
  const knowledgeParts = buildKnowledge(deps, base);
  const parts = { ...withHandover, ...recordParts, ...liveParts, ...satisfactionParts, ...knowledgeParts };

  let ready = false;
  const httpServer = http.createServer(createHttpApp(deps, late, parts, () => ready));
  const sockets = attachSockets(httpServer, deps, parts);
  late.sockets = sockets;

  const { engine, engineStore, storage, callbacks, auth, handover, ticketSpecialty, outbox, reportOffload } = parts;
  const { liveAlerts, recordings, retentionTimer, transfers, satisfaction, survey, visits } = parts;
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
        sockets.close();
        callbacks.detach();
        auth.stopSweeping();
        liveAlerts.stop();
        transfers.stop();
        clearInterval(retentionTimer);
        engine.dispose();
        void reportOffload.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections?.();
      }),
  };
}
