import express from 'express';
import { z } from 'zod';
import { REFERRAL_KIND_LABELS, ReferralOfficesSchema, ReferralUpdateSchema, can, type ReferralView } from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { parseOrThrow } from '../shared/validation.js';
import { deliveryOf } from './handover-views.js';
import type { OutboxMessage } from './outbox-repository.js';
import type { ReferralRecord } from './referral-repository.js';
import type { AuditInput } from '../audit/audit-service.js';
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
  /** Records who printed the form of a 保密 summary's referral (its content is the summary's). */
  audit?: (entry: AuditInput) => void;
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
      const centres = deps.scope?.centresOf(userOf(req)) ?? null; // a scoped manager: its centres only
      return ok(res, { from, to, ...referrals.report(from, to, (x) => centres === null || centres.has(x.centreId)) });
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
  /**
   * A referral this user may see or act on (404 otherwise, as if it did not exist): staff those of
   * their centres (the referral's centre or its seat's), a seat only its own.
   */
  const inScope = (req: express.Request, id: string): ReferralRecord => {
    const user = userOf(req);
    const x = referrals.byId(id);
    const seen = can(user.role, 'calls:read-all')
      ? !deps.scope || deps.scope.seesCentre(user, x.centreId) || deps.scope.seesSeat(user, x.seatId)
      : x.seatId === user.seatId;
    if (!seen) throw new DomainError('NOT_FOUND', '没有这条转介记录');
    return x;
  };
  r.put(
    '/referrals/:id',
    deps.requireUser('alerts:manage'),
    route((req, res) => {
      const input = parseOrThrow(ReferralUpdateSchema, req.body);
      const x = inScope(req, String(req.params.id));
      return ok(res, view(referrals.update(x.id, input)));
    }),
  );
  r.get(
    '/referrals/:id/form',
    deps.requireUser(),
    route((req, res) => {
      const x = inScope(req, String(req.params.id));
      const user = userOf(req);
      // The caller asked for confidentiality: as with reading the summary, anyone but its seat is recorded.
      if (x.payload.confidential === true && user.seatId !== x.seatId) {
        deps.audit?.({ actor: user, action: 'referral.confidential-form', target: `referral:${x.id}` });
      }
      res.type('text/plain; charset=utf-8').send(referrals.form(x.id));
    }),
  );
  return r;
}
