/**
 * The Kamailio side of a full disk (degraded mode), against the fake evapi peer: a call that
 * arrives while nothing can be stored is relayed to 12345 at once (no record can be kept), a call
 * already talking is left alone (its BYE cannot be stored, the media goes on), and the resync
 * once space returns learns what Kamailio reported meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../server/src/domain/clock.js';
import { AcdEngine, type StoredEngineState } from '../../server/src/domain/engine.js';
import { DomainError } from '../../server/src/domain/errors.js';
import { openDatabase } from '../../server/src/store/db.js';
import { SipLegRepo } from '../../server/src/store/sip-legs.js';
import { FillingEngineStore } from '../support/filling-engine-store.js';
import { makeConfig, seat } from './support/engine-harness.js';
import { enqueue, fakeKamailio, until, wireAdapter } from './support/fake-kamailio.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const fake = await fakeKamailio();
  const store = new FillingEngineStore();
  const seats = [seat('s1', { labor: 5 })];
  const config = makeConfig();
  const stored = (): StoredEngineState => ({ config, seats, calls: store.snapshot().calls, seatStates: store.snapshot().seats });
  let engineRef: AcdEngine | null = null;
  const { engine, adapter } = wireAdapter(
    fake,
    new SipLegRepo(openDatabase(':memory:')),
    (telephony) =>
      (engineRef = new AcdEngine({
        clock: SystemClock,
        store,
        telephony,
        config,
        seats,
        requireRegistration: true,
        // As the composition does (app.ts): a full disk suspends the engine, memory back to the store.
        onStorageFailure: () => engineRef!.suspend(new DomainError('STORAGE_FULL', '存储空间已满,暂停受理新业务'), stored),
      })),
  );
  cleanups.push(
    () => fake.close(),
    () => adapter.stop(),
    () => engine.dispose(),
  );
  adapter.start();
  await until(() => adapter.status().synced, 'synced');
  return { fake, adapter, engine, store, stored };
}

describe('Kamailio while the database disk is full', () => {
  it('new calls go to 12345, a talking call is left alone, and the resync after recovery ends what ended meanwhile', async () => {
    const { fake, adapter, engine, store, stored } = await setup();
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    await until(() => engine.getSeat('s1').registered, 'registered');
    engine.setSeatReady('s1');
    fake.send(enqueue('talking'));
    await until(() => fake.received.some((m) => m.cmd === 'ring' && m.callid === 'talking'), 'ring');
    fake.send({ event: 'answered', callid: 'talking', seat: 's1', ftag: 'f', ttag: 't' });
    await until(() => engine.getCall('talking')?.state.kind === 'talking', 'talking');

    store.full = true;
    // The first call meets the failing commit itself; the next one the suspended engine.
    fake.send(enqueue('first', { tindex: 31, tlabel: 32 }));
    await until(() => fake.received.some((m) => m.callid === 'first'), 'decision for the first call');
    fake.send(enqueue('second', { tindex: 41, tlabel: 42 }));
    await until(() => fake.received.some((m) => m.callid === 'second'), 'decision for the second call');
    expect(fake.received.filter((m) => m.callid === 'first' || m.callid === 'second')).toEqual([
      { cmd: 'overflow', tindex: 31, tlabel: 32, callid: 'first', uri: 'sip:12345@gw', reason: 'storage-full' },
      { cmd: 'overflow', tindex: 41, tlabel: 42, callid: 'second', uri: 'sip:12345@gw', reason: 'storage-full' },
    ]);
    expect(engine.suspended).toBe(true);
    expect(engine.getCall('first')).toBeUndefined();

    // The conversation goes on; its end cannot be stored and changes nothing yet.
    const sentBefore = fake.received.length;
    fake.send({ event: 'bye', callid: 'talking', by: 'caller' });
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.getCall('talking')?.state.kind).toBe('talking');
    expect(fake.received.slice(sentBefore).filter((m) => m.cmd !== 'reg-query')).toEqual([]);

    // Space returns: the engine takes commands again and the resync learns that the call ended.
    store.full = false;
    engine.resumeFromStore(stored);
    fake.held = [];
    adapter.resync();
    await until(() => engine.getCall('talking')?.state.kind === 'wrap-up', 'the talking call ended by the resync');
    expect(engine.getSeat('s1').state.kind).toBe('wrap-up');
    expect(store.calls.get('talking')?.state.kind).toBe('wrap-up');
    expect(engine.suspended).toBe(false);
  });

  it('calls that arrive together, in the batch whose commit meets the full disk: each relayed to 12345', async () => {
    const { fake, engine, store } = await setup();
    store.full = true;
    fake.sendTogether([enqueue('b1', { tindex: 51, tlabel: 52 }), enqueue('b2', { tindex: 61, tlabel: 62 })]);
    await until(() => fake.received.filter((m) => m.callid === 'b1' || m.callid === 'b2').length === 2, 'decisions for both calls');
    expect(fake.received.filter((m) => m.callid === 'b1' || m.callid === 'b2')).toEqual([
      { cmd: 'overflow', tindex: 51, tlabel: 52, callid: 'b1', uri: 'sip:12345@gw', reason: 'storage-full' },
      { cmd: 'overflow', tindex: 61, tlabel: 62, callid: 'b2', uri: 'sip:12345@gw', reason: 'storage-full' },
    ]);
    expect(engine.activeCalls()).toEqual([]);
  });
});
