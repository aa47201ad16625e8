import express from 'express';
import { z } from 'zod';
import { LoginRequestSchema } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import type { AuthService } from './auth-service.js';
import { loginLockView } from './auth-views.js';

const IdParams = z.object({ id: z.coerce.number({ error: '记录编号必须是数字' }).int().positive('记录编号必须是正整数') });
/** The username as sign-in takes it (the same hygiene: it goes into the audit log's target). */
const AccountQuery = z.object({
  username: z.string({ error: '请提供用户名' }).pipe(LoginRequestSchema.shape.username),
});

/**
 * Administrators' view of the sign-in brake: GET /api/admin/login-locks lists running locks and
 * recent failures; DELETE /api/admin/login-locks/:id clears one counter, DELETE
 * /api/admin/login-locks?username=… every counter of an account.
 */
export function createLoginLockRouter(deps: { auth: AuthService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/admin/login-locks',
    deps.requireUser('auth:locks'),
    route((_req, res) => ok(res, deps.auth.listLoginLocks().map(loginLockView))),
  );
  r.delete(
    '/admin/login-locks/:id',
    deps.requireUser('auth:locks'),
    route((req, res) => {
      const { id } = parseOrThrow(IdParams, req.params);
      ok(res, { cleared: deps.auth.clearLoginLocks(userOf(req), { id }) });
    }),
  );
  r.delete(
    '/admin/login-locks',
    deps.requireUser('auth:locks'),
    route((req, res) => {
      const { username } = parseOrThrow(AccountQuery, req.query);
      ok(res, { cleared: deps.auth.clearLoginLocks(userOf(req), { username }) });
    }),
  );
  return r;
}
