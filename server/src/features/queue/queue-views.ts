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

/**
 * The live queue; with `centres`, only the seats of those centres and the calls whose home
 * centre is one of them or that ring at, talk with or wrap up at one of those seats.
 */
export function queueSnapshot(queue: LiveQueue, now: number, centres: ReadonlySet<string> | null = null): QueueSnapshot {
  const seats = queue.listSeats();
  if (centres === null) {
    return { at: now, service: serviceStatus(queue.config, now), seats: seats.map(seatView), calls: queue.activeCalls().map(callView) };
  }
  const seatIds = new Set(seats.filter((s) => centres.has(s.profile.centreId)).map((s) => s.profile.id));
  return {
    at: now,
    service: serviceStatus(queue.config, now),
    seats: seats.filter((s) => seatIds.has(s.profile.id)).map(seatView),
    calls: queue
      .activeCalls()
      .filter((c) => centres.has(c.homeCentreId) || ('seatId' in c.state && seatIds.has(c.state.seatId)))
      .map(callView),
  };
}

/** Socket rooms of supervisors with centres in scope: `supervisors:<centre>,<centre>`. */
export const SCOPED_ROOM_PREFIX = 'supervisors:';
export const scopedRoom = (centres: readonly string[]) => `${SCOPED_ROOM_PREFIX}${[...centres].sort().join(',')}`;
/** The centres of a scoped room, or null for any other room. */
export function centresOfRoom(room: string): ReadonlySet<string> | null {
  return room.startsWith(SCOPED_ROOM_PREFIX) ? new Set(room.slice(SCOPED_ROOM_PREFIX.length).split(',')) : null;
}
