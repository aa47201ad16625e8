import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { createHarness, makeConfig, seat } from './support/engine-harness.js';

/*
 * Best pairing with a fairness bound (issue 10, item 3): a seat that frees up gets, among the
 * waiting calls of the highest priority it may take, the one it is best qualified for (its
 * specialty over a general match, higher proficiency first), unless one of them has waited
 * pairing.fairnessBoundS (120 s by default) or more: then the oldest of those.
 */

const ZHANG_WEI = 's03'; // 张伟: 合同与债务 5, 公司与经济 4, 综合咨询 3 (city)
const LI_XIUYING = 's02'; // 李秀英: 劳动与社会保障 5, 法律援助 4, 综合咨询 3 (city)

describe('each specialist gets their own call', () => {
  it('when 张伟 then 李秀英 become ready with a labour and a contract green-channel call past 40 s, should give each their own call', () => {
    const h = createHarness({ seats: DEMO_SEATS, config: DEFAULT_ROUTING_CONFIG });
    h.busy(ZHANG_WEI, LI_XIUYING);
    h.call('labour', { ivrCode: '2', flags: ['elderly'] });
    h.advanceS(2);
    h.call('contract', { ivrCode: '3', flags: ['disabled'] });
    h.advanceS(45); // both past generalAfterS (40 s): either seat could take either call

    h.engine.setSeatReady(ZHANG_WEI);
    h.advanceS(1);
    h.engine.setSeatReady(LI_XIUYING);

    expect(h.ringingAt('contract')).toBe(ZHANG_WEI);
    expect(h.ringingAt('labour')).toBe(LI_XIUYING);
    expect(h.offers('contract')[0]!.why).toMatchObject({ rule: 'best-match', step: 2, proficiency: 5, alternatives: ['labour'] });
    expect(h.offers('labour')[0]!.why).toMatchObject({ rule: 'oldest-eligible-call', proficiency: 5 });
  });

  it('when the fairness bound is 0, should serve the oldest eligible call first (the old crossing)', () => {
    const h = createHarness({ seats: DEMO_SEATS, config: { ...DEFAULT_ROUTING_CONFIG, pairing: { fairnessBoundS: 0 } } });
    h.busy(ZHANG_WEI, LI_XIUYING);
    h.call('labour', { ivrCode: '2', flags: ['elderly'] });
    h.advanceS(2);
    h.call('contract', { ivrCode: '3', flags: ['disabled'] });
    h.advanceS(45);

    h.engine.setSeatReady(ZHANG_WEI);

    expect(h.ringingAt('labour')).toBe(ZHANG_WEI);
  });
});

describe('the pairing order', () => {
  const twoCalls = (config = makeConfig()) => {
    const h = createHarness({ seats: [seat('zw', { 'contract-debt': 5, general: 3 }), seat('other', { labor: 5 })], config });
    h.busy('zw', 'other');
    return h;
  };

  it('when an older general call has waited past the fairness bound, should give it to the seat before its specialty call', () => {
    const h = twoCalls(makeConfig({ pairing: { fairnessBoundS: 60 } }));
    h.call('old-labour');
    h.advanceS(20);
    h.call('contract', { category: 'contract-debt' });
    h.advanceS(45); // old-labour 65 s (past 60 s), contract 45 s

    h.engine.setSeatReady('zw');

    expect(h.ringingAt('old-labour')).toBe('zw');
    expect(h.offers('old-labour')[0]!.why).toMatchObject({ rule: 'fairness-bound', alternatives: ['contract'] });
  });

  it('when the older general call is just under the bound, should still prefer the specialty call', () => {
    const h = twoCalls(makeConfig({ pairing: { fairnessBoundS: 60 } }));
    h.call('old-labour');
    h.advanceS(20);
    h.call('contract', { category: 'contract-debt' });
    h.advanceS(39);
    h.clock.advance(999); // old-labour 59.999 s

    h.engine.setSeatReady('zw');

    expect(h.ringingAt('contract')).toBe('zw');
  });

  it('when several calls are past the bound, should take the oldest of them', () => {
    const h = twoCalls(makeConfig({ pairing: { fairnessBoundS: 30 } }));
    h.call('old-labour');
    h.advanceS(5);
    h.call('contract', { category: 'contract-debt' });
    h.advanceS(60);

    h.engine.setSeatReady('zw');

    expect(h.ringingAt('old-labour')).toBe('zw');
  });

  it('when a general call has a higher priority, should win over the specialty call', () => {
    const h = twoCalls();
    h.call('contract', { category: 'contract-debt' });
    h.advanceS(5);
    h.call('labour-elderly', { flags: ['elderly'] });
    h.advanceS(45);

    h.engine.setSeatReady('zw');

    expect(h.ringingAt('labour-elderly')).toBe('zw');
    expect(h.offers('labour-elderly')[0]!.why).toMatchObject({ rule: 'oldest-eligible-call', proficiency: null });
  });

  it('when two specialty calls wait, should take the one of the higher proficiency even if it is younger', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 3, 'contract-debt': 5 })] });
    h.busy('s1');
    h.call('labour');
    h.advanceS(3);
    h.call('contract', { category: 'contract-debt' });

    h.engine.setSeatReady('s1');

    expect(h.ringingAt('contract')).toBe('s1');
    expect(h.offers('contract')[0]!.why).toMatchObject({ rule: 'best-match', proficiency: 5, alternatives: ['labour'] });
  });

  it('when the specialty calls are of the same match, should take the oldest', () => {
    const h = createHarness({ seats: [seat('s1', { labor: 5 })] });
    h.busy('s1');
    h.call('a');
    h.advanceS(1);
    h.call('b');

    h.engine.setSeatReady('s1');

    expect(h.ringingAt('a')).toBe('s1');
    expect(h.offers('a')[0]!.why).toMatchObject({ rule: 'oldest-eligible-call', considered: 1 });
  });

  it('when a county specialist may take its own county call and a city call, should follow the same order', () => {
    const h = createHarness({ seats: [seat('dc1', { labor: 3, 'contract-debt': 5 }, 'dongcheng')] });
    h.busy('dc1');
    h.call('county-labour', { trunk: 'trunk-dc' });
    h.advanceS(2);
    h.call('city-contract', { category: 'contract-debt' }); // no city specialist: county at once

    h.engine.setSeatReady('dc1');

    expect(h.ringingAt('city-contract')).toBe('dc1');
    expect(h.offers('city-contract')[0]!.why).toMatchObject({ rule: 'best-match' });
  });
});
