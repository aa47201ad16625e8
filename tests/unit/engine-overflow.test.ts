import { describe, expect, it } from 'vitest';
import type { ServiceCalendar } from '../../server/src/domain/policy.js';
import { SEC, T0, TRUNK, createHarness, makeConfig, seat } from './support/engine-harness.js';

/* Default overflow: max-wait and no-seat → city, then callback; after-hours and offers-exhausted → callback. maxWaitS 300. */

describe('overflow on maximum wait', () => {
  const cityCall = (config = makeConfig()) => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config });
    h.busy('s1');
    h.call('c1');
    return h;
  };

  it('when a call has waited just under maxWaitS, should still be queued', () => {
    const h = cityCall();

    h.clock.advance(300 * SEC - 1);

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when a city call reaches maxWaitS, should overflow to callback with trigger max-wait', () => {
    const h = cityCall();

    h.advanceS(300);

    expect(h.state('c1')).toEqual({ kind: 'overflowed', since: T0 + 300 * SEC, target: 'callback', trigger: 'max-wait' });
    expect(h.events('c1', 'overflowed')).toEqual([{ type: 'overflowed', at: T0 + 300 * SEC, target: 'callback', trigger: 'max-wait' }]);
    expect(h.telephony.overflows()).toEqual([
      { kind: 'overflow', at: T0 + 300 * SEC, callId: 'c1', target: 'callback', trigger: 'max-wait' },
    ]);
  });

  it('when max-wait is configured to 12345, should hand the call to 12345', () => {
    const h = cityCall(makeConfig({ policy: { overflow: { 'max-wait': ['12345'] } } }));

    h.advanceS(300);

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: '12345', trigger: 'max-wait' });
  });

  it('when a call overflowed, should no longer be offered to a seat that becomes ready', () => {
    const h = cityCall();
    h.advanceS(300);

    h.engine.setSeatReady('s1');

    expect(h.telephony.rings()).toEqual([]);
    expect(h.engine.waitingCalls()).toEqual([]);
  });

  it('when max wait comes while the call is ringing, should let the ring finish and overflow if it is not answered', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ policy: { maxWaitS: 30 } }) });
    h.busy('s1');
    h.call('c1');
    h.advanceS(25);
    h.engine.setSeatReady('s1');

    h.advanceS(10); // 35 s: past max wait, still ringing
    const during = h.state('c1').kind;
    h.advanceS(10); // ring timeout at 45 s

    expect(during).toBe('ringing');
    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'max-wait', since: T0 + 45 * SEC });
  });

  describe('county calls', () => {
    const countyCall = () => {
      const h = createHarness({
        seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('city1', { labor: 5 }, 'city')],
        config: makeConfig({ policy: { cityAfterS: null } }),
      });
      h.busy('dc1', 'city1');
      h.call('c1', { trunk: TRUNK.dongcheng });
      return h;
    };

    it('when a county call reaches maxWaitS, should share it with the city instead of dropping it', () => {
      const h = countyCall();

      h.advanceS(300);

      expect(h.state('c1').kind).toBe('queued');
      expect(h.callById('c1').sharedToCity).toBe(true);
      expect(h.events('c1', 'shared-to-city')).toEqual([{ type: 'shared-to-city', at: T0 + 300 * SEC, trigger: 'max-wait' }]);
    });

    it('when a county call was shared to the city, should be taken by a city seat that becomes ready', () => {
      const h = countyCall();
      h.advanceS(310);

      h.engine.setSeatReady('city1');

      expect(h.ringingAt('c1')).toBe('city1');
    });

    it('when a county call is shared to the city and a city seat is ready, should offer it at once with the city rule', () => {
      const h = countyCall();
      h.engine.setSeatReady('city1');
      h.advanceS(299);
      const before = h.state('c1').kind;

      h.advanceS(1);

      expect(before).toBe('queued');
      expect(h.ringingAt('c1')).toBe('city1');
      expect(h.offers('c1')[0]!.why.rule).toBe('city');
    });

    it('when a shared county call waits another maxWaitS at the city, should overflow to callback', () => {
      const h = countyCall();
      h.advanceS(599);
      const before = h.state('c1').kind;

      h.advanceS(1);

      expect(before).toBe('queued');
      expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'max-wait', since: T0 + 600 * SEC });
    });

    it('when a county call already reached the city by expansion, should skip the city target and call back', () => {
      const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('city1', { labor: 5 }, 'city')] });
      h.busy('dc1', 'city1');
      h.call('c1', { trunk: TRUNK.dongcheng });

      h.advanceS(300);

      expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'max-wait' });
      expect(h.events('c1', 'shared-to-city')).toEqual([]);
    });
  });
});

