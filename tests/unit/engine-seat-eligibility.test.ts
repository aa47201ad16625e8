import { describe, expect, it } from 'vitest';
import { createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * seatCouldEverTake: whether the routing rules would ever give a seat a call of this category
 * from this home centre (the transfer panel's counts and the seat's own queue ask it). The same
 * rules as canEverBeServed, seat by seat.
 */
const seats = [
  seat('city-labor', { labor: 5, general: 3 }, 'city'),
  seat('city-gen', { general: 3 }, 'city'),
  seat('dc-labor', { labor: 4, general: 3 }, 'dongcheng'),
  seat('dc-gen', { general: 3 }, 'dongcheng'),
  seat('xs-labor', { labor: 5 }, 'xishan'),
];

describe('which seats could ever take a call', () => {
  it('when a city call is asked about, should answer the city specialist and general seats, and county specialists only', () => {
    const h = createHarness({ seats });
    const could = (id: string, categoryId = 'labor') => h.engine.seatCouldEverTake(id, { categoryId, homeCentreId: 'city' });
    expect(could('city-labor')).toBe(true);
    expect(could('city-gen')).toBe(true); // the general fallback once expanded
    expect(could('dc-labor')).toBe(true); // a county specialist (countyAfterS, or no city specialist)
    expect(could('dc-gen')).toBe(false); // never a county's general-only seat for a city labour call
  });

  it('when a county takes no city calls, should not count its specialists for a city call', () => {
    const h = createHarness({
      seats,
      config: makeConfig({ countySharing: { xishan: { sendsToCity: true, takesCityCalls: false } } }),
    });
    expect(h.engine.seatCouldEverTake('xs-labor', { categoryId: 'labor', homeCentreId: 'city' })).toBe(false);
    expect(h.engine.seatCouldEverTake('dc-labor', { categoryId: 'labor', homeCentreId: 'city' })).toBe(true);
  });

  it('when a county call is asked about, should answer its own seats and the city (specialist or general), never another county', () => {
    const h = createHarness({ seats });
    const could = (id: string) => h.engine.seatCouldEverTake(id, { categoryId: 'labor', homeCentreId: 'dongcheng' });
    expect(could('dc-gen')).toBe(true);
    expect(could('city-labor')).toBe(true);
    expect(could('city-gen')).toBe(true);
    expect(could('xs-labor')).toBe(false);
  });

  it('when the policy never sends city calls to counties, should count no county seat for them', () => {
    const h = createHarness({ seats, config: makeConfig({ policy: { countyAfterS: null, countyWithoutCitySpecialist: false } }) });
    expect(h.engine.seatCouldEverTake('dc-labor', { categoryId: 'labor', homeCentreId: 'city' })).toBe(false);
  });
});
