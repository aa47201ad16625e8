/**
 * The Kamailio adapter against a fake evapi peer (a local TCP server speaking
 * netstrings): fast checks of the protocol logic. The real thing is proven in
 * tests/telephony with Kamailio itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../server/src/domain/clock.js';
import { AcdEngine } from '../../server/src/domain/engine.js';
import { MemoryEngineStore } from '../support/memory-engine-store.js';
import { openDatabase } from '../../server/src/store/db.js';
import { SipLegRepo } from '../../server/src/store/sip-legs.js';
import { NetstringDecoder, encodeNetstring } from '../../server/src/telephony/netstring.js';
import { makeConfig, seat } from './support/engine-harness.js';
import { enqueue, fakeKamailio, until, wireAdapter } from './support/fake-kamailio.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { legs?: SipLegRepo } = {}) {
  const fake = await fakeKamailio();
  const db = openDatabase(':memory:');
  const legs = opts.legs ?? new SipLegRepo(db);
  // The engine and the adapter need each other: the engine rings through a relay to the adapter.
  const { engine, adapter } = wireAdapter(
    fake,
    legs,
    (telephony) =>
      new AcdEngine({
        clock: SystemClock,
        store: new MemoryEngineStore(),
        telephony,
        config: makeConfig(),
        seats: [seat('s1', { labor: 5 }), seat('s2', { labor: 5 })],
        requireRegistration: true,
      }),
  );
  // Both seats are signed in but busy, so calls wait in the queue until a test readies one.
  engine.setSeatNotReady('s1', 'meal');
  engine.setSeatNotReady('s2', 'meal');
  cleanups.push(
    () => fake.close(),
    () => adapter.stop(),
    () => engine.dispose(),
  );
  return { fake, adapter, engine, legs };
}

/** Synced with Kamailio, s1 registered and ready, and call c1 ringing at it. */
async function ringing() {
  const ctx = await setup();
  const { fake, adapter, engine } = ctx;
  adapter.start();
  await until(() => adapter.status().synced, 'synced');
  fake.send({ event: 'reg', seat: 's1', contacts: 1 });
  await until(() => engine.getSeat('s1').registered, 'registered');
  engine.setSeatReady('s1');
  fake.send(enqueue('c1'));
  await until(() => engine.getCall('c1')?.state.kind === 'ringing', 'ringing');
  return ctx;
}

