/**
 * The engine after a failed commit on a full disk (degraded mode): memory goes back to what the
 * store holds, no command and no timer runs while it is suspended (no busy loop of overdue
 * timers), and once the store can be written the timers are armed again from the stored times.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { AcdEngine, type StoredEngineState } from '../../server/src/domain/engine.js';
import { DomainError } from '../../server/src/domain/errors.js';
import { FillingEngineStore } from '../support/filling-engine-store.js';
import { RecordingTelephony, SEC, T0, makeConfig, seat, thrown } from './support/engine-harness.js';

function setup() {
  const clock = new VirtualClock(T0);
  const store = new FillingEngineStore();
  const telephony = new RecordingTelephony(clock);
  const seats = [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })];
  const config = makeConfig();
  const stored = (): StoredEngineState => ({ config, seats, calls: store.snapshot().calls, seatStates: store.snapshot().seats });
  const failures: unknown[] = [];
  const engine: AcdEngine = new AcdEngine({
    clock,
    store,
    telephony,
    config,
    seats,
    onStorageFailure: (err) => {
      failures.push(err);
      engine.suspend(new DomainError('STORAGE_FULL', '存储空间已满,暂停受理新业务'), stored);
    },
  });
  return { clock, store, telephony, engine, stored, failures };
}

const offer = (engine: AcdEngine, id: string) =>
  engine.offerCall({ id, caller: `1380000${id.length}`, dialed: '12348', categoryId: 'labor' });

describe('the engine suspended by a full disk', () => {
  it("a failed command leaves nothing in memory; commands are refused; no timer fires; resuming re-arms the stored ring's timer", () => {
    const { clock, store, telephony, engine, stored, failures } = setup();
    engine.setSeatReady('s1');
    offer(engine, 'c1'); // rings s1
    engine.setSeatNotReady('s2', 'meal');

    store.full = true;
    expect(() => engine.setSeatReady('s2')).toThrow(/disk is full/);
    // The failed command's state moves are gone: s2 is what the store says.
    expect(engine.getSeat('s2').state.kind).toBe('not-ready');
    expect(failures).toHaveLength(1);
    expect(engine.suspended).toBe(true);
    const refused = thrown(() => offer(engine, 'c2'));
    expect([refused.code, refused.message]).toEqual(['STORAGE_FULL', '存储空间已满,暂停受理新业务']);
    expect(engine.getCall('c2')).toBeUndefined();

    // Long past the ring timeout: nothing fires, nothing is tried against the store.
    const actions = telephony.actions.length;
    const transactions = store.transactions;
    clock.advance(120 * SEC);
    expect(telephony.actions.length).toBe(actions);
    expect(store.transactions).toBe(transactions);
    expect(engine.getCall('c1')?.state).toMatchObject({ kind: 'ringing', seatId: 's1' });
    expect(failures).toHaveLength(1);

    // Space returns: the overdue ring times out at once and the call goes back to the queue.
    store.full = false;
    engine.resumeFromStore(stored);
    expect(engine.suspended).toBe(false);
    clock.advance(0);
    expect(telephony.actions.slice(actions).map((a) => `${a.kind} ${a.callId}`)).toContain('cancel-ring c1');
    expect(engine.getCall('c1')?.state.kind).toBe('queued');
    expect(store.calls.get('c1')?.state.kind).toBe('queued');
    engine.setSeatReady('s2');
    expect(engine.getCall('c1')?.state).toMatchObject({ kind: 'ringing', seatId: 's2' });
  });

  it('a disk that is still full when resuming: suspended again, with one more failure reported and nothing half-done', () => {
    const { store, engine, stored, failures } = setup();
    engine.setSeatReady('s1');
    offer(engine, 'c1');
    offer(engine, 'c2'); // queued behind c1
    store.full = true;
    expect(() => offer(engine, 'c3')).toThrow(/disk is full/);

    // Resumed too early (the probe would not, but nothing must break if it did): the unit that
    // re-arms the timers fails to commit, which suspends the engine again from the store.
    engine.resumeFromStore(stored);
    expect(failures).toHaveLength(2);
    expect(engine.suspended).toBe(true);
    expect(engine.activeCalls().map((c) => `${c.id} ${c.state.kind}`)).toEqual(['c1 ringing', 'c2 queued']);
  });
});
