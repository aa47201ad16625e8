import type { CallSummaryInput } from '../contract/index.js';
import { QcRepository } from '../features/qc/qc-repository.js';
import { QcService } from '../features/qc/qc-service.js';
import { ExportService } from '../features/reports/export-service.js';
import { ReportRepository } from '../features/reports/report-repository.js';
import { ReportOffload } from '../features/reports/report-offload.js';
import { ReportService } from '../features/reports/report-service.js';
import { segment, STOP_WORDS } from '../features/reports/segmenter.js';
import { TrendsService } from '../features/reports/trends-service.js';
import { AlertRepository } from '../features/summaries/alert-repository.js';
import { AlertService } from '../features/summaries/alert-service.js';
import { SummaryService } from '../features/summaries/summary-service.js';
import { majorAlertView } from '../features/summaries/summary-views.js';
import { HandoverService } from '../features/handover/handover-service.js';
import { ReferralService } from '../features/handover/referral-service.js';
import type { AppDeps } from '../app.js';
import type { AccountParts } from './accounts.js';
import type { EngineParts } from './engine.js';
import type { HandoverParts } from './handover.js';
import type { LateParts } from './late.js';

/**
 * Summaries and major-matter alerts (features/summaries), quality inspection (features/qc) and the
 * reports, exports and trends (features/reports, run off the event loop by the report worker).
 */
export function buildSummariesAndReports(
  deps: AppDeps,
  late: LateParts,
  { engine, engineStore, scope, record, calls, handover, referrals, summaryRepo }: EngineParts & AccountParts & HandoverParts,
) {
  const { db, clock, logger } = deps;
  const alerts = new AlertService({
    db,
    alerts: new AlertRepository(db),
    calls,
    clock,
    logger,
    onAlert: (alert) =>
      late.sockets?.notifyStaff(majorAlertView(alert), [alert.homeCentreId, scope.seatCentre(alert.seatId) ?? alert.homeCentreId]),
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
    // Built later with the 回访 worklist (satisfaction.ts); only read when a report is asked for.
    satisfaction: {
      ratingsByArrival: (from, to) => late.satisfaction!.reportInputs().ratingsByArrival(from, to),
      visitFigures: (from, to, filter) => late.satisfaction!.reportInputs().visitFigures(from, to, filter),
      outboundFacts: (from, to, centres) => late.satisfaction!.reportInputs().outboundFacts(from, to, centres),
      callbackCompletion: (from, to, filter) => late.satisfaction!.reportInputs().callbackCompletion(from, to, filter),
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

  return { alerts, qc, reports, exports, trends, reportOffload, summaries };
}

export type SummaryReportParts = ReturnType<typeof buildSummariesAndReports>;
