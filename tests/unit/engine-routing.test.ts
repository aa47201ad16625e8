import { describe, expect, it } from 'vitest';
import { SEC, TRUNK, createHarness, makeConfig, seat } from './support/engine-harness.js';

describe('skill match', () => {
  it('when seats of different proficiency are ready, should offer the most proficient even if another idled longer', () => {
    const h = createHarness({ seats: [seat('s3', { labor: 3 }), seat('s5', { labor: 5 })] });
    h.readyInOrder('s3', 's5');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('s5');
  });

  it('when seats share the best proficiency, should offer the one idle longest', () => {
    const h = createHarness({ seats: [seat('a', { labor: 5 }), seat('b', { labor: 5 }), seat('c', { labor: 5 })] });
    h.readyInOrder('b', 'c', 'a');

    h.call('c1');

    expect(h.ringingAt('c1')).toBe('b');
  });

  it('when the only ready seat is below the initial minimum proficiency, should keep the call queued', () => {
    const h = createHarness({ seats: [seat('low', { labor: 2 }), seat('exp', { labor: 5 })] });
    h.busy('exp');
    h.readyInOrder('low');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
    expect(h.seatState('low').kind).toBe('ready');
  });

  it('when the only ready seat lacks the category, should keep the call queued', () => {
    const h = createHarness({ seats: [seat('other', { 'contract-debt': 5 }), seat('exp', { labor: 5 })] });
    h.busy('exp');
    h.readyInOrder('other');

    h.call('c1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when a call is offered, should send telephony a ring of ringTimeoutS for that seat', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })], config: makeConfig({ ringTimeoutS: 15 }) });
    h.readyInOrder('s1');

    h.call('c1');

    expect(h.telephony.actions).toEqual([{ kind: 'ring', at: h.now(), callId: 'c1', seatId: 's1', ringMs: 15 * SEC }]);
  });

  it('when the caller chose an IVR code, should queue the call in that category', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');

    const call = h.call('c1', { ivrCode: '2' });

    expect(call.categoryId).toBe('labor');
  });

  it('when the IVR code is unknown, should queue the call as general consultation', () => {
    const h = createHarness({ seats: [seat('s1', { general: 5 })] });
    h.busy('s1');

    const call = h.call('c1', { ivrCode: '99' });

    expect(call.categoryId).toBe('general');
  });

  it('when a seat becomes ready, should take the oldest call among the categories it has', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5, 'contract-debt': 5 })] });
    h.busy('s1');
    h.call('c-contract', { category: 'contract-debt' });
    h.advanceS(1);
    h.call('c-labor', { category: 'labor' });

    h.engine.setSeatReady('s1');

    expect(h.ringingAt('c-contract')).toBe('s1');
    expect(h.state('c-labor').kind).toBe('queued');
  });
});

describe('home centre', () => {
  it('when a county call arrives, should offer the county seat even if a city seat idled longer', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.readyInOrder('city1', 'dc1');

    h.call('c1', { trunk: TRUNK.dongcheng });

    expect(h.ringingAt('c1')).toBe('dc1');
  });

  it('when a county call arrives and its own seats are busy, should not offer a ready city seat yet', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('dc1');
    h.readyInOrder('city1');

    h.call('c1', { trunk: TRUNK.dongcheng });

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when a city seat becomes ready, should not take a county call that has not reached cityAfterS', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5 }, 'dongcheng')] });
    h.busy('dc1', 'city1');
    h.call('c1', { trunk: TRUNK.dongcheng });
    h.advanceS(30);

    h.engine.setSeatReady('city1');

    expect(h.state('c1').kind).toBe('queued');
  });

  it('when the trunk is mapped, should take the home centre from the trunk', () => {
    const h = createHarness({ seats: [] });

    expect(h.engine.resolveHomeCentre(TRUNK.xishan, '12348')).toBe('xishan');
  });

  it('when several dialed prefixes match, should use the longest', () => {
    const config = makeConfig({
      homeCentre: { byTrunk: {}, byDialedPrefix: { '0535': 'dongcheng', '05351': 'xishan' }, defaultCentreId: 'city' },
    });
    const h = createHarness({ seats: [], config });

    expect(h.engine.resolveHomeCentre(null, '0535112348')).toBe('xishan');
    expect(h.engine.resolveHomeCentre(null, '0535212348')).toBe('dongcheng');
  });

  it('when both trunk and dialed prefix are mapped, should prefer the trunk', () => {
    const config = makeConfig({
      homeCentre: { byTrunk: { t9: 'xishan' }, byDialedPrefix: { '0535': 'dongcheng' }, defaultCentreId: 'city' },
    });
    const h = createHarness({ seats: [], config });

    expect(h.engine.resolveHomeCentre('t9', '053512348')).toBe('xishan');
  });

  it('when nothing is mapped, should use the default centre', () => {
    const h = createHarness({ seats: [] });

    expect(h.engine.resolveHomeCentre('unknown-trunk', '12348')).toBe('city');
  });

  it('when a call is enqueued, should record its home centre, category and priority', () => {
    const config = makeConfig({
      homeCentre: { byTrunk: {}, byDialedPrefix: { '0535': 'dongcheng' }, defaultCentreId: 'city' },
    });
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng')], config });
    h.busy('dc1');

    h.call('c1', { dialed: '053512348', flags: ['elderly'] });

    expect(h.events('c1', 'enqueued')).toEqual([
      { type: 'enqueued', at: h.now(), priority: 10, categoryId: 'labor', centreId: 'dongcheng' },
    ]);
  });
});

