import type { Logger } from 'pino';
import { TicketWebhookSchema, type TicketWebhook } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { readCappedText } from '../shared/capped-body.js';
import type { HandoverRecord } from './handover-repository.js';
import { signedHeaders, type SigningKey } from './signing.js';

/**
 * One signed GET to 12345: status and body text, or a thrown network error / timeout. A redirect
 * is not followed: the signed headers would go to wherever it points; it is reported instead.
 */
export type TicketTransport = (
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<{ status: number; text: string }>;

export const fetchGetTransport: TicketTransport = async (url, headers, timeoutMs) => {
  const res = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const { text, truncated } = await readCappedText(res, MAX_TICKET_BYTES);
  if (truncated) throw new TicketTooLargeError();
  return { status: res.status, text };
};

/** A ticket is a few kB; an answer past this is refused unread. */
const MAX_TICKET_BYTES = 256 * 1024;

class TicketTooLargeError extends Error {
  override name = 'TicketTooLargeError';
}

const TicketSchema = TicketWebhookSchema.shape.ticket;
type Ticket = TicketWebhook['ticket'];

export interface TicketFetcherOptions {
  /** The 12345 API's base URL; a ticket is GET `<base>/tickets/<id>`. */
  baseUrl: string;
  key: () => SigningKey;
  clock: Clock;
  logger: Logger;
  /** The ticket on file (the webhook or an earlier fetch put it there). */
  onFile: (ticketId: string) => HandoverRecord | null;
  /** Stores a fetched ticket exactly as the webhook would (`callback` when 12345 says so). */
  store: (ticket: Ticket, event: 'ticket.transferred' | 'ticket.callback-requested') => HandoverRecord;
  /** After a ticket was stored (e.g. to move a waiting call to the mapped specialty). */
  onFetched?: (h: HandoverRecord) => void;
  transport?: TicketTransport;
  timeoutMs: number;
  /** Tries after the first one, with 200 ms doubling between them. */
  retries?: number;
  /** How long a ticket 12345 does not know (404) is not asked for again. */
  notFoundTtlMs?: number;
}

/** What a fetch gave: the ticket on file, or why not (a zh-CN sentence). */
export type TicketFetchResult = { ok: true; handover: HandoverRecord } | { ok: false; notFound: boolean; message: string };

/**
 * The ticket source `fetch` (H12345_TICKET_SOURCE): when a call carries X-12345-Ticket and 12345
 * has not pushed the ticket by the webhook, the router asks 12345's API for it — signed like
 * every request to 12345, bounded in time, retried a little, one request per ticket at a time —
 * and stores it as the webhook would, so routing, the screen pop and the result going back work
 * the same. A 12345 outage never holds a call: the call is routed by its IVR choice meanwhile.
 */
export class TicketFetcher {
  private readonly inflight = new Map<string, Promise<TicketFetchResult>>();
  private readonly unknownUntil = new Map<string, number>();
  private readonly log: Logger;

  constructor(private readonly o: TicketFetcherOptions) {
    this.log = o.logger.child({ part: 'ticket-fetch' });
  }

  /** The ticket on file, or fetched from 12345 now. */
  get(ticketId: string): Promise<TicketFetchResult> {
    const known = this.o.onFile(ticketId);
    if (known) return Promise.resolve({ ok: true, handover: known });
    const until = this.unknownUntil.get(ticketId);
    if (until !== undefined && until > this.o.clock.now()) {
      return Promise.resolve({ ok: false, notFound: true, message: `12345 平台没有工单 ${ticketId}` });
    }
    let p = this.inflight.get(ticketId);
    if (!p) {
      p = this.fetchOnce(ticketId).finally(() => this.inflight.delete(ticketId));
      this.inflight.set(ticketId, p);
    }
    return p;
  }

  /** Starts a fetch without waiting (a call arriving with a ticket not on file). */
  prefetch(ticketId: string): void {
    void this.get(ticketId);
  }

  private async fetchOnce(ticketId: string): Promise<TicketFetchResult> {
    const url = `${this.o.baseUrl.replace(/\/+$/, '')}/tickets/${encodeURIComponent(ticketId)}`;
    const transport = this.o.transport ?? fetchGetTransport;
    const retries = this.o.retries ?? 2;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
      let res: { status: number; text: string };
      try {
        res = await transport(url, signedHeaders(this.o.key(), this.o.clock.now(), ''), this.o.timeoutMs);
      } catch (err) {
        if (err instanceof TicketTooLargeError) return this.fail(ticketId, `返回内容超过 ${MAX_TICKET_BYTES / 1024} KB,未读取`);
        last = err instanceof Error && err.name === 'TimeoutError' ? `超时(${this.o.timeoutMs} 毫秒)` : '无法连接';
        continue;
      }
      if (res.status === 404) {
        this.unknownUntil.set(ticketId, this.o.clock.now() + (this.o.notFoundTtlMs ?? 30_000));
        return { ok: false, notFound: true, message: `12345 平台没有工单 ${ticketId}` };
      }
      if (res.status >= 500 || res.status === 429) {
        last = `暂不可用(${res.status})`;
        continue;
      }
      if (res.status >= 300 && res.status < 400) {
        return this.fail(ticketId, `对方要求重定向(${res.status}),未跟随;请把 12345 接口地址改为最终地址`);
      }
      if (res.status !== 200) return this.fail(ticketId, `拒绝了请求(${res.status})`);
      const ticket = parseTicket(res.text, ticketId);
      if (typeof ticket === 'string') return this.fail(ticketId, ticket);
      const h = this.o.store(ticket.ticket, ticket.event);
      this.log.info({ ticket: ticketId }, 'ticket fetched from 12345');
      this.o.onFetched?.(h);
      return { ok: true, handover: h };
    }
    return this.fail(ticketId, last);
  }

  private fail(ticketId: string, why: string): TicketFetchResult {
    this.log.warn({ ticket: ticketId, why }, 'ticket fetch from 12345 failed');
    return { ok: false, notFound: false, message: `向 12345 平台获取工单 ${ticketId} 失败:${why}` };
  }
}

/** The API's answer: `{ ticket: {...}, callbackRequested?: boolean }`, the ticket being the one asked for. */
function parseTicket(
  text: string,
  ticketId: string,
): { ticket: Ticket; event: 'ticket.transferred' | 'ticket.callback-requested' } | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return '返回内容不是有效的 JSON';
  }
  const body = json as { ticket?: unknown; callbackRequested?: unknown } | null;
  const parsed = TicketSchema.safeParse(body?.ticket);
  if (!parsed.success) return `工单内容不符合约定:${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(';')}`;
  if (parsed.data.id !== ticketId) return `返回的工单号 ${parsed.data.id} 与请求的 ${ticketId} 不符`;
  return { ticket: parsed.data, event: body?.callbackRequested === true ? 'ticket.callback-requested' : 'ticket.transferred' };
}
