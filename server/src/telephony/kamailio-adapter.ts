import type { Logger } from 'pino';
import type { Call } from '../domain/call.js';
import type { Clock } from '../domain/clock.js';
import type { AcdForTelephony, IncomingCall, TelephonyPort } from '../domain/engine.js';
import type { ConsultGate } from '../features/transfers/transfer-service.js';
import type { ConsultLegObserver } from '../features/recordings/recording-service.js';
import type { SipRevocationGate } from '../features/auth/sip-credentials-service.js';
import { DomainError } from '../domain/errors.js';
import type { OverflowTrigger } from '../domain/policy.js';
import { storageFailureKind } from '../store/db.js';
import type { SipLegRepo } from '../store/sip-legs.js';
import { CallLegs } from './call-legs.js';
import { CallOffers, type TransferResolver } from './call-offers.js';
import { EvapiLink } from './evapi-link.js';
import { DialogControl, type SurveyHooks } from './dialog-control.js';
import { endVanished, KamailioResync } from './kamailio-resync.js';
import type { OutboundLine } from './outbound-line.js';
import type { ListenLine } from './listen-line.js';
import { KamailioEvent, type KamailioCommand } from './kamailio-protocol.js';
import { SeatRevocations } from './seat-revocations.js';

export type { TransferResolver } from './call-offers.js';

export interface KamailioAdapterOptions {
  /** The engine this adapter reports to (built first, with a TelephonyRelay as its port). */
  engine: AcdForTelephony;
  /** Turns a transfer token into the new call's details; none: transfers arrive as new calls. */
  resolveTransfer?: TransferResolver | null;
  /** A call from 12345 (X-12345-Ticket): the specialty its ticket's category maps to, if known. */
  resolveTicket?: ((ticket: string) => Partial<IncomingCall> | null) | null;
  evapiHost: string;
  evapiPort: number;
  clock: Clock;
  logger: Logger;
  legs: SipLegRepo;
  /** Where overflow to 12345 goes (a SIP URI Kamailio relays the call to). */
  uri12345: string;
  /** Offers one call can get within Kamailio's branch limit (offerBudgetFor). */
  offerBudget: number;
  /** Where a call-back caller is relayed to hear the prompt (callback-prompt.ts); null: 480 Callback Scheduled. */
  callbackUri?: () => string | null;
  keepaliveMs?: number;
  /** The post-call survey's telephony side (survey-call.ts); null: no survey. */
  surveys?: SurveyHooks | null;
  /** Click-to-call: the adapter carries its commands and events (telephony/outbound-line.ts). */
  outbound?: OutboundLine | null;
  /** 监听: the adapter carries its commands and events, and tells it when a call ends (telephony/listen-line.ts). */
  listen?: ListenLine | null;
  /** Consultation legs, recorded with the consulting seat's call (RecordingService). */
  consults?: ConsultLegObserver | null;
}

export interface TelephonyStatus {
  connected: boolean;
  synced: boolean;
  heldCalls: number;
}

/**
 * The telephony port over Kamailio: Kamailio holds every queued call as a suspended
 * transaction and reports what happens to it; the engine decides; this adapter
 * turns one into the other.
 *
 * Decisions are sent only when Kamailio can act on them (the transaction is
 * suspended and the link is up and synchronised); otherwise they wait in the leg
 * and go out as soon as it can (call-legs.ts). After every (re)connection the adapter
 * asks Kamailio for every call it holds and reconciles (kamailio-resync.ts): calls that
 * vanished leave the engine, calls the router never heard of are offered, answers it
 * missed are applied. New calls and failed rings are handled in call-offers.ts.
 */
export class KamailioTelephony implements TelephonyPort, ConsultGate, SipRevocationGate {
  private readonly eng: AcdForTelephony;
  private readonly link: EvapiLink;
  /** The calls Kamailio holds, their stored rows and the decisions waiting for the link. */
  private readonly legs: CallLegs;
  private readonly offers: CallOffers;
  private readonly resyncs: KamailioResync;
  /** Seats whose ended sessions' credentials Kamailio refuses (see revokeSeat). */
  private readonly revocations: SeatRevocations;
  private readonly logger: Logger;
  /** Arming the survey and ending calls through Kamailio's dialog module (强拆). */
  readonly dialogs: DialogControl;

