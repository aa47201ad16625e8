import crypto from 'node:crypto';
import type { Logger } from 'pino';
import {
  DISPOSITION_LABELS,
  TicketWebhookSchema,
  type CallSummaryInput,
  type CategoryMap,
  type HandoverReport,
  type SummaryDraft,
  type TicketWebhook,
} from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { HandoverRecord, HandoverRepository } from './handover-repository.js';
import type { OutboxMessage, OutboxRepository } from './outbox-repository.js';
import { verifySignature, type SigningKey } from './signing.js';

/** The outbox stream (and endpoint) of the 12345 platform. */
export const STREAM_12345 = '12345';

/** What the work order says about the call, gathered by the transfer at the moment of the decision. */
export interface WorkOrderFacts {
  transferId: string;
  /** Unguessable; also the SIP header value the 12345 side sees with the call. */
  handoverId: string;
  callId: string;
  caller: string;
  categoryId: string;
  ticket12345: string | null;
  seatId: string;
  /** blind: 转12345 at once; consult: the seat talks to a 12345 agent first (咨询12345). */
  mode: 'blind' | 'consult';
  reason: string;
}

export interface HandoverServiceOptions {
  db: Db;
  repo: HandoverRepository;
  outbox: OutboxRepository;
  clock: Clock;
  logger: Logger;
  /** Keys accepted on the inbound webhook. */
  keys: () => readonly SigningKey[];
  /** How far an inbound timestamp may be from our clock. */
  maxSkewS: number;
  /** Send the caller's number to 12345 (false: masked). */
  shareCallerNumber: boolean;
  /** Lookups the composition root provides. */
  seatInfo: (seatId: string) => { name: string; staffNo: string; centreId: string; centreName: string } | null;
  categoryName: (categoryId: string) => string | null;
  draftOf: (callId: string, seatId: string) => SummaryDraft | null;
  /** After a commit that wrote outbox rows. */
  kick: () => void;
  onChange?: (h: HandoverRecord) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();
const mask = (n: string) => (n.length > 7 ? `${n.slice(0, 3)}****${n.slice(-4)}` : '****');

/**
 * Hand-overs between 12348 and 12345. Every message to 12345 is an outbox row written in the
 * same transaction as the decision that causes it (the transfer, its outcome, the filed summary);
 * the outbox worker delivers it, signed, with its idempotency key.
 */
export class HandoverService {
  private readonly log: Logger;

  constructor(private readonly o: HandoverServiceOptions) {
    this.log = o.logger.child({ part: 'handover' });
  }

  /** Inside the transfer's transaction: the hand-over and its work order. */
  openForTransfer(f: WorkOrderFacts): HandoverRecord {
    const now = this.o.clock.now();
    const seat = this.o.seatInfo(f.seatId);
    const draft = this.o.draftOf(f.callId, f.seatId) ?? {};
    const categoryId = draft.categoryId ?? f.categoryId;
    const workOrder = {
      workOrderId: f.handoverId,
      createdAt: iso(now),
      source: '12348',
      caller: { number: this.o.shareCallerNumber ? f.caller : mask(f.caller), masked: !this.o.shareCallerNumber },
      category: { id: categoryId, name: this.o.categoryName(categoryId) ?? categoryId },
      question: draft.question ?? '',
      lawyerAnswer: draft.answer ?? '',
      summary: { topic: draft.topic ?? '', question: draft.question ?? '', answer: draft.answer ?? '', referral: draft.referral ?? '' },
      seat: { id: f.seatId, name: seat?.name ?? f.seatId, staffNo: seat?.staffNo ?? '' },
      centre: { id: seat?.centreId ?? '', name: seat?.centreName ?? '' },
      reason: f.reason,
      ticket12345: f.ticket12345,
      callId: f.callId,
      transferMode: f.mode,
      /** The caller asked for 保密 (the summary draft says so): 12345 is told to keep it so too. */
      confidential: draft.confidential === true,
    };
    const h: HandoverRecord = {
      id: f.handoverId,
      direction: 'to-12345',
      callId: f.callId,
      seatId: f.seatId,
      ticket: f.ticket12345,
      transferId: f.transferId,
      state: 'pending',
      detail: f.reason,
      payload: workOrder,
      createdAt: now,
      updatedAt: now,
    };
    this.o.repo.insert(h);
    this.o.outbox.enqueue(
      { stream: STREAM_12345, kind: 'work-order', path: '/work-orders', idempotencyKey: `${h.id}:order`, body: workOrder, refId: h.id },
      now,
    );
    return h;
  }

