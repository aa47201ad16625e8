import type { Call } from '../call.js';
import { DomainError } from '../errors.js';
import { SEAT_STATE_LABELS } from '../seat.js';
import type { EngineCore } from './core.js';
import { S } from './ports.js';
import { canEverBeServed } from './routing.js';

/**
 * What a supervisor may do to a waiting call (班长干预), each run inside one unit of work by
 * the AcdEngine facade. Only a queued call (not one ringing at a seat) may be changed: its
 * place in line (enqueue time) is kept.
 */

function queuedCall(core: EngineCore, callId: string): Call {
  const call = core.activeCall(callId);
  if (call.state.kind === 'ringing') {
    throw new DomainError('CONFLICT', '该来电正在坐席振铃,请等振铃结束后再调整。', { callId, state: call.state.kind });
  }
  if (call.state.kind !== 'queued') {
    throw new DomainError('INVALID_TRANSITION', '该来电已不在排队中。', { callId, state: call.state.kind });
  }
  return call;
}

/** A new priority for a waiting call (it keeps its enqueue time within the new priority). */
export function reprioritize(core: EngineCore, callId: string, priority: number): Call {
  const call = queuedCall(core, callId);
  if (call.priority === priority) return call;
  core.ix.removeFromQueue(call);
  call.priority = priority;
  core.ix.addToQueue(call);
  core.markCall(call);
  if (!core.routeCall(call)) core.armCallTimer(call);
  return call;
}

/** Moves a waiting call to another category's queue (recorded as `recategorized`). */
export function recategorize(core: EngineCore, callId: string, categoryId: string): Call {
  const call = queuedCall(core, callId);
  if (!core.ix.categoryIds.has(categoryId)) {
    throw new DomainError('VALIDATION', `没有专业类别 ${categoryId}。`, { categoryId });
  }
  if (call.categoryId === categoryId) return call;
  const now = core.clock.now();
  core.ix.removeFromQueue(call);
  call.categoryId = categoryId;
  call.events.push({ type: 'recategorized', at: now, categoryId });
  core.ix.addToQueue(call);
  core.markCall(call);
  if (!canEverBeServed(core.ix, call) && core.overflowCall(call, 'no-seat')) return call;
  if (!core.routeCall(call)) core.armCallTimer(call);
  return call;
}

/**
 * Gives a waiting call to a chosen seat, which must be ready now: it rings there at once. If
 * that seat does not answer, the call goes back to its category's queue in its place.
 */
export function assignCall(core: EngineCore, callId: string, seatId: string): Call {
  const call = queuedCall(core, callId);
  const seat = core.getSeat(seatId);
  if (seat.state.kind !== 'ready' || !core.ix.seatUsable(seat)) {
    const why = seat.state.kind === 'ready' ? '软电话未注册' : `当前${SEAT_STATE_LABELS[seat.state.kind]}`;
    throw new DomainError('CONFLICT', `坐席 ${seat.profile.name} ${why},只能指派给就绪的坐席。`, { seatId, state: seat.state.kind });
  }
  if (call.offers >= call.maxOffers) {
    throw new DomainError('CONFLICT', '该来电的分配次数已用完,无法再指派。', { callId });
  }
  core.ix.removeFromQueue(call);
  call.target = { seatId, until: core.clock.now() + core.ix.cfg.ringTimeoutS * S };
  core.ix.addToQueue(call);
  core.markCall(call);
  // The seat was checked ready and usable, so it rings now; should it not, the call keeps its place.
  if (!core.routeCall(call)) {
    core.dropTarget(call);
    core.armCallTimer(call);
  }
  return call;
}
