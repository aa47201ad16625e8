import type { Logger } from 'pino';
import type { AcdForTelephony } from '../domain/engine.js';
import type { CallLegs } from './call-legs.js';
import { EnqueueEvent, parseHeldState } from './kamailio-protocol.js';
import type { DialogTags } from './survey-call.js';

/** Kamailio saw a talking call end by a BYE: its seat and who hung up. */
export interface GoneCall {
  seat: string;
  by: 'caller' | 'seat';
}

/**
 * A call Kamailio no longer holds. `gone`: Kamailio saw it answered and ended by a BYE (its
 * answer or its end, or both, were missed: the router was down or the link was): both are
 * recorded now, at the resync's time. Otherwise it timed out (queued, ringing) or the system
 * ended it (talking).
 */
export function endVanished(eng: AcdForTelephony, logger: Logger, callId: string, gone?: GoneCall): void {
  const call = eng.getCall(callId);
  if (!call) return;
  if (gone && call.state.kind === 'ringing' && call.state.seatId === gone.seat) {
    logger.warn({ callId, seat: gone.seat, by: gone.by }, 'resync: the call was answered and ended while the router was away');
    eng.answered(callId, gone.seat);
    eng.hangup(callId, gone.by);
    return;
  }
  switch (call.state.kind) {
    case 'queued':
    case 'ringing':
      eng.timedOut(callId);
      return;
    case 'talking':
      eng.hangup(callId, gone?.by ?? 'system');
      return;
    default:
      return;
  }
}

/**
 * The resync after every (re)connection: Kamailio lists every call it holds (`held`) and the
 * talking calls it saw end lately (`gone`), then `sync-done`; the adapter reconciles: calls that
 * vanished leave the engine, calls the router never heard of are offered, answers it missed are
 * applied, and every decision that waited for the link goes out.
 */
export class KamailioResync {
  private held: { callid: string; state: string; info: unknown; tags: DialogTags; survey: boolean | null }[] = [];
  private readonly gone = new Map<string, GoneCall>();

  constructor(
    private readonly eng: AcdForTelephony,
    private readonly legs: CallLegs,
    private readonly logger: Logger,
    /** Offers a call Kamailio holds that the router never heard of. */
    private readonly enqueue: (ev: EnqueueEvent, json: string) => void,
    /**
     * A talking call's dialog tags as Kamailio reports them (htable `dlgtags`): the router kept
     * them only in memory, so after a restart 强拆 and 监听 of calls answered before need these.
     * survey: whether Kamailio keeps the caller for the survey (htable `survey`), for a call the
     * router already had talking (answered before a restart: the seat's choice was in memory);
     * null for an answer applied now (the survey's policy arms it) or when Kamailio did not say.
     */
    private readonly talking: (callId: string, tags: DialogTags, survey: boolean | null) => void,
  ) {}

  /** A new sync starts: what an unfinished one collected is dropped. */
  begin(): void {
    this.held = [];
    this.gone.clear();
  }

  heldCall(callid: string, state: string, info: unknown, tags: DialogTags = { ftag: '', ttag: '' }, survey: boolean | null = null): void {
    this.held.push({ callid, state, info, tags, survey });
  }

  goneCall(callid: string, gone: GoneCall): void {
    this.gone.set(callid, gone);
  }

  /** `sync-done`: the link is synchronised from now on. */
  reconcile(): void {
    const held = new Map(this.held.map((h) => [h.callid, h]));
    const gone = new Map(this.gone);
    this.begin();
    this.legs.synced = true;
    const eng = this.eng;
    // 1. Calls the router has that Kamailio no longer holds.
    for (const call of eng.activeCalls()) {
      if (call.state.kind === 'wrap-up') continue;
      const h = held.get(call.id);
      if (!h) {
        this.logger.warn({ callId: call.id, state: call.state.kind }, 'resync: Kamailio no longer holds this call');
        this.legs.forget(call.id);
        this.guard(() => endVanished(eng, this.logger, call.id, gone.get(call.id)));
        continue;
      }
      const k = parseHeldState(h.state);
      // Before an answer the router missed is applied: the engine's listeners (the survey's
      // arming) act on the call with its tags known. A talking call has no stored leg any more.
      if (k?.kind === 'talking' && h.tags.ftag && h.tags.ttag) {
        const survey = call.state.kind === 'talking' ? h.survey : null;
        this.guard(() => this.talking(call.id, h.tags, survey));
      }
      const leg = this.legs.get(call.id);
      if (!k || !leg) continue;
      leg.kam = k.kind;
      leg.seat = k.seat;
      if (k.kind === 'talking' && call.state.kind === 'ringing' && k.seat) {
        this.guard(() => eng.answered(call.id, k.seat!));
      } else if (k.kind === 'waiting' && call.state.kind === 'ringing' && !leg.pending) {
        // The ring ended while the link was down, or its command died with the last router; Kamailio
        // waits for the next decision. Not the seat's miss: nobody knows whether the phone rang.
        this.guard(() => eng.ringLost(call.id, (call.state as { seatId: string }).seatId));
      }
    }
    // 2. Calls Kamailio holds that the router never heard of (they arrived while it was down).
    const unknown = [...held.values()]
      .filter((h) => !eng.getCall(h.callid) && parseHeldState(h.state)?.kind === 'waiting')
      .map((h) => EnqueueEvent.safeParse(h.info))
      .flatMap((r) => (r.success ? [r.data] : []))
      .sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
    for (const ev of unknown) this.guard(() => this.enqueue(ev, JSON.stringify(ev)));
    // 3. Legs of calls that ended everywhere (stored, but neither side has them).
    for (const leg of this.legs.list()) {
      if (!held.has(leg.callId) && !eng.getCall(leg.callId)) this.legs.forget(leg.callId);
    }
    // 4. Every decision that waited for the link.
    for (const leg of this.legs.list()) this.legs.flushPending(leg);
    this.logger.info({ held: held.size, offered: unknown.length }, 'resync with Kamailio done');
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : err }, 'resync step refused');
    }
  }
}
