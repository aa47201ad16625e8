import express from 'express';
import { AuditQuerySchema, type AuditListResponse } from '../../contract/index.js';
import { ok, route, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import { AUDIT_ACTIONS, type AuditService } from './audit-service.js';
import { auditEntryView } from './audit-views.js';

/** GET /api/audit (administrators): the audit log, newest first, filtered; GET /api/audit/verify checks the chain. */
export function createAuditRouter(deps: { audit: AuditService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/audit',
    deps.requireUser('audit:read'),
    route((req, res) => {
      const q = parseOrThrow(AuditQuerySchema, req.query);
      ok<AuditListResponse>(res, { entries: deps.audit.list(q).map(auditEntryView), actions: AUDIT_ACTIONS });
    }),
  );
  r.get(
    '/audit/verify',
    deps.requireUser('audit:read'),
    route((_req, res) => ok(res, deps.audit.verify())),
  );
  return r;
}
