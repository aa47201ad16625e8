import type { Call, RoutingReason } from '../call.js';
import { policyFor, type CategoryPolicy } from '../policy.js';
import type { Seat } from '../seat.js';
import type { EngineIndexes, OrderedMap } from './indexes.js';
import { S } from './ports.js';

/**
 * Routing as pure functions of the indexes, the configuration they hold and the
 * time: which seat a call goes to, which call a seat gets, how far a call's search
 * has expanded, whether anyone could ever take it. Nothing here changes state.
 */

export interface Expansion {
  lowered: boolean;
  general: boolean;
  city: boolean;
  step: number;
}

export interface Choice<T> {
  pick: T;
  why: RoutingReason;
}

export function policy(ix: EngineIndexes, call: Call): CategoryPolicy {
  return policyFor(ix.cfg, call.categoryId);
}

export function expansion(ix: EngineIndexes, call: Call, now: number): Expansion {
  const p = policy(ix, call);
  const waited = now - call.enqueuedAt;
  const reached = (s: number | null) => s !== null && waited >= s * S;
  const lowered = reached(p.lowerProficiencyAfterS);
  const general = reached(p.generalAfterS);
  const city = ix.centreLevel.get(call.homeCentreId) === 'county' && reached(p.cityAfterS);
  const step = city ? 3 : general ? 2 : lowered ? 1 : 0;
  return { lowered, general, city, step };
}

export function cityEligible(ix: EngineIndexes, call: Call, now: number): boolean {
  return call.sharedToCity || expansion(ix, call, now).city;
}

function minProficiency(ix: EngineIndexes, call: Call, exp: Expansion): number {
  const p = policy(ix, call);
  return exp.lowered ? Math.min(p.expandedMinProficiency, p.initialMinProficiency) : p.initialMinProficiency;
}

/** The best ready seat for a waiting call, and why (`lastAnsweringSeat` is the store's sticky lookup). */
export function bestSeatFor(
  ix: EngineIndexes,
  call: Call,
  exp: Expansion,
  now: number,
  lastAnsweringSeat: (caller: string, since: number) => string | null,
): Choice<Seat> | null {
  const excluded = call.excludedSeats;
  // Sticky: the seat that last helped this caller, if ready now.
  const stickyS = policy(ix, call).stickyWindowS;
  if (stickyS > 0 && call.offers === 0) {
    const sid = lastAnsweringSeat(call.caller, now - stickyS * S);
    const seat = sid ? ix.seats.get(sid) : undefined;
    const skilled = seat && Object.keys(seat.profile.skills).some((c) => c === call.categoryId || ix.generalCategoryIds.has(c));
    if (seat && skilled && seat.state.kind === 'ready' && ix.seatUsable(seat) && !excluded.includes(sid!)) {
      return {
        pick: seat,
        why: { rule: 'sticky', step: exp.step, proficiency: seat.profile.skills[call.categoryId] ?? null, considered: 1, alternatives: [] },
      };
    }
  }
  const centres = [call.homeCentreId];
  if (call.homeCentreId !== ix.cityCentreId && (exp.city || call.sharedToCity)) centres.push(ix.cityCentreId);
  const minProf = minProficiency(ix, call, exp);
  const initialProf = policy(ix, call).initialMinProficiency;
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
      take(ix.ready.get(`${call.categoryId}|${centre}|${prof}`), prof, rule ?? (prof >= initialProf ? 'skill' : 'expanded-proficiency'));
    }
    if (exp.general) {
      for (const g of ix.generalCategoryIds) {
        for (let prof = 5; prof >= 1; prof--) take(ix.ready.get(`${g}|${centre}|${prof}`), null, rule ?? 'general');
      }
    }
    if (found.length > 0) break; // the home centre answers its own callers first
  }
  const best = found[0];
  if (!best) return null;
  return {
    pick: best.seat,
    why: {
      rule: best.rule,
      step: exp.step,
      proficiency: best.prof,
      considered,
      alternatives: found.slice(1).map((f) => f.seat.profile.id),
    },
  };
}