describe('KamailioTelephony', () => {
  it("asks Kamailio for every held call and the seats' registrations as soon as it connects", async () => {
    const { fake, adapter } = await setup();
    adapter.start();
    await until(() => fake.received.some((m) => m.cmd === 'sync'), 'sync');
    await until(() => fake.received.filter((m) => m.cmd === 'reg-query').length === 2, 'reg queries');
    expect(fake.received.filter((m) => m.cmd === 'reg-query').map((m) => m.seat)).toEqual(['s1', 's2']);
  });

  it('turns an enqueue into a queued call with its IVR category and known flags, and stores the transaction ids in the same commit', async () => {
    const { fake, adapter, engine, legs } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1') !== undefined, 'call offered');
    const call = engine.getCall('c1')!;
    expect(call).toMatchObject({ categoryId: 'labor', flags: ['elderly'], trunk: '127.0.0.1', maxOffers: 8 });
    expect(legs.list()).toMatchObject([{ callId: 'c1', tindex: 11, tlabel: 22, arrivedAt: 1795465000250 }]);
  });

  it('sends a ring decision with the transaction ids once a registered seat is ready', async () => {
    const { fake, adapter, engine } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1') !== undefined, 'call offered');
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    await until(() => engine.getSeat('s1').registered, 'registered');
    engine.setSeatReady('s1');
    await until(() => fake.received.some((m) => m.cmd === 'ring'), 'ring');
    expect(fake.received.find((m) => m.cmd === 'ring')).toEqual({
      cmd: 'ring',
      tindex: 11,
      tlabel: 22,
      callid: 'c1',
      seat: 's1',
      ring_ms: 20_000,
    });
  });

  it('a decision made while the link is down waits, and goes out after the next sync', async () => {
    const { fake, adapter, engine } = await setup();
    fake.send(enqueue('c1')); // nobody connected yet: nothing happens
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send(enqueue('c1'));
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    await until(() => engine.getSeat('s1').registered, 'registered');
    fake.dropClients();
    await until(() => !adapter.status().connected, 'disconnected');
    fake.held = [{ callid: 'c1', state: 'waiting' }];
    engine.setSeatReady('s1'); // the engine rings s1 while Kamailio is unreachable
    expect(fake.received.some((m) => m.cmd === 'ring')).toBe(false);
    await until(() => fake.received.some((m) => m.cmd === 'ring'), 'ring after reconnect');
  });

  it('on resync, a call Kamailio no longer holds leaves the engine, and a call it holds that the router never heard of is offered', async () => {
    const { fake, adapter, engine } = await setup();
    fake.held = [{ callid: 'c2', state: 'waiting', info: enqueue('c2', { tindex: 5, tlabel: 6 }) }];
    adapter.start();
    await until(() => engine.getCall('c2') !== undefined, 'unknown held call offered');
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1') !== undefined, 'c1');
    fake.held = [{ callid: 'c2', state: 'waiting', info: enqueue('c2', { tindex: 5, tlabel: 6 }) }];
    fake.dropClients(); // c1 vanished while the link was down
    await until(() => engine.getCall('c1') === undefined, 'c1 ended');
    expect(engine.getCall('c2')?.state.kind).toBe('queued');
  });

  it('when Kamailio reports an answer the router missed, the ringing call becomes a conversation', async () => {
    const { fake, engine } = await ringing();
    fake.held = [{ callid: 'c1', state: 'talking:s1' }];
    fake.dropClients();
    await until(() => engine.getCall('c1')?.state.kind === 'talking', 'talking after resync');
  });

  it('when Kamailio reports a call answered and hung up while the router was away, both are recorded (not a time-out)', async () => {
    const { fake, adapter, engine } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send(enqueue('c1'));
    fake.send(enqueue('c2'));
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    fake.send({ event: 'reg', seat: 's2', contacts: 1 });
    await until(() => engine.getSeat('s2').registered && engine.getCall('c2') !== undefined, 'ready to ring');
    engine.setSeatReady('s1');
    engine.setSeatReady('s2');
    await until(() => engine.getCall('c1')?.state.kind === 'ringing' && engine.getCall('c2')?.state.kind === 'ringing', 'both ringing');
    const seatOf = (id: string) => (engine.getCall(id)!.state as { seatId: string }).seatId;
    // c1 was answered and the caller hung up while the router was away; c2 just vanished.
    fake.gone = [{ callid: 'c1', seat: seatOf('c1'), by: 'caller' }];
    fake.held = [];
    fake.dropClients();
    await until(() => engine.getCall('c1')?.state.kind !== 'ringing' && engine.getCall('c2')?.state.kind !== 'ringing', 'resynced');
    const kinds = (id: string) => engine.getCall(id)?.events.map((e) => e.type) ?? [];
    expect(kinds('c1')).toEqual(expect.arrayContaining(['answered', 'hung-up']));
    expect(engine.getCall('c1')?.events.find((e) => e.type === 'hung-up')).toMatchObject({ by: 'caller' });
    expect(kinds('c2')).not.toContain('answered');
  });

  it('asks for the registrations before the sync, so a resync after a Kamailio restart rings no phone it lost', async () => {
    const { fake, adapter } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    const cmds = fake.received.map((m) => m.cmd);
    expect(cmds.lastIndexOf('reg-query')).toBeLessThan(cmds.indexOf('sync'));
  });

  it('a call ringing in the router that Kamailio holds waiting after a restart is queued again, and the seat is ready, not charged a missed offer', async () => {
    const { fake, engine } = await ringing();
    // The ring command died with the router (or the ring ended unseen): Kamailio still waits.
    fake.held = [{ callid: 'c1', state: 'waiting' }];
    fake.dropClients();
    await until(() => engine.getCall('c1')?.state.kind === 'queued', 'queued again after resync');
    expect(engine.getSeat('s1').state.kind).toBe('ready');
    expect(engine.getSeat('s1').missedAt).toEqual([]);
  });

  it('a ring Kamailio could not place at all (404: no registration) queues the call again and marks the phone unregistered, without a missed offer', async () => {
    const { fake, adapter, engine } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    await until(() => engine.getSeat('s1').registered, 'registered');
    fake.send(enqueue('c1'));
    engine.setSeatReady('s1');
    await until(() => engine.getCall('c1')?.state.kind === 'ringing', 'ringing');
    const queries = fake.received.filter((m) => m.cmd === 'reg-query').length;
    fake.send({ event: 'ring-failed', callid: 'c1', tindex: 11, tlabel: 22, seat: 's1', code: 404 });
    await until(() => engine.getCall('c1')?.state.kind === 'queued', 'queued again');
    expect(engine.getSeat('s1')).toMatchObject({ registered: false, missedAt: [], state: { kind: 'ready' } });
    await until(() => fake.received.filter((m) => m.cmd === 'reg-query').length > queries, 'registration asked again');
  });

  it('a seat that declines (486) sends the call back to the queue; a ring that times out (408) sets the seat not-ready', async () => {
    const { fake, adapter, engine } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send({ event: 'reg', seat: 's1', contacts: 1 });
    fake.send({ event: 'reg', seat: 's2', contacts: 1 });
    await until(() => engine.getSeat('s2').registered, 'registered');
    engine.setSeatReady('s1');
    engine.setSeatReady('s2');
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1')?.state.kind === 'ringing', 'ringing');
    const first = (engine.getCall('c1')!.state as { seatId: string }).seatId;
    fake.send({ event: 'ring-failed', callid: 'c1', tindex: 11, tlabel: 22, seat: first, code: 486 });
    await until(() => fake.received.filter((m) => m.cmd === 'ring').length === 2, 'second ring');
    expect(engine.getSeat(first).state.kind).toBe('ready');
    const second = (engine.getCall('c1')!.state as { seatId: string }).seatId;
    expect(second).not.toBe(first);
    fake.send({ event: 'ring-failed', callid: 'c1', tindex: 11, tlabel: 22, seat: second, code: 408 });
    await until(() => engine.getSeat(second).state.kind === 'not-ready', 'missed');
  });

  it('a caller who hangs up while queued ends the call as abandoned, and its stored transaction is forgotten', async () => {
    const { fake, adapter, engine, legs } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1') !== undefined, 'queued');
    fake.send({ event: 'cancel', callid: 'c1' });
    await until(() => engine.getCall('c1') === undefined, 'ended');
    expect(legs.list()).toEqual([]);
  });

  /** c1 answered by s1 through Kamailio, with the dialog's tags. */
  async function talking() {
    const ctx = await ringing();
    const { fake, engine } = ctx;
    fake.send({ event: 'answered', callid: 'c1', seat: 's1', ftag: 'f1', ttag: 't1' });
    await until(() => engine.getCall('c1')?.state.kind === 'talking', 'talking');
    return ctx;
  }
  const hungUpBy = (engine: AcdEngine) => engine.getCall('c1')?.events.find((e) => e.type === 'hung-up');

  it("a 强拆 whose 'ended' comes after the router stopped waiting records the hang-up (班长强拆), so the call does not stay talking", async () => {
    const { fake, engine } = await talking();
    // No end waits for this call (the supervisor's 强拆 timed out): Kamailio's answer comes late.
    fake.send({ event: 'ended', callid: 'c1', side: 'all' });
    await until(() => engine.getCall('c1')?.state.kind !== 'talking', 'hung up');
    expect(engine.getCall('c1')?.state.kind).toBe('wrap-up');
    expect(engine.getSeat('s1').state.kind).toBe('wrap-up');
    expect(hungUpBy(engine)).toMatchObject({ by: 'supervisor' });
  });

  it("an 'ended' the 强拆 still waits for settles it and leaves the hang-up to the waiter (one commit with its audit)", async () => {
    const { fake, adapter, engine } = await talking();
    const ending = adapter.dialogs.endCall('c1');
    await until(() => fake.received.some((m) => m.cmd === 'end'), 'end sent');
    fake.send({ event: 'ended', callid: 'c1', side: 'all' });
    await ending;
    expect(engine.getCall('c1')?.state.kind).toBe('talking');
    expect(hungUpBy(engine)).toBeUndefined();
  });

  it("the survey's 'ended' (side caller, after the seat's BYE was recorded) changes nothing", async () => {
    const { fake, adapter, engine } = await talking();
    fake.send({ event: 'bye', callid: 'c1', by: 'seat', survey: 1 });
    await until(() => engine.getCall('c1')?.state.kind === 'wrap-up', 'wrap-up');
    fake.send({ event: 'ended', callid: 'c1', side: 'caller' });
    await until(() => !adapter.dialogs.armSurvey('c1', false), 'the dialog forgotten');
    expect(hungUpBy(engine)).toMatchObject({ by: 'seat' });
  });

  it("learns a talking call's dialog tags from the resync (a router restarted since the answer, or that missed it): 强拆 and the survey can use them", async () => {
    const { fake, adapter, engine } = await ringing();
    expect(adapter.dialogs.tagsOf('c1')).toBeNull();
    // The answer was missed; Kamailio's resync reports the call talking with its tags.
    fake.held = [{ callid: 'c1', state: 'talking:s1', ftag: 'caller-tag', ttag: 'seat-tag' }];
    fake.dropClients();
    await until(() => engine.getCall('c1')?.state.kind === 'talking', 'talking after resync');
    expect(adapter.dialogs.tagsOf('c1')).toMatchObject({ ftag: 'caller-tag', ttag: 'seat-tag' });
    // The answer's listeners ran with the tags known: the survey's arming, a 强拆's end.
    expect(adapter.dialogs.armSurvey('c1', true)).toBe(true);
    const ending = adapter.dialogs.endCall('c1');
    await until(() => fake.received.some((m) => m.cmd === 'end'), 'end sent');
    expect(fake.received.find((m) => m.cmd === 'end')).toMatchObject({ callid: 'c1', ftag: 'caller-tag', ttag: 'seat-tag', side: 'all' });
    fake.send({ event: 'ended', callid: 'c1', side: 'all' });
    await ending;
  });

  it('a talking call the resync reports without tags (an older Kamailio config) stays refused for 强拆; tags known from the answer are kept', async () => {
    const { fake, adapter, engine } = await talking();
    fake.held = [{ callid: 'c1', state: 'talking:s1', ftag: 'other', ttag: 'other' }];
    fake.dropClients();
    await until(() => fake.received.filter((m) => m.cmd === 'sync').length === 2, 'second sync');
    await until(() => adapter.status().synced, 'synced again');
    expect(adapter.dialogs.tagsOf('c1')).toMatchObject({ ftag: 'f1', ttag: 't1' });
    adapter.dialogs.forget('c1');
    fake.held = [{ callid: 'c1', state: 'talking:s1' }];
    fake.dropClients();
    await until(() => fake.received.filter((m) => m.cmd === 'sync').length === 3, 'third sync');
    await until(() => adapter.status().synced, 'synced once more');
    expect(engine.getCall('c1')?.state.kind).toBe('talking');
    await expect(adapter.dialogs.endCall('c1')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it("takes the survey's arming of a call it had talking from the resync (a router restarted since the answer)", async () => {
    const { fake, adapter } = await talking();
    adapter.dialogs.forget('c1'); // as a restarted router: the call restored talking, its dialog unknown
    fake.held = [{ callid: 'c1', state: 'talking:s1', ftag: 'f1', ttag: 't1', survey: 1 }];
    fake.dropClients();
    await until(() => adapter.dialogs.surveyArmed('c1') === true, 'armed as Kamailio has it');
    expect(adapter.dialogs.tagsOf('c1')).toMatchObject({ ftag: 'f1', ttag: 't1' });
    fake.held = [{ callid: 'c1', state: 'talking:s1', ftag: 'f1', ttag: 't1', survey: 0 }];
    fake.dropClients();
    await until(() => adapter.dialogs.surveyArmed('c1') === false, 'disarmed as Kamailio has it');
    // The seat's switching is remembered as sent.
    expect(adapter.dialogs.armSurvey('c1', true)).toBe(true);
    expect(adapter.dialogs.surveyArmed('c1')).toBe(true);
  });

  it("a missed answer the resync applies: the survey's arming is not taken from Kamailio (the policy arms the new call)", async () => {
    const { fake, adapter, engine } = await ringing();
    fake.held = [{ callid: 'c1', state: 'talking:s1', ftag: 'f1', ttag: 't1', survey: 0 }];
    fake.dropClients();
    await until(() => engine.getCall('c1')?.state.kind === 'talking', 'talking after resync');
    expect(adapter.dialogs.tagsOf('c1')).toMatchObject({ ftag: 'f1', ttag: 't1' });
    expect(adapter.dialogs.surveyArmed('c1')).toBeNull();
  });

  it('answers a message that needs no reply with a lone newline, so the TCP ACK goes out at once (Kamailio uses Nagle)', async () => {
    const { fake, adapter } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    const before = fake.raw.length;
    fake.send({ event: 'pong' });
    await until(() => fake.raw.length > before, 'a reply');
    expect(fake.raw.slice(before)).toBe('\n');
  });

  it('a message it cannot understand is logged and ignored; the link stays up', async () => {
    const { fake, adapter, engine } = await setup();
    adapter.start();
    await until(() => adapter.status().synced, 'synced');
    fake.send({ event: 'no-such-event' });
    fake.send({ event: 'enqueue', callid: 'c9' }); // missing fields
    fake.send(enqueue('c1'));
    await until(() => engine.getCall('c1') !== undefined, 'later message still handled');
    expect(engine.getCall('c9')).toBeUndefined();
    expect(adapter.status().connected).toBe(true);
  });
});

describe('NetstringDecoder', () => {
  it('reassembles frames split across chunks and splits frames joined in one chunk', () => {
    const d = new NetstringDecoder();
    const all = Buffer.concat([encodeNetstring('{"a":"一"}'), encodeNetstring('{}')]);
    const out = [...d.push(all.subarray(0, 5)), ...d.push(all.subarray(5, 13)), ...d.push(all.subarray(13))];
    expect(out).toEqual(['{"a":"一"}', '{}']);
  });

  it("skips whitespace between frames, as Kamailio's evapi reader does", () => {
    expect(
      new NetstringDecoder().push(Buffer.concat([Buffer.from('\n'), encodeNetstring('{}'), Buffer.from('\n\n'), encodeNetstring('[]')])),
    ).toEqual(['{}', '[]']);
  });

  it('refuses a stream that is not netstrings', () => {
    expect(() => new NetstringDecoder().push(Buffer.from('hello world, this is not a netstring'))).toThrow(/netstring/);
    expect(() => new NetstringDecoder().push(Buffer.from('3:abc;'))).toThrow(/comma/);
  });
});
