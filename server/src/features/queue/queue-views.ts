import type { QueueSnapshot, ServiceStatus } from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import { periodAt } from '../../domain/calendar.js';
import type { RoutingConfig } from '../../domain/policy.js';
import type { Seat } from '../../domain/seat.js';
import { callView } from '../calls/call-views.js';
import { seatView } from '../seats/seat-views.js';

/** What the live queue shows: the engine's seats and calls in progress. */
export interface LiveQueue {
  readonly config: RoutingConfig;
  listSeats(): Seat[];
  activeCalls(): Call[];
}

export function serviceStatus(cfg: RoutingConfig, now: number): ServiceStatus {
  const p = periodAt(cfg.serviceCalendar, now, cfg.utcOffsetMinutes);
  return {
    open: p !== null,
    plannedSeats: p?.plannedSeats ?? 0,
    period: p ? { from: p.from, to: p.to } : null,
    holiday: p?.holiday ?? null,
    answerTargetS: cfg.kpi.serviceLevelThresholdS,
  };
}

export function queueSnapshot(queue: LiveQueue, now: number): QueueSnapshot {
  return {
    at: now,
    service: serviceStatus(queue.config, now),
    seats: queue.listSeats().map(seatView),
    calls: queue.activeCalls().map(callView),
  };
}
