import type { Call, RoutingReason } from '../call.js';
import { policyFor, type CategoryPolicy } from '../policy.js';
import type { Seat } from '../seat.js';
import { langSuffix, type EngineIndexes, type OrderedMap } from './indexes.js';
import { S } from './ports.js';

/**
 * Routing as pure functions of the indexes, the configuration they hold and the
 * time: which seat a call goes to, which call a seat gets, how far a call's search
 * has expanded, whether anyone could ever take it. Nothing here changes state.
 */

export interface Expansion {
  lowered: boolean;
  general: boolean;
  /** A county call may go to the city's seats (cityAfterS reached, its county sends calls to the city). */
  city: boolean;
  /** A city call may go to county specialists by time (countyAfterS reached; see countyEligible for the rest). */
  county: boolean;
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
  const home = call.homeCentreId;
  const city = ix.countiesSendingToCity.has(home) && reached(p.cityAfterS);
  const county = home === ix.cityCentreId && ix.countiesTakingCityCalls.length > 0 && reached(p.countyAfterS);
  const step = city || county ? 3 : general ? 2 : lowered ? 1 : 0;
  return { lowered, general, city, county, step };
}

export function cityEligible(ix: EngineIndexes, call: Call, now: number): boolean {
  return call.sharedToCity || expansion(ix, call, now).city;
}

/** The lowest proficiency the call's policy ever accepts from a specialist. */
function floorProficiency(p: CategoryPolicy): number {
  return Math.min(p.initialMinProficiency, p.lowerProficiencyAfterS === null ? 5 : p.expandedMinProficiency);
}

function signedIn(ix: EngineIndexes, key: string): boolean {
  return (ix.loggedIn.get(key)?.size ?? 0) > 0;
}

/** Whether a seat of `centre` with the call's specialty, at a proficiency the call may ever accept (and speaking `lang`), is signed in. */
function specialistSignedIn(ix: EngineIndexes, call: Call, centre: string, lang = langSuffix(call.language)): boolean {
  const floor = floorProficiency(policy(ix, call));
  for (let prof = 5; prof >= floor; prof--) if (signedIn(ix, `${call.categoryId}|${centre}|${prof}${lang}`)) return true;
  return false;
}

/** Whether the seat speaks the call's language (every seat takes calls in the default language). */
export function speaksFor(seat: Seat, call: Call): boolean {
  return !call.language || seat.profile.languages.includes(call.language);
}

/**
 * Whether county specialists may take this city call now: after `countyAfterS`, or at once
 * while no city seat with its specialty is signed in (`countyWithoutCitySpecialist`).
 */
export function countyEligible(ix: EngineIndexes, call: Call, exp: Expansion): boolean {
  if (call.homeCentreId !== ix.cityCentreId || ix.countiesTakingCityCalls.length === 0) return false;
  if (exp.county) return true;
  return policy(ix, call).countyWithoutCitySpecialist && !specialistSignedIn(ix, call, ix.cityCentreId);
}

function minProficiency(ix: EngineIndexes, call: Call, exp: Expansion): number {
  const p = policy(ix, call);
  return exp.lowered ? Math.min(p.expandedMinProficiency, p.initialMinProficiency) : p.initialMinProficiency;
}

/**
 * Whether a seat that missed or declined this call may be offered it again: it is ready
 * again, in a later ready period than the one it failed in (a seat that declined and
 * stayed ready is not).
 */
export function readyAgain(call: Call, seat: Seat): boolean {
  if (seat.state.kind !== 'ready') return false;
  for (let i = call.events.length - 1; i >= 0; i--) {
    const e = call.events[i]!;
    if ((e.type === 'ring-timeout' || e.type === 'declined') && e.seatId === seat.profile.id) return seat.state.since > e.at;
  }
  return true;
}

interface SeatFound {
  seat: Seat;
  prof: number | null;
  rule: RoutingReason['rule'];
}