  /** Inside the transaction that records how the transfer ended: the work order's transfer result. */
  transferSettled(transferId: string, connected: boolean, detail: string): HandoverRecord | null {
    const h = this.o.repo.byTransfer(transferId);
    if (!h || h.state !== 'pending') return null;
    const now = this.o.clock.now();
    h.state = connected ? 'connected' : 'not-connected';
    h.detail = connected ? '来电人已转入12345' : detail || '转接未成功';
    h.updatedAt = now;
    this.o.repo.update(h);
    this.o.outbox.enqueue(
      {
        stream: STREAM_12345,
        kind: 'transfer-result',
        path: `/work-orders/${h.id}/transfer-result`,
        idempotencyKey: `${h.id}:transfer-result`,
        body: {
          workOrderId: h.id,
          connected,
          reason: connected ? null : h.detail,
          consulted: h.payload.transferMode === 'consult',
          at: iso(now),
        },
        refId: h.id,
      },
      now,
    );
    return h;
  }

  /** 预约12345回电: the seat asks 12345 to call the citizen back (a transfer that did not connect). */
  requestCallback(seatId: string, handoverId: string, note: string): HandoverRecord {
    const h = this.o.repo.byId(handoverId);
    if (!h || h.direction !== 'to-12345' || h.seatId !== seatId) throw new DomainError('NOT_FOUND', '没有这次转12345记录');
    if (h.state === 'connected') throw new DomainError('CONFLICT', '来电人已接通12345,无需预约回电');
    if (h.state === 'pending') throw new DomainError('CONFLICT', '转接还没有结果,请等转接结束后再预约12345回电');
    // Booked once: asking again (a second click, a reloaded page) changes nothing and sends nothing.
    if (h.payload.callbackRequested === true) return h;
    const now = this.o.clock.now();
    immediateTransaction(this.o.db, () => {
      h.payload = { ...h.payload, callbackRequested: true };
      h.detail = `${h.detail};已预约12345回电`;
      h.updatedAt = now;
      this.o.repo.update(h);
      this.o.outbox.enqueue(
        {
          stream: STREAM_12345,
          kind: 'callback-request',
          path: `/work-orders/${h.id}/callback-request`,
          idempotencyKey: `${h.id}:callback`,
          body: { workOrderId: h.id, note, at: iso(now) },
          refId: h.id,
        },
        now,
      );
    });
    this.afterCommit(h);
    return h;
  }

  /**
   * The signed webhook from 12345. Refuses (with a sentence) a missing or wrong signature, an
   * unknown key, a stale timestamp and a delivery id seen before; stores the ticket's content.
   */
  receiveWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>): HandoverRecord {
    const now = this.o.clock.now();
    const v = verifySignature(this.o.keys(), headers, rawBody, now, this.o.maxSkewS);
    if (!v.ok) {
      this.log.warn({ reason: v.reason }, 'webhook from 12345 refused');
      throw new DomainError('UNAUTHENTICATED', `签名校验失败:${v.message}`);
    }
    let body: TicketWebhook;
    try {
      const parsed = TicketWebhookSchema.safeParse(JSON.parse(rawBody));
      if (!parsed.success)
        throw new DomainError(
          'VALIDATION',
          `工单内容不符合约定:${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(';')}`,
        );
      body = parsed.data;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new DomainError('VALIDATION', '请求体不是有效的 JSON');
    }
    const h = immediateTransaction(this.o.db, () => {
      if (!this.o.repo.takeReceipt(body.deliveryId, now)) {
        throw new DomainError('CONFLICT', `重复投递:deliveryId ${body.deliveryId} 已处理过(重放被拒绝)`);
      }
      return this.upsertTicket(body.ticket, body.event, now);
    });
    this.log.info({ ticket: h.ticket, event: body.event }, 'ticket from 12345 received');
    this.o.onChange?.(h);
    return h;
  }

