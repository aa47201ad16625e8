import { describe, expect, it } from 'vitest';
import { SEC, T0, TRUNK, createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * Default policy: initial proficiency 3; after 20 s proficiency 1 may take it;
 * after 40 s a general (综合咨询) seat; after 60 s the city centre for a county call.
 * An expert seat is logged in but busy in every test, so the call can be served
 * one day and never overflows as 'no-seat'.
 */

describe('skill expansion: lower proficiency', () => {
  const setup = (config = makeConfig()) => {
    const h = createHarness({ seats: [seat('expert', { labor: 5 }), seat('low', { labor: 2 }), seat('low2', { labor: 2 })], config });
    h.busy('expert');
    return h;
  };

  it('when the call has waited less than lowerProficiencyAfterS, should not offer a lower-proficiency seat', () => {
    const h = setup();
    h.readyInOrder('low');
    h.call('c1');

    h.clock.advance(20 * SEC - 1);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when the call reaches lowerProficiencyAfterS, should offer a lower-proficiency seat and say so', () => {
    const h = setup();
    h.readyInOrder('low');
    h.call('c1');
    const enqueuedAt = h.now();

    h.advanceS(20);

    expect(h.offers('c1')).toEqual([
      {
        type: 'offered',
        at: enqueuedAt + 20 * SEC,
        seatId: 'low',
        attempt: 1,
        why: { rule: 'expanded-proficiency', step: 1, proficiency: 2, considered: 1, alternatives: [] },
      },
    ]);
  });

  it('when a seat is below expandedMinProficiency, should never be offered the call', () => {
    const h = setup(makeConfig({ policy: { expandedMinProficiency: 3, initialMinProficiency: 4 } }));
    h.readyInOrder('low');
    h.call('c1');

    h.advanceS(299);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when lowerProficiencyAfterS is null, should never lower the proficiency', () => {
    const h = setup(makeConfig({ policy: { lowerProficiencyAfterS: null } }));
    h.readyInOrder('low');
    h.call('c1');

    h.advanceS(299);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when a lower-proficiency seat becomes ready, should take an expanded call but not a newer unexpanded one', () => {
    const h = setup();
    h.busy('low');
    h.call('old');
    h.advanceS(15);
    h.call('new');
    h.advanceS(10); // old has waited 25 s, new 10 s

    h.engine.setSeatReady('low');

    expect(h.ringingAt('old')).toBe('low');
    expect(h.offers('old')[0]!.why).toMatchObject({ rule: 'oldest-eligible-call', step: 1 });
    expect(h.state('new').kind).toBe('queued');
  });

  it('when an expanded call is not answered, should stay expanded for the next seat (its wait counts from enqueue)', () => {
    const h = setup(makeConfig({ ringTimeoutS: 5 }));
    h.readyInOrder('low', 'low2');
    h.call('c1');
    h.advanceS(20); // offered to low

    h.advanceS(5); // low lets it ring out

    expect(h.ringingAt('c1')).toBe('low2');
    expect(h.offers('c1')[1]!.why).toMatchObject({ rule: 'expanded-proficiency', step: 1 });
  });

  it('when a category has its own policy, should expand it on its own schedule', () => {
    const config = makeConfig({ categoryPolicies: { criminal: { lowerProficiencyAfterS: 5 } } });
    const h = createHarness({
      seats: [seat('expert', { labor: 5, criminal: 5 }), seat('low', { labor: 2, criminal: 2 }), seat('low2', { labor: 2, criminal: 2 })],
      config,
    });
    h.busy('expert');
    h.readyInOrder('low', 'low2');
    h.call('crim', { category: 'criminal' });
    h.call('lab', { category: 'labor' });

    h.advanceS(5);

    expect(h.ringingAt('crim')).toBe('low');
    expect(h.state('lab').kind).toBe('queued');
  });
});

describe('skill expansion: general seats', () => {
  const setup = () => {
    const h = createHarness({ seats: [seat('expert', { labor: 5 }), seat('gen', { general: 3 })] });
    h.busy('expert');
    h.readyInOrder('gen');
    return h;
  };

  it('when the call has waited less than generalAfterS, should not offer a general-only seat', () => {
    const h = setup();
    h.call('c1');

    h.clock.advance(40 * SEC - 1);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when the call reaches generalAfterS, should offer a seat with only the general skill', () => {
    const h = setup();
    h.call('c1');

    h.advanceS(40);

    expect(h.ringingAt('c1')).toBe('gen');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'general', step: 2, proficiency: null });
  });

  it('when generalAfterS is null, should never offer a general-only seat', () => {
    const h = createHarness({
      seats: [seat('expert', { labor: 5 }), seat('gen', { general: 3 })],
      config: makeConfig({ policy: { generalAfterS: null } }),
    });
    h.busy('expert');
    h.readyInOrder('gen');
    h.call('c1');

    h.advanceS(299);

    expect(h.offers('c1')).toEqual([]);
  });
});

