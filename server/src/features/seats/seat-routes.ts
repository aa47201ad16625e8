import express from 'express';
import { SeatProfileTextSchema } from '../../contract/index.js';
import { SeatProfileSchema } from '../../domain/model.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { expectVersion, parseOrThrow, ValidationError } from '../shared/validation.js';
import type { ScopeService } from '../users/scope-service.js';
import type { SeatService } from './seat-service.js';
import { seatView } from './seat-views.js';

/** The profile fields the seat editor edits (its version's fingerprint covers these, not the live state). */
export const profileFields = (p: {
  name: string;
  staffNo: string;
  centreId: string;
  skills: Record<string, number>;
  languages: string[];
}) => ({
  name: p.name,
  staffNo: p.staffNo,
  centreId: p.centreId,
  skills: p.skills,
  languages: p.languages,
});

/** GET /api/seats (staff) and PUT /api/seats/:id (admin). */
export function createSeatRouter(deps: { seats: SeatService; requireUser: RequireUser; scope?: ScopeService }): express.Router {
  const r = express.Router();

  r.get(
    '/seats',
    deps.requireUser('config:read'),
    route((req, res) => {
      const centres = deps.scope?.centresOf(userOf(req)) ?? null;
      ok(
        res,
        deps.seats
          .list()
          .filter((s) => centres === null || centres.has(s.profile.centreId))
          .map(seatView),
      );
    }),
  );

  r.put(
    '/seats/:id',
    deps.requireUser('config:edit'),
    route((req, res) => {
      // A seat id such as __proto__ or constructor would be a key of every plain object.
      if (String(req.params.id) in Object.prototype) throw new ValidationError({ id: ['坐席编号不能使用保留字'] });
      const texts = parseOrThrow(SeatProfileTextSchema, req.body ?? {});
      const profile = parseOrThrow(SeatProfileSchema, { ...req.body, ...texts, id: req.params.id });
      // Saved with ?version= (the fingerprint of the profile the editor loaded): refused when
      // another administrator saved this seat since, so neither undoes the other unseen.
      const current = deps.seats.list().find((s) => s.profile.id === profile.id)?.profile;
      if (current) {
        expectVersion(
          req.query.version,
          profileFields(current),
          `坐席「${current.name}」的资料已被其他管理员修改,您的修改尚未保存(页面上仍保留您填写的内容);请刷新页面载入最新资料后再保存`,
        );
      }
      ok(res, seatView(deps.seats.saveProfile(userOf(req), profile)));
    }),
  );

  return r;
}
