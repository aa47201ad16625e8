import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { AcdEngine, type TelephonyPort } from '../../server/src/domain/engine.js';
import { MemoryEngineStore } from '../support/memory-engine-store.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';

describe('smoke', () => {
  it('routes a call to a ready seat', () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 23, 2, 0));
    const rings: string[] = [];
    const tel: TelephonyPort = { ring: (c, s) => rings.push(`${c.id}->${s}`), overflow: () => {}, cancelRing: () => {} };
    const engine = new AcdEngine({
      clock,
      store: new MemoryEngineStore(),
      telephony: tel,
      config: DEFAULT_ROUTING_CONFIG,
      seats: [{ id: 's1', name: 'A', staffNo: '1', centreId: 'city', skills: { labor: 5 }, languages: ['zh'] }],
    });
    engine.setSeatReady('s1');
    const call = engine.offerCall({ id: 'c1', caller: '13800000000', dialed: '12348', ivrCode: '2' });
    expect(call.state.kind).toBe('ringing');
    expect(rings).toEqual(['c1->s1']);
    engine.answered('c1', 's1');
    clock.advance(60_000);
    engine.hangup('c1', 'caller');
    expect(engine.getSeat('s1').state.kind).toBe('wrap-up');
    // The default config requires the summary: the timer alone does not end wrap-up.
    clock.advance(60_000);
    expect(engine.getSeat('s1').state.kind).toBe('wrap-up');
    engine.summaryFiled('c1', 's1');
    expect(engine.getSeat('s1').state.kind).toBe('ready');
  });
});
