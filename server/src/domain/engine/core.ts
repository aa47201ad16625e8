import { assertCallMove, type Call, type CallState, type RoutingReason } from '../call.js';
import type { Clock } from '../clock.js';
import { DomainError, assertNever } from '../errors.js';
import type { OverflowTrigger } from '../policy.js';
import { assertSeatMove, type Seat, type SeatState } from '../seat.js';
import type { EngineIndexes } from './indexes.js';
import { S, type EngineStore } from './ports.js';
import * as routing from './routing.js';
import type { EngineTimers } from './timers.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * The engine's state moves, shared by its commands: moving calls and seats (with
 * their indexes, timers and dirty marks), offering a call a routing function chose,
 * requeueing, wrap-up and overflow. Runs only inside a unit of work.
 *
 * Invariant kept after every command: no ready seat is eligible for a waiting
 * call. So each event only needs to route what it changed: a new call, a seat
 * that became ready, a call whose expansion step moved on.
 */
export class EngineCore {
  constructor(
    readonly clock: Clock,
    readonly store: EngineStore,
    readonly ix: EngineIndexes,
    readonly uow: UnitOfWork,
    readonly timers: EngineTimers,
    private readonly ringGraceMs: number,
  ) {}

  getSeat(id: string): Seat {
    const seat = this.ix.seats.get(id);
    if (!seat) throw new DomainError('NOT_FOUND', `No seat with id ${id}.`, { seatId: id });
    return seat;
  }

  activeCall(callId: string): Call {
    const call = this.ix.calls.get(callId);
    if (!call) throw new DomainError('NOT_FOUND', `No active call with id ${callId}; it may have ended already.`, { callId });
    return call;
  }

  markCall(call: Call): void {
    this.uow.markCall(call);
  }

  moveCall(call: Call, next: CallState): void {
    assertCallMove(call.id, call.state.kind, next.kind);
    call.state = next;
    this.markCall(call);
  }

  moveSeat(seat: Seat, next: SeatState): void {
    assertSeatMove(seat.profile.id, seat.state.kind, next.kind);
    this.ix.unindexSeat(seat);
    seat.state = next;
    this.ix.indexSeat(seat);
    this.uow.markSeat(seat);
    this.armSeatTimer(seat);
  }

  // ------------------------------------------------------------------ routing

  /** Finds the best ready seat for a waiting call and offers it. */
  routeCall(call: Call): boolean {
    if (call.state.kind !== 'queued') return false;
    if (call.target) return this.routeTargeted(call);
    const now = this.clock.now();
    const exp = routing.expansion(this.ix, call, now);
    const choice = routing.bestSeatFor(this.ix, call, exp, now, (caller, since) => this.store.lastAnsweringSeat(caller, since));
    if (!choice) return false;
    this.offer(call, choice.pick, choice.why);
    return true;
  }

  /**
   * A call transferred to a named seat: offered to that seat when it is ready, or held for
   * this consultation (咨询转接); otherwise it waits for that seat only, until its target time.
   */
  private routeTargeted(call: Call): boolean {
    const seat = call.target ? this.ix.seats.get(call.target.seatId) : undefined;
    if (!seat || !this.ix.seatUsable(seat)) return false;
    const st = seat.state;
    if (st.kind === 'not-ready' && st.reason === 'consult') {
      this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
    } else if (st.kind !== 'ready') {
      return false;
    }
    const why: RoutingReason = {
      rule: 'transfer',
      step: 0,
      proficiency: seat.profile.skills[call.categoryId] ?? null,
      considered: 1,
      alternatives: [],
    };
    this.offer(call, seat, why);
    return true;
  }

  /** The named seat of a transfer cannot take the call: it joins its category's queue, keeping its priority. */
  dropTarget(call: Call): void {
    if (!call.target) return;
    const seatId = call.target.seatId;
    this.ix.removeFromQueue(call);
    call.target = null;
    call.events.push({ type: 'transfer-fallback', at: this.clock.now(), seatId });
    this.markCall(call);
    if (call.state.kind === 'queued' || call.state.kind === 'ringing') this.ix.addToQueue(call);
  }

  /** A seat became ready: give it the best waiting call it may take. */
  routeSeat(seat: Seat): boolean {
    if (seat.state.kind !== 'ready' || !this.ix.seatUsable(seat)) return false;
    const targeted = routing.targetedCallFor(this.ix, seat.profile.id);
    if (targeted) return this.routeTargeted(targeted);
    const choice = routing.bestCallFor(this.ix, seat, this.clock.now());
    if (!choice) return false;
    this.offer(choice.pick, seat, choice.why);
    return true;
  }

