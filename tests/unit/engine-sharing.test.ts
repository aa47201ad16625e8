import { describe, expect, it } from 'vitest';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import { SEC, T0, TRUNK, createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * City and county share the load (issue 10, item 1). Defaults: a county call goes to the
 * city's seats after cityAfterS (60 s); a city call goes to county specialists after
 * countyAfterS (60 s), or at once while no city seat with its specialty is signed in.
 */

describe('city calls at county specialists', () => {
  it('when no city seat with the specialty is signed in, should offer a city call to a ready county specialist at once', () => {
    const h = createHarness({ seats: [seat('city-gen', { general: 5 }, 'city'), seat('dc1', { labor: 4 }, 'dongcheng')] });
    h.busy('city-gen');
    h.readyInOrder('dc1');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('dc1');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'county', step: 0, proficiency: 4 });
  });

  it('when a city specialist is signed in but busy, should wait countyAfterS before a county specialist gets the call', () => {
    const h = createHarness({
      seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')],
      config: makeConfig({ policy: { countyAfterS: 30 } }),
    });
    h.busy('city1');
    h.readyInOrder('dc1');
    h.call('c1');

    h.clock.advance(30 * SEC - 1);
    const before = h.state('c1').kind;
    h.clock.advance(1);

    expect(before).toBe('queued');
    expect(h.ringingAt('c1')).toBe('dc1');
    expect(h.events('c1', 'expanded').at(-1)).toEqual({ type: 'expanded', at: T0 + 30 * SEC, step: 3 });
  });

  it('when a county specialist becomes ready after countyAfterS, should take the waiting city call', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 3 }, 'dongcheng')] });
    h.busy('city1', 'dc1');
    h.call('c1');
    h.advanceS(61);

    h.engine.setSeatReady('dc1');

    expect(h.ringingAt('c1')).toBe('dc1');
  });

  it('when a county specialist becomes ready and no city specialist is signed in, should take the city call at once', () => {
    const h = createHarness({ seats: [seat('city-gen', { general: 3 }, 'city'), seat('dc1', { labor: 3 }, 'dongcheng')] });
    h.busy('city-gen', 'dc1');
    h.call('c1');
    h.advanceS(1);

    h.engine.setSeatReady('dc1');

    expect(h.ringingAt('c1')).toBe('dc1');
  });

  it('when the last city specialist signs off, should offer the waiting city call to a ready county specialist at once', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('city1');
    h.readyInOrder('dc1');
    h.call('c1');
    h.advanceS(5);
    const before = h.state('c1').kind;

    h.engine.setSeatOffline('city1');

    expect(before).toBe('queued');
    expect(h.ringingAt('c1')).toBe('dc1');
  });

  it("when an admin takes the last city specialist's skill away, should offer the waiting city call to a ready county specialist", () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5, general: 3 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('city1');
    h.readyInOrder('dc1');
    h.call('c1');

    h.engine.upsertSeat(seat('city1', { general: 3 }, 'city'));

    expect(h.ringingAt('c1')).toBe('dc1');
  });

  it('when countyAfterS is null and a city specialist is signed in, should never offer the city call to a county seat', () => {
    const h = createHarness({
      seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')],
      config: makeConfig({ policy: { countyAfterS: null } }),
    });
    h.busy('city1');
    h.readyInOrder('dc1');

    h.call('c1');
    h.advanceS(299);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when a county seat has only the general skill, should never take a city call', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc-gen', { general: 5 }, 'dongcheng')] });
    h.busy('city1');
    h.readyInOrder('dc-gen');

    h.call('c1');
    h.advanceS(299);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when a county seat is below the proficiency the call needs by then, should not take it', () => {
    const h = createHarness({
      seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 2 }, 'dongcheng')],
      config: makeConfig({ policy: { countyAfterS: 10, lowerProficiencyAfterS: 30 } }),
    });
    h.busy('city1');
    h.readyInOrder('dc1');
    h.call('c1');

    h.advanceS(29);
    const before = h.state('c1').kind;
    h.advanceS(1);

    expect(before).toBe('queued');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'county', step: 3, proficiency: 2 });
  });

  it('when specialists of two counties are ready, should prefer proficiency, then the longest idle across counties', () => {
    const h = createHarness({
      seats: [seat('dc4', { labor: 4 }, 'dongcheng'), seat('xs5', { labor: 5 }, 'xishan'), seat('dc5', { labor: 5 }, 'dongcheng')],
    });
    h.readyInOrder('dc4', 'xs5', 'dc5');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('xs5');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'county', alternatives: ['dc5', 'dc4'] });
  });

  it('when a county does not take city calls (countySharing), should not offer them to its seats', () => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('xs1', { labor: 5 }, 'xishan')],
      config: makeConfig({ countySharing: { dongcheng: { sendsToCity: true, takesCityCalls: false } } }),
    });
    h.readyInOrder('dc1', 'xs1');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('xs1');
  });
});