/** A queued call transferred to this seat by name, if any (it goes before every queue). */
export function targetedCallFor(ix: EngineIndexes, seatId: string): Call | null {
  for (const c of ix.targeted.values()) {
    if (c.state.kind === 'queued' && c.target?.seatId === seatId) return c;
  }
  return null;
}

/** The best waiting call a ready seat may take from the queues (targeted calls aside), and why. */
export function bestCallFor(ix: EngineIndexes, seat: Seat, now: number): Choice<Call> | null {
  const sid = seat.profile.id;
  const isCity = seat.profile.centreId === ix.cityCentreId;
  const skills = seat.profile.skills;
  const hasGeneral = Object.keys(skills).some((c) => ix.generalCategoryIds.has(c));
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
      const exp = expansion(ix, c, now);
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
    if (prof !== undefined && prof >= minProficiency(ix, c, exp)) return true;
    return hasGeneral && exp.general;
  };

  for (const [key, byPriority] of ix.queues) {
    const [cat, homeCentre] = key.split('|') as [string, string];
    const own = homeCentre === seat.profile.centreId;
    if (!own && !isCity) continue;
    if (skills[cat] === undefined && !hasGeneral) continue;
    for (const fifo of byPriority.values()) scan(fifo, (c, exp) => canTake(c, exp, own || exp.city), false);
  }
  if (isCity) {
    for (const byPriority of ix.shared.values()) {
      for (const fifo of byPriority.values()) scan(fifo, (c, exp) => canTake(c, exp, true), true);
    }
  }
  const chosen = best as Call | null;
  if (!chosen) return null;
  const exp = expansion(ix, chosen, now);
  return {
    pick: chosen,
    why: { rule: 'oldest-eligible-call', step: exp.step, proficiency: skills[chosen.categoryId] ?? null, considered, alternatives: [] },
  };
}

/** Whether any logged-in seat could take the call once fully expanded. */
export function canEverBeServed(ix: EngineIndexes, call: Call): boolean {
  const p = policy(ix, call);
  const minProf = Math.min(p.initialMinProficiency, p.lowerProficiencyAfterS === null ? 5 : p.expandedMinProficiency);
  const centres = [call.homeCentreId];
  if (call.homeCentreId !== ix.cityCentreId && (p.cityAfterS !== null || call.sharedToCity)) centres.push(ix.cityCentreId);
  // a seat that already missed or declined this call will not be offered it again
  const anyone = (key: string) => {
    const bucket = ix.loggedIn.get(key);
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
      for (const g of ix.generalCategoryIds) {
        for (let prof = 5; prof >= 1; prof--) if (anyone(`${g}|${centre}|${prof}`)) return true;
      }
    }
  }
  return false;
}

/** Max wait from enqueue; a call shared to the city on max-wait gets one more period there. */
export function maxWaitDeadline(ix: EngineIndexes, call: Call): number {
  const periods = 1 + call.events.filter((e) => e.type === 'shared-to-city' && e.trigger === 'max-wait').length;
  return call.enqueuedAt + periods * policy(ix, call).maxWaitS * S;
}

/** When a waiting call next needs the engine (an expansion step, max wait, its transfer target's end); null: never. */
export function nextCallDeadline(ix: EngineIndexes, call: Call, now: number): number | null {
  const p = policy(ix, call);
  const deadlines = [p.lowerProficiencyAfterS, p.generalAfterS, p.cityAfterS]
    .filter((s): s is number => s !== null)
    .map((s) => call.enqueuedAt + s * S)
    .concat(maxWaitDeadline(ix, call), call.target ? [call.target.until] : [])
    .filter((t) => t > now);
  return deadlines.length === 0 ? null : Math.min(...deadlines);
}

export function lastRecordedStep(call: Call): number {
  for (let i = call.events.length - 1; i >= 0; i--) {
    const e = call.events[i]!;
    if (e.type === 'expanded') return e.step;
  }
  return 0;
}