/**
 * The best ready seat for a waiting call, and why (`lastAnsweringSeat` is the store's sticky lookup).
 * Home centre first (specialty by proficiency, then general once expanded), then the other
 * centres the sharing rules open; longest idle within a level. A seat that missed or declined
 * the call is a last resort: only when it is ready again and no other seat is free.
 */
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
    if (seat && skilled && seat.state.kind === 'ready' && ix.seatUsable(seat) && !excluded.includes(sid!) && speaksFor(seat, call)) {
      return {
        pick: seat,
        why: { rule: 'sticky', step: exp.step, proficiency: seat.profile.skills[call.categoryId] ?? null, considered: 1, alternatives: [] },
      };
    }
  }
  const minProf = minProficiency(ix, call, exp);
  const initialProf = policy(ix, call).initialMinProficiency;
  const found: SeatFound[] = [];
  const again: SeatFound[] = [];
  let considered = 0;
  const take = (seats: Iterable<Seat>, prof: number | null, rule: RoutingReason['rule']) => {
    for (const seat of seats) {
      if (found.length >= 4) return;
      if (found.some((f) => f.seat === seat)) continue;
      if (excluded.includes(seat.profile.id)) {
        if (again.length < 4 && !again.some((f) => f.seat === seat) && readyAgain(call, seat)) again.push({ seat, prof, rule });
        continue;
      }
      found.push({ seat, prof, rule });
    }
  };
  const lang = langSuffix(call.language);
  const bucket = (key: string): Iterable<Seat> => {
    const b = ix.ready.get(key + lang);
    if (!b) return [];
    considered += b.size;
    return b.values();
  };
  const searchCentre = (centre: string, rule: RoutingReason['rule'] | null) => {
    for (let prof = 5; prof >= minProf; prof--) {
      take(bucket(`${call.categoryId}|${centre}|${prof}`), prof, rule ?? (prof >= initialProf ? 'skill' : 'expanded-proficiency'));
    }
    if (exp.general) {
      for (const g of ix.generalCategoryIds) {
        for (let prof = 5; prof >= 1; prof--) take(bucket(`${g}|${centre}|${prof}`), null, rule ?? 'general');
      }
    }
  };
  const home = call.homeCentreId;
  searchCentre(home, null); // the home centre answers its own callers first
  if (found.length === 0 && home !== ix.cityCentreId && (exp.city || call.sharedToCity)) searchCentre(ix.cityCentreId, 'city');
  if (found.length === 0 && countyEligible(ix, call, exp)) {
    // County specialists, by proficiency, the longest idle across the counties first.
    for (let prof = 5; prof >= minProf; prof--) {
      const level = ix.countiesTakingCityCalls.flatMap((county) => [...bucket(`${call.categoryId}|${county}|${prof}`)]);
      if (level.length > 1) level.sort((a, b) => readySince(a) - readySince(b));
      take(level, prof, 'county');
    }
  }
  const reoffer = found.length === 0;
  const list = reoffer ? again : found;
  const best = list[0];
  if (!best) return null;
  const why: RoutingReason = {
    rule: best.rule,
    step: exp.step,
    proficiency: best.prof,
    considered,
    alternatives: list.slice(1).map((f) => f.seat.profile.id),
  };
  if (reoffer) why.reoffer = true;
  return { pick: best.seat, why };
}

function readySince(seat: Seat): number {
  return seat.state.kind === 'ready' ? seat.state.since : 0;
}

/** A queued call transferred to this seat by name, if any (it goes before every queue). */
export function targetedCallFor(ix: EngineIndexes, seatId: string): Call | null {
  for (const c of ix.targeted.values()) {
    if (c.state.kind === 'queued' && c.target?.seatId === seatId) return c;
  }
  return null;
}

/** A waiting call a seat may take: how well the seat matches it (0 best .. 5 general) and whether it is past the fairness bound. */
interface CallCandidate {
  call: Call;
  rank: number;
  overdue: boolean;
}