describe('county calls at the city', () => {
  it('when a county does not send calls to the city (countySharing), should keep its calls at home past cityAfterS', () => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('city1', { labor: 5 }, 'city')],
      config: makeConfig({ countySharing: { dongcheng: { sendsToCity: false, takesCityCalls: true } } }),
    });
    h.busy('dc1');
    h.readyInOrder('city1');

    h.call('c1', { trunk: TRUNK.dongcheng });
    h.advanceS(120);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when cityAfterS is configured, should share the county call with the city at that wait', () => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('city1', { labor: 5 }, 'city')],
      config: makeConfig({ policy: { cityAfterS: 15 } }),
    });
    h.busy('dc1');
    h.readyInOrder('city1');
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.clock.advance(15 * SEC - 1);
    const before = h.state('c1').kind;
    h.clock.advance(1);

    expect(before).toBe('queued');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'city', step: 3 });
  });

  it('when a city call and a county seat of another county are involved, should never pass a county call to another county', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('xs1', { labor: 5 }, 'xishan')] });
    h.busy('dc1');
    h.readyInOrder('xs1');

    h.call('c1', { trunk: TRUNK.dongcheng });
    h.advanceS(200);

    expect(h.offers('c1')).toEqual([]);
  });
});

describe('no seat could ever take it', () => {
  it('when only a county specialist is signed in, should keep a city call waiting (never no-seat)', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('dc1');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when the only county specialist is ready, should never declare no-seat but ring it', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.readyInOrder('dc1');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('dc1');
    expect(h.telephony.overflows()).toEqual([]);
  });

  it('when the only specialist is in a county that does not take city calls, should overflow the city call as no-seat', () => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng')],
      config: makeConfig({ countySharing: { dongcheng: { sendsToCity: true, takesCityCalls: false } } }),
    });
    h.busy('dc1');

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when county sharing is off both ways for a category, should overflow the city call as no-seat when only county seats are signed in', () => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng')],
      config: makeConfig({ policy: { countyAfterS: null, countyWithoutCitySpecialist: false } }),
    });
    h.busy('dc1');

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when the last city seat signs off while a county specialist is signed in, should keep the city call waiting', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('city1', 'dc1');
    h.call('c1');

    h.engine.setSeatOffline('city1');

    expect(h.state('c1').kind).toBe('queued');
  });
});

describe('the demo configuration', () => {
  it('when only seat11 (东城, 合同与债务 4) is ready, a trunk call to 123483 should ring it, not be called back', () => {
    const h = createHarness({ seats: DEMO_SEATS, config: DEFAULT_ROUTING_CONFIG });
    h.engine.setSeatReady('s11');

    const call = h.call('c1', { ivrCode: '3', trunk: '203.0.113.7', dialed: '12348' });

    expect(call.homeCentreId).toBe('city');
    expect(call.categoryId).toBe('contract-debt');
    expect(h.ringingAt('c1')).toBe('s11');
    expect(h.telephony.overflows()).toEqual([]);
  });
});