  constructor(private readonly o: KamailioAdapterOptions) {
    this.eng = o.engine;
    this.logger = o.logger.child({ part: 'kamailio' });
    const send = (cmd: KamailioCommand) => this.send(cmd);
    this.legs = new CallLegs(o.engine, o.legs, this.logger, send);
    this.dialogs = new DialogControl({ send, surveys: o.surveys ?? null, logger: this.logger, clock: o.clock });
    this.offers = new CallOffers({
      engine: o.engine,
      legs: this.legs,
      send,
      clock: o.clock,
      logger: this.logger,
      resolveTransfer: o.resolveTransfer ?? null,
      resolveTicket: o.resolveTicket ?? null,
      uri12345: o.uri12345,
      offerBudget: o.offerBudget,
    });
    this.resyncs = new KamailioResync(
      o.engine,
      this.legs,
      this.logger,
      (ev, json) => this.offers.enqueue(ev, json),
      (callId, tags, survey) => this.dialogs.talking(callId, tags.ftag, tags.ttag, survey),
    );
    this.revocations = new SeatRevocations(send, o.clock, this.logger);
    this.link = new EvapiLink({
      host: o.evapiHost,
      port: o.evapiPort,
      clock: o.clock,
      logger: this.logger,
      keepaliveMs: o.keepaliveMs,
      onConnected: () => this.onConnected(),
      onDisconnected: () => {
        this.legs.synced = false;
      },
      onMessage: (text) => this.onMessage(text),
      inBatch: (handleAll) => this.inBatch(handleAll),
    });
    o.outbound?.attach(send);
    o.listen?.attach(send, (callId) => this.dialogs.tagsOf(callId));
  }

  allowConsult(fromSeatId: string, toSeatId: string, ttlMs: number): void {
    this.send({ cmd: 'consult-allow', from: fromSeatId, to: toSeatId, ttl_s: Math.ceil(ttlMs / 1000) });
  }

  /**
   * The seat's session ended: Kamailio unregisters its phone and refuses credentials expiring at or
   * before `untilS` (unix s) until they have all expired; sent again after a reconnect meanwhile.
   */
  revokeSeat(seatId: string, untilS: number): void {
    this.revocations.revoke(seatId, untilS);
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
    this.dialogs.stop();
  }

  /**
   * Reconciles with Kamailio as after a reconnection (the calls it holds, the registrations):
   * after the router could not store what Kamailio reported (a full disk), events it refused
   * (an answer, a hang-up) are learnt again this way.
   */
  resync(): void {
    if (this.link.isConnected) this.onConnected();
  }

  status(): TelephonyStatus {
    return { connected: this.link.isConnected, synced: this.legs.synced, heldCalls: this.legs.size };
  }

  // ---------------------------------------------------------------- TelephonyPort

  ring(call: Call, seatId: string, ringMs: number): void {
    // Events handled together (inBatch) may have ended this ring before their commit.
    if (call.state.kind !== 'ringing' || call.state.seatId !== seatId) return;
    const leg = this.legs.get(call.id);
    if (!leg) {
      this.logger.error({ callId: call.id, seatId }, 'engine rang a seat for a call Kamailio does not hold');
      return;
    }
    this.legs.decide(leg, {
      cmd: 'ring',
      tindex: leg.tindex,
      tlabel: leg.tlabel,
      callid: call.id,
      seat: seatId,
      ring_ms: Math.round(ringMs),
    });
  }

  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void {
    const leg = this.legs.get(call.id);
    if (!leg) return;
    const base = { tindex: leg.tindex, tlabel: leg.tlabel, callid: call.id };
    const prompt = target === 'callback' ? (this.o.callbackUri?.() ?? null) : null;
    this.legs.decide(
      leg,
      target === '12345'
        ? { cmd: 'overflow', ...base, uri: this.o.uri12345, reason: trigger }
        : prompt
          ? // The caller is answered and told (in zh-CN) that a lawyer will call back, then hung up on.
            { cmd: 'overflow', ...base, uri: prompt, reason: trigger }
          : // No prompt: the caller hears that a call-back is booked.
            { cmd: 'reject', ...base, code: 480, reason: 'Callback Scheduled' },
    );
  }

