import type { OutboundCallState } from '../features/satisfaction/visit-dial-service.js';
import type { KamailioEvent } from './kamailio-protocol.js';

type OutboundCommand = { cmd: 'outbound-allow'; token: string; seat: string; uri: string; from: string; ring_s: number; ttl_s: number };
export type OutboundEvent = Extract<KamailioEvent, { event: `outbound-${string}` }>;
type OutboundReport =
  | Exclude<OutboundEvent, { event: 'outbound-ready' | 'outbound-state' }>
  /** A resync starts: an outbound call that starts from now on may be missing from its list. */
  | { event: 'outbound-sync-begin' }
  /** The resync is done: every outbound call Kamailio knows of (a call missing from it has ended unseen). */
  | { event: 'outbound-synced'; calls: OutboundCallState[] };

const secondsToMs = (v: string | undefined): number | null => {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : null;
};

/** Kamailio's outcalls entry "<token>|<start>|<answered>|<end>|<ended>" (null when unreadable). */
export function parseOutboundState(callid: string, state: string): OutboundCallState | null {
  const [token, start, answered, end, ended] = state.split('|');
  const startedAt = secondsToMs(start);
  if (!token || startedAt === null) return null;
  const failed = /^failed:(\d{3})$/.exec(end ?? '');
  const bye = /^bye:(seat|callee)$/.exec(end ?? '');
  return {
    callid,
    token,
    startedAt,
    answeredAt: secondsToMs(answered),
    end: failed ? { kind: 'failed', code: Number(failed[1]) } : bye ? { kind: 'bye', by: bye[1] as 'seat' | 'callee' } : null,
    endedAt: secondsToMs(ended),
  };
}

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
  /** What the resync under way has told of outbound calls. */
  private syncing: OutboundCallState[] = [];

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

  /** A resync starts (its `held` list is about to come): what an unfinished one told is dropped. */
  syncBegin(): void {
    this.syncing = [];
    this.listener?.({ event: 'outbound-sync-begin' });
  }

  /** The resync is done: the listener learns every outbound call Kamailio knows of. */
  syncDone(): void {
    const calls = this.syncing;
    this.syncing = [];
    this.listener?.({ event: 'outbound-synced', calls });
  }

  event(ev: OutboundEvent): void {
    if (ev.event === 'outbound-state') {
      const s = parseOutboundState(ev.callid, ev.state);
      if (s) this.syncing.push(s);
      return;
    }
    if (ev.event === 'outbound-ready') {
      const done = this.waiting.get(ev.token);
      this.waiting.delete(ev.token);
      done?.();
      return;
    }
    this.listener?.(ev);
  }
}
