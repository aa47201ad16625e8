import express from 'express';
import {
  PasswordChangeSchema,
  UserCreateSchema,
  UserDisableSchema,
  UserUpdateSchema,
  type DeploymentInfo,
  type DeploymentMode,
  type PasswordResetResult,
  type PasswordStatus,
  type UserAdminView,
} from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { expectVersion, parseOrThrow } from '../shared/validation.js';
import type { UserService } from './users-service.js';
import { userAdminView } from './users-views.js';

function userId(raw: unknown): number {
  const s = String(raw);
  const id = /^[1-9][0-9]{0,9}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(id)) throw new DomainError('NOT_FOUND', `没有编号为 ${s.slice(0, 40)} 的用户`);
  return id;
}

/**
 * GET /api/deployment (anyone: the 演示环境 banner), one's own password (/api/my/password,
 * /api/my/password-status) and the administrators' 用户管理 under /api/users.
 */
export function createUsersRouter(deps: { users: UserService; mode: DeploymentMode; requireUser: RequireUser }): express.Router {
  const { users, requireUser } = deps;
  const r = express.Router();
  const admin = requireUser('users:manage');

  r.get('/deployment', (_req, res) => ok<DeploymentInfo>(res, { mode: deps.mode }));

  r.get(
    '/my/password-status',
    requireUser(),
    route((req, res) => ok<PasswordStatus>(res, users.passwordStatus(userOf(req).id))),
  );

  r.post(
    '/my/password',
    requireUser(),
    route(async (req, res) => {
      const body = parseOrThrow(PasswordChangeSchema, req.body);
      await users.changeOwnPassword(userOf(req), body.currentPassword, body.newPassword, req.sessionTokenHash);
      ok(res, null);
    }),
  );

  r.get(
    '/users',
    admin,
    route((_req, res) => ok<UserAdminView[]>(res, users.list().map(userAdminView))),
  );

  r.post(
    '/users',
    admin,
    route(async (req, res) => {
      const input = parseOrThrow(UserCreateSchema, req.body);
      ok(res, userAdminView(await users.create(userOf(req), input)), 201);
    }),
  );

  r.put(
    '/users/:id',
    admin,
    route((req, res) => {
      const id = userId(req.params.id);
      const input = parseOrThrow(UserUpdateSchema, req.body);
      // Saved with ?version= (the fingerprint of the account as the form loaded it): refused when
      // another administrator changed it since, so neither undoes the other unseen.
      if (req.query.version !== undefined) {
        const u = users.get(id);
        expectVersion(
          req.query.version,
          { displayName: u.displayName, role: u.role, seatId: u.seatId, centres: u.centres },
          `用户 ${u.username} 已被其他管理员修改,您的修改尚未保存;请关闭后重新打开“编辑”再保存`,
        );
      }
      ok(res, userAdminView(users.update(userOf(req), id, input)));
    }),
  );

  r.post(
    '/users/:id/disabled',
    admin,
    route((req, res) => {
      const id = userId(req.params.id);
      ok(res, userAdminView(users.setDisabled(userOf(req), id, parseOrThrow(UserDisableSchema, req.body).disabled)));
    }),
  );

  r.post(
    '/users/:id/password-reset',
    admin,
    route(async (req, res) => {
      const { user, oneTimePassword } = await users.resetPassword(userOf(req), userId(req.params.id));
      res.set('Cache-Control', 'no-store');
      ok<PasswordResetResult>(res, { user: userAdminView(user), oneTimePassword });
    }),
  );

  r.post(
    '/users/:id/unlock',
    admin,
    route((req, res) => ok(res, { cleared: users.unlock(userOf(req), userId(req.params.id)) })),
  );

  return r;
}
