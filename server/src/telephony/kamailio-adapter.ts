import type { Logger } from 'pino';
import type { Call } from '../domain/call.js';
import type { Clock } from '../domain/clock.js';
import type { AcdForTelephony, IncomingCall, TelephonyPort } from '../domain/engine.js';
import type { ConsultGate } from '../features/transfers/transfer-service.js';
import type { ConsultLegObserver } from '../features/recordings/recording-service.js';
import type { SipRevocationGate } from '../features/auth/sip-credentials-service.js';
import { DomainError } from '../domain/errors.js';
import { CALLER_FLAGS, type CallerFlag } from '../domain/model.js';
import type { OverflowTrigger } from '../domain/policy.js';
import { storageFailureKind } from '../store/db.js';
import type { SipLegRepo } from '../store/sip-legs.js';
import { EvapiLink } from './evapi-link.js';
import { LegRows } from './leg-rows.js';
import { DialogControl, type SurveyHooks } from './dialog-control.js';
import type { OutboundLine } from './outbound-line.js';
import type { ListenLine } from './listen-line.js';
import { EnqueueEvent, KamailioEvent, parseHeldState, type Decision, type KamailioCommand } from './kamailio-protocol.js';

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

/** What the router knows of a call Kamailio holds. */
interface Leg {
  callId: string;
  tindex: number;
  tlabel: number;
  /** Kamailio's side: waiting (suspended, a decision can be sent), ringing a seat, or bridged. */
  kam: 'waiting' | 'ringing' | 'talking';
  seat: string | null;
  /** A decision made while Kamailio could not take it (link down, or a ring still outstanding). */
  pending: Decision | null;
}

export interface TelephonyStatus {
  connected: boolean;
  synced: boolean;
  heldCalls: number;
}

const DECLINE_CODES = new Set([486, 600, 603]);
const UNREACHABLE_CODES = new Set([404, 410, 480]);
/** Kamailio's own code when it could not ring the seat at all (RING_FAILED_NOW: no registration, relay failed). */
const NOT_RUNG = 404;

/**
 * The telephony port over Kamailio: Kamailio holds every queued call as a suspended
 * transaction and reports what happens to it; the engine decides; this adapter
 * turns one into the other.
 *
 * Decisions are sent only when Kamailio can act on them (the transaction is
 * suspended and the link is up and synchronised); otherwise they wait in the leg
 * and go out as soon as it can. After every (re)connection the adapter asks
 * Kamailio for every call it holds and reconciles: calls that vanished leave the
 * engine, calls the router never heard of are offered, answers it missed are applied.
 */
/** Turns a transfer token (X-Transfer) into what the engine should know of the new call. */
export type TransferResolver = (token: string, newCallId: string) => Partial<IncomingCall> | null;

export class KamailioTelephony implements TelephonyPort, ConsultGate, SipRevocationGate {
  private readonly eng: AcdForTelephony;
  private readonly resolveTransfer: TransferResolver | null;
  private readonly link: EvapiLink;
  private readonly legs = new Map<string, Leg>();
  private synced = false;
  /** Seats whose ended sessions' credentials Kamailio refuses: seat => unix s (see revokeSeat). */
  private readonly revoked = new Map<string, number>();
  private syncHeld: { callid: string; state: string; info: unknown }[] = [];
  /** Resync: talking calls Kamailio saw end by a BYE lately (call => its seat and who hung up). */
  private syncGone = new Map<string, { seat: string; by: 'caller' | 'seat' }>();
  private readonly logger: Logger;
  /** The stored legs: each written in the same commit as the engine's decision. */
  private readonly rows: LegRows;
  /** Arming the survey and ending calls through Kamailio's dialog module (强拆). */
  readonly dialogs: DialogControl;

  constructor(private readonly o: KamailioAdapterOptions) {
    this.eng = o.engine;
    this.resolveTransfer = o.resolveTransfer ?? null;
    this.logger = o.logger.child({ part: 'kamailio' });
    this.rows = new LegRows(o.engine, o.legs, this.logger);
    this.dialogs = new DialogControl({ send: (cmd) => this.send(cmd), surveys: o.surveys ?? null, logger: this.logger, clock: o.clock });
    for (const l of this.rows.list()) {
      this.legs.set(l.callId, { callId: l.callId, tindex: l.tindex, tlabel: l.tlabel, kam: 'waiting', seat: null, pending: null });
    }
    this.link = new EvapiLink({
      host: o.evapiHost,
      port: o.evapiPort,
      clock: o.clock,
      logger: this.logger,
      keepaliveMs: o.keepaliveMs,
      onConnected: () => this.onConnected(),
      onDisconnected: () => {
        this.synced = false;
      },
      onMessage: (text) => this.onMessage(text),
      inBatch: (handleAll) => this.inBatch(handleAll),
    });
    o.outbound?.attach((cmd) => this.send(cmd));
    o.listen?.attach(
      (cmd) => this.send(cmd),
      (callId) => this.dialogs.tagsOf(callId),
    );
  }

