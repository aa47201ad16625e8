import type { Ack } from '../contract';
import { errorForStatus } from './api';
import { NETWORK_ERROR, TIMEOUT_ERROR } from './errors';

export type JsonRequest = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => Promise<Ack<T>>;

const isAck = (v: unknown): v is Ack<unknown> => typeof v === 'object' && v !== null && 'ok' in v;

/**
 * A same-origin JSON request that always resolves to an Ack (the server's, or one built from the
 * status, the timeout or the network failure), for features with their own small API modules.
 */
export function createJsonRequest(deps: { fetch: typeof fetch; timeoutMs?: number }): JsonRequest {
  return async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Ack<T>> => {
    let res: Response;
    try {
      res = await deps.fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      });
    } catch (err) {
      return { ok: false, error: err instanceof DOMException && err.name === 'TimeoutError' ? TIMEOUT_ERROR : NETWORK_ERROR };
    }
    let parsed: unknown = null;
    try {
      parsed = await res.json();
    } catch {
      // not JSON: the status says what happened
    }
    return isAck(parsed) ? (parsed as Ack<T>) : { ok: false, error: errorForStatus(res.ok ? 500 : res.status) };
  };
}
