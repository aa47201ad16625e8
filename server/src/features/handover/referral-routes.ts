import express from 'express';
import { z } from 'zod';
import { REFERRAL_KIND_LABELS, ReferralOfficesSchema, ReferralUpdateSchema, type ReferralView } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import { deliveryOf } from './handover-views.js';
import type { OutboxMessage } from './outbox-repository.js';
import type { ReferralRecord } from './referral-repository.js';
import type { ScopeService } from '../users/scope-service.js';
import type { ReferralService } from './referral-service.js';

const ms = z.coerce.number({ message: '必须是毫秒时间戳' }).int().nonnegative().optional();
const RangeSchema = z.object({ from: ms, to: ms });

export function referralView(r: ReferralRecord, overdue: boolean, messages: readonly OutboxMessage[]): ReferralView {
  return {
    id: r.id,
    callId: r.callId,
    seatId: r.seatId,
    centreId: r.centreId,
    kind: r.kind,
    kindLabel: REFERRAL_KIND_LABELS[r.kind],
    officeName: r.officeName,
    channel: r.channel,
    state: r.state,
    outcome: r.outcome,
    dueAt: r.dueAt,
    overdue,
    delivery: r.channel === 'http' ? deliveryOf(messages).delivery : null,
    createdAt: r.createdAt,
  };
}

/** Onward referrals: offices per centre (admin), the list with overdue ones (staff), closing, forms, counts. */
export function createReferralRouter(deps: {
  referrals: ReferralService;
  messagesOf: (id: string) => OutboxMessage[];
  requireUser: RequireUser;
  now: () => number;
  scope?: ScopeService;
}): express.Router {
  const { referrals } = deps;
  const view = (r: ReferralRecord) => referralView(r, referrals.isOverdue(r), deps.messagesOf(r.id));
  const range = (q: unknown) => {
    const p = parseOrThrow(RangeSchema, q);
    const to = p.to ?? deps.now();
    return { from: p.from ?? to - 31 * 24 * 3600_000, to };
  };
  const r = express.Router();
  r.get(
    '/referrals/offices',
    deps.requireUser('config:read'),
    route((_req, res) => ok(res, { offices: referrals.offices() })),
  );
  r.put(
    '/referrals/offices',
    deps.requireUser('config:edit'),
    route((req, res) => ok(res, { offices: referrals.setOffices(parseOrThrow(ReferralOfficesSchema, req.body)) })),
  );
  r.get(
    '/referrals/report',
    deps.requireUser('reports:read'),
    route((req, res) => {
      const { from, to } = range(req.query);
      return ok(res, { from, to, ...referrals.report(from, to) });
    }),
  );
  r.get(
    '/referrals',
    deps.requireUser('queue:monitor'),
    route((req, res) => {
      const { from, to } = range(req.query);
      const centres = deps.scope?.centresOf(userOf(req)) ?? null; // a scoped supervisor: its centres only
      const seen = (x: ReferralRecord) => centres === null || centres.has(x.centreId);
      return ok(res, {
        referrals: referrals.between(from, to).filter(seen).map(view),
        overdue: referrals.overdue().filter(seen).map(view),
      });
    }),
  );
  r.put(
    '/referrals/:id',
    deps.requireUser('alerts:manage'),
    route((req, res) => ok(res, view(referrals.update(String(req.params.id), parseOrThrow(ReferralUpdateSchema, req.body))))),
  );
  r.get(
    '/referrals/:id/form',
    deps.requireUser(),
    route((req, res) => {
      res.type('text/plain; charset=utf-8').send(referrals.form(String(req.params.id)));
    }),
  );
  return r;
}
