import express from 'express';
import { CategoryMapSchema, HandoverCallbackSchema, HandoverRangeQuerySchema, can } from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import type { SessionUser } from '../auth/auth-service.js';
import { parseOrThrow } from '../shared/validation.js';
import { seatOfUser } from '../auth/auth-service.js';
import type { ScopeService } from '../users/scope-service.js';
import type { HandoverService } from './handover-service.js';
import { handoverView, stuckView, ticketView } from './handover-views.js';
import type { TicketFetchResult } from './ticket-fetch.js';

/** Body limit of the webhook (its own raw parser: the signature covers the exact bytes). */
const WEBHOOK_LIMIT = '64kb';

/**
 * The 12345 webhook (signed, no session: mounted before the JSON parser), and the console's
 * hand-over APIs: a ticket's content for the screen pop, a hand-over's state, call-back
 * requests, the supervisors' list of recent and stuck hand-overs, and the admin's category map.
 */
export function createHandoverWebhookRouter(deps: { handover: HandoverService }): express.Router {
  const r = express.Router();
  r.post(
    '/12345/webhook',
    express.raw({ type: () => true, limit: WEBHOOK_LIMIT }),
    route((req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const h = deps.handover.receiveWebhook(raw, req.headers);
      return ok(res, { ticket: h.ticket, state: h.state });
    }),
  );
  return r;
}

/** Whether `user` may read a 12345 ticket whose hand-over names `answeredBy` and whose calls in progress are `calls`. */
function mayReadTicket(
  user: SessionUser,
  answeredBy: string | null,
  calls: readonly { homeCentreId: string; seatIds: (string | null)[] }[],
  scope: ScopeService | undefined,
): boolean {
  if (user.role === 'seat') {
    const seat = user.seatId;
    return seat !== null && (answeredBy === seat || calls.some((c) => c.seatIds.includes(seat)));
  }
  if (!scope || scope.centresOf(user) === null) return true;
  return calls.some((c) => scope.seesCall(user, c)) || (answeredBy !== null && scope.seesSeat(user, answeredBy));
}

export function createHandoverRouter(deps: {
  handover: HandoverService;
  /** The calls in progress carrying a 12345 ticket: who may read it (their seats, their centres). */
  ticketCalls?: (ticket: string) => { homeCentreId: string; seatIds: (string | null)[] }[];
  /** Ticket source `fetch`: asks 12345's API for a ticket not on file. */
  fetchTicket?: (ticket: string) => Promise<TicketFetchResult>;
  requireUser: RequireUser;
  knownCategory: (id: string) => boolean;
  now: () => number;
  scope?: ScopeService;
}): express.Router {
  const { handover } = deps;
  const r = express.Router();
  /**
   * One hand-over for this user: staff see those of a seat in their centres (an unseated one:
   * unscoped staff only), a seat only its own; anything else is not found, as if it did not exist.
   */
  const view = (req: express.Request, id: string) => {
    const user = userOf(req);
    const h = handover.byId(id);
    const staff = can(user.role, 'calls:read-all');
    const seen = h !== null && (staff ? seenBy(req)(h) : h.seatId !== null && h.seatId === user.seatId);
    if (!h || !seen) throw new DomainError('NOT_FOUND', '没有这次转办记录');
    return handoverView(h, handover.messagesOf(h.id));
  };
  r.get(
    '/handover/tickets/:ticket',
    deps.requireUser(),
    route(async (req, res) => {
      const id = String(req.params.ticket);
      const h = handover.ticket(id);
      // A seat reads the ticket of a call it rings, talks or wraps up (or answered); staff, of a call
      // in their centres; anyone else is told there is none (no hint that it exists).
      if (!mayReadTicket(userOf(req), h?.seatId ?? null, deps.ticketCalls?.(id) ?? [], deps.scope)) {
        throw new DomainError('NOT_FOUND', '没有这张12345工单');
      }
      if (h) return ok(res, ticketView(h));
      if (!deps.fetchTicket) throw new DomainError('NOT_FOUND', '12345 尚未推送该工单的内容');
      const got = await deps.fetchTicket(id);
      if (!got.ok) throw new DomainError(got.notFound ? 'NOT_FOUND' : 'UNAVAILABLE', got.message);
      return ok(res, ticketView(got.handover));
    }),
  );
  r.get(
    '/handovers/:id',
    deps.requireUser(),
    route((req, res) => ok(res, view(req, String(req.params.id)))),
  );
  r.post(
    '/handovers/:id/callback',
    deps.requireUser('seat:console'),
    route((req, res) => {
      const body = parseOrThrow(HandoverCallbackSchema, req.body);
      const h = handover.requestCallback(seatOfUser(userOf(req)), String(req.params.id), body.note);
      return ok(res, view(req, h.id));
    }),
  );
  /** A scoped user sees the hand-overs whose seat belongs to one of its centres (unseated ones: unscoped users only). */
  const seenBy = (req: express.Request) => {
    const user = userOf(req);
    const scoped = deps.scope !== undefined && deps.scope.centresOf(user) !== null;
    return (h: { seatId: string | null }) => !scoped || (h.seatId !== null && deps.scope!.seesSeat(user, h.seatId));
  };
  const range = (q: unknown) => {
    const p = parseOrThrow(HandoverRangeQuerySchema, q);
    // The default period ends just after now, so what was created this millisecond is in it.
    const to = p.to ?? deps.now() + 1;
    const from = p.from ?? to - 24 * 3600_000;
    if (from >= to) throw new DomainError('VALIDATION', '开始时间必须早于结束时间');
    return { from, to };
  };
  r.get(
    '/handovers',
    deps.requireUser('queue:monitor'),
    route((req, res) => {
      const seen = seenBy(req);
      const { from, to } = range(req.query);
      const recent = handover
        .recent(from, to)
        .filter((h) => seen(h))
        .map((h) => handoverView(h, handover.messagesOf(h.id)));
      const stuck = handover.stuck().filter((m) => {
        const h = m.refId === null ? null : handover.byId(m.refId);
        return h === null ? seen({ seatId: null }) : seen(h);
      });
      return ok(res, { handovers: recent, stuck: stuck.map(stuckView) });
    }),
  );
  r.get(
    '/handover/report',
    deps.requireUser('reports:read'),
    route((req, res) => {
      const { from, to } = range(req.query);
      return ok(res, handover.report(from, to, seenBy(req)));
    }),
  );
  r.get(
    '/handover/category-map',
    deps.requireUser('config:read'),
    route((_req, res) => ok(res, handover.categoryMap())),
  );
  r.put(
    '/handover/category-map',
    deps.requireUser('config:edit'),
    route((req, res) => ok(res, handover.setCategoryMap(parseOrThrow(CategoryMapSchema, req.body), deps.knownCategory))),
  );
  return r;
}
