import { RatingRepository } from '../features/satisfaction/rating-repository.js';
import { SatisfactionService } from '../features/satisfaction/satisfaction-service.js';
import { SurveyService } from '../features/satisfaction/survey-service.js';
import { VisitRepository } from '../features/satisfaction/visit-repository.js';
import { VisitService } from '../features/satisfaction/visit-service.js';
import { VisitDialRepository } from '../features/satisfaction/visit-dial-repository.js';
import { VisitDialService } from '../features/satisfaction/visit-dial-service.js';
import { OutboundCallService } from '../features/satisfaction/outbound-call-service.js';
import { loadOrCreateSurveyKeys } from '../features/satisfaction/webhook-signing.js';
import type { AppDeps } from '../app.js';
import type { AccountParts } from './accounts.js';
import type { EngineParts } from './engine.js';
import type { LateParts } from './late.js';

/**
 * Satisfaction (features/satisfaction): ratings, the 回访 worklist, the post-call survey, click-to-call
 * visits and outbound call records. The services built earlier reach them through `late`.
 */
export function buildSatisfaction(deps: AppDeps, late: LateParts, { engine, scope, record }: EngineParts & AccountParts) {
  const { config, db, clock, logger } = deps;
  const ratingRepo = new RatingRepository(db);
  const visitRepo = new VisitRepository(db);
  const visitDialRepo = new VisitDialRepository(db);
  const visits = new VisitService({
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
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
  });
  late.visits = visits;
  visits.sync();
  const satisfaction = new SatisfactionService({
    db,
    ratings: ratingRepo,
    visits,
    visitRepo,
    dials: visitDialRepo,
    clock,
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
    seatCentre: (id) => scope.seatCentre(id),
  });
  late.satisfaction = satisfaction;
  const surveyKeys = loadOrCreateSurveyKeys(config.SURVEY_WEBHOOK_KEYS_FILE);
  const survey = new SurveyService({
    policy: config.SURVEY_POLICY,
    arming: deps.callControl ?? null,
    engine,
    satisfaction,
    clock,
  });
  late.survey = survey;
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

  return { visits, satisfaction, surveyKeys, survey, visitDials, outboundCalls };
}

export type SatisfactionParts = ReturnType<typeof buildSatisfaction>;
