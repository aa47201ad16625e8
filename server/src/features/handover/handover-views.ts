import type { HandoverDelivery, HandoverView, StuckMessageView, Ticket12345View } from '../../contract/index.js';
import type { HandoverRecord } from './handover-repository.js';
import type { OutboxMessage } from './outbox-repository.js';

/** The worst state among a hand-over's messages: failed > retrying > queued > accepted. */
export function deliveryOf(messages: readonly OutboxMessage[]): { delivery: HandoverDelivery; last: OutboxMessage | null } {
  const rejected = messages.find((m) => m.state === 'rejected');
  if (rejected) return { delivery: 'failed', last: rejected };
  const pending = messages.find((m) => m.state === 'pending');
  if (pending) return { delivery: pending.attempts > 0 ? 'retrying' : 'queued', last: pending };
  return { delivery: 'accepted', last: messages.at(-1) ?? null };
}

export function handoverView(h: HandoverRecord, messages: readonly OutboxMessage[]): HandoverView {
  const { delivery, last } = deliveryOf(messages);
  return {
    id: h.id,
    direction: h.direction,
    callId: h.callId,
    seatId: h.seatId,
    ticket: h.ticket,
    state: h.state,
    detail: h.detail,
    consulted: h.direction === 'to-12345' && h.payload.transferMode === 'consult',
    callbackRequested: h.direction === 'to-12345' && h.payload.callbackRequested === true,
    delivery: h.direction === 'from-12345' && messages.length === 0 ? 'accepted' : delivery,
    attempts: last?.attempts ?? 0,
    lastError: last?.state === 'delivered' ? null : (last?.lastError ?? null),
    nextAttemptAt: last?.state === 'pending' ? last.nextAt : null,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
  };
}

export function ticketView(h: HandoverRecord): Ticket12345View {
  const p = h.payload as { category?: string; categoryId?: string | null; title?: string; content?: string; citizenPhone?: string | null };
  return {
    ticket: h.ticket ?? '',
    category: p.category ?? '',
    categoryId: p.categoryId ?? null,
    title: p.title ?? '',
    content: p.content ?? '',
    citizenPhone: p.citizenPhone ?? null,
    state: h.state,
    receivedAt: h.createdAt,
  };
}

/** A stuck outbox message as supervisors see it. */
export function stuckView(m: OutboxMessage): StuckMessageView {
  return {
    id: m.id,
    kind: m.kind,
    handoverId: m.refId,
    state: m.state,
    attempts: m.attempts,
    lastStatus: m.lastStatus,
    lastError: m.lastError,
    nextAttemptAt: m.state === 'pending' ? m.nextAt : null,
    createdAt: m.createdAt,
  };
}
