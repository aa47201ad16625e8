import { afterAll, describe, expect, it } from 'vitest';
import type { Call } from '../../server/src/domain/call.js';
import { policyFor, type RoutingConfig } from '../../server/src/domain/policy.js';
import type { Seat } from '../../server/src/domain/seat.js';
import { Random } from '../../server/src/sim/random.js';
import { TRUNK, createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * The engine's pairing (a seat that becomes ready, which waiting call it gets) against a
 * plain reference written from the rule in README "How routing works": every waiting call
 * the seat may take, ordered by priority; past the fairness bound, oldest first; the seat's
 * best match (specialty by proficiency before general); oldest. The engine scans only the
 * head of each queue; this checks that doing so loses nothing, on random states.
 */

const S = 1000;
const CATS = ['labor', 'contract-debt', 'marriage-family', 'criminal', 'general'];
const CENTRES = ['city', 'dongcheng', 'xishan'];

/** The call the reference pairs with the seat, and the rule an offer should record for it. */
function reference(cfg: RoutingConfig, seats: Seat[], waiting: Call[], s: Seat, now: number): { callId: string; rule: string } | null {
  const all: { c: Call; match: number; overdue: boolean }[] = [];
  const centre = s.profile.centreId;
  const skills = s.profile.skills;
  const hasGeneral = skills.general !== undefined;
  let best: { c: Call; match: number; overdue: boolean } | null = null;
  for (const c of waiting) {
    if (c.state.kind !== 'queued') continue;
    const p = policyFor(cfg, c.categoryId);
    const waited = now - c.enqueuedAt;
    const reached = (x: number | null) => x !== null && waited >= x * S;
    const minProf = reached(p.lowerProficiencyAfterS)
      ? Math.min(p.expandedMinProficiency, p.initialMinProficiency)
      : p.initialMinProficiency;
    const floor = Math.min(p.initialMinProficiency, p.lowerProficiencyAfterS === null ? 5 : p.expandedMinProficiency);
    const citySpecialist = seats.some(
      (x) => x.state.kind !== 'offline' && x.profile.centreId === 'city' && (x.profile.skills[c.categoryId] ?? 0) >= floor,
    );
    const home = centre === c.homeCentreId;
    const atCity = centre === 'city' && c.homeCentreId !== 'city' && (reached(p.cityAfterS) || c.sharedToCity);
    const atCounty =
      centre !== 'city' && c.homeCentreId === 'city' && (reached(p.countyAfterS) || (p.countyWithoutCitySpecialist && !citySpecialist));
    if (!home && !atCity && !atCounty) continue;
    const prof = skills[c.categoryId];
    let match = -1;
    if (prof !== undefined && prof >= minProf) match = 5 - prof;
    else if (!atCounty && hasGeneral && reached(p.generalAfterS)) match = 5;
    if (match < 0) continue;
    const overdue = waited >= cfg.pairing.fairnessBoundS * S;
    const b = best;
    const before =
      !b ||
      (c.priority !== b.c.priority
        ? c.priority > b.c.priority
        : overdue !== b.overdue
          ? overdue
          : !overdue && match !== b.match
            ? match < b.match
            : c.enqueuedAt < b.c.enqueuedAt);
    all.push({ c, match, overdue });
    if (before) best = { c, match, overdue };
  }
  if (!best) return null;
  const x = best;
  const rivals = all.filter((r) => r.c !== x.c && r.c.priority === x.c.priority);
  const rule = rivals.some((r) => r.c.enqueuedAt < x.c.enqueuedAt)
    ? 'best-match'
    : x.overdue && rivals.some((r) => r.match < x.match)
      ? 'fairness-bound'
      : 'oldest-eligible-call';
  return { callId: x.c.id, rule };
}

describe('pairing against a reference scan', () => {
  const seen: string[] = [];
  afterAll(() => {
    // The random backlogs exercise every seat-side rule.
    expect(new Set(seen)).toEqual(new Set(['oldest-eligible-call', 'best-match', 'fairness-bound']));
  });
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    it(`when seats become ready one by one on a random backlog (seed ${seed}), should pick the call the reference picks`, () => {
      const rng = new Random(seed);
      const profiles = Array.from({ length: 24 }, (_, i) => {
        const skills: Record<string, number> = {};
        const n = 1 + rng.int(3);
        while (Object.keys(skills).length < n) skills[CATS[rng.int(CATS.length)]!] = 1 + rng.int(5);
        return seat(`s${i}`, skills, CENTRES[rng.int(CENTRES.length)]);
      });
      const config = makeConfig({ pairing: { fairnessBoundS: 30 + rng.int(60) }, policy: { maxWaitS: 3600 } });
      const h = createHarness({ seats: profiles, config });
      // s0 stays signed out; with 24 random seats some categories have no city specialist signed in, so both county rules occur.
      for (const p of profiles.slice(1)) h.engine.setSeatNotReady(p.id, 'rest');
      const flags = [[], [], [], ['elderly'], ['minor']] as const;
      let n = 0;
      const addCall = () => {
        const centre = CENTRES[rng.int(CENTRES.length)]!;
        h.call(`c${++n}`, {
          category: CATS[rng.int(CATS.length)]!,
          trunk: centre === 'city' ? undefined : TRUNK[centre as 'dongcheng' | 'xishan'],
          flags: [...flags[rng.int(flags.length)]!],
        });
      };
      for (let i = 0; i < 60; i++) {
        addCall();
        h.advanceS(1 + rng.int(3)); // distinct enqueue times: no ties to break
      }
      let compared = 0;
      const rules = new Set<string>();
      for (let i = 0; i < 120; i++) {
        const s = h.engine.getSeat(profiles[1 + rng.int(profiles.length - 1)]!.id);
        if (s.state.kind !== 'not-ready') continue;
        const expected = reference(config, h.engine.listSeats(), h.engine.waitingCalls(), s, h.now());
        const before = h.telephony.rings().length;
        h.engine.setSeatReady(s.profile.id);
        const ring = h.telephony.rings().slice(before)[0] ?? null;
        const callId = ring?.split('->')[0] ?? null;
        expect(callId).toBe(expected?.callId ?? null);
        if (callId) expect(h.offers(callId).at(-1)!.why.rule).toBe(expected!.rule);
        if (expected) rules.add(expected.rule);
        compared++;
        if (callId) {
          h.answer(callId);
          h.engine.hangup(callId, 'caller');
        }
        h.engine.setSeatNotReady(s.profile.id, 'rest');
        if (rng.int(2) === 0) addCall();
        h.advanceS(1 + rng.int(5));
      }
      expect(compared).toBeGreaterThan(50);
      seen.push(...rules);
    });
  }
});
