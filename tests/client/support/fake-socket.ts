import type { Ack } from '../../../client/src/contract';
import type { HotlineSocket } from '../../../client/src/shared/socket';

type Handler = (...args: unknown[]) => void;

/**
 * An in-memory stand-in for the socket.io client: enough of its surface for the session
 * controller and bindSocket. `server` answers commands; `push` plays server events.
 */
export class FakeSocket {
  connected = false;
  active = false;
  emitted: { event: string; payload: unknown }[] = [];
  private handlers = new Map<string, Handler[]>();
  private managerHandlers = new Map<string, Handler[]>();
  readonly io = {
    on: (event: string, h: Handler) => this.add(this.managerHandlers, event, h),
    off: (event: string) => this.managerHandlers.delete(event),
  };

  constructor(private server: (event: string, payload: unknown) => Ack<unknown> | 'no-answer' = () => 'no-answer') {}

  on(event: string, h: Handler) {
    this.add(this.handlers, event, h);
    return this;
  }
  off(event: string) {
    this.handlers.delete(event);
    return this;
  }
  connect() {
    this.active = true;
    this.connected = true;
    this.fire('connect');
    return this;
  }
  disconnect() {
    this.active = false;
    this.connected = false;
    return this;
  }
  timeout(_ms: number) {
    return {
      emitWithAck: async (event: string, payload: unknown) => {
        this.emitted.push({ event, payload });
        const res = this.server(event, payload);
        if (res === 'no-answer') throw new Error('operation has timed out');
        return res;
      },
    };
  }
  /** A server push or a socket life event. */
  fire(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
  refuse() {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', new Error('UNAUTHENTICATED'));
  }
  asSocket(): HotlineSocket {
    return this as unknown as HotlineSocket;
  }
  private add(map: Map<string, Handler[]>, event: string, h: Handler) {
    map.set(event, [...(map.get(event) ?? []), h]);
  }
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
