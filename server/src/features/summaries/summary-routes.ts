import express from 'express';
import { SummaryDraftSchema, SummaryReadQuerySchema, type CallSummaryView, type DraftSaved } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import { parseSummaryInput } from './summary-input.js';
import type { SummaryService } from './summary-service.js';
import { summaryStateView, summaryView } from './summary-views.js';

/** A call's summary (小结) and the seat's draft of it, under /api/calls/:id/summary. */
export function createSummaryRouter(deps: {
  summaries: SummaryService;
  requireUser: RequireUser;
  /** After a filing or an amendment: tell the seat's other tabs and computers. */
  onFiled?: (summary: CallSummaryView) => void;
}): express.Router {
  const { summaries } = deps;
  const r = express.Router();
  const anyUser = deps.requireUser();

  r.get(
    '/calls/:id/summary',
    anyUser,
    route((req, res) => {
      const { reason = '' } = parseOrThrow(SummaryReadQuerySchema, req.query);
      ok(res, summaryStateView(summaries.state(userOf(req), String(req.params.id), reason)));
    }),
  );

  r.put(
    '/calls/:id/summary/draft',
    anyUser,
    route((req, res) => {
      const savedAt = summaries.saveDraft(userOf(req), String(req.params.id), () => parseOrThrow(SummaryDraftSchema, req.body ?? {}));
      ok<DraftSaved>(res, { savedAt });
    }),
  );

  r.post(
    '/calls/:id/summary',
    anyUser,
    route((req, res) => {
      const filed = summaries.file(userOf(req), String(req.params.id), (now) => parseSummaryInput(req.body, now, summaries.categories()));
      const view = summaryView(filed);
      ok(res, view, 201);
      deps.onFiled?.(view);
    }),
  );

  r.put(
    '/calls/:id/summary',
    anyUser,
    route((req, res) => {
      const filed = summaries.amend(userOf(req), String(req.params.id), (now) => parseSummaryInput(req.body, now, summaries.categories()));
      const view = summaryView(filed);
      ok(res, view);
      deps.onFiled?.(view);
    }),
  );

  return r;
}
