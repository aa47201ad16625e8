import { periodAt } from '../calendar.js';
import type { ServiceCalendar, ServicePeriod } from '../policy.js';
import type { CallFact } from './call-fact.js';
import { erlangPrediction, requiredAgents } from './erlang.js';
import { erlangA, patienceEstimate, requiredAgentsA } from './erlang-a.js';
import type { SeatEventRow } from './seat-time.js';

/**
 * The staffing plan (排班建议): for each half hour of a typical week, the seats Erlang C
 * (erlang.ts) says are needed to answer `targetSL` of calls within `thresholdS`, from the
 * history's arrivals and handle times, beside the seats the service calendar plans and the seats
 * that were signed in on average. Pure.
 *
 * - arrivals λ   the slot's calls (entered, short abandons included: they loaded the queue too,
 *                after-hours overflows left out) averaged over the weeks of the history, per hour.
 * - AHT          mean talk + hold + wrap-up of the slot's handled calls; a slot with fewer than
 *                `minHandled` of them uses the week's AHT.
 * - required     requiredAgents(λ, AHT, T, target); 0 when no call arrives.
 * - planned      the service calendar's planned seats at the slot's start on a regular week.
 * - signedIn     seat time not offline in the slot ÷ (weeks × 30 min).
 *
 * - requiredA    Erlang A (erlang-a.ts) with the history's mean patience (`patienceOf`): the
 *                seats when callers who wait too long hang up, as they do; null when the history
 *                has no abandons (patience unknown).
 *
 * Erlang C assumes nobody abandons: with abandonment it overstates the seats; Erlang A does not.
 */

export const SLOTS_PER_WEEK = 7 * 48;
const SLOT_MS = 30 * 60_000;

export interface StaffingOptions {
  utcOffsetMinutes: number;
  thresholdS: number;
  targetSL: number;
  /** How many weeks the facts cover (the divisor of the averages). */
  weeks: number;
  minHandled?: number;
  /** Mean patience in seconds for Erlang A (patienceOf); null or absent: Erlang C only. */
  patienceS?: number | null;
}

export interface StaffingSlot {
  /** ISO weekday 1–7. */
  weekday: number;
  /** "HH:MM" of the slot's start. */
  from: string;
  callsPerHour: number;
  ahtSeconds: number | null;
  required: number;
  predictedSL: number | null;
  requiredA: number | null;
  predictedSLA: number | null;
  planned: number;
  signedIn: number;
}

/** Slot index (0 … 335, Monday 00:00 first) of a local time. */
export function slotOf(at: number, utcOffsetMinutes: number): number {
  const local = at + utcOffsetMinutes * 60_000;
  const weekday = (new Date(local).getUTCDay() + 6) % 7;
  const minute = Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  return weekday * 48 + Math.floor(minute / 30);
}

const hhmm = (slot: number) => `${String(Math.floor((slot % 48) / 2)).padStart(2, '0')}:${slot % 2 === 0 ? '00' : '30'}`;

/** Planned seats per slot from a calendar (its weekly periods; holidays are not a typical week). */
export function plannedBySlot(calendar: ServiceCalendar, utcOffsetMinutes: number): number[] {
  const regular: ServiceCalendar = { periods: calendar.periods, holidays: [] };
  // 2024-01-01 was a Monday: walk its week in local time.
  const monday = Date.UTC(2024, 0, 1) - utcOffsetMinutes * 60_000;
  return Array.from({ length: SLOTS_PER_WEEK }, (_, i) => periodAt(regular, monday + i * SLOT_MS, utcOffsetMinutes)?.plannedSeats ?? 0);
}

/** Average seats signed in (any state but offline) per slot over `weeks`, from seat state changes. */
export function signedInBySlot(
  rows: readonly SeatEventRow[],
  from: number,
  to: number,
  o: Pick<StaffingOptions, 'utcOffsetMinutes' | 'weeks'>,
): number[] {
  const ms = new Array<number>(SLOTS_PER_WEEK).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.kind === 'offline') continue;
    const next = rows[i + 1];
    let t = Math.max(r.at, from);
    const end = next && next.seat_id === r.seat_id ? Math.min(next.at, to) : to;
    while (t < end) {
      const slotEnd = Math.min(end, Math.floor((t + o.utcOffsetMinutes * 60_000) / SLOT_MS + 1) * SLOT_MS - o.utcOffsetMinutes * 60_000);
      ms[slotOf(t, o.utcOffsetMinutes)]! += slotEnd - t;
      t = slotEnd;
    }
  }
  return ms.map((x) => x / (o.weeks * SLOT_MS));
}

