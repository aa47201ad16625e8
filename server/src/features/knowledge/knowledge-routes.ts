import express from 'express';
import { KnowledgeEntryInputSchema, KnowledgeEntryUpdateSchema, KnowledgeSearchSchema } from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { KnowledgeService } from './knowledge-service.js';
import { knowledgeEntryView, knowledgeSearchView } from './knowledge-views.js';

function entryId(raw: unknown): number {
  const s = String(raw);
  const id = /^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(id)) throw new DomainError('NOT_FOUND', `没有编号为 ${s.slice(0, 40)} 的知识库条目`);
  return id;
}

/**
 * The knowledge base under /api/knowledge: search and read for every signed-in user; create,
 * edit (optimistic concurrency on `version`) and retire with the knowledge:edit permission.
 */
export function createKnowledgeRouter(deps: { knowledge: KnowledgeService; requireUser: RequireUser }): express.Router {
  const { knowledge } = deps;
  const r = express.Router();
  const signedIn = deps.requireUser();
  const editor = deps.requireUser('knowledge:edit');

  r.get(
    '/',
    signedIn,
    route((req, res) => {
      const q = parseOrThrow(KnowledgeSearchSchema, req.query);
      const category = q.category || null;
      ok(res, knowledgeSearchView(q.q, category, knowledge.search(q.q, category, q.limit)));
    }),
  );

  r.get(
    '/:id',
    signedIn,
    route((req, res) => ok(res, knowledgeEntryView(knowledge.get(entryId(req.params.id))))),
  );

  r.post(
    '/',
    editor,
    route((req, res) => {
      const input = parseOrThrow(KnowledgeEntryInputSchema, req.body);
      ok(res, knowledgeEntryView(knowledge.create(userOf(req), input)), 201);
    }),
  );

  r.put(
    '/:id',
    editor,
    route((req, res) => {
      const id = entryId(req.params.id);
      const input = parseOrThrow(KnowledgeEntryUpdateSchema, req.body);
      ok(res, knowledgeEntryView(knowledge.update(userOf(req), id, input)));
    }),
  );

  r.delete(
    '/:id',
    editor,
    route((req, res) => {
      knowledge.retire(userOf(req), entryId(req.params.id));
      ok(res, null);
    }),
  );

  return r;
}