  /** A ticket fetched from 12345's API (ticket source `fetch`), stored as the webhook would. */
  storeFetchedTicket(t: TicketWebhook['ticket'], event: TicketWebhook['event']): HandoverRecord {
    const h = immediateTransaction(this.o.db, () => this.upsertTicket(t, event, this.o.clock.now()));
    this.o.onChange?.(h);
    return h;
  }

  /** Inside a transaction: the ticket's content on file, new or refreshed. */
  private upsertTicket(t: TicketWebhook['ticket'], event: TicketWebhook['event'], now: number): HandoverRecord {
    const existing = this.o.repo.inboundByTicket(t.id);
    const payload = { ...t, categoryId: this.o.repo.mapCategory(t.category) };
    const state = event === 'ticket.callback-requested' ? 'callback-requested' : 'received';
    if (existing) {
      existing.payload = payload;
      if (existing.state === 'received' || existing.state === 'callback-requested') existing.state = state;
      existing.updatedAt = now;
      this.o.repo.update(existing);
      return existing;
    }
    const rec: HandoverRecord = {
      id: `tk-${crypto.randomBytes(8).toString('hex')}`,
      direction: 'from-12345',
      callId: null,
      seatId: null,
      ticket: t.id,
      transferId: null,
      state,
      detail: '',
      payload,
      createdAt: now,
      updatedAt: now,
    };
    this.o.repo.insert(rec);
    return rec;
  }

  /** The ticket's content for the screen pop (null when 12345 has not sent it). */
  ticket(ticket: string): HandoverRecord | null {
    return this.o.repo.inboundByTicket(ticket);
  }

  /** The 12348 specialty a 12345 ticket's category maps to, for routing a call that carries it. */
  specialtyForTicket(ticket: string): string | null {
    const h = this.o.repo.inboundByTicket(ticket);
    const category = h?.payload.category;
    return typeof category === 'string' ? this.o.repo.mapCategory(category) : null;
  }

  /**
   * Inside the summary's commit: a call that came from 12345 with a ticket sends the result back,
   * closed with the disposition, or returned (退回) when the seat sends it back to 12345.
   */
  summaryFiled(callId: string, seatId: string, ticket: string | null, s: CallSummaryInput): HandoverRecord | null {
    if (!ticket) return null;
    // Sent on to another seat (the transferred call carries the ticket): that seat's summary answers 12345.
    if (s.disposition === 'to-other-seat') return null;
    const h = this.o.repo.inboundByTicket(ticket);
    if (!h || h.state === 'closed' || h.state === 'returned') return null;
    const now = this.o.clock.now();
    const returned = s.disposition === 'to-12345' || s.disposition === 'invalid';
    h.state = returned ? 'returned' : 'closed';
    h.detail = returned ? s.referral || s.answer || '非法律事项,退回12345' : DISPOSITION_LABELS[s.disposition];
    h.callId = callId;
    h.seatId = seatId;
    h.updatedAt = now;
    this.o.repo.update(h);
    const seat = this.o.seatInfo(seatId);
    this.o.outbox.enqueue(
      {
        stream: STREAM_12345,
        kind: 'ticket-result',
        path: `/tickets/${encodeURIComponent(ticket)}/result`,
        idempotencyKey: `${h.id}:result`,
        body: {
          ticket,
          result: returned ? 'returned' : 'closed',
          disposition: s.disposition,
          dispositionLabel: DISPOSITION_LABELS[s.disposition],
          reason: returned ? h.detail : null,
          answer: s.answer,
          seat: { id: seatId, name: seat?.name ?? seatId },
          callId,
          at: iso(now),
        },
        refId: h.id,
      },
      now,
    );
    return h;
  }

