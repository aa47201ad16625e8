/** A supervisor's changes to waiting calls (engine/supervisor-commands.ts), on the fake clock. */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { AcdEngine, type TelephonyPort } from '../../server/src/domain/engine.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import { MemoryEngineStore } from '../support/memory-engine-store.js';

function setup() {
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 2, 0));
  const rings: string[] = [];
  const tel: TelephonyPort = { ring: (c, s) => rings.push(`${c.id}->${s}`), overflow: () => {}, cancelRing: () => {} };
  const engine = new AcdEngine({
    clock,
    store: new MemoryEngineStore(),
    telephony: tel,
    config: DEFAULT_ROUTING_CONFIG,
    seats: [
      { id: 'lab', name: 'A', staffNo: '1', centreId: 'city', skills: { labor: 5, general: 3 }, languages: ['zh'] },
      { id: 'fam', name: 'B', staffNo: '2', centreId: 'city', skills: { 'marriage-family': 5 }, languages: ['zh'] },
    ],
  });
  // Signed in but not ready: calls wait instead of overflowing for want of any seat.
  engine.setSeatNotReady('lab', 'rest');
  engine.setSeatNotReady('fam', 'rest');
  return { clock, rings, engine };
}

describe('supervisor commands', () => {
  it('a higher priority puts a later call ahead of an earlier one', () => {
    const { clock, rings, engine } = setup();
    engine.offerCall({ id: 'c1', caller: '1', dialed: '12348', ivrCode: '2' });
    clock.advance(1000);
    engine.offerCall({ id: 'c2', caller: '2', dialed: '12348', ivrCode: '2' });
    engine.reprioritize('c2', 50);
    expect(engine.waitingCalls().map((c) => c.id)).toEqual(['c2', 'c1']);
    engine.setSeatReady('lab');
    expect(rings).toEqual(['c2->lab']);
  });

  it('moving a call to another category routes it to a ready seat of that category at once, and records it', () => {
    const { rings, engine } = setup();
    engine.setSeatReady('fam');
    engine.offerCall({ id: 'c1', caller: '1', dialed: '12348', ivrCode: '2' });
    expect(engine.getCall('c1')?.state.kind).toBe('queued');
    engine.recategorize('c1', 'marriage-family');
    expect(rings).toEqual(['c1->fam']);
    expect(engine.getCall('c1')?.events.map((e) => e.type)).toContain('recategorized');
  });

  it('assigning rings the chosen seat, even one without the skill; a ringing call or a seat not ready is refused', () => {
    const { clock, rings, engine } = setup();
    engine.offerCall({ id: 'c1', caller: '1', dialed: '12348', ivrCode: '2' });
    expect(() => engine.assignCall('c1', 'fam')).toThrow(/只能指派给就绪的坐席/);
    engine.setSeatReady('fam');
    expect(engine.getCall('c1')?.state.kind).toBe('queued');
    engine.assignCall('c1', 'fam');
    expect(rings).toEqual(['c1->fam']);
    expect(() => engine.reprioritize('c1', 3)).toThrow(/振铃/);
    // No answer: back to its queue, keeping its enqueue time, and no longer tied to the seat.
    const enqueuedAt = engine.getCall('c1')!.enqueuedAt;
    clock.advance(25_000);
    const call = engine.getCall('c1')!;
    expect(call.state.kind).toBe('queued');
    expect(call.target ?? null).toBeNull();
    expect(call.enqueuedAt).toBe(enqueuedAt);
  });

  it('an unknown category or call is refused', () => {
    const { engine } = setup();
    engine.offerCall({ id: 'c1', caller: '1', dialed: '12348', ivrCode: '2' });
    expect(() => engine.recategorize('c1', 'nope')).toThrow(/没有专业类别/);
    expect(() => engine.reprioritize('zz', 1)).toThrow(/No active call/);
  });
});
