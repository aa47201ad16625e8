import express from 'express';
import type { Logger } from 'pino';
import {
  KnowledgeEntryInputSchema,
  KnowledgeEntryUpdateSchema,
  KnowledgeSearchSchema,
  type KnowledgeSearchResponse,
  type UserView,
} from '../contract/index.js';
import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { KnowledgeRepo } from '../store/knowledge.js';
import type { AuthService } from './auth.js';
import { ValidationError, parseOrThrow } from './errors.js';
import { apiErrorHandler, ok, requireUserWith, route } from './http.js';

export interface KnowledgeRouteDeps {
  knowledge: KnowledgeRepo;
  auth: AuthService;
  clock: Clock;
  logger: Logger;
  /** The categories of the routing configuration in force (they may change at run time). */
  categories: () => readonly { id: string }[];
}

/** Who may create, edit and retire entries; every signed-in user may read and search. */
const EDITOR_ROLES = new Set(['supervisor', 'admin']);

function requireEditor(user: UserView): void {
  if (!EDITOR_ROLES.has(user.role)) throw new DomainError('FORBIDDEN', '只有班长或系统管理员可以新增、修改或停用知识库条目');
}

function entryId(raw: unknown): number {
  const s = String(raw);
  const id = /^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(id)) throw new DomainError('NOT_FOUND', `没有编号为 ${s.slice(0, 40)} 的知识库条目`);
  return id;
}

const notFound = (id: number) => new DomainError('NOT_FOUND', `没有编号为 ${id} 的知识库条目(可能已停用)`);

/**
 * The knowledge base (热线答问标准化知识库) under /api/knowledge: search and read for every
 * signed-in user; create, edit (optimistic concurrency on `version`) and retire for supervisors
 * and admins. Mounted beside the main API router, so it parses its own JSON and maps its own errors.
 */
export function createKnowledgeRouter(deps: KnowledgeRouteDeps): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '256kb' }));
  const signedIn = requireUserWith(deps.auth)();

  const checkCategory = (categoryId: string) => {
    if (!deps.categories().some((c) => c.id === categoryId)) {
      throw new ValidationError({ categoryId: [`未知的类别 ${categoryId}`] });
    }
  };

  r.get(
    '/',
    signedIn,
    route((req, res) => {
      const q = parseOrThrow(KnowledgeSearchSchema, req.query);
      const category = q.category || null;
      const data: KnowledgeSearchResponse = { q: q.q, category, hits: deps.knowledge.search({ q: q.q, category, limit: q.limit }) };
      ok(res, data);
    }),
  );

  r.get(
    '/:id',
    signedIn,
    route((req, res) => {
      const id = entryId(req.params.id);
      const entry = deps.knowledge.get(id);
      if (!entry) throw notFound(id);
      ok(res, entry);
    }),
  );

  r.post(
    '/',
    signedIn,
    route((req, res) => {
      requireEditor(req.user!);
      const input = parseOrThrow(KnowledgeEntryInputSchema, req.body);
      checkCategory(input.categoryId);
      ok(res, deps.knowledge.create(input, req.user!.displayName, deps.clock.now()), 201);
    }),
  );

  r.put(
    '/:id',
    signedIn,
    route((req, res) => {
      requireEditor(req.user!);
      const id = entryId(req.params.id);
      const input = parseOrThrow(KnowledgeEntryUpdateSchema, req.body);
      checkCategory(input.categoryId);
      const result = deps.knowledge.update(id, input, req.user!.displayName, deps.clock.now());
      if (result.ok) return ok(res, result.entry);
      if (result.reason === 'not-found') throw notFound(id);
      throw new DomainError('CONFLICT', '该条目已被他人修改,请刷新后再改');
    }),
  );

  r.delete(
    '/:id',
    signedIn,
    route((req, res) => {
      requireEditor(req.user!);
      const id = entryId(req.params.id);
      if (!deps.knowledge.retire(id, req.user!.displayName, deps.clock.now())) throw notFound(id);
      ok(res, null);
    }),
  );

  r.use(apiErrorHandler(deps.logger));
  return r;
}
