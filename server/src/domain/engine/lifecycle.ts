import { isTerminal, type Call } from '../call.js';
import type { SeatProfile } from '../model.js';
import type { RoutingConfig } from '../policy.js';
import type { SeatState } from '../seat.js';
import type { EngineCore } from './core.js';
import { canEverBeServed } from './routing.js';

/** Reconfiguring and restarting the engine, each run inside one unit of work by the facade. */

/** New routing configuration: waiting calls keep their places; timers and matches are redone. */
export function updateConfig(core: EngineCore, cfg: RoutingConfig): void {
  const { ix } = core;
  for (const seat of ix.seats.values()) ix.unindexSeat(seat);
  const waiting = ix.waitingCalls();
  for (const c of waiting) ix.removeFromQueue(c);
  ix.setConfig(cfg);
  for (const seat of ix.seats.values()) ix.indexSeat(seat);
  for (const c of [...waiting].sort((a, b) => a.enqueuedAt - b.enqueuedAt)) {
    if (!ix.categoryIds.has(c.categoryId)) {
      c.categoryId = ix.generalCategoryId();
      c.events.push({ type: 'recategorized', at: core.clock.now(), categoryId: c.categoryId });
      core.markCall(c);
    }
    c.maxOffers = Math.min(c.maxOffers, cfg.maxOfferAttempts);
    ix.addToQueue(c);
  }
  for (const c of waiting) {
    if (c.state.kind !== 'queued') continue;
    if (!canEverBeServed(ix, c) && core.overflowCall(c, 'no-seat')) continue;
    core.onCallTimer(c);
  }
}

/**
 * Restart: puts back the calls and seat states read from the store and re-arms
 * every timer relative to the recorded times.
 */
export function restore(
  core: EngineCore,
  calls: Call[],
  seatStates: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[],
): void {
  const { ix } = core;
  for (const s of seatStates) {
    const seat = ix.seats.get(s.id);
    if (!seat) continue;
    ix.unindexSeat(seat);
    seat.state = s.state;
    seat.registered = s.registered;
    seat.missedAt = s.missedAt;
    ix.indexSeat(seat);
  }
  for (const call of [...calls].sort((a, b) => a.enqueuedAt - b.enqueuedAt)) {
    if (isTerminal(call.state.kind)) continue;
    ix.calls.set(call.id, call);
    core.uow.restored(call);
    if (call.state.kind === 'queued' || call.state.kind === 'ringing') ix.addToQueue(call);
    if (call.state.kind === 'ringing') core.armRingTimer(call, call.state.since);
  }
  for (const seat of ix.seats.values()) core.armSeatTimer(seat);
  for (const call of ix.waitingCalls()) core.onCallTimer(call); // queued: route or re-arm; ringing: re-arm
}

/** What the store holds of the engine's state: read back after a failed commit. */
export interface StoredEngineState {
  config: RoutingConfig;
  seats: SeatProfile[];
  calls: Call[];
  seatStates: { id: string; state: SeatState; registered: boolean; missedAt: number[] }[];
}

/**
 * A commit failed (the disk is full): the failed command's state moves stayed in memory only, so
 * memory is put back to what the store holds. Nothing is routed and no timer is armed (the engine
 * is suspended); `rearm` does that once the store can be written again. Seat objects are kept
 * (and updated in place) so that whoever holds one sees the stored state.
 */
export function reset(core: EngineCore, stored: StoredEngineState): void {
  const { ix } = core;
  ix.clearState();
  ix.setConfig(stored.config);
  core.uow.forgetSaved();
  const states = new Map(stored.seatStates.map((s) => [s.id, s]));
  const profiles = new Map(stored.seats.map((p) => [p.id, p]));
  for (const id of [...ix.seats.keys()]) if (!profiles.has(id)) ix.seats.delete(id);
  for (const p of stored.seats) {
    const s = states.get(p.id);
    const state: SeatState = s?.state ?? { kind: 'offline', since: core.clock.now() };
    const seat = ix.seats.get(p.id);
    if (seat) {
      seat.profile = p;
      seat.state = state;
      seat.registered = s?.registered ?? false;
      seat.missedAt = s?.missedAt ?? [];
    } else {
      ix.seats.set(p.id, { profile: p, state, registered: s?.registered ?? false, missedAt: s?.missedAt ?? [] });
    }
    ix.indexSeat(ix.seats.get(p.id)!);
  }
  for (const call of [...stored.calls].sort((a, b) => a.enqueuedAt - b.enqueuedAt)) {
    if (isTerminal(call.state.kind)) continue;
    ix.calls.set(call.id, call);
    core.uow.restored(call);
    if (call.state.kind === 'queued' || call.state.kind === 'ringing') ix.addToQueue(call);
  }
}

/** After `reset`, once the store can be written: every timer armed again and waiting calls routed. */
export function rearm(core: EngineCore): void {
  const { ix } = core;
  for (const call of ix.calls.values()) if (call.state.kind === 'ringing') core.armRingTimer(call, call.state.since);
  for (const seat of ix.seats.values()) core.armSeatTimer(seat);
  for (const call of ix.waitingCalls()) core.onCallTimer(call);
}