  cancelRing(call: Call, seatId: string): void {
    const leg = this.legs.get(call.id);
    // Usually Kamailio ended the ring itself (timeout, decline, caller left). If the engine's
    // own, later timer fired first, Kamailio's ring timer ends the branch shortly and the
    // engine's next decision waits in the leg until then.
    if (leg?.kam === 'ringing' && leg.seat === seatId) {
      this.logger.warn({ callId: call.id, seatId }, 'engine gave up on a ring Kamailio still has outstanding');
    }
  }

  private send(cmd: KamailioCommand): boolean {
    return this.link.send(JSON.stringify(cmd));
  }

  // ---------------------------------------------------------------- events

  private onConnected(): void {
    this.legs.synced = false;
    this.resyncs.begin();
    this.o.outbound?.syncBegin();
    // Registrations may have changed while the link was down (Kamailio restarted, seats left).
    // Asked before the sync: Kamailio's one evapi worker answers in order, so the resync (and the
    // calls it offers) sees which phones a restarted Kamailio still knows, and rings none it lost.
    for (const seat of this.eng.listSeats()) this.send({ cmd: 'reg-query', seat: seat.profile.id });
    this.send({ cmd: 'sync' });
    this.revocations.resend();
  }

  /**
   * Group commit: events that arrived together (Kamailio sent them while the router was
   * busy) are handled in one unit of work, so they cost one commit instead of one each;
   * every decision still goes out only after that commit. A refused event does not stop
   * the others (onMessage catches per event). If the engine cannot run a unit (it stopped
   * after a storage failure), the events are handled one by one as usual.
   */
  private inBatch(handleAll: () => void): void {
    let started = false;
    try {
      this.eng.unitOfWork(() => {
        started = true;
        handleAll();
      });
    } catch (err) {
      if (!started) handleAll();
      else if (storageFailureKind(err)) {
        // The disk is full (the engine is suspended now): nothing of the batch was stored, so its
        // events are handled again one by one: new calls go to 12345, the rest wait for the resync.
        handleAll();
      } else this.logger.error({ err }, 'evapi: storing a batch of Kamailio events failed');
    }
  }