describe('priority', () => {
  /** One seat, busy while the calls arrive one second apart; returns the order it is offered them. */
  const serveOrder = (calls: { id: string; flags?: ('elderly' | 'disabled' | 'callback' | 'women')[] }[]) => {
    const ids = calls.map((_, i) => `s${i}`);
    const h = createHarness({ seats: ids.map((id) => seat(id, { labor: 5 })) });
    h.busy(...ids);
    for (const c of calls) {
      h.call(c.id, { flags: c.flags ?? [] });
      h.advanceS(1);
    }
    h.readyInOrder(...ids);
    return h.telephony.rings().map((r) => r.split('->')[0]);
  };

  it('when an elderly caller arrives after others, should be served first (green channel)', () => {
    expect(serveOrder([{ id: 'n1' }, { id: 'old', flags: ['elderly'] }])).toEqual(['old', 'n1']);
  });

  it('when a disabled caller arrives after others, should be served first (green channel)', () => {
    expect(serveOrder([{ id: 'n1' }, { id: 'dis', flags: ['disabled'] }])).toEqual(['dis', 'n1']);
  });

  it('when a callback-flagged call waits with ordinary calls, should be served before them', () => {
    expect(serveOrder([{ id: 'n1' }, { id: 'cb', flags: ['callback'] }])).toEqual(['cb', 'n1']);
  });

  it('when a callback-flagged call waits with a green-channel call, should come after it', () => {
    expect(
      serveOrder([
        { id: 'cb', flags: ['callback'] },
        { id: 'old', flags: ['elderly'] },
      ]),
    ).toEqual(['old', 'cb']);
  });

  it('when calls share a priority, should serve them in enqueue order', () => {
    expect(
      serveOrder([{ id: 'n1' }, { id: 'e1', flags: ['elderly'] }, { id: 'n2' }, { id: 'e2', flags: ['disabled'] }, { id: 'n3' }]),
    ).toEqual(['e1', 'e2', 'n1', 'n2', 'n3']);
  });

  it('when a caller has several flags, should take the highest priority among them', () => {
    const h = createHarness({ seats: [] });

    expect(h.engine.priorityOf(['women', 'elderly', 'callback'])).toBe(10);
  });

  it('when a flag has no configured priority, should count as ordinary', () => {
    const h = createHarness({ seats: [] });

    expect(h.engine.priorityOf(['foreign-language'])).toBe(0);
  });

  it('when waitingCalls is listed, should show the serving order', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('n1');
    h.advanceS(1);
    h.call('e1', { flags: ['elderly'] });

    expect(h.engine.waitingCalls().map((c) => c.id)).toEqual(['e1', 'n1']);
  });
});

