import { describe, expect, it } from 'vitest';
import { RoutingConfigSchema } from '../../server/src/domain/policy.js';
import type { SeatProfile } from '../../server/src/domain/model.js';
import { SEC, createHarness, makeConfig, seat, type EngineHarness } from './support/engine-harness.js';

/*
 * Callers in other languages (issue 10, item 8): a call in a language other than Mandarin is
 * offered only to seats that speak it, by the same rules (specialty, expansion, centres); with
 * no such seat signed in it overflows at once, and the overflow says why.
 */

const speaking = (p: SeatProfile, ...languages: string[]): SeatProfile => ({ ...p, languages: ['zh', ...languages] });

function call(h: EngineHarness, id: string, o: { category?: string; language?: string | null; ivrCode?: string; trunk?: string } = {}) {
  return h.engine.offerCall({
    id,
    caller: `1380000${id.length}${id.charCodeAt(id.length - 1)}`,
    dialed: '12348',
    categoryId: o.ivrCode === undefined ? (o.category ?? 'labor') : null,
    ivrCode: o.ivrCode ?? null,
    language: o.language ?? null,
    trunk: o.trunk ?? null,
  });
}

describe('a caller in another language', () => {
  it('should ring the seat that speaks it, although a Mandarin-only seat with the same skill has been idle longer', () => {
    const h = createHarness({ seats: [seat('zh1', { labor: 5 }), speaking(seat('en1', { labor: 4 }), 'en')] });
    h.readyInOrder('zh1', 'en1');

    const c = call(h, 'c1', { language: 'en' });

    expect(c.language).toBe('en');
    expect(h.ringingAt('c1')).toBe('en1');
    expect(h.events('c1', 'enqueued')[0]).toMatchObject({ language: 'en' });
  });

  it('while the only seat that speaks it is busy, should wait: a Mandarin-only seat that becomes ready is not offered it, the speaker is', () => {
    const h = createHarness({ seats: [seat('zh1', { labor: 5 }), speaking(seat('en1', { labor: 4 }), 'en')] });
    h.busy('zh1', 'en1');
    call(h, 'c1', { language: 'en' });

    h.engine.setSeatReady('zh1');
    const whileZhReady = h.state('c1').kind;
    h.advanceS(1);
    h.engine.setSeatReady('en1');

    expect(whileZhReady).toBe('queued');
    expect(h.ringingAt('c1')).toBe('en1');
    expect(h.offers('c1')[0]!.why.rule).toBe('oldest-eligible-call');
  });

  it('should follow the same expansion: a speaker with only the general skill gets a labour call after generalAfterS, not before', () => {
    const h = createHarness({ seats: [seat('zh1', { labor: 5 }), speaking(seat('en1', { general: 3 }), 'en')] });
    h.busy('zh1');
    h.readyInOrder('en1');
    call(h, 'c1', { language: 'en' });

    h.clock.advance(40 * SEC - 1);
    const before = h.state('c1').kind;
    h.clock.advance(1);

    expect(before).toBe('queued');
    expect(h.ringingAt('c1')).toBe('en1');
    expect(h.offers('c1')[0]!.why.rule).toBe('general');
  });

  it('should go to a county seat that speaks it at once when no city specialist speaking it is signed in', () => {
    const h = createHarness({
      seats: [seat('city1', { labor: 5 }), speaking(seat('dc-en', { labor: 4 }, 'dongcheng'), 'en')],
    });
    h.busy('city1');
    h.readyInOrder('dc-en');

    call(h, 'c1', { language: 'en' });

    expect(h.ringingAt('c1')).toBe('dc-en');
    expect(h.offers('c1')[0]!.why.rule).toBe('county');
  });

  it('when no seat that speaks it is signed in, should overflow as no-seat with the reason no-seat-with-language', () => {
    const h = createHarness({ seats: [seat('zh1', { labor: 5 }), speaking(seat('ja1', { labor: 5 }), 'ja')] });
    h.readyInOrder('zh1', 'ja1');

    call(h, 'c1', { language: 'en' });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', target: 'callback', trigger: 'no-seat' });
    expect(h.events('c1', 'overflowed')[0]).toMatchObject({ reason: 'no-seat-with-language' });
    expect(h.telephony.rings()).toEqual([]);
  });

  it('when nobody at all is signed in, should overflow as no-seat without the language reason', () => {
    const h = createHarness({ seats: [speaking(seat('en1', { labor: 5 }), 'en')] });

    call(h, 'c1', { language: 'en' });

    expect(h.events('c1', 'overflowed')[0]).not.toHaveProperty('reason');
  });

  it('when the last seat speaking it signs off, should overflow the waiting call', () => {
    const h = createHarness({ seats: [seat('zh1', { labor: 5 }), speaking(seat('en1', { labor: 5 }), 'en')] });
    h.busy('zh1', 'en1');
    call(h, 'c1', { language: 'en' });

    h.engine.setSeatOffline('en1');

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
    expect(h.events('c1', 'overflowed')[0]).toMatchObject({ reason: 'no-seat-with-language' });
  });
});

