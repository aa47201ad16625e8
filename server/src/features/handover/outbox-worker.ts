import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import type { OutboxMessage, OutboxRepository } from './outbox-repository.js';
import { readCappedText } from '../shared/capped-body.js';
import { IDEMPOTENCY_HEADER, signedHeaders, type SigningKey } from './signing.js';

/** Where a stream's messages go and which key signs them. */
export interface OutboxEndpoint {
  baseUrl: string;
  key: SigningKey;
}

/** One HTTP POST; resolves with the status (any), rejects on a network error or timeout. */
export type OutboxTransport = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number; text: string }>;

export interface BackoffPolicy {
  /** Delay after the first failure; doubled after each further failure. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 5 * 60_000 };

/** The delay before the next try after `failures` failed tries (1, 2, …): exponential, capped. */
export function backoffMs(failures: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/**
 * How the far side's answer is read: delivered, try again later, or refused for good. A redirect
 * is never followed (a POST turned into a GET would read as delivered while nothing arrived):
 * it is an endpoint to correct, so the message waits, tried again, among the stuck ones.
 */
export function outcomeOf(status: number): 'delivered' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500 || (status >= 300 && status < 400)) return 'retry';
  return 'rejected';
}

/** The sentence for a try that will be made again. */
const retryError = (status: number | null, error: string) =>
  status === null
    ? error
    : status >= 300 && status < 400
      ? `对方要求重定向(${status}):${error},请把接收地址改为最终地址`
      : `对方暂不可用(${status}):${error}`;

export interface OutboxWorkerOptions {
  repo: OutboxRepository;
  clock: Clock;
  logger: Logger;
  endpoint: (stream: string) => OutboxEndpoint | null;
  transport: OutboxTransport;
  backoff?: BackoffPolicy;
  /** Told after a message was delivered, rejected or failed a try. */
  onAttempt?: (m: OutboxMessage) => void;
}

/**
 * Delivers the outbox: at least once, and in order within a stream (the head of a stream blocks
 * the messages behind it until it is delivered or rejected). The receiver deduplicates by the
 * Idempotency-Key, so a message sent again after a crash between the POST and the commit of
 * its "delivered" mark is acknowledged once. Network errors, timeouts, 408/425/429 and 5xx are
 * tried again after an exponential back-off; any other 4xx rejects the message for good
 * (supervisors see it among the stuck ones); 2xx delivers it.
 */
export class OutboxWorker {
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private pass: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.log = o.logger.child({ part: 'outbox' });
  }

  /** Look at the outbox soon (after a commit that added a message, or at start). */
  kick(): void {
    this.schedule(this.o.clock.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One pass: delivers every due stream head, repeatedly, until nothing is due; then waits. */
  runOnce(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = this.loop().finally(() => (this.pass = null));
    return this.pass;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        const now = this.o.clock.now();
        const due = this.o.repo.heads().filter((m) => m.nextAt <= now);
        if (due.length > 0) {
          await Promise.all(due.map((m) => this.deliver(m)));
          this.again = true;
        }
      } while (this.again && !this.stopped);
    } finally {
      this.pass = null;
    }
    const next = Math.min(...this.o.repo.heads().map((m) => m.nextAt));
    if (Number.isFinite(next)) this.schedule(next);
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      void this.runOnce().catch((err: unknown) => this.log.error({ err }, 'outbox pass failed'));
    }, at - this.o.clock.now());
  }

  private async deliver(m: OutboxMessage): Promise<void> {
    const { repo, clock } = this.o;
    const endpoint = this.o.endpoint(m.stream);
    if (!endpoint) {
      repo.markRetry(m.id, null, `未配置「${m.stream}」的接收地址`, clock.now() + backoffMs(m.attempts + 1, this.policy()), clock.now());
      return this.told(m.id);
    }
    const body = JSON.stringify(m.body);
    const headers = {
      'content-type': 'application/json',
      [IDEMPOTENCY_HEADER]: m.idempotencyKey,
      ...signedHeaders(endpoint.key, clock.now(), body),
    };
    let status: number | null = null;
    let error: string;
    try {
      const res = await this.o.transport(endpoint.baseUrl.replace(/\/$/, '') + m.path, headers, body);
      status = res.status;
      error = res.text.slice(0, 300);
    } catch (err) {
      error = `无法送达:${(err as Error).message}`;
    }
    const now = clock.now();
    const outcome = status === null ? 'retry' : outcomeOf(status);
    if (outcome === 'delivered') {
      repo.markDelivered(m.id, status!, now);
      this.log.info({ id: m.id, kind: m.kind, key: m.idempotencyKey, attempts: m.attempts + 1 }, 'outbox message delivered');
    } else if (outcome === 'rejected') {
      repo.markRejected(m.id, status, `对方拒收(${status}):${error}`, now);
      this.log.warn({ id: m.id, kind: m.kind, status, error }, 'outbox message rejected by the receiver');
    } else {
      const wait = backoffMs(m.attempts + 1, this.policy());
      repo.markRetry(m.id, status, retryError(status, error), now + wait, now);
      this.log.warn({ id: m.id, kind: m.kind, status, error, retryInMs: wait }, 'outbox delivery failed: will retry');
    }
    this.told(m.id);
  }

  private told(id: number): void {
    const m = this.o.repo.byId(id);
    if (m) this.o.onAttempt?.(m);
  }

  private policy(): BackoffPolicy {
    return this.o.backoff ?? DEFAULT_BACKOFF;
  }
}

/** How much of 12345's answer is read (it is shown to supervisors when 12345 refuses a message). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The default transport: fetch with a timeout; the answer read up to MAX_ANSWER_BYTES. */
export function fetchTransport(timeoutMs = 10_000): OutboxTransport {
  return async (url, headers, body) => {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const { text } = await readCappedText(res, MAX_ANSWER_BYTES);
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    return { status: res.status, text: location ? `转向 ${location}` : text };
  };
}
