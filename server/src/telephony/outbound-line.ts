import type { KamailioEvent } from './kamailio-protocol.js';

type OutboundCommand = { cmd: 'outbound-allow'; token: string; seat: string; uri: string; from: string; ring_s: number; ttl_s: number };
export type OutboundEvent = Extract<KamailioEvent, { event: `outbound-${string}` }>;
type OutboundReport = Exclude<OutboundEvent, { event: 'outbound-ready' }>;

export interface OutboundAllow {
  token: string;
  seatId: string;
  /** The trunk URI with the number to call: only Kamailio and the router ever hold it. */
  uri: string;
  /** The hotline's number, the calling number the citizen sees. */
  callerId: string;
  ringS: number;
  ttlS: number;
}

/**
 * Click-to-call over the Kamailio link (sip-config/kamailio-5-outbound.cfg.tmpl). The router opens
 * a one-time token for one seat (`allow`, resolved once Kamailio has stored it, so the browser's
 * INVITE cannot overtake it); Kamailio reports the call's course as `outbound-*` events, which go
 * to the one listener (features/satisfaction/visit-dial-service.ts). Built before the adapter and
 * the app so that both can hold it.
 */
export class OutboundLine {
  private sender: ((cmd: OutboundCommand) => boolean) | null = null;
  private listener: ((ev: OutboundReport) => void) | null = null;
  private readonly waiting = new Map<string, () => void>();

  attach(send: (cmd: OutboundCommand) => boolean): void {
    this.sender = send;
  }

  listen(f: (ev: OutboundReport) => void): void {
    this.listener = f;
  }

  /** Whether Kamailio holds the token within `timeoutMs` (false: the link is down or Kamailio is silent). */
  allow(a: OutboundAllow, timeoutMs = 2000): Promise<boolean> {
    const cmd: OutboundCommand = {
      cmd: 'outbound-allow',
      token: a.token,
      seat: a.seatId,
      uri: a.uri,
      from: a.callerId,
      ring_s: a.ringS,
      ttl_s: a.ttlS,
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(a.token);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(a.token, () => {
        clearTimeout(timer);
        resolve(true);
      });
      if (!this.sender?.(cmd)) {
        clearTimeout(timer);
        this.waiting.delete(a.token);
        resolve(false);
      }
    });
  }

  event(ev: OutboundEvent): void {
    if (ev.event === 'outbound-ready') {
      const done = this.waiting.get(ev.token);
      this.waiting.delete(ev.token);
      done?.();
      return;
    }
    this.listener?.(ev);
  }
}