describe('a seat profile that changes its languages', () => {
  it('when English is added to a ready seat while an English call waits, the seat gets it', () => {
    const zh1 = seat('zh1', { labor: 5 });
    const h = createHarness({ seats: [zh1, speaking(seat('en1', { labor: 5 }), 'en')] });
    h.busy('en1');
    h.readyInOrder('zh1');
    call(h, 'c1', { language: 'en' });
    const before = h.state('c1').kind;

    h.engine.upsertSeat(speaking(zh1, 'en'));

    expect(before).toBe('queued');
    expect(h.ringingAt('c1')).toBe('zh1');
  });

  it('when the only seat speaking it loses the language, the waiting call overflows with the language reason', () => {
    const en1 = speaking(seat('en1', { labor: 5 }), 'en');
    const h = createHarness({ seats: [en1] });
    h.busy('en1');
    call(h, 'c1', { language: 'en' });

    h.engine.upsertSeat({ ...en1, languages: ['zh'] });

    expect(h.state('c1')).toMatchObject({ kind: 'overflowed', trigger: 'no-seat' });
    expect(h.events('c1', 'overflowed')[0]).toMatchObject({ reason: 'no-seat-with-language' });
  });
});

describe('Mandarin callers', () => {
  it('should be unaffected: a seat that also speaks English takes them by the usual rules, zh or no language the same', () => {
    const h = createHarness({ seats: [speaking(seat('en1', { labor: 5 }), 'en'), seat('zh1', { labor: 5 })] });
    h.readyInOrder('en1', 'zh1');

    const a = call(h, 'c1', { language: 'zh' });
    const b = call(h, 'c2', { language: 'ZH-cn' });

    expect(a.language).toBeNull();
    expect(b.language).toBeNull();
    expect(h.telephony.rings()).toEqual(['c1->en1', 'c2->zh1']);
  });

  it('a speaker ready with both waiting should pair as usual (the older Mandarin call of the same match first)', () => {
    const h = createHarness({ seats: [speaking(seat('en1', { labor: 5 }), 'en')] });
    h.busy('en1');
    call(h, 'zh-call');
    h.advanceS(1);
    call(h, 'en-call', { language: 'en' });

    h.engine.setSeatReady('en1');

    expect(h.ringingAt('zh-call')).toBe('en1');
    expect(h.state('en-call').kind).toBe('queued');
  });
});

describe('the caller language from the IVR and the trunk', () => {
  const cfg = makeConfig({ callerLanguages: { byIvrPrefix: { '99': 'en', '98': 'ja' } } });

  it('should read a language prefix before the category digits, and a category code alone as Mandarin', () => {
    const h = createHarness({ seats: [seat('x', { general: 1 })], config: cfg });

    expect(call(h, 'a', { ivrCode: '993' })).toMatchObject({ language: 'en', categoryId: 'contract-debt' });
    expect(call(h, 'b', { ivrCode: '99' })).toMatchObject({ language: 'en', categoryId: 'general' });
    expect(call(h, 'c', { ivrCode: '9812' })).toMatchObject({ language: 'ja', categoryId: 'mediation' });
    expect(call(h, 'd', { ivrCode: '3' })).toMatchObject({ language: null, categoryId: 'contract-debt' });
  });

  it('should let the trunk header override the IVR language, and normalise a tag such as EN-us', () => {
    const h = createHarness({ seats: [seat('x', { general: 1 })], config: cfg });

    expect(call(h, 'a', { ivrCode: '982', language: 'EN-us' })).toMatchObject({ language: 'en', categoryId: 'labor' });
    expect(call(h, 'b', { ivrCode: '2', language: 'not a tag' })).toMatchObject({ language: null });
  });

  it('should refuse a configuration whose language prefix is a category code, or maps to Mandarin', () => {
    const bad = RoutingConfigSchema.safeParse({ ...cfg, callerLanguages: { byIvrPrefix: { '3': 'en', '97': 'zh' } } });

    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['callerLanguages.byIvrPrefix.3', 'callerLanguages.byIvrPrefix.97']));
  });
});
