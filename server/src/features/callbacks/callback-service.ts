import type { Logger } from 'pino';
import type { CallbackStatus } from '../../contract/index.js';
import type { Call, CallEvent } from '../../domain/call.js';
import type { AcdQueries } from '../../domain/engine.js';
import type { CallbackRecord, CallbackRepository } from './callback-repository.js';

/**
 * Callback requests (回电请求): a call the routing policy overflows to a call-back is never lost.
 * The request (the caller's full number, category, home centre, language, flags, how long they
 * waited, why) is written inside the engine's unit of work, so it commits with the overflow
 * decision or not at all; supervisors are told once it is committed. The call-back worklist and
 * dialling build on `status`.
 */
export class CallbackService {
  /** Requests written in the unit now committing, pushed once it has (callChanged runs after the commit). */
  private readonly stored = new Map<string, CallbackRecord>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly o: {
      engine: Pick<AcdQueries, 'subscribe'>;
      repo: CallbackRepository;
      logger: Logger;
      /** Pushes a new or changed request to the supervisors. */
      onChange: (r: CallbackRecord) => void;
    },
  ) {}

  /** Starts listening to the engine's overflows. */
  attach(): void {
    this.unsubscribe = this.o.engine.subscribe({
      callStored: (call, newEvents) => this.onStored(call, newEvents),
      callChanged: (call) => {
        const r = this.stored.get(call.id);
        if (!r) return;
        this.stored.delete(call.id);
        try {
          this.o.onChange(r);
        } catch (err) {
          this.o.logger.error({ err, callId: call.id }, 'could not push a callback request');
        }
      },
    });
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Newest first; centres = the home centres in the reader's scope (null = every centre). */
  list(status: CallbackStatus | undefined, limit: number, centres: readonly string[] | null = null): CallbackRecord[] {
    return this.o.repo.list({ status, limit, centres });
  }

  /** Inside the engine's transaction: a callback overflow among the call's new events becomes a request. */
  private onStored(call: Call, newEvents: readonly CallEvent[]): void {
    for (const e of newEvents) {
      if (e.type !== 'overflowed' || e.target !== 'callback') continue;
      const r = this.o.repo.insert({
        callId: call.id,
        caller: call.caller,
        categoryId: call.categoryId,
        homeCentreId: call.homeCentreId,
        language: call.language ?? null,
        flags: [...call.flags],
        waitS: Math.max(0, Math.round((e.at - call.enqueuedAt) / 1000)),
        trigger: e.trigger,
        reason: e.reason ?? null,
        createdAt: e.at,
      });
      this.stored.set(call.id, r);
    }
  }
}