  allowConsult(fromSeatId: string, toSeatId: string, ttlMs: number): void {
    this.send({ cmd: 'consult-allow', from: fromSeatId, to: toSeatId, ttl_s: Math.ceil(ttlMs / 1000) });
  }

  /**
   * The seat's session ended: Kamailio unregisters its phone and refuses credentials expiring at or
   * before `untilS` (unix s) until they have all expired; sent again after a reconnect meanwhile.
   */
  revokeSeat(seatId: string, untilS: number): void {
    this.revoked.set(seatId, untilS);
    this.sendRevocations(seatId);
  }

  private sendRevocations(only?: string): void {
    const nowS = Math.floor(this.o.clock.now() / 1000);
    for (const [seat, until] of this.revoked) {
      if (until < nowS) this.revoked.delete(seat);
      else if (only === undefined || only === seat) {
        const sent = this.send({ cmd: 'seat-revoke', seat, until, ttl_s: until - nowS + 60 });
        this.logger.info({ seat, until, sent }, 'seat phone revoked at Kamailio');
      }
    }
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
    return { connected: this.link.isConnected, synced: this.synced, heldCalls: this.legs.size };
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
    this.decide(leg, { cmd: 'ring', tindex: leg.tindex, tlabel: leg.tlabel, callid: call.id, seat: seatId, ring_ms: Math.round(ringMs) });
  }

  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void {
    const leg = this.legs.get(call.id);
    if (!leg) return;
    const base = { tindex: leg.tindex, tlabel: leg.tlabel, callid: call.id };
    const prompt = target === 'callback' ? (this.o.callbackUri?.() ?? null) : null;
    this.decide(
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

  // ---------------------------------------------------------------- decisions

  private decide(leg: Leg, d: Decision): void {
    if (leg.kam === 'waiting' && this.synced && this.send(d)) {
      this.sent(leg, d);
      return;
    }
    leg.pending = d;
  }

  private sent(leg: Leg, d: Decision): void {
    leg.pending = null;
    if (d.cmd === 'ring') {
      leg.kam = 'ringing';
      leg.seat = d.seat;
    } else {
      // Kamailio is done with the transaction. This runs after the engine's commit (a decision
      // goes out only once stored), so the row goes in the next commit; a row left by a kill
      // in between is dropped by the next resync (step 3 of reconcile).
      this.legs.delete(leg.callId);
      this.rows.deleteLater(leg.callId);
    }
  }

  private flushPending(leg: Leg): void {
    if (leg.pending && leg.kam === 'waiting' && this.synced) {
      const d = leg.pending;
      if (this.send(d)) this.sent(leg, d);
    }
  }

  private send(cmd: KamailioCommand): boolean {
    return this.link.send(JSON.stringify(cmd));
  }

  private forget(callId: string): void {
    this.forgetAnd(callId, () => {});
  }

  /**
   * Kamailio is done with a call's transaction: the leg's row is deleted in the same
   * commit as what the engine decides about it (one commit per event).
   */
  private forgetAnd(callId: string, decide: () => void): void {
    this.rows.deleteWith(this.legs.delete(callId) ? callId : null, decide);
  }

  // ---------------------------------------------------------------- events

  private onConnected(): void {
    this.synced = false;
    this.syncHeld = [];
    this.syncGone.clear();
    // Registrations may have changed while the link was down (Kamailio restarted, seats left).
    // Asked before the sync: Kamailio's one evapi worker answers in order, so the resync (and the
    // calls it offers) sees which phones a restarted Kamailio still knows, and rings none it lost.
    for (const seat of this.eng.listSeats()) this.send({ cmd: 'reg-query', seat: seat.profile.id });
    this.send({ cmd: 'sync' });
    this.sendRevocations();
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
        this.enqueue(ev, JSON.stringify(ev));
        return;
      case 'ring-failed':
        this.ringFailed(ev.callid, ev.tindex, ev.tlabel, ev.seat, ev.code);
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
        this.rows.deleteWith(leg ? ev.callid : null, () => this.eng.answered(ev.callid, ev.seat));
        return;
      }
      case 'cancel':
        this.o.listen?.callEnded(ev.callid);
        this.dialogs.forget(ev.callid);
        this.forgetAnd(ev.callid, () => {
          if (this.eng.getCall(ev.callid)) this.eng.hangup(ev.callid, 'caller');
        });
        return;
      case 'bye':
        this.o.listen?.callEnded(ev.callid);
        if (!this.eng.getCall(ev.callid)) this.o.consults?.legEnded(ev.callid);
        this.forgetAnd(ev.callid, () => {
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
          this.forgetAnd(ev.callid, () => this.eng.hangup(ev.callid, 'supervisor'));
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
        this.forgetAnd(ev.callid, () => {
          if (this.eng.getCall(ev.callid)) this.eng.timedOut(ev.callid);
        });
        return;
      case 'continue-failed':
        // The transaction is gone (the caller left while nobody could tell us).
        this.logger.warn({ callId: ev.callid, cmd: ev.cmd }, 'Kamailio no longer holds the call');
        this.forgetAnd(ev.callid, () => this.endVanished(ev.callid));
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
        this.syncHeld.push({ callid: ev.callid, state: ev.state, info: ev.info });
        return;
      case 'gone':
        this.syncGone.set(ev.callid, { seat: ev.seat, by: ev.by });
        return;
      case 'sync-done':
        this.reconcile();
        return;
      case 'pong':
        return;
      case 'outbound-ready':
      case 'outbound-refused':
      case 'outbound-start':
      case 'outbound-answered':
      case 'outbound-failed':
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
        this.o.listen?.event(ev);
        return;
    }
  }

  private hasSeat(id: string): boolean {
    return this.eng.listSeats().some((s) => s.profile.id === id);
  }

  private enqueue(ev: EnqueueEvent, json: string): void {
    const existing = this.legs.get(ev.callid);
    const leg: Leg = existing ?? { callId: ev.callid, tindex: ev.tindex, tlabel: ev.tlabel, kam: 'waiting', seat: null, pending: null };
    leg.tindex = ev.tindex;
    leg.tlabel = ev.tlabel;
    leg.kam = 'waiting';
    this.legs.set(ev.callid, leg);
    const arrivedAt = ev.at !== undefined ? Math.round(ev.at < 1e11 ? ev.at * 1000 : ev.at) : this.o.clock.now();
    const row = { callId: ev.callid, tindex: ev.tindex, tlabel: ev.tlabel, arrivedAt, enqueueJson: json };
    if (this.eng.getCall(ev.callid)) {
      this.rows.saveWith(row, () => {}); // already known (a resync after a restart)
      return;
    }
    try {
      // A transferred caller keeps its number, flags and ticket, and names its target.
      const transferred = ev.xfer && this.resolveTransfer ? this.resolveTransfer(ev.xfer, ev.callid) : null;
      const ticketed = !transferred && ev.ticket && this.o.resolveTicket ? this.o.resolveTicket(ev.ticket) : null;
      const input: IncomingCall = {
        id: ev.callid,
        caller: ev.caller,
        dialed: ev.dialed,
        trunk: ev.src,
        ivrCode: ev.ivr || null,
        flags: parseFlags(ev.flags),
        ticket12345: ev.ticket || null,
        language: ev.lang || null,
        offerBudget: this.o.offerBudget,
        ...ticketed,
        ...transferred,
      };
      // The leg and the call are stored in one commit, before any decision goes out:
      // a restarted router has both (it can continue this transaction) or neither.
      this.rows.saveWith(row, () => this.eng.offerCall(input));
    } catch (err) {
      if ((err instanceof DomainError && err.code === 'STORAGE_FULL') || storageFailureKind(err)) {
        // The database's disk is full (degraded mode): no record can be kept, so the caller is
        // not queued but relayed to 12345 at once, as an overflow would be.
        this.logger.warn({ callId: ev.callid }, 'storage full: new call relayed to 12345 without a record');
        this.decide(leg, {
          cmd: 'overflow',
          tindex: leg.tindex,
          tlabel: leg.tlabel,
          callid: ev.callid,
          uri: this.o.uri12345,
          reason: 'storage-full',
        });
        return;
      }
      // The call cannot enter the queue (storage stopped, or a Call-ID already used): refuse it clearly.
      const code = err instanceof DomainError && err.code === 'CONFLICT' ? 482 : 503;
      this.logger.error({ err, callId: ev.callid }, 'call could not be queued; refusing it');
      this.decide(leg, { cmd: 'reject', tindex: leg.tindex, tlabel: leg.tlabel, callid: ev.callid, code, reason: 'Service Unavailable' });
      throw err;
    }
  }

  private ringFailed(callId: string, tindex: number, tlabel: number, seat: string, code: number): void {
    let leg = this.legs.get(callId);
    if (!leg) {
      leg = { callId, tindex, tlabel, kam: 'waiting', seat: null, pending: null };
      this.legs.set(callId, leg);
    }
    leg.kam = 'waiting';
    leg.seat = null;
    const call = this.eng.getCall(callId);
    if (!call) {
      // The router no longer has the call: release Kamailio's transaction.
      this.decide(leg, { cmd: 'reject', tindex, tlabel, callid: callId, code: 480, reason: 'Temporarily Unavailable' });
      return;
    }
    if (call.state.kind === 'ringing' && call.state.seatId === seat) {
      if (DECLINE_CODES.has(code)) {
        this.eng.declined(callId, seat);
      } else if (code === NOT_RUNG && this.hasSeat(seat)) {
        // Kamailio could not ring the seat at all (it knows no registration, e.g. just restarted):
        // no offers until the phone registers again, and not the lawyer's missed offer.
        this.eng.setRegistered(seat, false);
        this.send({ cmd: 'reg-query', seat });
        this.eng.ringLost(callId, seat);
      } else {
        if (UNREACHABLE_CODES.has(code) && this.hasSeat(seat)) {
          this.send({ cmd: 'reg-query', seat });
        }
        this.eng.ringTimeout(callId, seat);
      }
    }
    // The engine's next decision went out above, or was made earlier and waits in the leg.
    this.flushPending(leg);
  }

  /** A call the router holds but Kamailio does not: it ended while nobody could tell. */
  /**
   * A call Kamailio no longer holds. `gone`: Kamailio saw it answered and ended by a BYE (its
   * answer or its end, or both, were missed: the router was down or the link was): both are
   * recorded now, at the resync's time. Otherwise it timed out (queued, ringing) or the system
   * ended it (talking).
   */
  private endVanished(callId: string, gone?: { seat: string; by: 'caller' | 'seat' }): void {
    const call = this.eng.getCall(callId);
    if (!call) return;
    if (gone && call.state.kind === 'ringing' && call.state.seatId === gone.seat) {
      this.logger.warn({ callId, seat: gone.seat, by: gone.by }, 'resync: the call was answered and ended while the router was away');
      this.eng.answered(callId, gone.seat);
      this.eng.hangup(callId, gone.by);
      return;
    }
    switch (call.state.kind) {
      case 'queued':
      case 'ringing':
        this.eng.timedOut(callId);
        return;
      case 'talking':
        this.eng.hangup(callId, gone?.by ?? 'system');
        return;
      default:
        return;
    }
  }

  private reconcile(): void {
    const held = new Map(this.syncHeld.map((h) => [h.callid, h]));
    const gone = new Map(this.syncGone);
    this.syncHeld = [];
    this.syncGone.clear();
    this.synced = true;
    const eng = this.eng;
    // 1. Calls the router has that Kamailio no longer holds.
    for (const call of eng.activeCalls()) {
      if (call.state.kind === 'wrap-up') continue;
      const h = held.get(call.id);
      if (!h) {
        this.logger.warn({ callId: call.id, state: call.state.kind }, 'resync: Kamailio no longer holds this call');
        this.forget(call.id);
        this.guard(() => this.endVanished(call.id, gone.get(call.id)));
        continue;
      }
      const k = parseHeldState(h.state);
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
    for (const leg of [...this.legs.values()]) {
      if (!held.has(leg.callId) && !eng.getCall(leg.callId)) this.forget(leg.callId);
    }
    // 4. Every decision that waited for the link.
    for (const leg of [...this.legs.values()]) this.flushPending(leg);
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

function parseFlags(raw: string): CallerFlag[] {
  if (!raw || raw === '<null>') return [];
  return raw
    .split(/[\s,;]+/)
    .map((f) => f.trim().toLowerCase())
    .filter((f): f is CallerFlag => (CALLER_FLAGS as readonly string[]).includes(f));
}
