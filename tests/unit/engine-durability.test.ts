import { describe, expect, it } from 'vitest';
import type { Call, CallEvent } from '../../server/src/domain/call.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { MemoryEngineStore } from '../support/memory-engine-store.js';
import type { Seat } from '../../server/src/domain/seat.js';
import { AcdEngine, type EngineStore } from '../../server/src/domain/engine.js';
import { RecordingTelephony, T0, createHarness, makeConfig, seat, thrown } from './support/engine-harness.js';

/** A store that writes a journal of its transactions and what it saved, into a shared log. */
class JournalingStore extends MemoryEngineStore {
  failNextSave = false;

  constructor(private readonly log: string[]) {
    super();
  }

  override transaction<T>(fn: () => T): T {
    this.log.push('begin');
    const r = super.transaction(fn);
    this.log.push('commit');
    return r;
  }

  override saveCall(call: Call, newEvents: readonly CallEvent[]): void {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('disk full');
    }
    this.log.push(`save ${call.id} ${call.state.kind}`);
    super.saveCall(call, newEvents);
  }

  override saveSeatState(s: Seat): void {
    this.log.push(`seat ${s.profile.id} ${s.state.kind}`);
    super.saveSeatState(s);
  }
}

const setup = () => {
  const log: string[] = [];
  const clock = new VirtualClock(T0);
  const store = new JournalingStore(log);
  const telephony = new RecordingTelephony(clock, (a) => log.push(`${a.kind} ${a.callId}`));
  const h = createHarness({ seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })], clock, store, telephony });
  return { h, log, store };
};

describe('durable first', () => {
  it('when a call is offered, should ring the seat only after the transaction that stores the offer commits', () => {
    const { h, log } = setup();
    h.readyInOrder('s1');
    log.length = 0;

    h.call('c1');

    expect(log).toEqual(['begin', 'save c1 ringing', 'seat s1 ringing', 'commit', 'ring c1']);
  });

  it('when the store holds the offer at ring time, should hold it as ringing at that seat', () => {
    const { h, store } = setup();
    h.readyInOrder('s1');
    let storedAtRing: Call | undefined;
    const original = h.telephony.ring.bind(h.telephony);
    h.telephony.ring = (call, seatId, ms) => {
      storedAtRing = store.calls.get(call.id);
      original(call, seatId, ms);
    };

    h.call('c1');

    expect(storedAtRing?.state).toMatchObject({ kind: 'ringing', seatId: 's1', attempt: 1 });
    expect(store.events.get('c1')?.map((e) => e.type)).toEqual(['enqueued', 'offered']);
  });

  it('when a ring times out, should store the re-offer before cancelling and ringing', () => {
    const { h, log } = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    log.length = 0;

    h.advanceS(20);

    expect(log.indexOf('commit')).toBeLessThan(log.indexOf('cancel-ring c1'));
    expect(log.slice(log.indexOf('commit'))).toEqual(['commit', 'cancel-ring c1', 'ring c1']);
  });

  it('when a call overflows, should tell telephony only after the overflow is stored', () => {
    const { h, log } = setup();

    h.call('c1'); // nobody logged in: no-seat

    expect(log).toEqual(['begin', 'save c1 overflowed', 'commit', 'overflow c1']);
  });

  it('when the store fails during the transaction, should not ring anything', () => {
    const { h, store } = setup();
    h.readyInOrder('s1');
    store.failNextSave = true;

    expect(() => h.call('c1')).toThrow('disk full');
    expect(h.telephony.actions).toEqual([]);
  });

  it('when a command runs, should use exactly one store transaction', () => {
    const { h, log } = setup();
    h.readyInOrder('s1', 's2');
    h.call('c1');
    log.length = 0;

    h.engine.declined('c1', 's1');

    expect(log.filter((l) => l === 'begin')).toHaveLength(1);
  });
});

describe('a storage failure stops the engine (crash-only recovery)', () => {
  it('when a transaction fails for a non-domain reason, should report it once and refuse every later command', () => {
    const failures: unknown[] = [];
    const store = new MemoryEngineStore();
    let broken = false;
    const failing: EngineStore = {
      transaction: (fn) => store.transaction(fn),
      saveCall: (call, events) => {
        if (broken) throw new Error('SQLITE_FULL: database or disk is full');
        store.saveCall(call, events);
      },
      saveSeatState: (seat) => store.saveSeatState(seat),
      lastAnsweringSeat: (caller, since) => store.lastAnsweringSeat(caller, since),
    };
    const clock = new VirtualClock(T0);
    const telephony = new RecordingTelephony(clock);
    const engine = new AcdEngine({
      clock,
      store: failing,
      telephony,
      config: makeConfig(),
      seats: [seat('s1', { labor: 5 })],
      onStorageFailure: (err) => failures.push(err),
    });
    engine.setSeatNotReady('s1', 'meal');
    engine.offerCall({ id: 'c1', caller: '13800000001', dialed: '12348', categoryId: 'labor' });

    broken = true;
    expect(() => engine.offerCall({ id: 'c2', caller: '13800000002', dialed: '12348', categoryId: 'labor' })).toThrow(/SQLITE_FULL/);
    broken = false;
    const err = thrown(() => engine.setSeatReady('s1'));

    expect(failures).toHaveLength(1);
    expect(err.code).toBe('UNAVAILABLE');
    expect(telephony.rings()).toEqual([]);
    expect(store.calls.has('c2')).toBe(false);
    clock.advance(3600_000); // no timer of the stopped engine fires against the store
    expect(store.calls.get('c1')?.state.kind).toBe('queued');
  });
});

describe("joining the unit of work (one commit for a caller's rows and the engine's decision)", () => {
  it('when a caller writes its own rows and runs commands in one unit, should use one transaction and ring only after it commits', () => {
    const { h, log } = setup();
    h.readyInOrder('s1');
    log.length = 0;

    h.engine.unitOfWork(() => {
      log.push('caller row');
      h.call('c1');
      log.push('unit body done');
    });

    expect(log).toEqual(['begin', 'caller row', 'unit body done', 'save c1 ringing', 'seat s1 ringing', 'commit', 'ring c1']);
  });

  it('when units nest, should commit and tell telephony and listeners once, after the outermost one', () => {
    const { h, log } = setup();
    h.readyInOrder('s1', 's2');
    const pushed: string[] = [];
    h.engine.subscribe({ callChanged: (c) => pushed.push(`${c.id} ${c.state.kind}`) });
    log.length = 0;

    h.engine.unitOfWork(() => {
      h.engine.unitOfWork(() => h.call('c1'));
      h.call('c2');
      expect(h.telephony.actions).toEqual([]);
      expect(pushed).toEqual([]);
    });

    expect(log.filter((l) => l === 'begin' || l === 'commit')).toEqual(['begin', 'commit']);
    expect(log.slice(log.indexOf('commit') + 1)).toEqual(['ring c1', 'ring c2']);
    expect(pushed).toEqual(['c1 ringing', 'c2 ringing']);
  });

  it("when the unit fails, should roll back the caller's rows with the engine's and send nothing", () => {
    const { h, log, store } = setup();
    h.readyInOrder('s1');
    const pushed: string[] = [];
    h.engine.subscribe({ seatChanged: (s) => pushed.push(s.profile.id) });
    log.length = 0;
    store.failNextSave = true;

    expect(() =>
      h.engine.unitOfWork(() => {
        log.push('caller row');
        h.call('c1');
      }),
    ).toThrow('disk full');

    expect(log).not.toContain('commit');
    expect(h.telephony.actions).toEqual([]);
    expect(pushed).toEqual([]);
  });
});