describe('overflow when no seat can ever take the call', () => {
  it('when nobody logged in has the skill (nor the general skill), should overflow at once with trigger no-seat', () => {
    const h = createHarness({ seats: [seat('s1', { 'contract-debt': 5 }), seat('s2', { labor: 5 })] });
    h.readyInOrder('s1');

    h.call('c1', { category: 'labor' });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'no-seat' });
    expect(h.telephony.overflows()).toMatchObject([{ callId: 'c1', trigger: 'no-seat' }]);
  });

  it('when nobody is logged in at all, should overflow at once with trigger no-seat', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when a seat with the skill is logged in but not ready, should keep the call waiting', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when only a general seat is logged in, should keep the call waiting for the general step', () => {
    const h = createHarness({ seats: [seat('g1', { general: 3 })] });
    h.busy('g1');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when only a general seat is logged in and generalAfterS is null, should overflow as no-seat', () => {
    const h = createHarness({ seats: [seat('g1', { general: 3 })], config: makeConfig({ policy: { generalAfterS: null } }) });
    h.busy('g1');

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when only seats below the expanded proficiency are logged in, should overflow as no-seat', () => {
    const h = createHarness({
      seats: [seat('low', { labor: 1 })],
      config: makeConfig({ policy: { expandedMinProficiency: 2, generalAfterS: null } }),
    });
    h.busy('low');

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when a county has nobody for the call but the city does, should share it with the city and offer it there', () => {
    const h = createHarness({
      seats: [seat('dc1', { 'contract-debt': 5 }, 'dongcheng'), seat('city1', { labor: 5 }, 'city')],
      config: makeConfig({ policy: { cityAfterS: null } }),
    });
    h.busy('dc1');
    h.readyInOrder('city1');

    h.call('c1', { trunk: TRUNK.dongcheng });

    expect(h.events('c1', 'shared-to-city')).toEqual([{ type: 'shared-to-city', at: h.now(), trigger: 'no-seat' }]);
    expect(h.ringingAt('c1')).toBe('city1');
  });

  it('when neither the county nor the city has anybody for the call, should call back', () => {
    const h = createHarness({
      seats: [seat('dc1', { 'contract-debt': 5 }, 'dongcheng'), seat('city1', { 'contract-debt': 5 }, 'city')],
      config: makeConfig({ policy: { cityAfterS: null } }),
    });
    h.busy('dc1', 'city1');

    h.call('c1', { trunk: TRUNK.dongcheng });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'no-seat' });
  });
});

describe('overflow when the last eligible seat leaves', () => {
  it('when the last seat with the skill logs off, should overflow the waiting calls as no-seat', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('other', { 'contract-debt': 5 })] });
    h.busy('s1', 'other');
    h.call('c1');
    h.call('c2');

    h.engine.setSeatOffline('s1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
    expect(h.state('c2')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });

  it('when a seat logs off but another with the skill is still logged in, should keep the calls waiting', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 3 })] });
    h.busy('s1', 's2');
    h.call('c1');

    h.engine.setSeatOffline('s1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when the last seat with the skill goes not-ready, should keep the calls waiting', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('c1');

    h.engine.setSeatNotReady('s1', 'training');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when the last skilled softphone unregisters but its console stays signed in, the waiting calls should keep waiting (a phone blip is not "no seat")', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], requireRegistration: true });
    h.engine.setRegistered('s1', true);
    h.busy('s1');
    h.call('c1');

    h.engine.setRegistered('s1', false);

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when registration is required and the last skilled seat signs off, should overflow the waiting calls', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], requireRegistration: true });
    h.engine.setRegistered('s1', true);
    h.busy('s1');
    h.call('c1');

    h.engine.setRegistered('s1', false);
    h.engine.setSeatOffline('s1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
  });
});

describe('overflow outside service hours', () => {
  const WORKDAY: ServiceCalendar = {
    periods: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 10 }],
    holidays: [{ date: '2026-11-24', name: '演练停机', periods: [] }],
  };
  /** A China local time on 2026-11-23 (Monday) / 24 (Tuesday). */
  const local = (day: number, hh: number, mm = 0) => Date.UTC(2026, 10, day, hh - 8, mm);
  const at = (start: number) => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ serviceCalendar: WORKDAY }), start });
    h.readyInOrder('s1');
    return h;
  };

  it('when a call arrives before opening (local time), should overflow as after-hours even with a ready seat', () => {
    const h = at(local(23, 8, 29));

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'after-hours' });
    expect(h.telephony.actions).toEqual([{ kind: 'overflow', at: h.now(), callId: 'c1', target: 'callback', trigger: 'after-hours' }]);
  });

  it('when a call arrives during service hours, should be offered to the ready seat', () => {
    const h = at(local(23, 8, 30));

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('s1');
  });

  it('when a call arrives on a closed holiday at a weekday working time, should overflow as after-hours', () => {
    const h = at(local(24, 10));

    h.call('c1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'after-hours' });
  });

  it('when after-hours lists the city first, should skip it (the city keeps the same hours) and call back', () => {
    const config = makeConfig({ serviceCalendar: WORKDAY, policy: { overflow: { 'after-hours': ['city', 'callback'] } } });
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')], config, start: local(23, 20) });
    h.busy('dc1');

    h.call('c1', { trunk: TRUNK.dongcheng });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'after-hours' });
    expect(h.events('c1', 'shared-to-city')).toEqual([]);
  });
});