export function staffingPlan(
  facts: Iterable<CallFact>,
  planned: readonly number[],
  signedIn: readonly number[],
  o: StaffingOptions,
): StaffingSlot[] {
  const calls = new Array<number>(SLOTS_PER_WEEK).fill(0);
  const handled = new Array<number>(SLOTS_PER_WEEK).fill(0);
  const handleMs = new Array<number>(SLOTS_PER_WEEK).fill(0);
  let allHandled = 0;
  let allMs = 0;
  for (const f of facts) {
    if (f.overflowTrigger === 'after-hours') continue;
    const s = slotOf(f.enqueuedAt, o.utcOffsetMinutes);
    calls[s]!++;
    if (f.answeredAt !== null && f.wrapUpMs !== null) {
      const h = f.talkMs + f.holdMs + f.wrapUpMs;
      handled[s]!++;
      handleMs[s]! += h;
      allHandled++;
      allMs += h;
    }
  }
  const weekAht = allHandled > 0 ? allMs / allHandled / 1000 : null;
  const min = o.minHandled ?? 5;
  return calls.map((n, s) => {
    const lambda = n / o.weeks / 0.5;
    const aht = handled[s]! >= min ? handleMs[s]! / handled[s]! / 1000 : weekAht;
    const required = lambda > 0 && aht !== null && aht > 0 ? requiredAgents(lambda, aht, o.thresholdS, o.targetSL) : 0;
    const predictedSL = required > 0 && aht ? erlangPrediction(required, lambda, aht, o.thresholdS).serviceLevel : null;
    const patience = o.patienceS ?? null;
    const requiredA = patience === null ? null : lambda > 0 && aht ? requiredAgentsA(lambda, aht, patience, o.thresholdS, o.targetSL) : 0;
    const predictedSLA =
      patience !== null && requiredA !== null && requiredA > 0 && aht
        ? erlangA(requiredA, lambda, aht, patience, o.thresholdS).serviceLevel
        : null;
    return {
      weekday: Math.floor(s / 48) + 1,
      from: hhmm(s),
      callsPerHour: lambda,
      ahtSeconds: aht,
      required,
      predictedSL,
      requiredA,
      predictedSLA,
      planned: planned[s] ?? 0,
      signedIn: signedIn[s] ?? 0,
    };
  });
}

/**
 * Mean patience (seconds) of the history's callers: every wait of a call that queued (answered,
 * abandoned, short abandons included, overflowed or timed out: each is a patience at least that
 * long) over the abandons. null when nobody abandoned.
 */
export function patienceOf(facts: Iterable<CallFact>): number | null {
  let waitMs = 0;
  let abandoned = 0;
  for (const f of facts) {
    if (f.overflowTrigger === 'after-hours' || f.result === 'in-progress') continue;
    waitMs += f.waitMs;
    if (f.result === 'abandoned-in-queue' || f.result === 'abandoned-while-ringing') abandoned++;
  }
  return patienceEstimate(waitMs / 1000, abandoned);
}

/**
 * The plan as the calendar's weekly periods: consecutive half hours of a weekday that need the
 * same seats become one period; weekdays with the same day plan share their periods.
 */
export function planToPeriods(slots: readonly Pick<StaffingSlot, 'required'>[]): ServicePeriod[] {
  const byDay = new Map<string, number[]>();
  for (let d = 0; d < 7; d++) {
    const day = slots.slice(d * 48, d * 48 + 48).map((s) => s.required);
    const key = day.join(',');
    const list = byDay.get(key);
    if (list) list.push(d + 1);
    else byDay.set(key, [d + 1]);
  }
  const periods: ServicePeriod[] = [];
  for (const [key, days] of byDay) {
    const need = key.split(',').map(Number);
    let start = 0;
    for (let i = 1; i <= 48; i++) {
      if (i < 48 && need[i] === need[start]) continue;
      if (need[start]! > 0) periods.push({ days, from: hhmm(start), to: i === 48 ? '24:00' : hhmm(i), plannedSeats: need[start]! });
      start = i;
    }
  }
  return periods;
}
