import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallCard } from '../../../client/src/features/workbench/CallCard';
import { appStore } from '../../../client/src/app/store';
import { call, reference, seat, user } from '../support/fixtures';
import { Screen, settled } from '../support/summary-dom';
import { FakeSummaryServer, fetchFor } from '../support/summary-fakes';

/** The screen pop names the caller's language when it is not Mandarin (多语种咨询). */
let screen: Screen;

beforeEach(() => {
  vi.stubGlobal('fetch', fetchFor(new FakeSummaryServer(() => Date.now()), []));
  screen = new Screen();
  const s = appStore.getState();
  s.signedIn(user('seat'));
  s.setReference(reference);
});

afterEach(() => {
  screen.close();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

async function ringingWith(language: string | null | undefined) {
  const t = Date.now();
  const s = appStore.getState();
  s.applyCall(call({ language, enqueuedAt: t - 5_000, state: { kind: 'ringing', since: t, seatId: 's01' } }));
  s.applySeat(seat({ kind: 'ringing', since: t, callId: 'c1', attempt: 1, idleSince: t - 60_000 }));
  screen.show(CallCard);
  await settled();
}

describe('screen pop: the caller language', () => {
  it('when the caller speaks English, should show 来电语种 英语', async () => {
    await ringingWith('en');
    expect(document.querySelector('.call-language')?.textContent).toBe('英语');
    expect(document.querySelector('.call-facts')?.textContent).toContain('来电语种');
  });

  it('when the language has no label, should show its code', async () => {
    await ringingWith('sw');
    expect(document.querySelector('.call-language')?.textContent).toBe('SW');
  });

  it('when the caller speaks Mandarin (no language), should show no language line', async () => {
    await ringingWith(null);
    expect(document.querySelector('.call-language')).toBeNull();
    expect(document.querySelector('.call-facts')?.textContent).not.toContain('来电语种');
  });
});