  private onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.logger.error({ text: text.slice(0, 200) }, 'evapi: message is not JSON');
      return;
    }
    const parsed = KamailioEvent.safeParse(raw);
    if (!parsed.success) {
      this.logger.error({ text: text.slice(0, 200), issues: parsed.error.issues }, 'evapi: unknown message from Kamailio');
      return;
    }
    try {
      this.handle(parsed.data);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'STORAGE_FULL') {
        // Degraded mode (alarmed once): the resync when space returns learns what this event said.
        this.logger.debug(
          { event: parsed.data.event, callId: 'callid' in parsed.data ? parsed.data.callid : undefined },
          'Kamailio event not stored (storage full)',
        );
      } else if (err instanceof DomainError) {
        this.logger.warn({ event: parsed.data.event, code: err.code, msg: err.message }, 'Kamailio event refused by the engine');
      } else {
        this.logger.error({ err, event: parsed.data.event }, 'Kamailio event failed');
      }
    }
  }

  private handle(ev: KamailioEvent): void {
    switch (ev.event) {
      case 'enqueue':
        this.offers.enqueue(ev, JSON.stringify(ev));
        return;
      case 'ring-failed':
        this.offers.ringFailed(ev.callid, ev.tindex, ev.tlabel, ev.seat, ev.code);
        return;
      case 'answered': {
        const leg = this.legs.get(ev.callid);
        this.dialogs.answered(ev.callid, ev.ftag, ev.ttag);
        if (leg) {
          leg.kam = 'talking';
          leg.seat = ev.seat;
          leg.pending = null;
        }
        // No longer a suspended transaction: its row goes with the answer.
        this.legs.rows.deleteWith(leg ? ev.callid : null, () => this.eng.answered(ev.callid, ev.seat));
        return;
      }
      case 'cancel':
        this.o.listen?.callEnded(ev.callid);
        this.dialogs.forget(ev.callid);
        this.legs.forgetAnd(ev.callid, () => {
          if (this.eng.getCall(ev.callid)) this.eng.hangup(ev.callid, 'caller');
        });
        return;
      case 'bye':
        this.o.listen?.callEnded(ev.callid);
        if (!this.eng.getCall(ev.callid)) this.o.consults?.legEnded(ev.callid);
        this.legs.forgetAnd(ev.callid, () => {
          if (this.eng.getCall(ev.callid)?.state.kind === 'talking') this.eng.hangup(ev.callid, ev.by);
        });
        this.dialogs.bye(ev.callid, ev.survey === 1);
        return;
      case 'consult-answered': {
        const call = this.eng.activeCalls().find((c) => c.state.kind === 'talking' && c.state.seatId === ev.seat);
        if (call) this.o.consults?.consultAnswered({ callId: call.id, legCallId: ev.callid, seatId: ev.seat, to: ev.to });
        else this.logger.info({ leg: ev.callid, seat: ev.seat }, 'a consultation answered while its seat has no call: not recorded');
        return;
      }
      case 'survey-bye':
        this.dialogs.surveyBye(ev.callid);
        return;
      case 'surveying':
        this.dialogs.surveying(ev.callid, ev.ftag, ev.ttag);
        return;
      case 'ended': {
        this.o.listen?.callEnded(ev.callid);
        // A 强拆 (side all) whose answer came after the router stopped waiting (the end's
        // timeout): nobody awaits it to record the hang-up, so the call would stay talking here.
        const late = ev.side === 'all' && !this.dialogs.isEnding(ev.callid);
        this.dialogs.ended(ev.callid);
        if (late && this.eng.getCall(ev.callid)?.state.kind === 'talking') {
          this.logger.warn({ callId: ev.callid }, 'a force-release ended the call after the router stopped waiting: hang-up recorded now');
          this.legs.forgetAnd(ev.callid, () => this.eng.hangup(ev.callid, 'supervisor'));
        }
        return;
      }
      case 'end-failed':
        this.dialogs.endFailed(ev.callid, ev.why);
        return;
      case 'hold':
        if (this.eng.getCall(ev.callid)?.state.kind === 'talking') this.eng.hold(ev.callid);
        return;
      case 'resume':
        if (this.eng.getCall(ev.callid)?.state.kind === 'talking') this.eng.resume(ev.callid);
        return;
      case 'queue-timeout':
        this.legs.forgetAnd(ev.callid, () => {
          if (this.eng.getCall(ev.callid)) this.eng.timedOut(ev.callid);
        });
        return;
      case 'continue-failed':
        // The transaction is gone (the caller left while nobody could tell us).
        this.logger.warn({ callId: ev.callid, cmd: ev.cmd }, 'Kamailio no longer holds the call');
        this.legs.forgetAnd(ev.callid, () => endVanished(this.eng, this.logger, ev.callid));
        return;
      case 'overflow-failed':
        this.logger.error({ callId: ev.callid, code: ev.code }, 'overflow target refused the call');
        return;
      case 'reg':
        if (this.hasSeat(ev.seat)) this.eng.setRegistered(ev.seat, ev.contacts > 0);
        return;
      case 'reg-expired': {
        const seat = /^sip:([^@;]+)/.exec(ev.aor)?.[1] ?? ev.aor.split('@')[0]!;
        if (this.hasSeat(seat)) this.send({ cmd: 'reg-query', seat });
        return;
      }
      case 'held':
        this.resyncs.heldCall(
          ev.callid,
          ev.state,
          ev.info,
          { ftag: ev.ftag, ttag: ev.ttag },
          ev.survey === undefined ? null : ev.survey === 1,
        );
        return;
      case 'gone':
        this.resyncs.goneCall(ev.callid, { seat: ev.seat, by: ev.by });
        return;
      case 'sync-done':
        this.resyncs.reconcile();
        this.o.outbound?.syncDone();
        return;
      case 'pong':
        return;
      case 'outbound-ready':
      case 'outbound-refused':
      case 'outbound-start':
      case 'outbound-answered':
      case 'outbound-failed':
      case 'outbound-state':
        this.o.outbound?.event(ev);
        return;
      case 'outbound-bye':
        // A consultation with 12345 goes out this way: its recording keeps the leg's end.
        this.o.consults?.legEnded(ev.callid);
        this.o.outbound?.event(ev);
        return;
      case 'listen-answered':
      case 'listen-failed':
      case 'listen-bye':
      case 'listen-gone':
        this.o.listen?.event(ev);
        return;
    }
  }

  private hasSeat(id: string): boolean {
    return this.eng.listSeats().some((s) => s.profile.id === id);
  }
}