/**
 * The pairing order of the calls a seat may take (true when `a` goes first): higher
 * priority; then calls past the fairness bound, oldest first; then the seat's best match
 * (its specialty at its proficiency, 5 before 4 ..., before a general match); then the oldest.
 */
export function pairsBefore(a: CallCandidate, b: CallCandidate): boolean {
  if (a.call.priority !== b.call.priority) return a.call.priority > b.call.priority;
  if (a.overdue !== b.overdue) return a.overdue;
  if (!a.overdue && a.rank !== b.rank) return a.rank < b.rank;
  return a.call.enqueuedAt < b.call.enqueuedAt;
}

/** How a seat with `skills` matches a call: 5 − proficiency for its specialty, 5 for a general match, −1 when it may not take it. */
function matchRank(
  ix: EngineIndexes,
  skills: Record<string, number>,
  hasGeneral: boolean,
  c: Call,
  exp: Expansion,
  specialtyOnly: boolean,
): number {
  const prof = skills[c.categoryId];
  if (prof !== undefined && prof >= minProficiency(ix, c, exp)) return 5 - prof;
  if (!specialtyOnly && hasGeneral && exp.general) return 5;
  return -1;
}

/** Which calls of a queue a seat may take: its own centre's, a county's at the city step, the city's as a county specialist. */
type Reach = 'own' | 'county-call-at-city' | 'city-call-at-county';

/**
 * The waiting call a ready seat gets from the queues (targeted calls aside), and why: the
 * first in the pairing order (pairsBefore). A call the seat missed or declined comes only
 * when it has no other call and is ready again since.
 *
 * Each FIFO (one queue, one priority) is looked at from its head: its first eligible call is
 * its best (older calls are more expanded, so match at least as well, and are older). A FIFO
 * whose head is younger than the best so far and cannot match better is skipped unexpanded;
 * it is looked at again only when the reason recorded for the offer depends on it.
 */
