import {
  maskNumber,
  type CallRecordView,
  type CallView,
  type QueueSnapshot,
  type SeatView,
  type ServiceStatus,
} from '../contract/index.js';
import { periodAt } from '../domain/calendar.js';
import type { RoutingConfig } from '../domain/policy.js';
import type { Call } from '../domain/call.js';
import { callRecord } from '../domain/call-record.js';
import type { AcdEngine } from '../domain/engine.js';
import type { Seat } from '../domain/seat.js';

export function seatView(seat: Seat): SeatView {
  const p = seat.profile;
  return {
    id: p.id,
    name: p.name,
    staffNo: p.staffNo,
    centreId: p.centreId,
    skills: p.skills,
    languages: p.languages,
    registered: seat.registered,
    state: seat.state,
  };
}

/** What a browser may see of a call: never the full caller number. */
export function callView(call: Call): CallView {
  const st = call.state;
  return {
    id: call.id,
    callerMasked: maskNumber(call.caller),
    categoryId: call.categoryId,
    homeCentreId: call.homeCentreId,
    flags: call.flags,
    priority: call.priority,
    ticket12345: call.ticket12345,
    enqueuedAt: call.enqueuedAt,
    offers: call.offers,
    answeredAt: call.events.find((e) => e.type === 'answered')?.at ?? null,
    transferredFrom: call.transferredFrom ?? null,
    state: { kind: st.kind, since: st.since, ...('seatId' in st ? { seatId: st.seatId } : {}) },
  };
}

/** A call's record (话单) for supervisors: never the full caller number. */
export function callRecordView(call: Call, now: number): CallRecordView {
  return { ...callRecord(call, now), callerMasked: maskNumber(call.caller) };
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

export function queueSnapshot(engine: AcdEngine, now: number): QueueSnapshot {
  return {
    at: now,
    service: serviceStatus(engine.config, now),
    seats: engine.listSeats().map(seatView),
    calls: engine.activeCalls().map(callView),
  };
}
