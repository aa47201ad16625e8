import path from 'node:path';
import { SummaryRepository } from '../features/summaries/summary-repository.js';
import { HandoverRepository } from '../features/handover/handover-repository.js';
import { HandoverService, STREAM_12345 } from '../features/handover/handover-service.js';
import { OutboxRepository } from '../features/handover/outbox-repository.js';
import { fetchTransport, OutboxWorker } from '../features/handover/outbox-worker.js';
import { ReferralRepository } from '../features/handover/referral-repository.js';
import { ReferralService } from '../features/handover/referral-service.js';
import { loadOrCreateKeyRing, type KeyRing } from '../features/handover/signing.js';
import { TicketFetcher } from '../features/handover/ticket-fetch.js';
import type { AppDeps } from '../app.js';
import type { EngineParts } from './engine.js';

/**
 * 12345 hand-overs and onward referrals (features/handover): the signing keys, the outbox and its
 * worker, tickets fetched from 12345 and the specialty a ticket routes to.
 */
export function buildHandover(deps: AppDeps, { engine }: EngineParts) {
  const { config, db, clock, logger } = deps;
  let keyRing: KeyRing | null = null;
  const keys = () =>
    (keyRing ??= loadOrCreateKeyRing(
      config.H12345_KEY_FILE ?? path.join(config.DB_PATH === ':memory:' ? 'data' : path.dirname(config.DB_PATH), '12345-keys'),
    ));
  const outboxRepo = new OutboxRepository(db);
  const outbox = new OutboxWorker({
    repo: outboxRepo,
    clock,
    logger,
    endpoint: (stream) => {
      const url = stream === STREAM_12345 ? config.H12345_API_URL : referrals.endpointOf(stream);
      return url ? { baseUrl: url, key: keys().signing } : null;
    },
    transport: fetchTransport(),
    backoff: { baseMs: config.H12345_RETRY_BASE_MS, maxMs: config.H12345_RETRY_MAX_MS },
  });
  const summaryRepo = new SummaryRepository(db);
  const seatInfo = (id: string) => {
    const p = engine.listSeats().find((x) => x.profile.id === id)?.profile;
    if (!p) return null;
    const centre = engine.config.centres.find((c) => c.id === p.centreId);
    return { name: p.name, staffNo: p.staffNo, centreId: p.centreId, centreName: centre?.name ?? p.centreId };
  };
  const referrals = new ReferralService({
    db,
    repo: new ReferralRepository(db),
    outbox: outboxRepo,
    clock,
    seatInfo,
    knownCentre: (id) => engine.config.centres.some((c) => c.id === id),
    kick: () => outbox.kick(),
    utcOffsetMinutes: () => engine.config.utcOffsetMinutes,
  });
  const handover = new HandoverService({
    db,
    repo: new HandoverRepository(db),
    outbox: outboxRepo,
    clock,
    logger,
    keys: () => keys().all,
    maxSkewS: config.H12345_MAX_SKEW_S,
    shareCallerNumber: config.H12345_SHARE_CALLER_NUMBER,
    seatInfo,
    categoryName: (id) => engine.config.categories.find((c) => c.id === id)?.name ?? null,
    draftOf: (callId, seatId) => summaryRepo.draft(callId, seatId)?.draft ?? null,
    kick: () => outbox.kick(),
    // A ticket pushed by webhook while its call already waits: the call moves as a fetched one does.
    onChange: (h) => {
      if (h.direction === 'from-12345' && h.ticket) routeByTicket(h.ticket);
    },
  });
  /** A ticket that came after its call: the waiting call moves to the specialty it maps to. */
  const routeByTicket = (ticket: string) => {
    const categoryId = handover.specialtyForTicket(ticket);
    if (!categoryId) return;
    for (const call of engine.waitingCalls()) {
      if (call.ticket12345 !== ticket || call.categoryId === categoryId) continue;
      try {
        engine.recategorize(call.id, categoryId);
      } catch (err) {
        logger.warn({ err, callId: call.id, ticket }, 'a call could not move to its 12345 ticket specialty');
      }
    }
  };
  const ticketFetch =
    config.H12345_TICKET_SOURCE === 'fetch'
      ? new TicketFetcher({
          baseUrl: config.H12345_API_URL,
          key: () => keys().signing,
          clock,
          logger,
          onFile: (id) => handover.ticket(id),
          store: (t, event) => handover.storeFetchedTicket(t, event),
          onFetched: (h) => h.ticket && routeByTicket(h.ticket),
          timeoutMs: config.H12345_TICKET_FETCH_TIMEOUT_MS,
        })
      : null;
  const ticketSpecialty = (ticket: string) => {
    const categoryId = handover.specialtyForTicket(ticket);
    if (!categoryId && !handover.ticket(ticket)) ticketFetch?.prefetch(ticket);
    return categoryId;
  };

  return { outboxRepo, outbox, summaryRepo, seatInfo, referrals, handover, ticketFetch, ticketSpecialty };
}

export type HandoverParts = ReturnType<typeof buildHandover>;
