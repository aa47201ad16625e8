import express from 'express';
import { SurveyChoiceSchema, type SurveyChoiceView } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { SurveyService } from './survey-service.js';

/** The answering seat's survey choice for its call: GET/PUT /api/calls/:id/survey. */
export function createSurveyRouter(deps: { survey: SurveyService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  const may = deps.requireUser('seat:console');
  r.get(
    '/calls/:id/survey',
    may,
    route((req, res) => ok<SurveyChoiceView>(res, deps.survey.view(userOf(req).seatId, String(req.params.id)))),
  );
  r.put(
    '/calls/:id/survey',
    may,
    route((req, res) => {
      const p = parseOrThrow(SurveyChoiceSchema, req.body ?? {});
      ok<SurveyChoiceView>(res, deps.survey.choose(userOf(req).seatId, String(req.params.id), p.enabled));
    }),
  );
  return r;
}