  private offer(call: Call, seat: Seat, why: RoutingReason): void {
    const now = this.clock.now();
    const attempt = call.offers + 1;
    call.offers = attempt;
    this.timers.clearCall(call.id);
    this.moveCall(call, { kind: 'ringing', since: now, seatId: seat.profile.id, attempt });
    call.events.push({ type: 'offered', at: now, seatId: seat.profile.id, attempt, why });
    const idleSince = seat.state.kind === 'ready' ? seat.state.since : now;
    this.moveSeat(seat, { kind: 'ringing', since: now, callId: call.id, attempt, idleSince });
    this.armRingTimer(call, now);
    this.armCallTimer(call); // max-wait is checked again if the ring fails
    this.uow.send({ kind: 'ring', call, seatId: seat.profile.id, ringMs: this.ix.cfg.ringTimeoutS * S });
  }

  // ------------------------------------------------------------------ leaving the queue

  abandon(call: Call, where: 'queue' | 'ringing', now: number): void {
    this.leaveQueue(call, { kind: 'abandoned', since: now, where });
    call.events.push({ type: 'abandoned', at: now, where });
  }

  leaveQueue(call: Call, next: CallState): void {
    this.timers.clearCall(call.id);
    this.timers.clearRing(call.id);
    this.ix.removeFromQueue(call);
    this.moveCall(call, next);
  }

  releaseRingingSeat(call: Call, now: number): void {
    if (call.state.kind !== 'ringing') return;
    const seat = this.getSeat(call.state.seatId);
    this.uow.send({ kind: 'cancel-ring', call, seatId: call.state.seatId });
    const idleSince = seat.state.kind === 'ringing' ? seat.state.idleSince : now;
    this.moveSeat(seat, { kind: 'ready', since: idleSince });
    this.routeSeat(seat); // free for another waiting call (this one is still ringing, so it is skipped)
  }

  requeueAfterFailedOffer(call: Call, seatId: string): void {
    this.timers.clearRing(call.id);
    if (!call.excludedSeats.includes(seatId)) call.excludedSeats.push(seatId);
    this.moveCall(call, { kind: 'queued', since: this.clock.now() });
    this.dropTarget(call);
    if (call.offers >= call.maxOffers) {
      this.overflowCall(call, 'offers-exhausted');
      return;
    }
    if (this.clock.now() >= routing.maxWaitDeadline(this.ix, call) && this.overflowCall(call, 'max-wait')) return;
    if (!routing.canEverBeServed(this.ix, call) && this.overflowCall(call, 'no-seat')) return;
    if (!this.routeCall(call)) this.armCallTimer(call);
  }

  missedOffer(seat: Seat, now: number): void {
    const cfg = this.ix.cfg;
    const windowMs = cfg.missedOffer.windowS * S;
    seat.missedAt = [...seat.missedAt.filter((t) => now - t < windowMs), now];
    const steps = cfg.missedOffer.steps;
    const step = steps[Math.min(seat.missedAt.length, steps.length) - 1]!;
    const autoReadyAt = step.autoReadyAfterS === null ? null : now + step.autoReadyAfterS * S;
    this.moveSeat(seat, { kind: 'not-ready', since: now, reason: 'missed', autoReadyAt });
  }

  /**
   * Tries the configured overflow targets for a trigger. Returns true when the call
   * left the queue; false when the only applicable target kept it waiting (shared
   * to the city) or no target applied.
   */
  overflowCall(call: Call, trigger: OverflowTrigger): boolean {
    const now = this.clock.now();
    for (const target of routing.policy(this.ix, call).overflow[trigger]) {
      switch (target) {
        case 'city': {
          if (this.ix.centreLevel.get(call.homeCentreId) !== 'county' || routing.cityEligible(this.ix, call, now)) continue;
          if (trigger === 'after-hours') continue; // the city keeps the same hours
          call.sharedToCity = true;
          call.events.push({ type: 'shared-to-city', at: now, trigger });
          this.markCall(call);
          this.ix.addToShared(call);
          if (trigger === 'no-seat' && !routing.canEverBeServed(this.ix, call)) continue;
          if (!this.routeCall(call)) this.armCallTimer(call);
          return false;
        }
        case '12345':
        case 'callback': {
          if (call.state.kind === 'ringing') this.releaseRingingSeat(call, now);
          this.leaveQueue(call, { kind: 'overflowed', since: now, target, trigger });
          const languageOnly = trigger === 'no-seat' && call.language && routing.canEverBeServed(this.ix, call, true);
          call.events.push({
            type: 'overflowed',
            at: now,
            target,
            trigger,
            ...(languageOnly ? { reason: 'no-seat-with-language' as const } : {}),
          });
          this.uow.send({ kind: 'overflow', call, target, trigger });
          return true;
        }
        default:
          assertNever(target, 'overflow target');
      }
    }
    return false;
  }