describe('skill expansion: the city centre for county calls', () => {
  const setup = (config = makeConfig()) => {
    const h = createHarness({
      seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('xs1', { labor: 5 }, 'xishan'), seat('city1', { labor: 5 }, 'city')],
      config,
    });
    h.busy('dc1', 'xs1');
    h.readyInOrder('city1');
    return h;
  };

  it('when a county call has waited less than cityAfterS, should not offer a city seat', () => {
    const h = setup();
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.clock.advance(60 * SEC - 1);

    expect(h.offers('c1')).toEqual([]);
  });

  it('when a county call reaches cityAfterS, should offer a city seat with the city rule', () => {
    const h = setup();
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.advanceS(60);

    expect(h.ringingAt('c1')).toBe('city1');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'city', step: 3, proficiency: 5 });
  });

  it('when the home centre comes from the dialed-number prefix, should still share with the city after cityAfterS', () => {
    const h = setup(makeConfig({ homeCentre: { byTrunk: {}, byDialedPrefix: { '0535': 'xishan' }, defaultCentreId: 'city' } }));
    h.call('c1', { dialed: '053512348' });

    h.advanceS(59);
    const before = h.state('c1').kind;
    h.advanceS(1);

    expect(before).toBe('queued');
    expect(h.ringingAt('c1')).toBe('city1');
  });

  it('when a city seat becomes ready after a county call reached cityAfterS, should take it', () => {
    const h = setup();
    h.busy('city1');
    h.call('c1', { trunk: TRUNK.dongcheng });
    h.advanceS(61);

    h.engine.setSeatReady('city1');

    expect(h.ringingAt('c1')).toBe('city1');
  });

  it('when a county seat and a city seat both qualify at the city step, should still prefer the home centre', () => {
    // generalAfterS = cityAfterS = 60: at 60 s the county general seat and the city expert qualify together.
    const h = createHarness({
      seats: [
        seat('dc-expert', { labor: 5 }, 'dongcheng'),
        seat('dc-gen', { general: 3 }, 'dongcheng'),
        seat('city1', { labor: 5 }, 'city'),
      ],
      config: makeConfig({ policy: { generalAfterS: 60, cityAfterS: 60 } }),
    });
    h.busy('dc-expert');
    h.readyInOrder('city1', 'dc-gen');
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.advanceS(60);

    expect(h.ringingAt('c1')).toBe('dc-gen');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'general', step: 3, alternatives: [] });
  });

  // Issue 10: a city call now reaches step 3 too (county specialists at countyAfterS); it used to stop at [1, 2].
  it('when a call belongs to the city centre, should reach the county step at countyAfterS, never the city step', () => {
    const h = createHarness({ seats: [seat('expert', { labor: 5 })] });
    h.busy('expert');
    h.call('c1');

    h.advanceS(100);

    expect(h.events('c1', 'expanded').map((e) => e.step)).toEqual([1, 2, 3]);
    expect(h.events('c1', 'expanded')[2]!.at).toBe(T0 + 60 * SEC);
    expect(h.callById('c1').sharedToCity).toBe(false);
  });
});

describe('expanded events', () => {
  it('when a county call waits through every step, should record each expansion at its time', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('dc1');
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.advanceS(100);

    expect(h.events('c1', 'expanded')).toEqual([
      { type: 'expanded', at: T0 + 20 * SEC, step: 1 },
      { type: 'expanded', at: T0 + 40 * SEC, step: 2 },
      { type: 'expanded', at: T0 + 60 * SEC, step: 3 },
    ]);
  });

  it('when the call waits, should keep its enqueue time (its place in line)', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('dc1');
    h.call('c1', { trunk: TRUNK.dongcheng });

    h.advanceS(100);

    expect(h.callById('c1').enqueuedAt).toBe(T0);
  });

  it('when the call is ringing as a step comes due, should still record the expansion', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ ringTimeoutS: 30 }) });
    h.readyInOrder('s1');
    h.call('c1');

    h.advanceS(25);

    expect(h.events('c1', 'expanded')).toEqual([{ type: 'expanded', at: T0 + 20 * SEC, step: 1 }]);
  });
});
