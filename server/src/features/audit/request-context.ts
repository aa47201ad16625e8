import { AsyncLocalStorage } from 'node:async_hooks';

/** What the audit log needs to know about the request it is written in. */
export interface RequestContext {
  address: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (the rest of a request's handling) with its context. */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The address of the request being handled ('local' outside one: a command line, a timer). */
export function currentAddress(): string {
  return storage.getStore()?.address ?? 'local';
}