export function bestCallFor(ix: EngineIndexes, seat: Seat, now: number): Choice<Call> | null {
  const sid = seat.profile.id;
  const centre = seat.profile.centreId;
  const languages = seat.profile.languages;
  /** A queue key's language part (`@en`) the seat does not speak. */
  const foreign = (langPart: string | undefined) => langPart !== undefined && !languages.includes(langPart.slice(1));
  const isCity = centre === ix.cityCentreId;
  const takesCityCalls = !isCity && ix.countiesTakingCityCalls.includes(centre);
  const skills = seat.profile.skills;
  const hasGeneral = Object.keys(skills).some((c) => ix.generalCategoryIds.has(c));
  const boundMs = ix.cfg.pairing.fairnessBoundS * S;
  const candidates: CallCandidate[] = [];
  const skipped: { fifo: OrderedMap<Call>; reach: Reach; head: Call }[] = [];
  let best: CallCandidate | null = null;
  let again: CallCandidate | null = null;
  let considered = 0;

  /** The best match a call of this category could be for the seat (its specialty, else general). */
  const bestPossibleRank = (c: Call) => {
    const prof = skills[c.categoryId];
    return prof === undefined ? 5 : 5 - prof;
  };
  /** The FIFO's first eligible call the seat has not failed (null: none), and the first it failed but may take again. */
  const firstEligible = (fifo: OrderedMap<Call>, reach: Reach, sharedOnly: boolean, withAgain: boolean): CallCandidate | null => {
    for (const c of fifo.values()) {
      considered++;
      if (c.state.kind !== 'queued') continue;
      if (!sharedOnly && c.sharedToCity && c.homeCentreId !== centre) continue; // seen in the shared index
      const exp = expansion(ix, c, now);
      let rank = -1;
      if (reach === 'own' || (reach === 'county-call-at-city' && exp.city)) rank = matchRank(ix, skills, hasGeneral, c, exp, false);
      else if (reach === 'city-call-at-county' && countyEligible(ix, c, exp)) rank = matchRank(ix, skills, hasGeneral, c, exp, true);
      if (rank < 0) {
        if (!sharedOnly) return null; // younger calls are less expanded
        continue;
      }
      const cand: CallCandidate = { call: c, rank, overdue: now - c.enqueuedAt >= boundMs };
      if (c.excludedSeats.includes(sid)) {
        if (withAgain && (!again || pairsBefore(cand, again)) && readyAgain(c, seat)) again = cand;
        continue;
      }
      return cand;
    }
    return null;
  };
  const scan = (fifo: OrderedMap<Call>, reach: Reach, sharedOnly: boolean) => {
    const head = fifo.first();
    if (!head) return;
    const b = best;
    if (b && head.priority < b.call.priority) return; // a lower priority never wins
    // Younger than the best so far: it wins only by a better match, and neither is overdue then.
    if (b && head.priority === b.call.priority && head.enqueuedAt > b.call.enqueuedAt && (b.overdue || bestPossibleRank(head) >= b.rank)) {
      skipped.push({ fifo, reach, head });
      return;
    }
    const cand = firstEligible(fifo, reach, sharedOnly, true);
    if (!cand) return;
    candidates.push(cand);
    if (!b || pairsBefore(cand, b)) best = cand;
  };

  for (const [key, byPriority] of ix.queues) {
    const [cat, homeCentre, langPart] = key.split('|') as [string, string, string | undefined];
    if (foreign(langPart)) continue;
    let reach: Reach;
    if (homeCentre === centre) reach = 'own';
    else if (isCity) reach = 'county-call-at-city';
    else if (takesCityCalls && homeCentre === ix.cityCentreId && skills[cat] !== undefined) reach = 'city-call-at-county';
    else continue;
    if (skills[cat] === undefined && !hasGeneral) continue;
    for (const fifo of byPriority.values()) scan(fifo, reach, false);
  }
  const sharedFifos = new Set<OrderedMap<Call>>();
  if (isCity) {
    for (const [key, byPriority] of ix.shared) {
      if (foreign(key.split('|')[1])) continue;
      for (const fifo of byPriority.values()) {
        sharedFifos.add(fifo);
        scan(fifo, 'own', true);
      }
    }
  }
  // (assigned in the closures above: TypeScript's narrowing does not see it)
  const found = best as CallCandidate | null;
  const fallback = again as CallCandidate | null;
  const chosen = found ?? fallback;
  if (!chosen) return null;
  const exp = expansion(ix, chosen.call, now);
  const why: RoutingReason = {
    rule: 'oldest-eligible-call',
    step: exp.step,
    proficiency: skills[chosen.call.categoryId] ?? null,
    considered,
    alternatives: [],
  };
  if (!found) {
    why.reoffer = true;
    return { pick: chosen.call, why };
  }
  // Which rule decided, against the other calls of the same priority the seat could take
  // (a skipped FIFO is looked at only when it could change the answer).
  const top = chosen.call.priority;
  const rivals = candidates.filter((c) => c !== chosen && c.call.priority === top);
  const skippedRival = (may: (head: Call) => boolean, is: (c: CallCandidate) => boolean) =>
    skipped.some((k) => {
      if (k.head.priority !== top || !may(k.head)) return false;
      const c = firstEligible(k.fifo, k.reach, sharedFifos.has(k.fifo), false);
      if (c) candidates.push(c);
      return c !== null && is(c);
    });
  const older = (c: CallCandidate) => c.call.enqueuedAt < chosen.call.enqueuedAt;
  const betterMatch = (c: CallCandidate) => c.rank < chosen.rank;
  if (rivals.some(older) || skippedRival((head) => head.enqueuedAt < chosen.call.enqueuedAt, older)) {
    why.rule = 'best-match';
  } else if (chosen.overdue && (rivals.some(betterMatch) || skippedRival((head) => bestPossibleRank(head) < chosen.rank, betterMatch))) {
    why.rule = 'fairness-bound';
  }
  why.considered = considered;
  // The runners-up among the calls looked at (skipped FIFOs are not), best first.
  const runners: CallCandidate[] = [];
  for (const c of candidates) {
    if (c.call === chosen.call || runners.some((r) => r.call === c.call)) continue;
    const at = runners.findIndex((r) => pairsBefore(c, r));
    runners.splice(at < 0 ? runners.length : at, 0, c);
    if (runners.length > 3) runners.pop();
  }
  why.alternatives = runners.map((c) => c.call.id);
  return { pick: chosen.call, why };
}

