import { periodAt } from './calendar.js';
import { assertCallMove, isTerminal, type Call, type CallEvent, type CallState, type HangupSide, type RoutingReason } from './call.js';
import type { Clock, TimerHandle } from './clock.js';
import { DomainError, assertNever } from './errors.js';
import type { CallerFlag, NotReadyReason, SeatProfile } from './model.js';
import { policyFor, type CategoryPolicy, type OverflowTrigger, type RoutingConfig } from './policy.js';
import { SEAT_STATE_LABELS, assertSeatMove, type Seat, type SeatState } from './seat.js';

/**
 * The ACD engine: seats, the queue and the routing policy. It knows no transport
 * and no storage: it talks to the world through the ports below and reads time
 * from an injected Clock, so the same engine runs live, in tests and in the
 * queue simulator.
 *
 * Invariant kept after every command: no ready seat is eligible for a waiting
 * call. So each event only needs to route what it changed: a new call, a seat
 * that became ready, a call whose expansion step moved on.
 */

/** Durable storage of the engine's state. One transaction per engine command. */
export interface EngineStore {
  transaction<T>(fn: () => T): T;
  saveCall(call: Call, newEvents: readonly CallEvent[]): void;
  saveSeatState(seat: Seat): void;
  /** The seat that last answered this caller at or after `since`, if any. */
  lastAnsweringSeat(caller: string, since: number): string | null;
}

/** What the engine asks telephony to do. Called only after the state is durable. */
export interface TelephonyPort {
  ring(call: Call, seatId: string, ringMs: number): void;
  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void;
  /** A ring the engine gave up on (timeout, or the caller left): stop ringing that seat. */
  cancelRing(call: Call, seatId: string): void;
}

export interface EngineListener {
  seatChanged?(seat: Seat): void;
  callChanged?(call: Call): void;
}

export interface IncomingCall {
  id: string;
  caller: string;
  dialed: string;
  trunk?: string | null;
  /** IVR menu digits the caller chose (e.g. "3"); unknown or none → the general category. */
  ivrCode?: string | null;
  categoryId?: string | null;
  flags?: CallerFlag[];
  ticket12345?: string | null;
  /** Offers the telephony side can still afford for this call (its branch budget). */
  offerBudget?: number;
  /** Overrides the priority the flags give (a transferred caller goes ahead). */
  priority?: number;
  /** The call comes back in by a seat's transfer of an earlier call (REFER). */
  transfer?: { fromCallId: string; fromSeatId: string; targetSeatId: string | null };
}

/** Priority of a transferred call: above every caller flag (flag priorities are at most 100). */
export const TRANSFER_PRIORITY = 101;
/** Longest a seat stays held for a consultation (咨询转接) before it is ready again by itself. */
export const CONSULT_HOLD_MS = 5 * 60_000;

export interface EngineOptions {
  clock: Clock;
  store: EngineStore;
  telephony: TelephonyPort;
  config: RoutingConfig;
  seats: SeatProfile[];
  /** When true, only seats whose softphone is registered are offered calls. */
  requireRegistration?: boolean;
  /** Extra ms the engine waits beyond the ring timeout before it declares no answer itself. */
  ringGraceMs?: number;
  /**
   * Called once when a command's transaction fails for a reason other than a domain
   * rule (the disk is full, the database is gone). The engine's memory may then differ
   * from what is stored, so it refuses every later command: the process should exit
   * and a new one restore the last committed state (crash-only recovery).
   */
  onStorageFailure?: (err: unknown) => void;
}

type Outbox =
  | { kind: 'ring'; call: Call; seatId: string; ringMs: number }
  | { kind: 'overflow'; call: Call; target: '12345' | 'callback'; trigger: OverflowTrigger }
  | { kind: 'cancel-ring'; call: Call; seatId: string };

interface Expansion {
  lowered: boolean;
  general: boolean;
  city: boolean;
  step: number;
}

const S = 1000;

/**
 * A map kept in ascending `order` (idle-since for seats, enqueue time for calls).
 * Entries almost always arrive in order, so adding is an O(1) append; the rare
 * out-of-order entry (a restored seat or call) rebuilds the map.
 */
export class OrderedMap<V> {
  readonly items = new Map<string, V>();
  private maxOrder = -Infinity;

  constructor(private readonly order: (v: V) => number) {}

  get size(): number {
    return this.items.size;
  }

  add(id: string, value: V): void {
    const o = this.order(value);
    this.items.delete(id);
    if (o >= this.maxOrder) {
      this.maxOrder = o;
      this.items.set(id, value);
      return;
    }
    const entries = [...this.items.entries(), [id, value] as [string, V]].sort((a, b) => this.order(a[1]) - this.order(b[1]));
    this.items.clear();
    for (const [k, v] of entries) this.items.set(k, v);
  }

  delete(id: string): void {
    this.items.delete(id);
  }

  values(): IterableIterator<V> {
    return this.items.values();
  }
}

/** OrderedMaps by bucket key; empty buckets are dropped. */
class Buckets<V> {
  private readonly buckets = new Map<string, OrderedMap<V>>();

  constructor(private readonly order: (v: V) => number) {}

  add(key: string, id: string, value: V): void {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new OrderedMap(this.order)));
    b.add(id, value);
  }

  remove(key: string, id: string): void {
    const b = this.buckets.get(key);
    if (!b) return;
    b.delete(id);
    if (b.size === 0) this.buckets.delete(key);
  }

  get(key: string): OrderedMap<V> | undefined {
    return this.buckets.get(key);
  }

  keys(): IterableIterator<string> {
    return this.buckets.keys();
  }
}

const readySince = (s: Seat) => (s.state.kind === 'ready' ? s.state.since : 0);
const enqueued = (c: Call) => c.enqueuedAt;

export class AcdEngine {
  private cfg: RoutingConfig;
  private readonly clock: Clock;
  private readonly store: EngineStore;
  private readonly telephony: TelephonyPort;
  private readonly requireRegistration: boolean;
  private readonly ringGraceMs: number;
  private readonly listeners: EngineListener[] = [];

  private readonly seats = new Map<string, Seat>();
  private readonly calls = new Map<string, Call>();
  /** Ready seats by `category|centre|proficiency`, longest idle first. */
  private readonly ready = new Buckets<Seat>(readySince);
  /** Logged-in seats by the same key (for "can anyone ever take this call?"). */
  private readonly loggedIn = new Buckets<Seat>(() => 0);
  /** Waiting and ringing calls by `category|homeCentre`, then priority (high first), in enqueue order. */
  private readonly queues = new Map<string, PriorityFifos>();
  /** County calls shared to the city by overflow, by category, then priority. */
  private readonly shared = new Map<string, PriorityFifos>();
  /** Calls transferred to a named seat, waiting for that seat only (not in the queues above). */
  private readonly targeted = new Map<string, Call>();
  private cityCentreId: string;
  private centreLevel = new Map<string, 'city' | 'county'>();
  private generalCategoryIds = new Set<string>();
  private categoryByIvr = new Map<string, string>();
  private categoryIds = new Set<string>();