  /**
   * After a seat signs off or loses a skill: calls nobody signed in can ever take overflow.
   * When that was a city seat (`left`: its centre and the categories it had), a waiting city
   * call of those categories may have lost its last city specialist and may now go to a
   * ready county specialist: those are routed again.
   */
  overflowOrphanedCalls(left?: { centreId: string; categories: string[] }): void {
    const moved = left && left.centreId === this.ix.cityCentreId ? new Set(left.categories) : null;
    for (const call of this.ix.waitingCalls()) {
      if (call.state.kind !== 'queued') continue;
      if (!routing.canEverBeServed(this.ix, call)) this.overflowCall(call, 'no-seat');
      else if (moved?.has(call.categoryId) && call.homeCentreId === this.ix.cityCentreId) this.routeCall(call);
    }
  }

  // ------------------------------------------------------------------ wrap-up

  startWrapUp(seat: Seat, call: Call, now: number): void {
    const until = now + this.ix.cfg.wrapUp.seconds * S;
    this.moveSeat(seat, { kind: 'wrap-up', since: now, callId: call.id, until, extensions: 0 });
  }

  endCallWrapUp(seat: Seat, callId: string, now: number): void {
    const call = this.ix.calls.get(callId);
    if (call && call.state.kind === 'wrap-up') {
      call.events.push({ type: 'wrap-up-ended', at: now, seatId: seat.profile.id });
      this.moveCall(call, { kind: 'ended', since: now, seatId: seat.profile.id });
    }
  }

  finishWrapUp(seat: Seat): Seat {
    if (seat.state.kind !== 'wrap-up') return seat;
    const now = this.clock.now();
    this.endCallWrapUp(seat, seat.state.callId, now);
    this.moveSeat(seat, { kind: 'ready', since: now });
    this.routeSeat(seat);
    return seat;
  }

  /** Whether the seat may leave the wrap-up of this call (the summary gate). */
  summaryMissing(callId: string): boolean {
    if (!this.ix.cfg.wrapUp.requireSummary) return false;
    const call = this.ix.calls.get(callId);
    return call !== undefined && !call.events.some((e) => e.type === 'summary-filed');
  }

  assertSummaryFiled(callId: string, seatId: string): void {
    if (this.summaryMissing(callId)) {
      throw new DomainError('CONFLICT', '请先提交本次通话的小结(必填项填写完整)再结束话后整理。', {
        seatId,
        callId,
        reason: 'summary-missing',
      });
    }
  }

  // ------------------------------------------------------------------ timers

  armCallTimer(call: Call): void {
    this.timers.clearCall(call.id);
    if (call.state.kind !== 'queued' && call.state.kind !== 'ringing') return;
    const at = routing.nextCallDeadline(this.ix, call, this.clock.now());
    if (at !== null) this.timers.armCall(call.id, at);
  }

  /** An expansion step or the maximum wait came due (or config changed). */
  onCallTimer(call: Call): void {
    if (call.state.kind !== 'queued' && call.state.kind !== 'ringing') return;
    const now = this.clock.now();
    const exp = routing.expansion(this.ix, call, now);
    if (exp.step > routing.lastRecordedStep(call)) {
      call.events.push({ type: 'expanded', at: now, step: exp.step });
      this.markCall(call);
    }
    if (call.state.kind === 'queued') {
      if (call.target && now >= call.target.until) this.dropTarget(call);
      if (now >= routing.maxWaitDeadline(this.ix, call) && this.overflowCall(call, 'max-wait')) return;
      if (call.state.kind === 'queued' && this.routeCall(call)) return;
    }
    this.armCallTimer(call);
  }

  armRingTimer(call: Call, since: number): void {
    if (call.state.kind !== 'ringing') return;
    const { seatId, attempt } = call.state;
    this.timers.armRing(call.id, seatId, attempt, since + this.ix.cfg.ringTimeoutS * S + this.ringGraceMs);
  }

  /** Wrap-up end and automatic return from a missed-offer not-ready. */
  armSeatTimer(seat: Seat): void {
    const st = seat.state;
    let at: number | null = null;
    if (st.kind === 'wrap-up') at = st.until;
    else if (st.kind === 'not-ready' && st.autoReadyAt !== null) at = st.autoReadyAt;
    this.timers.armSeat(seat.profile.id, st, at);
  }

  /** A seat's timer came due (the caller checked that the seat is still in the state it was armed for). */
  onSeatTimer(seat: Seat): void {
    // Time is up but no summary yet: the seat stays in wrap-up, overdue, until it files one.
    if (seat.state.kind === 'wrap-up') {
      if (!this.summaryMissing(seat.state.callId)) this.finishWrapUp(seat);
    } else if (seat.state.kind === 'not-ready') {
      this.moveSeat(seat, { kind: 'ready', since: this.clock.now() });
      this.routeSeat(seat);
    }
  }
}

/** A seat with a call ringing must answer or decline it before it changes status. */
export function refuseWhileRinging(seat: Seat): void {
  if (seat.state.kind === 'ringing') {
    const seatId = seat.profile.id;
    throw new DomainError('INVALID_TRANSITION', `坐席 ${seatId} 有来电正在振铃,请先接听或拒接。`, { seatId });
  }
}