describe('sticky routing', () => {
  /** s2 answers the caller's first call and is ready again afterwards; s1 has idled longer. */
  const afterFirstCall = (stickyWindowS = 3600) => {
    const h = createHarness({
      seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })],
      config: makeConfig({ policy: { stickyWindowS } }),
    });
    h.readyInOrder('s2');
    h.call('first', { caller: '13912345678' });
    h.serve('first', 60);
    h.engine.setSeatReady('s1');
    h.advanceS(1);
    h.engine.endWrapUp('s2');
    return h;
  };

  it('when a repeat caller calls within the window, should offer the seat that last answered them', () => {
    const h = afterFirstCall();
    h.advanceS(60);

    h.call('again', { caller: '13912345678' });

    expect(h.ringingAt('again')).toBe('s2');
    expect(h.offers('again')[0]!.why).toMatchObject({ rule: 'sticky', considered: 1, alternatives: [] });
  });

  it('when a repeat caller calls after the window, should route by skill to the longest-idle seat', () => {
    const h = afterFirstCall(600);
    h.advanceS(600);

    h.call('again', { caller: '13912345678' });

    expect(h.ringingAt('again')).toBe('s1');
    expect(h.offers('again')[0]!.why.rule).toBe('skill');
  });

  it('when the last answering seat is not ready, should route by skill instead of waiting for it', () => {
    const h = afterFirstCall();
    h.busy('s2');

    h.call('again', { caller: '13912345678' });

    expect(h.ringingAt('again')).toBe('s1');
  });

  it('when the sticky window is 0, should not prefer the last answering seat', () => {
    const h = afterFirstCall(0);

    h.call('again', { caller: '13912345678' });

    expect(h.ringingAt('again')).toBe('s1');
  });

  it('when a different caller calls, should not be sent to that seat', () => {
    const h = afterFirstCall();

    h.call('other', { caller: '13900000000' });

    expect(h.ringingAt('other')).toBe('s1');
  });
});

describe('why each offer was made', () => {
  it('when a call is routed by skill, should record rule, step, proficiency, seats considered and runners-up best first', () => {
    const h = createHarness({
      seats: [
        seat('p4', { labor: 4 }),
        seat('p5a', { labor: 5 }),
        seat('p5b', { labor: 5 }),
        seat('p3', { labor: 3 }),
        seat('p2', { labor: 2 }),
        seat('gen', { general: 5 }),
      ],
    });
    h.readyInOrder('p4', 'p5a', 'p5b', 'p3', 'p2', 'gen');

    h.call('c1');

    expect(h.offers('c1')).toEqual([
      {
        type: 'offered',
        at: h.now(),
        seatId: 'p5a',
        attempt: 1,
        why: { rule: 'skill', step: 0, proficiency: 5, considered: 4, alternatives: ['p5b', 'p4', 'p3'] },
      },
    ]);
  });

  it('when a seat that became ready takes a waiting call, should record the oldest-eligible-call rule', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 4 })] });
    h.busy('s1');
    h.call('c1');
    h.advanceS(5);

    h.engine.setSeatReady('s1');

    expect(h.offers('c1')[0]!.why).toEqual({
      rule: 'oldest-eligible-call',
      step: 0,
      proficiency: 4,
      considered: 1,
      alternatives: [],
    });
  });
});

describe('centres never swap callers sideways', () => {
  // Issue 10 changed this rule: county specialists now take city calls after countyAfterS (the
  // old expectation was that a county seat never gets a city call, even after 100 s).
  it('when only a county seat is ready and a city specialist is signed in, should offer it a city call only at countyAfterS', () => {
    const h = createHarness({ seats: [seat('city1', { labor: 5 }, 'city'), seat('dc1', { labor: 5, general: 5 }, 'dongcheng')] });
    h.busy('city1');
    h.readyInOrder('dc1');

    h.call('c1');
    h.clock.advance(60 * SEC - 1);
    const before = h.offers('c1').length;
    h.clock.advance(1);

    expect(before).toBe(0);
    expect(h.ringingAt('c1')).toBe('dc1');
    expect(h.offers('c1')[0]!.why).toMatchObject({ rule: 'county', step: 3, proficiency: 5 });
  });

  it('when a county call reaches the city step, should still not offer another county seat', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 5 }, 'dongcheng'), seat('xs1', { labor: 5, general: 5 }, 'xishan')] });
    h.busy('dc1');
    h.readyInOrder('xs1');

    h.call('c1', { trunk: TRUNK.dongcheng });
    h.advanceS(100);

    expect(h.offers('c1')).toEqual([]);
  });
});

describe('softphone registration', () => {
  it('when registration is required, should not offer a ready seat whose softphone is not registered', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })], requireRegistration: true });
    h.engine.setRegistered('s2', true);
    h.busy('s2');
    h.readyInOrder('s1');

    h.call('c1');

    expect(h.offers('c1')).toEqual([]);
  });

  it('when a ready seat registers its softphone, should take the waiting call', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })], requireRegistration: true });
    h.engine.setRegistered('s2', true);
    h.busy('s2');
    h.readyInOrder('s1');
    h.call('c1');

    h.engine.setRegistered('s1', true);

    expect(h.ringingAt('c1')).toBe('s1');
  });
});