  private readonly callTimers = new Map<string, TimerHandle>();
  private readonly ringTimers = new Map<string, TimerHandle>();
  private readonly seatTimers = new Map<string, TimerHandle>();
  private readonly savedEventCount = new Map<string, number>();

  private depth = 0;
  private storageFailure: unknown = null;
  private readonly onStorageFailure: ((err: unknown) => void) | undefined;
  private outbox: Outbox[] = [];
  private dirtyCalls = new Set<Call>();
  private dirtySeats = new Set<Seat>();

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.store = opts.store;
    this.telephony = opts.telephony;
    this.requireRegistration = opts.requireRegistration ?? false;
    this.ringGraceMs = opts.ringGraceMs ?? 0;
    this.onStorageFailure = opts.onStorageFailure;
    this.cfg = opts.config;
    this.cityCentreId = '';
    this.indexConfig();
    for (const p of opts.seats) {
      this.seats.set(p.id, { profile: p, state: { kind: 'offline', since: this.clock.now() }, registered: false, missedAt: [] });
    }
  }

  // ------------------------------------------------------------------ queries

  get config(): RoutingConfig {
    return this.cfg;
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  getSeat(id: string): Seat {
    const seat = this.seats.get(id);
    if (!seat) throw new DomainError('NOT_FOUND', `No seat with id ${id}.`, { seatId: id });
    return seat;
  }

  listSeats(): Seat[] {
    return [...this.seats.values()];
  }

  getCall(id: string): Call | undefined {
    return this.calls.get(id);
  }

  /** Calls not yet ended (queued, ringing, talking, wrap-up), oldest first. */
  activeCalls(): Call[] {
    return [...this.calls.values()].sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  /** Queued and ringing calls in the order they will be served. */
  waitingCalls(): Call[] {
    return [...this.calls.values()]
      .filter((c) => c.state.kind === 'queued' || c.state.kind === 'ringing')
      .sort((a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
  }

  resolveCategory(ivrCode: string | null | undefined): string {
    return (ivrCode && this.categoryByIvr.get(ivrCode)) || this.generalCategoryId();
  }

  resolveHomeCentre(trunk: string | null | undefined, dialed: string): string {
    const hc = this.cfg.homeCentre;
    if (trunk && hc.byTrunk[trunk]) return hc.byTrunk[trunk]!;
    let best: string | null = null;
    for (const prefix of Object.keys(hc.byDialedPrefix)) {
      if (dialed.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
    }
    return best !== null ? hc.byDialedPrefix[best]! : hc.defaultCentreId;
  }

  priorityOf(flags: readonly CallerFlag[]): number {
    let p = 0;
    for (const f of flags) p = Math.max(p, this.cfg.flagPriorities[f] ?? 0);
    return p;
  }

  // ------------------------------------------------------------------ calls

  /** A call arrives for 12348. Returns the call as it stands after routing. */
  offerCall(input: IncomingCall): Call {
    if (this.calls.has(input.id)) {
      throw new DomainError('CONFLICT', `Call ${input.id} is already in the system.`, { callId: input.id });
    }
    return this.command(() => {
      const now = this.clock.now();
      const categoryId =
        input.categoryId && this.categoryIds.has(input.categoryId) ? input.categoryId : this.resolveCategory(input.ivrCode);
      const flags = [...new Set(input.flags ?? [])];
      const priority = input.priority ?? this.priorityOf(flags);
      const homeCentreId = this.resolveHomeCentre(input.trunk, input.dialed);
      const call: Call = {
        id: input.id,
        caller: input.caller,
        dialed: input.dialed,
        trunk: input.trunk ?? null,
        categoryId,
        homeCentreId,
        flags,
        priority,
        ticket12345: input.ticket12345 ?? null,
        enqueuedAt: now,
        offers: 0,
        maxOffers: Math.min(this.cfg.maxOfferAttempts, input.offerBudget ?? Infinity),
        sharedToCity: false,
        excludedSeats: [],
        state: { kind: 'queued', since: now },
        events: [{ type: 'enqueued', at: now, priority, categoryId, centreId: homeCentreId }],
      };
      if (input.transfer) {
        const { fromCallId, fromSeatId, targetSeatId } = input.transfer;
        call.transferredFrom = { callId: fromCallId, seatId: fromSeatId, seatName: this.seats.get(fromSeatId)?.profile.name ?? fromSeatId };
        call.events.push({ type: 'transferred-in', at: now, fromCallId, fromSeatId, targetSeatId });
        const target = targetSeatId ? this.seats.get(targetSeatId) : undefined;
        if (target && target.state.kind !== 'offline') call.target = { seatId: target.profile.id, until: now + this.cfg.ringTimeoutS * S };
        else if (targetSeatId) call.events.push({ type: 'transfer-fallback', at: now, seatId: targetSeatId });
      }
      this.calls.set(call.id, call);
      this.markCall(call);
      // Outside service hours: overflow; when no configured target applies, the call queues as usual.
      if (!periodAt(this.cfg.serviceCalendar, now, this.cfg.utcOffsetMinutes) && this.overflowCall(call, 'after-hours')) {
        return call;
      }
      this.addToQueue(call);
      if (call.maxOffers <= 0 && this.overflowCall(call, 'offers-exhausted')) return call;
      if (!this.canEverBeServed(call) && this.overflowCall(call, 'no-seat')) return call;
      if (!this.routeCall(call)) this.armCallTimer(call);
      return call;
    });
  }

  /** The seat answered (telephony saw the 200 OK). */
  answered(callId: string, seatId: string): Call {
    return this.command(() => {
      const call = this.activeCall(callId);
      if (call.state.kind !== 'ringing' || call.state.seatId !== seatId) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `Call ${callId} is not ringing at seat ${seatId} (it is ${call.state.kind}); the answer came too late.`,
          { callId, seatId, state: call.state.kind },
        );
      }
      const now = this.clock.now();
      this.clearRingTimer(callId);
      this.clearCallTimer(callId);
      this.removeFromQueue(call);
      this.moveCall(call, { kind: 'talking', since: now, seatId });
      call.events.push({ type: 'answered', at: now, seatId });
      this.moveSeat(this.getSeat(seatId), { kind: 'talking', since: now, callId });
      return call;
    });
  }

  /** The seat let the offer ring out (telephony's timer) or the engine's own timer fired. */
  ringTimeout(callId: string, seatId: string, attempt?: number): Call | undefined {
    return this.command(() => {
      const call = this.calls.get(callId);
      if (!call || call.state.kind !== 'ringing' || call.state.seatId !== seatId) return call; // stale
      if (attempt !== undefined && call.state.attempt !== attempt) return call; // stale
      const now = this.clock.now();
      call.events.push({ type: 'ring-timeout', at: now, seatId, attempt: call.state.attempt });
      this.outbox.push({ kind: 'cancel-ring', call, seatId });
      this.missedOffer(this.getSeat(seatId), now);
      this.requeueAfterFailedOffer(call, seatId);
      return call;
    });
  }

  /** The seat declined the offer: the call goes back to the queue keeping its place. */
  declined(callId: string, seatId: string): Call {
    return this.command(() => {
      const call = this.activeCall(callId);
      if (call.state.kind !== 'ringing' || call.state.seatId !== seatId) {
        throw new DomainError('INVALID_TRANSITION', `Call ${callId} is not ringing at seat ${seatId}; nothing to decline.`, {
          callId,
          seatId,
        });
      }
      const now = this.clock.now();
      call.events.push({ type: 'declined', at: now, seatId, attempt: call.state.attempt });
      this.outbox.push({ kind: 'cancel-ring', call, seatId });
      const seat = this.getSeat(seatId);
      this.moveSeat(seat, { kind: 'ready', since: now });
      this.requeueAfterFailedOffer(call, seatId);
      this.routeSeat(seat); // the seat is free for other waiting calls
      return call;
    });
  }

  /** Either side hung up, or the caller gave up waiting. */
  hangup(callId: string, by: HangupSide): Call {
    return this.command(() => {
      const call = this.activeCall(callId);
      const now = this.clock.now();
      const st = call.state;
      switch (st.kind) {
        case 'queued':
          this.abandon(call, 'queue', now);
          break;
        case 'ringing': {
          this.abandon(call, 'ringing', now);
          const seat = this.getSeat(st.seatId);
          this.outbox.push({ kind: 'cancel-ring', call, seatId: st.seatId });
          // The seat keeps its place among idle seats: the call was not its fault.
          const idleSince = seat.state.kind === 'ringing' ? seat.state.idleSince : now;
          this.moveSeat(seat, { kind: 'ready', since: idleSince });
          this.routeSeat(seat);
          break;
        }
        case 'talking': {
          call.events.push({ type: 'hung-up', at: now, by });
          this.moveCall(call, { kind: 'wrap-up', since: now, seatId: st.seatId, hungUpBy: by });
          this.startWrapUp(this.getSeat(st.seatId), call, now);
          break;
        }
        case 'wrap-up':
        case 'ended':
        case 'abandoned':
        case 'overflowed':
        case 'timed-out':
          throw new DomainError('INVALID_TRANSITION', `Call ${callId} has already been hung up (${st.kind}).`, { callId });
        default:
          assertNever(st, 'call state');
      }
      return call;
    });
  }

  /** Telephony gave up on a queued call (its own queue timer or branch budget). */
  timedOut(callId: string): Call {
    return this.command(() => {
      const call = this.activeCall(callId);
      const now = this.clock.now();
      if (call.state.kind === 'ringing') this.releaseRingingSeat(call, now);
      this.leaveQueue(call, { kind: 'timed-out', since: now });
      call.events.push({ type: 'timed-out', at: now });
      return call;
    });
  }

  hold(callId: string): Call {
    return this.talkingEvent(callId, 'held');
  }

  resume(callId: string): Call {
    return this.talkingEvent(callId, 'resumed');
  }

  // ------------------------------------------------------------------ seats

  setSeatReady(seatId: string): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      if (seat.state.kind === 'ready') return seat;
      if (seat.state.kind === 'wrap-up') {
        this.assertSummaryFiled(seat.state.callId, seatId);
        return this.finishWrapUp(seat);
      }
      refuseWhileRinging(seat);
      this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
      this.routeSeat(seat);
      return seat;
    });
  }

  setSeatNotReady(seatId: string, reason: NotReadyReason): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      const now = this.clock.now();
      if (seat.state.kind === 'wrap-up') {
        this.assertSummaryFiled(seat.state.callId, seatId);
        this.endCallWrapUp(seat, seat.state.callId, now);
      }
      refuseWhileRinging(seat);
      this.moveSeat(seat, { kind: 'not-ready', since: now, reason, autoReadyAt: null });
      return seat;
    });
  }

  /**
   * Signs the seat off. `bySeat` is the seat's own request, which waits for an unfiled
   * summary like any other way out of wrap-up; the system (a console gone for good) does not.
   */
  setSeatOffline(seatId: string, opts: { bySeat?: boolean } = {}): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      if (seat.state.kind === 'offline') return seat;
      const now = this.clock.now();
      refuseWhileRinging(seat);
      if (seat.state.kind === 'wrap-up') {
        if (opts.bySeat) this.assertSummaryFiled(seat.state.callId, seatId);
        this.endCallWrapUp(seat, seat.state.callId, now);
      }
      this.moveSeat(seat, { kind: 'offline', since: now });
      this.overflowOrphanedCalls();
      return seat;
    });
  }

  extendWrapUp(seatId: string): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      const st = seat.state;
      if (st.kind !== 'wrap-up') {
        throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 不在话后整理中(当前:${SEAT_STATE_LABELS[st.kind]}),无法延长。`, { seatId });
      }
      if (st.extensions >= this.cfg.wrapUp.maxExtensions) {
        throw new DomainError(
          'CONFLICT',
          `话后整理最多延长 ${this.cfg.wrapUp.maxExtensions} 次,请完成小结或切换为示忙。`,
          { seatId },
        );
      }
      const until = Math.max(st.until, this.clock.now()) + this.cfg.wrapUp.extendS * S;
      this.moveSeat(seat, { ...st, until, extensions: st.extensions + 1 });
      this.armSeatTimer(seat);
      return seat;
    });
  }

  /** The seat finished its wrap-up early: it becomes ready. */
  endWrapUp(seatId: string): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      if (seat.state.kind !== 'wrap-up') {
        throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 不在话后整理中(当前:${SEAT_STATE_LABELS[seat.state.kind]})。`, { seatId });
      }
      this.assertSummaryFiled(seat.state.callId, seatId);
      return this.finishWrapUp(seat);
    });
  }

  /**
   * The seat filed the call's summary. A wrap-up whose time already ran out ends now; one
   * with time left runs on (the seat may still end it early). A summary of a call the engine
   * no longer holds (amended later, filed after a forced sign-off) changes nothing here.
   */
  summaryFiled(callId: string, seatId: string): Call | undefined {
    return this.command(() => {
      const call = this.calls.get(callId);
      if (!call) return undefined;
      if (!call.events.some((e) => e.type === 'summary-filed')) {
        call.events.push({ type: 'summary-filed', at: this.clock.now(), seatId });
        this.markCall(call);
      }
      const seat = this.seats.get(seatId);
      if (seat && seat.state.kind === 'wrap-up' && seat.state.callId === callId && seat.state.until <= this.clock.now()) {
        this.finishWrapUp(seat);
      }
      return call;
    });
  }

  /** Whether the seat may leave the wrap-up of this call (the summary gate). */
  summaryMissing(callId: string): boolean {
    if (!this.cfg.wrapUp.requireSummary) return false;
    const call = this.calls.get(callId);
    return call !== undefined && !call.events.some((e) => e.type === 'summary-filed');
  }

  private assertSummaryFiled(callId: string, seatId: string): void {
    if (this.summaryMissing(callId)) {
      throw new DomainError('CONFLICT', '请先提交本次通话的小结(必填项填写完整)再结束话后整理。', { seatId, callId, reason: 'summary-missing' });
    }
  }

  /**
   * Holds a ready seat for a consultation (咨询转接): it gets no queue calls, only the
   * transferred call that names it. It is ready again on release, or by itself after
   * CONSULT_HOLD_MS if the consulting seat never completes nor cancels.
   */
  reserveForConsult(seatId: string): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      const st = seat.state;
      if (st.kind === 'not-ready' && st.reason === 'consult') return seat;
      if (st.kind !== 'ready' || !this.seatUsable(seat)) {
        throw new DomainError('CONFLICT', `坐席 ${seat.profile.name} 当前${SEAT_STATE_LABELS[st.kind]},不能接受咨询转接,请选择空闲的坐席。`, {
          seatId,
          state: st.kind,
        });
      }
      const now = this.clock.now();
      this.moveSeat(seat, { kind: 'not-ready', since: now, reason: 'consult', autoReadyAt: now + CONSULT_HOLD_MS });
      return seat;
    });
  }

  /** Ends a consultation hold: the seat is ready again (nothing happens if it moved on). */
  releaseConsult(seatId: string): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      const st = seat.state;
      if (st.kind !== 'not-ready' || st.reason !== 'consult') return seat;
      this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
      this.routeSeat(seat);
      return seat;
    });
  }

  setRegistered(seatId: string, registered: boolean): Seat {
    return this.command(() => {
      const seat = this.getSeat(seatId);
      if (seat.registered === registered) return seat;
      this.unindexSeat(seat);
      seat.registered = registered;
      this.indexSeat(seat);
      this.dirtySeats.add(seat);
      // Unregistering only stops offers: the console is still signed in, and the phone
      // usually comes back (max wait still bounds how long a caller waits).
      if (registered && seat.state.kind === 'ready') this.routeSeat(seat);
      return seat;
    });
  }

  /** Adds a seat or changes its profile (skills, centre). */
  upsertSeat(profile: SeatProfile): Seat {
    return this.command(() => {
      const existing = this.seats.get(profile.id);
      if (!existing) {
        const seat: Seat = { profile, state: { kind: 'offline', since: this.clock.now() }, registered: false, missedAt: [] };
        this.seats.set(profile.id, seat);
        this.dirtySeats.add(seat);
        return seat;
      }
      this.unindexSeat(existing);
      existing.profile = profile;
      this.indexSeat(existing);
      this.dirtySeats.add(existing);
      if (existing.state.kind === 'ready') this.routeSeat(existing);
      this.overflowOrphanedCalls(); // a skill taken away may leave calls nobody can take
      return existing;
    });
  }

  /** New routing configuration: waiting calls keep their places; timers and matches are redone. */
  updateConfig(cfg: RoutingConfig): void {
    this.command(() => {
      for (const seat of this.seats.values()) this.unindexSeat(seat);
      const waiting = this.waitingCalls();
      for (const c of waiting) this.removeFromQueue(c);
      this.cfg = cfg;
      this.indexConfig();
      for (const seat of this.seats.values()) this.indexSeat(seat);
      for (const c of [...waiting].sort((a, b) => a.enqueuedAt - b.enqueuedAt)) {
        if (!this.categoryIds.has(c.categoryId)) {
          c.categoryId = this.generalCategoryId();
          c.events.push({ type: 'recategorized', at: this.clock.now(), categoryId: c.categoryId });
          this.markCall(c);
        }
        c.maxOffers = Math.min(c.maxOffers, cfg.maxOfferAttempts);
        this.addToQueue(c);
      }
      for (const c of waiting) {
        if (c.state.kind !== 'queued') continue;
        if (!this.canEverBeServed(c) && this.overflowCall(c, 'no-seat')) continue;
        this.onCallTimer(c);
      }
    });
  }

  /**
   * Restart: puts back the calls and seat states read from the store and re-arms
   * every timer relative to the recorded times.
   */
  restore(calls: Call[], seatStates: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[]): void {
    this.command(() => {
      for (const s of seatStates) {
        const seat = this.seats.get(s.id);
        if (!seat) continue;
        this.unindexSeat(seat);
        seat.state = s.state;
        seat.registered = s.registered;
        seat.missedAt = s.missedAt;
        this.indexSeat(seat);
      }
      for (const call of [...calls].sort((a, b) => a.enqueuedAt - b.enqueuedAt)) {
        if (isTerminal(call.state.kind)) continue;
        this.calls.set(call.id, call);
        this.savedEventCount.set(call.id, call.events.length);
        if (call.state.kind === 'queued' || call.state.kind === 'ringing') this.addToQueue(call);
        if (call.state.kind === 'ringing') this.armRingTimer(call, call.state.since);
      }
      for (const seat of this.seats.values()) this.armSeatTimer(seat);
      for (const call of this.waitingCalls()) this.onCallTimer(call); // queued: route or re-arm; ringing: re-arm
    });
  }

  /** Stops every timer; the engine must not be used afterwards. */
  dispose(): void {
    for (const timers of [this.callTimers, this.ringTimers, this.seatTimers]) {
      for (const t of timers.values()) this.clock.clearTimeout(t);
      timers.clear();
    }
    this.listeners.length = 0;
  }

  // ------------------------------------------------------------------ command plumbing

  /**
   * Runs a change as one unit: state moves inside one durable transaction, then
   * telephony actions and notifications go out once the state is stored.
   */
  private command<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    if (this.storageFailure !== null) {
      throw new DomainError('UNAVAILABLE', '路由服务因存储故障已停止,正在等待重启恢复。', { cause: String(this.storageFailure) });
    }
    this.depth++;
    let result: T;
    try {
      result = this.store.transaction(() => {
        const r = fn();
        this.persistDirty();
        return r;
      });
    } catch (err) {
      this.outbox = [];
      this.dirtyCalls.clear();
      this.dirtySeats.clear();
      if (!(err instanceof DomainError)) {
        this.storageFailure = err;
        this.dispose();
        this.onStorageFailure?.(err);
      }
      throw err;
    } finally {
      this.depth--;
    }
    this.flush();
    return result;
  }

  private persistDirty(): void {
    for (const call of this.dirtyCalls) {
      const saved = this.savedEventCount.get(call.id) ?? 0;
      this.store.saveCall(call, call.events.slice(saved));
      this.savedEventCount.set(call.id, call.events.length);
    }
    for (const seat of this.dirtySeats) this.store.saveSeatState(seat);
  }

  private flush(): void {
    const outbox = this.outbox;
    const calls = [...this.dirtyCalls];
    const seats = [...this.dirtySeats];
    this.outbox = [];
    this.dirtyCalls.clear();
    this.dirtySeats.clear();
    for (const call of calls) {
      if (isTerminal(call.state.kind)) {
        this.calls.delete(call.id);
        this.savedEventCount.delete(call.id);
      }
    }
    for (const o of outbox) {
      switch (o.kind) {
        case 'ring':
          this.telephony.ring(o.call, o.seatId, o.ringMs);
          break;
        case 'overflow':
          this.telephony.overflow(o.call, o.target, o.trigger);
          break;
        case 'cancel-ring':
          this.telephony.cancelRing(o.call, o.seatId);
          break;
        default:
          assertNever(o, 'outbox entry');
      }
    }
    for (const l of this.listeners) {
      for (const s of seats) l.seatChanged?.(s);
      for (const c of calls) l.callChanged?.(c);
    }
  }

  private markCall(call: Call): void {
    this.dirtyCalls.add(call);
  }

  // ------------------------------------------------------------------ state moves

  private moveCall(call: Call, next: CallState): void {
    assertCallMove(call.id, call.state.kind, next.kind);
    call.state = next;
    this.markCall(call);
  }

  private moveSeat(seat: Seat, next: SeatState): void {
    assertSeatMove(seat.profile.id, seat.state.kind, next.kind);
    this.unindexSeat(seat);
    seat.state = next;
    this.indexSeat(seat);
    this.dirtySeats.add(seat);
    this.armSeatTimer(seat);
  }

  private activeCall(callId: string): Call {
    const call = this.calls.get(callId);
    if (!call) throw new DomainError('NOT_FOUND', `No active call with id ${callId}; it may have ended already.`, { callId });
    return call;
  }

  private talkingEvent(callId: string, type: 'held' | 'resumed'): Call {
    return this.command(() => {
      const call = this.activeCall(callId);
      if (call.state.kind !== 'talking') {
        throw new DomainError('INVALID_TRANSITION', `Call ${callId} is ${call.state.kind}; only a call in progress can be put on hold or resumed.`, { callId });
      }
      call.events.push({ type, at: this.clock.now() });
      this.markCall(call);
      return call;
    });
  }

  private abandon(call: Call, where: 'queue' | 'ringing', now: number): void {
    this.leaveQueue(call, { kind: 'abandoned', since: now, where });
    call.events.push({ type: 'abandoned', at: now, where });
  }

  private leaveQueue(call: Call, next: CallState): void {
    this.clearCallTimer(call.id);
    this.clearRingTimer(call.id);
    this.removeFromQueue(call);
    this.moveCall(call, next);
  }

  private releaseRingingSeat(call: Call, now: number): void {
    if (call.state.kind !== 'ringing') return;
    const seat = this.getSeat(call.state.seatId);
    this.outbox.push({ kind: 'cancel-ring', call, seatId: call.state.seatId });
    const idleSince = seat.state.kind === 'ringing' ? seat.state.idleSince : now;
    this.moveSeat(seat, { kind: 'ready', since: idleSince });
    this.routeSeat(seat); // free for another waiting call (this one is still ringing, so it is skipped)
  }

  private requeueAfterFailedOffer(call: Call, seatId: string): void {
    this.clearRingTimer(call.id);
    if (!call.excludedSeats.includes(seatId)) call.excludedSeats.push(seatId);
    this.moveCall(call, { kind: 'queued', since: this.clock.now() });
    this.dropTarget(call);
    if (call.offers >= call.maxOffers) {
      this.overflowCall(call, 'offers-exhausted');
      return;
    }
    if (this.clock.now() >= this.maxWaitDeadline(call) && this.overflowCall(call, 'max-wait')) return;
    if (!this.canEverBeServed(call) && this.overflowCall(call, 'no-seat')) return;
    if (!this.routeCall(call)) this.armCallTimer(call);
  }

  private missedOffer(seat: Seat, now: number): void {
    const windowMs = this.cfg.missedOffer.windowS * S;
    seat.missedAt = [...seat.missedAt.filter((t) => now - t < windowMs), now];
    const steps = this.cfg.missedOffer.steps;
    const step = steps[Math.min(seat.missedAt.length, steps.length) - 1]!;
    const autoReadyAt = step.autoReadyAfterS === null ? null : now + step.autoReadyAfterS * S;
    this.moveSeat(seat, { kind: 'not-ready', since: now, reason: 'missed', autoReadyAt });
  }

  private startWrapUp(seat: Seat, call: Call, now: number): void {
    const until = now + this.cfg.wrapUp.seconds * S;
    this.moveSeat(seat, { kind: 'wrap-up', since: now, callId: call.id, until, extensions: 0 });
  }

  private endCallWrapUp(seat: Seat, callId: string, now: number): void {
    const call = this.calls.get(callId);
    if (call && call.state.kind === 'wrap-up') {
      call.events.push({ type: 'wrap-up-ended', at: now, seatId: seat.profile.id });
      this.moveCall(call, { kind: 'ended', since: now, seatId: seat.profile.id });
    }
  }

  private finishWrapUp(seat: Seat): Seat {
    if (seat.state.kind !== 'wrap-up') return seat;
    const now = this.clock.now();
    this.endCallWrapUp(seat, seat.state.callId, now);
    this.moveSeat(seat, { kind: 'ready', since: now });
    this.routeSeat(seat);
    return seat;
  }

  /**
   * Tries the configured overflow targets for a trigger. Returns true when the call
   * left the queue; false when the only applicable target kept it waiting (shared
   * to the city) or no target applied.
   */
  private overflowCall(call: Call, trigger: OverflowTrigger): boolean {
    const now = this.clock.now();
    for (const target of this.policy(call).overflow[trigger]) {
      switch (target) {
        case 'city': {
          if (this.centreLevel.get(call.homeCentreId) !== 'county' || this.cityEligible(call, now)) continue;
          if (trigger === 'after-hours') continue; // the city keeps the same hours
          call.sharedToCity = true;
          call.events.push({ type: 'shared-to-city', at: now, trigger });
          this.markCall(call);
          this.addToShared(call);
          if (trigger === 'no-seat' && !this.canEverBeServed(call)) continue;
          if (!this.routeCall(call)) this.armCallTimer(call);
          return false;
        }
        case '12345':
        case 'callback': {
          if (call.state.kind === 'ringing') this.releaseRingingSeat(call, now);
          this.leaveQueue(call, { kind: 'overflowed', since: now, target, trigger });
          call.events.push({ type: 'overflowed', at: now, target, trigger });
          this.outbox.push({ kind: 'overflow', call, target, trigger });
          return true;
        }
        default:
          assertNever(target, 'overflow target');
      }
    }
    return false;
  }

  /** After a seat logs out or unregisters: calls nobody logged in can ever take overflow. */
  private overflowOrphanedCalls(): void {
    for (const call of this.waitingCalls()) {
      if (call.state.kind === 'queued' && !this.canEverBeServed(call)) this.overflowCall(call, 'no-seat');
    }
  }

  // ------------------------------------------------------------------ timers

  private armCallTimer(call: Call): void {
    this.clearCallTimer(call.id);
    if (call.state.kind !== 'queued' && call.state.kind !== 'ringing') return;
    const p = this.policy(call);
    const deadlines = [p.lowerProficiencyAfterS, p.generalAfterS, p.cityAfterS]
      .filter((s): s is number => s !== null)
      .map((s) => call.enqueuedAt + s * S)
      .concat(this.maxWaitDeadline(call), call.target ? [call.target.until] : [])
      .filter((t) => t > this.clock.now());
    if (deadlines.length === 0) return;
    const at = Math.min(...deadlines);
    const id = call.id;
    this.callTimers.set(
      id,
      this.clock.setTimeout(() => {
        this.callTimers.delete(id);
        const c = this.calls.get(id);
        if (c) this.command(() => this.onCallTimer(c));
      }, at - this.clock.now()),
    );
  }

  /** An expansion step or the maximum wait came due (or config changed). */
  private onCallTimer(call: Call): void {
    if (call.state.kind !== 'queued' && call.state.kind !== 'ringing') return;
    const now = this.clock.now();
    const exp = this.expansion(call, now);
    const lastStep = this.lastRecordedStep(call);
    if (exp.step > lastStep) {
      call.events.push({ type: 'expanded', at: now, step: exp.step });
      this.markCall(call);
    }
    if (call.state.kind === 'queued') {
      if (call.target && now >= call.target.until) this.dropTarget(call);
      if (now >= this.maxWaitDeadline(call) && this.overflowCall(call, 'max-wait')) return;
      if (call.state.kind === 'queued' && this.routeCall(call)) return;
    }
    this.armCallTimer(call);
  }

  /** Max wait from enqueue; a call shared to the city on max-wait gets one more period there. */
  private maxWaitDeadline(call: Call): number {
    const periods = 1 + call.events.filter((e) => e.type === 'shared-to-city' && e.trigger === 'max-wait').length;
    return call.enqueuedAt + periods * this.policy(call).maxWaitS * S;
  }

  private lastRecordedStep(call: Call): number {
    for (let i = call.events.length - 1; i >= 0; i--) {
      const e = call.events[i]!;
      if (e.type === 'expanded') return e.step;
    }
    return 0;
  }

  private clearCallTimer(callId: string): void {
    const t = this.callTimers.get(callId);
    if (t) this.clock.clearTimeout(t);
    this.callTimers.delete(callId);
  }

  private armRingTimer(call: Call, since: number): void {
    if (call.state.kind !== 'ringing') return;
    this.clearRingTimer(call.id);
    const { seatId, attempt } = call.state;
    const due = since + this.cfg.ringTimeoutS * S + this.ringGraceMs;
    const id = call.id;
    this.ringTimers.set(
      id,
      this.clock.setTimeout(() => {
        this.ringTimers.delete(id);
        this.ringTimeout(id, seatId, attempt);
      }, due - this.clock.now()),
    );
  }

  private clearRingTimer(callId: string): void {
    const t = this.ringTimers.get(callId);
    if (t) this.clock.clearTimeout(t);
    this.ringTimers.delete(callId);
  }

  /** Wrap-up end and automatic return from a missed-offer not-ready. */
  private armSeatTimer(seat: Seat): void {
    const id = seat.profile.id;
    const old = this.seatTimers.get(id);
    if (old) this.clock.clearTimeout(old);
    this.seatTimers.delete(id);
    const st = seat.state;
    let at: number | null = null;
    if (st.kind === 'wrap-up') at = st.until;
    else if (st.kind === 'not-ready' && st.autoReadyAt !== null) at = st.autoReadyAt;
    if (at === null) return;
    const expect = st;
    this.seatTimers.set(
      id,
      this.clock.setTimeout(() => {
        this.seatTimers.delete(id);
        if (seat.state !== expect) return; // stale: the seat moved on
        this.command(() => {
          // Time is up but no summary yet: the seat stays in wrap-up, overdue, until it files one.
          if (seat.state.kind === 'wrap-up') {
            if (!this.summaryMissing(seat.state.callId)) this.finishWrapUp(seat);
          }
          else if (seat.state.kind === 'not-ready') {
            this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
            this.routeSeat(seat);
          }
        });
      }, at - this.clock.now()),
    );
  }

  // ------------------------------------------------------------------ routing

  private policy(call: Call): CategoryPolicy {
    return policyFor(this.cfg, call.categoryId);
  }

  private expansion(call: Call, now: number): Expansion {
    const p = this.policy(call);
    const waited = now - call.enqueuedAt;
    const reached = (s: number | null) => s !== null && waited >= s * S;
    const lowered = reached(p.lowerProficiencyAfterS);
    const general = reached(p.generalAfterS);
    const city = this.centreLevel.get(call.homeCentreId) === 'county' && reached(p.cityAfterS);
    const step = city ? 3 : general ? 2 : lowered ? 1 : 0;
    return { lowered, general, city, step };
  }

  private cityEligible(call: Call, now: number): boolean {
    return call.sharedToCity || this.expansion(call, now).city;
  }

  private minProficiency(call: Call, exp: Expansion): number {
    const p = this.policy(call);
    return exp.lowered ? Math.min(p.expandedMinProficiency, p.initialMinProficiency) : p.initialMinProficiency;
  }

  /** Whether calls can be offered to this seat's phone (registered, when registration is required). */
  isReachable(seatId: string): boolean {
    return this.seatUsable(this.getSeat(seatId));
  }

  private seatUsable(seat: Seat): boolean {
    return !this.requireRegistration || seat.registered;
  }

  /** Finds the best ready seat for a waiting call and offers it. */
  private routeCall(call: Call): boolean {
    if (call.state.kind !== 'queued') return false;
    if (call.target) return this.routeTargeted(call);
    const now = this.clock.now();
    const exp = this.expansion(call, now);
    const choice = this.bestSeatFor(call, exp, now);
    if (!choice) return false;
    this.offer(call, choice.seat, choice.why);
    return true;
  }

  private bestSeatFor(call: Call, exp: Expansion, now: number): { seat: Seat; why: RoutingReason } | null {
    const excluded = call.excludedSeats;
    // Sticky: the seat that last helped this caller, if ready now.
    const stickyS = this.policy(call).stickyWindowS;
    if (stickyS > 0 && call.offers === 0) {
      const sid = this.store.lastAnsweringSeat(call.caller, now - stickyS * S);
      const seat = sid ? this.seats.get(sid) : undefined;
      const skilled = seat && Object.keys(seat.profile.skills).some((c) => c === call.categoryId || this.generalCategoryIds.has(c));
      if (seat && skilled && seat.state.kind === 'ready' && this.seatUsable(seat) && !excluded.includes(sid!)) {
        return { seat, why: { rule: 'sticky', step: exp.step, proficiency: seat.profile.skills[call.categoryId] ?? null, considered: 1, alternatives: [] } };
      }
    }
    const centres = [call.homeCentreId];
    if (call.homeCentreId !== this.cityCentreId && (exp.city || call.sharedToCity)) centres.push(this.cityCentreId);
    const minProf = this.minProficiency(call, exp);
    const initialProf = this.policy(call).initialMinProficiency;
    const found: { seat: Seat; prof: number | null; rule: RoutingReason['rule'] }[] = [];
    let considered = 0;
    const take = (bucket: OrderedMap<Seat> | undefined, prof: number | null, rule: RoutingReason['rule']) => {
      if (!bucket) return;
      considered += bucket.size;
      for (const seat of bucket.values()) {
        if (found.length >= 4) return;
        if (excluded.includes(seat.profile.id) || found.some((f) => f.seat === seat)) continue;
        found.push({ seat, prof, rule });
      }
    };
    for (const centre of centres) {
      const rule = centre === call.homeCentreId ? null : 'city';
      for (let prof = 5; prof >= minProf; prof--) {
        take(this.ready.get(`${call.categoryId}|${centre}|${prof}`), prof, rule ?? (prof >= initialProf ? 'skill' : 'expanded-proficiency'));
      }
      if (exp.general) {
        for (const g of this.generalCategoryIds) {
          for (let prof = 5; prof >= 1; prof--) take(this.ready.get(`${g}|${centre}|${prof}`), null, rule ?? 'general');
        }
      }
      if (found.length > 0) break; // the home centre answers its own callers first
    }
    const best = found[0];
    if (!best) return null;
    return {
      seat: best.seat,
      why: {
        rule: best.rule,
        step: exp.step,
        proficiency: best.prof,
        considered,
        alternatives: found.slice(1).map((f) => f.seat.profile.id),
      },
    };
  }

  /**
   * A call transferred to a named seat: offered to that seat when it is ready, or held for
   * this consultation (咨询转接); otherwise it waits for that seat only, until its target time.
   */
  private routeTargeted(call: Call): boolean {
    const seat = call.target ? this.seats.get(call.target.seatId) : undefined;
    if (!seat || !this.seatUsable(seat)) return false;
    const st = seat.state;
    if (st.kind === 'not-ready' && st.reason === 'consult') {
      this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
    } else if (st.kind !== 'ready') {
      return false;
    }
    const why: RoutingReason = { rule: 'transfer', step: 0, proficiency: seat.profile.skills[call.categoryId] ?? null, considered: 1, alternatives: [] };
    this.offer(call, seat, why);
    return true;
  }

  /** The named seat of a transfer cannot take the call: it joins its category's queue, keeping its priority. */
  private dropTarget(call: Call): void {
    if (!call.target) return;
    const seatId = call.target.seatId;
    this.removeFromQueue(call);
    call.target = null;
    call.events.push({ type: 'transfer-fallback', at: this.clock.now(), seatId });
    this.markCall(call);
    if (call.state.kind === 'queued' || call.state.kind === 'ringing') this.addToQueue(call);
  }

  /** A seat became ready: give it the best waiting call it may take. */
  private routeSeat(seat: Seat): boolean {
    if (seat.state.kind !== 'ready' || !this.seatUsable(seat)) return false;
    const now = this.clock.now();
    const sid = seat.profile.id;
    for (const c of this.targeted.values()) {
      if (c.state.kind === 'queued' && c.target?.seatId === sid) return this.routeTargeted(c);
    }
    const isCity = seat.profile.centreId === this.cityCentreId;
    const skills = seat.profile.skills;
    const hasGeneral = Object.keys(skills).some((c) => this.generalCategoryIds.has(c));
    let best: Call | null = null;
    let considered = 0;

    const better = (c: Call) => !best || c.priority > best.priority || (c.priority === best.priority && c.enqueuedAt < best.enqueuedAt);
    /** Scans one FIFO; stops at the first call the seat is too early for (older calls are more expanded). */
    const scan = (fifo: OrderedMap<Call>, eligible: (c: Call, exp: Expansion) => boolean, sharedOnly: boolean) => {
      for (const c of fifo.values()) {
        if (best && !better(c)) return;
        considered++;
        if (c.state.kind !== 'queued' || c.excludedSeats.includes(sid)) continue;
        if (!sharedOnly && c.sharedToCity && c.homeCentreId !== seat.profile.centreId) continue; // seen in the shared index
        const exp = this.expansion(c, now);
        if (eligible(c, exp)) {
          best = c;
          return;
        }
        if (!sharedOnly) return;
      }
    };
    const canTake = (c: Call, exp: Expansion, cityOk: boolean) => {
      if (!cityOk) return false;
      const prof = skills[c.categoryId];
      if (prof !== undefined && prof >= this.minProficiency(c, exp)) return true;
      return hasGeneral && exp.general;
    };

    for (const [key, byPriority] of this.queues) {
      const [cat, homeCentre] = key.split('|') as [string, string];
      const own = homeCentre === seat.profile.centreId;
      if (!own && !isCity) continue;
      if (skills[cat] === undefined && !hasGeneral) continue;
      for (const fifo of byPriority.values()) scan(fifo, (c, exp) => canTake(c, exp, own || exp.city), false);
    }
    if (isCity) {
      for (const byPriority of this.shared.values()) {
        for (const fifo of byPriority.values()) scan(fifo, (c, exp) => canTake(c, exp, true), true);
      }
    }
    const chosen = best as Call | null;
    if (!chosen) return false;
    const exp = this.expansion(chosen, now);
    this.offer(chosen, seat, {
      rule: 'oldest-eligible-call',
      step: exp.step,
      proficiency: skills[chosen.categoryId] ?? null,
      considered,
      alternatives: [],
    });
    return true;
  }

  private offer(call: Call, seat: Seat, why: RoutingReason): void {
    const now = this.clock.now();
    const attempt = call.offers + 1;
    call.offers = attempt;
    this.clearCallTimer(call.id);
    this.moveCall(call, { kind: 'ringing', since: now, seatId: seat.profile.id, attempt });
    call.events.push({ type: 'offered', at: now, seatId: seat.profile.id, attempt, why });
    const idleSince = seat.state.kind === 'ready' ? seat.state.since : now;
    this.moveSeat(seat, { kind: 'ringing', since: now, callId: call.id, attempt, idleSince });
    this.armRingTimer(call, now);
    this.armCallTimer(call); // max-wait is checked again if the ring fails
    this.outbox.push({ kind: 'ring', call, seatId: seat.profile.id, ringMs: this.cfg.ringTimeoutS * S });
  }

  /** Whether any logged-in seat could take the call once fully expanded. */
  private canEverBeServed(call: Call): boolean {
    const p = this.policy(call);
    const minProf = Math.min(p.initialMinProficiency, p.lowerProficiencyAfterS === null ? 5 : p.expandedMinProficiency);
    const centres = [call.homeCentreId];
    if (call.homeCentreId !== this.cityCentreId && (p.cityAfterS !== null || call.sharedToCity)) centres.push(this.cityCentreId);
    // a seat that already missed or declined this call will not be offered it again
    const anyone = (key: string) => {
      const bucket = this.loggedIn.get(key);
      if (!bucket) return false;
      if (call.excludedSeats.length === 0) return true;
      for (const seat of bucket.values()) if (!call.excludedSeats.includes(seat.profile.id)) return true;
      return false;
    };
    for (const centre of centres) {
      for (let prof = 5; prof >= minProf; prof--) {
        if (anyone(`${call.categoryId}|${centre}|${prof}`)) return true;
      }
      if (p.generalAfterS !== null) {
        for (const g of this.generalCategoryIds) {
          for (let prof = 5; prof >= 1; prof--) if (anyone(`${g}|${centre}|${prof}`)) return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ indexes

  private indexConfig(): void {
    const city = this.cfg.centres.find((c) => c.level === 'city');
    this.cityCentreId = city?.id ?? this.cfg.homeCentre.defaultCentreId;
    this.centreLevel = new Map(this.cfg.centres.map((c) => [c.id, c.level]));
    this.generalCategoryIds = new Set(this.cfg.categories.filter((c) => c.general).map((c) => c.id));
    this.categoryIds = new Set(this.cfg.categories.map((c) => c.id));
    this.categoryByIvr = new Map(this.cfg.categories.flatMap((c) => c.ivrCodes.map((code) => [code, c.id] as [string, string])));
  }

  private generalCategoryId(): string {
    return this.generalCategoryIds.values().next().value ?? this.cfg.categories[0]!.id;
  }

  private seatKeys(seat: Seat): string[] {
    return Object.entries(seat.profile.skills)
      .filter(([cat]) => this.categoryIds.has(cat))
      .map(([cat, prof]) => `${cat}|${seat.profile.centreId}|${prof}`);
  }

  /**
   * `loggedIn` answers "could anyone ever take this call": a signed-in console counts
   * even while its softphone re-registers (a network blip must not send every waiting
   * caller to overflow). `ready` is who can be offered a call now: registration required.
   */
  private indexSeat(seat: Seat): void {
    const keys = this.seatKeys(seat);
    if (seat.state.kind !== 'offline') for (const k of keys) this.loggedIn.add(k, seat.profile.id, seat);
    if (seat.state.kind === 'ready' && this.seatUsable(seat)) {
      for (const k of keys) this.ready.add(k, seat.profile.id, seat);
    }
  }

  private unindexSeat(seat: Seat): void {
    for (const k of this.seatKeys(seat)) {
      this.ready.remove(k, seat.profile.id);
      this.loggedIn.remove(k, seat.profile.id);
    }
  }

  private addToQueue(call: Call): void {
    if (call.target) {
      this.targeted.set(call.id, call);
      return;
    }
    const key = `${call.categoryId}|${call.homeCentreId}`;
    insertFifo(this.queues, key, call);
    if (call.sharedToCity) this.addToShared(call);
  }

  private addToShared(call: Call): void {
    insertFifo(this.shared, call.categoryId, call);
  }

  private removeFromQueue(call: Call): void {
    if (this.targeted.delete(call.id)) return;
    removeFifo(this.queues, `${call.categoryId}|${call.homeCentreId}`, call);
    if (call.sharedToCity) removeFifo(this.shared, call.categoryId, call);
  }
}

/** A seat with a call ringing must answer or decline it before it changes status. */
function refuseWhileRinging(seat: Seat): void {
  if (seat.state.kind === 'ringing') {
    const seatId = seat.profile.id;
    throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 有来电正在振铃,请先接听或拒接。`, { seatId });
  }
}

/** One queue: a FIFO per priority level, levels kept high → low. */
type PriorityFifos = Map<number, OrderedMap<Call>>;

function insertFifo(index: Map<string, PriorityFifos>, key: string, call: Call): void {
  let byPriority = index.get(key);
  if (!byPriority) index.set(key, (byPriority = new Map()));
  let fifo = byPriority.get(call.priority);
  if (!fifo) {
    fifo = new OrderedMap<Call>(enqueued);
    const levels = [...byPriority.entries(), [call.priority, fifo] as [number, OrderedMap<Call>]].sort((a, b) => b[0] - a[0]);
    byPriority.clear();
    for (const [p, f] of levels) byPriority.set(p, f);
  }
  fifo.add(call.id, call);
}

function removeFifo(index: Map<string, PriorityFifos>, key: string, call: Call): void {
  const byPriority = index.get(key);
  const fifo = byPriority?.get(call.priority);
  if (!byPriority || !fifo) return;
  fifo.delete(call.id);
  if (fifo.size === 0) byPriority.delete(call.priority);
  if (byPriority.size === 0) index.delete(key);
}