/**
 * Whether any signed-in seat anywhere the rules allow could take the call once fully
 * expanded: the home centre (specialty, general once expanded); the city for a county
 * call that may go there; county specialists for a city call that may go to them. A seat
 * that missed or declined the call counts (it may be offered it again once ready again). A call
 * in another language needs a seat that speaks it (`anyLanguage`: whether one would do otherwise).
 */
export function canEverBeServed(ix: EngineIndexes, call: Call, anyLanguage = false): boolean {
  const p = policy(ix, call);
  const home = call.homeCentreId;
  const lang = anyLanguage ? '' : langSuffix(call.language);
  const general = (centre: string) => {
    if (p.generalAfterS === null) return false;
    for (const g of ix.generalCategoryIds) {
      for (let prof = 5; prof >= 1; prof--) if (signedIn(ix, `${g}|${centre}|${prof}${lang}`)) return true;
    }
    return false;
  };
  if (specialistSignedIn(ix, call, home, lang) || general(home)) return true;
  if (home !== ix.cityCentreId) {
    const toCity = call.sharedToCity || (p.cityAfterS !== null && ix.countiesSendingToCity.has(home));
    return toCity && (specialistSignedIn(ix, call, ix.cityCentreId, lang) || general(ix.cityCentreId));
  }
  if (p.countyAfterS === null && !p.countyWithoutCitySpecialist) return false;
  return ix.countiesTakingCityCalls.some((county) => specialistSignedIn(ix, call, county, lang));
}

/**
 * Whether `seat` could ever be offered a call of this category from this home centre under
 * the rules canEverBeServed applies (its own centre; the city for a county call that may go
 * there; a county taking city calls for a city call, specialists only), whatever its state.
 */
export function seatCouldEverTake(ix: EngineIndexes, call: Pick<Call, 'categoryId' | 'homeCentreId'>, seat: Seat): boolean {
  const p = policyFor(ix.cfg, call.categoryId);
  const centre = seat.profile.centreId;
  const home = call.homeCentreId;
  const prof = seat.profile.skills[call.categoryId];
  const specialist = prof !== undefined && prof >= floorProficiency(p);
  const general = p.generalAfterS !== null && Object.keys(seat.profile.skills).some((c) => ix.generalCategoryIds.has(c));
  if (centre === home) return specialist || general;
  if (home !== ix.cityCentreId) {
    return centre === ix.cityCentreId && p.cityAfterS !== null && ix.countiesSendingToCity.has(home) && (specialist || general);
  }
  if (p.countyAfterS === null && !p.countyWithoutCitySpecialist) return false;
  return ix.countiesTakingCityCalls.includes(centre) && specialist;
}

/** Max wait from enqueue; a call shared to the city on max-wait gets one more period there. */
export function maxWaitDeadline(ix: EngineIndexes, call: Call): number {
  const periods = 1 + call.events.filter((e) => e.type === 'shared-to-city' && e.trigger === 'max-wait').length;
  return call.enqueuedAt + periods * policy(ix, call).maxWaitS * S;
}

/** When a waiting call next needs the engine (an expansion step, max wait, its transfer target's end); null: never. */
export function nextCallDeadline(ix: EngineIndexes, call: Call, now: number): number | null {
  const p = policy(ix, call);
  const other = call.homeCentreId === ix.cityCentreId ? p.countyAfterS : p.cityAfterS;
  const deadlines = [p.lowerProficiencyAfterS, p.generalAfterS, other]
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