  /** After the commit that called openForTransfer / transferSettled / summaryFiled. */
  afterCommit(h: HandoverRecord | null): void {
    this.o.kick();
    if (h) this.o.onChange?.(h);
  }

  /** The period's hand-overs for a list: the newest 5000 created in [from, to). */
  recent(from: number, to: number): HandoverRecord[] {
    return this.o.repo.between(from, to);
  }

  byId(id: string): HandoverRecord | null {
    return this.o.repo.byId(id);
  }

  messagesOf(id: string): OutboxMessage[] {
    return this.o.outbox.byRef(id);
  }

  /** Messages pending after 5 tries or for more than 10 minutes, and those 12345 refused. */
  stuck(): OutboxMessage[] {
    return this.o.outbox.stuck(5, this.o.clock.now() - 10 * 60_000);
  }

  /**
   * Reports: hand-overs each way created in [from, to) by state, and their messages' delivery
   * (delivered, still pending, refused; delay from commit to acknowledgement; failures by cause).
   */
  /** Hand-overs created in [from, to) that `seen` admits (a scoped user's centres). */
  report(from: number, to: number, seen: (h: HandoverRecord) => boolean = () => true): HandoverReport {
    // Every hand-over of the period is counted (a list may stop at its newest 5000; a report may not).
    const handovers = this.o.repo.between(from, to, Number.MAX_SAFE_INTEGER).filter(seen);
    const count = (dir: HandoverRecord['direction']) => {
      const byState: Record<string, number> = {};
      for (const h of handovers) if (h.direction === dir) byState[h.state] = (byState[h.state] ?? 0) + 1;
      return { total: handovers.filter((h) => h.direction === dir).length, byState };
    };
    const messages = handovers.flatMap((h) => this.o.outbox.byRef(h.id));
    const delays = messages.filter((m) => m.deliveredAt !== null).map((m) => m.deliveredAt! - m.createdAt);
    delays.sort((a, b) => a - b);
    const causes: Record<string, number> = {};
    for (const m of messages) {
      if (m.state === 'delivered' || !m.lastError) continue;
      const cause = m.state === 'rejected' ? `拒收 ${m.lastStatus ?? ''}`.trim() : m.lastStatus ? `暂不可用 ${m.lastStatus}` : '无法送达';
      causes[cause] = (causes[cause] ?? 0) + 1;
    }
    return {
      from,
      to,
      to12345: count('to-12345'),
      from12345: count('from-12345'),
      messages: {
        total: messages.length,
        delivered: messages.filter((m) => m.state === 'delivered').length,
        pending: messages.filter((m) => m.state === 'pending').length,
        rejected: messages.filter((m) => m.state === 'rejected').length,
        retried: messages.filter((m) => m.attempts > 1 || (m.state === 'pending' && m.attempts > 0)).length,
        delayMs: {
          median: delays.length ? delays[Math.floor((delays.length - 1) / 2)]! : null,
          max: delays.length ? delays.at(-1)! : null,
        },
        failuresByCause: causes,
      },
    };
  }

  categoryMap(): CategoryMap {
    return { entries: this.o.repo.categoryMap() };
  }

  setCategoryMap(map: CategoryMap, knownCategory: (id: string) => boolean): CategoryMap {
    for (const e of map.entries) {
      if (!knownCategory(e.categoryId)) throw new DomainError('VALIDATION', `专席类别「${e.categoryId}」不存在`);
    }
    const seen = new Set<string>();
    for (const e of map.entries) {
      if (seen.has(e.category)) throw new DomainError('VALIDATION', `12345 类别「${e.category}」重复`);
      seen.add(e.category);
    }
    immediateTransaction(this.o.db, () => this.o.repo.replaceCategoryMap(map.entries, this.o.clock.now()));
    return this.categoryMap();
  }
}
