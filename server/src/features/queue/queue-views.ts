import {
  alertInScope,
  type LiveAlert,
  type QueueCallView,
  type QueueSnapshot,
  type SeatWallView,
  type ServiceStatus,
} from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import { periodAt } from '../../domain/calendar.js';
import { lastRecordedStep } from '../../domain/engine/routing.js';
import type { RoutingConfig } from '../../domain/policy.js';
import type { Seat } from '../../domain/seat.js';
import { callView } from '../calls/call-views.js';
import { seatView } from '../seats/seat-views.js';

/** What the live queue shows: the engine's seats and calls in progress, and each seat's day. */
export interface LiveQueue {
  readonly config: RoutingConfig;
  listSeats(): Seat[];
  activeCalls(): Call[];
  /** Answered and missed offers today (features/queue/seat-day-counts.ts); zeros when absent. */
  seatDay?(seatId: string): { answeredToday: number; missedToday: number };
  /** Threshold alerts now (features/summaries/alert-monitor.ts). */
  liveAlerts?(): LiveAlert[];
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

export function queueCallView(call: Call): QueueCallView {
  const offeredTo: string[] = [];
  for (const e of call.events) if (e.type === 'offered') offeredTo.push(e.seatId);
  return { ...callView(call), step: lastRecordedStep(call), offeredTo };
}

function seatWallView(queue: LiveQueue, seat: Seat): SeatWallView {
  return { ...seatView(seat), ...(queue.seatDay?.(seat.profile.id) ?? { answeredToday: 0, missedToday: 0 }) };
}

/**
 * The live queue; with `centres`, only the seats of those centres and the calls whose home
 * centre is one of them or that ring at, talk with or wrap up at one of those seats.
 */
export function queueSnapshot(queue: LiveQueue, now: number, centres: ReadonlySet<string> | null = null): QueueSnapshot {
  const seats = queue.listSeats();
  const service = serviceStatus(queue.config, now);
  const alerts = queue.liveAlerts?.() ?? [];
  if (centres === null) {
    return { at: now, service, seats: seats.map((s) => seatWallView(queue, s)), calls: queue.activeCalls().map(queueCallView), alerts };
  }
  const inScope = seats.filter((s) => centres.has(s.profile.centreId));
  const seatIds = new Set(inScope.map((s) => s.profile.id));
  return {
    at: now,
    service,
    seats: inScope.map((s) => seatWallView(queue, s)),
    calls: queue
      .activeCalls()
      .filter((c) => centres.has(c.homeCentreId) || ('seatId' in c.state && seatIds.has(c.state.seatId)))
      .map(queueCallView),
    alerts: alerts.filter((a) => alertInScope(a, (c) => centres.has(c))),
  };
}

/** Socket rooms of supervisors with centres in scope: `supervisors:<centre>,<centre>`. */
export const SCOPED_ROOM_PREFIX = 'supervisors:';
export const scopedRoom = (centres: readonly string[]) => `${SCOPED_ROOM_PREFIX}${[...centres].sort().join(',')}`;
/** The centres of a scoped room, or null for any other room. */
export function centresOfRoom(room: string): ReadonlySet<string> | null {
  return room.startsWith(SCOPED_ROOM_PREFIX) ? new Set(room.slice(SCOPED_ROOM_PREFIX.length).split(',')) : null;
}
