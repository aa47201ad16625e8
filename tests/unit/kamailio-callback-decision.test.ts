/**
 * A call the routing overflows to a call-back, as the Kamailio adapter sends it: relayed to the
 * call-back prompt (the caller is answered, told a lawyer will call back, hung up on) when the
 * prompt runs; otherwise the caller hears 480 Callback Scheduled. The caller's language arrives
 * from X-Caller-Language (the enqueue event's `lang`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../server/src/domain/clock.js';
import { AcdEngine } from '../../server/src/domain/engine.js';
import { openDatabase } from '../../server/src/store/db.js';
import { SipLegRepo } from '../../server/src/store/sip-legs.js';
import type { KamailioAdapterOptions } from '../../server/src/telephony/kamailio-adapter.js';
import { MemoryEngineStore } from '../support/memory-engine-store.js';
import { makeConfig, seat } from './support/engine-harness.js';
import { enqueue, fakeKamailio, until, wireAdapter } from './support/fake-kamailio.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<KamailioAdapterOptions>) {
  const fake = await fakeKamailio();
  const { engine, adapter } = wireAdapter(
    fake,
    new SipLegRepo(openDatabase(':memory:')),
    (telephony) =>
      new AcdEngine({
        clock: SystemClock,
        store: new MemoryEngineStore(),
        telephony,
        config: makeConfig(),
        seats: [{ ...seat('s1', { labor: 5 }), languages: ['zh', 'en'] }],
        requireRegistration: true,
      }),
    options,
  );
  cleanups.push(
    () => fake.close(),
    () => adapter.stop(),
    () => engine.dispose(),
  );
  adapter.start();
  await until(() => adapter.status().synced, 'synced');
  return { fake, engine };
}

describe('a call-back overflow at Kamailio', () => {
  it('when the prompt runs, relays the caller to it with the trigger', async () => {
    const { fake } = await setup({ callbackUri: () => 'sip:callback@127.0.0.1:5999' });

    fake.send(enqueue('c1')); // nobody is signed in: no-seat, to a call-back

    await until(() => fake.received.some((m) => m.callid === 'c1'), 'decision');
    expect(fake.received.find((m) => m.callid === 'c1')).toEqual({
      cmd: 'overflow',
      tindex: 11,
      tlabel: 22,
      callid: 'c1',
      uri: 'sip:callback@127.0.0.1:5999',
      reason: 'no-seat',
    });
  });

  it('when the prompt is not running, answers 480 Callback Scheduled', async () => {
    const { fake } = await setup({ callbackUri: () => null });

    fake.send(enqueue('c1'));

    await until(() => fake.received.some((m) => m.callid === 'c1'), 'decision');
    expect(fake.received.find((m) => m.callid === 'c1')).toMatchObject({ cmd: 'reject', code: 480, reason: 'Callback Scheduled' });
  });

  it('reads the caller language from the enqueue event', async () => {
    const { fake, engine } = await setup({ callbackUri: () => null });
    engine.setSeatNotReady('s1', 'meal');

    fake.send(enqueue('c1', { lang: 'en-GB' }));

    await until(() => engine.getCall('c1') !== undefined, 'call queued');
    expect(engine.getCall('c1')).toMatchObject({ language: 'en', state: { kind: 'queued' } });
  });
});
