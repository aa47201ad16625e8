/**
 * Shared helpers of the accounts, scope and audit tests: calls in a chosen centre, accounts an
 * administrator creates (signed in with their first password changed), and the audit log.
 */
import { expect } from 'vitest';
import type { UserAdminView } from '../../server/src/contract/index.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import { login } from '../support/server.js';
import { S, api, data, type Harness } from './support-summaries.js';

/** Trunks whose calls belong to each county centre (city calls use no trunk). */
export const TRUNK_OF: Record<string, string | null> = { city: null, dongcheng: 'dc-trunk', xishan: 'xs-trunk' };

/** The demo configuration with one trunk per county centre. */
export function useCentreTrunks(h: Harness): void {
  h.srv.app.engine.updateConfig({
    ...DEFAULT_ROUTING_CONFIG,
    homeCentre: { byTrunk: { 'dc-trunk': 'dongcheng', 'xs-trunk': 'xishan' }, byDialedPrefix: {}, defaultCentreId: 'city' },
  });
}

/** A call from `centre`'s trunk rung at `seatId` alone and answered; hung up unless `keepTalking`. */
export function centreCall(h: Harness, centre: string, seatId: string, id: string, caller: string, opts: { keepTalking?: boolean } = {}) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready' && s.profile.id !== seatId) engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady(seatId);
  engine.offerCall({ id, caller, dialed: '12348', trunk: TRUNK_OF[centre] ?? null });
  expect(engine.getCall(id)?.state).toMatchObject({ kind: 'ringing', seatId });
  expect(engine.getCall(id)?.homeCentreId).toBe(centre);
  h.clock.advance(5 * S);
  engine.answered(id, seatId);
  h.clock.advance(60 * S);
  if (!opts.keepTalking) engine.hangup(id, 'caller');
}

/** A call from `centre`'s trunk left waiting (every seat steps away first). */
export function waitingCall(h: Harness, centre: string, id: string, caller: string) {
  const engine = h.srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.offerCall({ id, caller, dialed: '12348', trunk: TRUNK_OF[centre] ?? null });
  expect(engine.getCall(id)?.state.kind).toBe('queued');
}

/** The first password of accounts the tests create, and the one each changes it to. */
export const FIRST_PASSWORD = 'Erst-Passwort-2026';
export const OWN_PASSWORD = 'Mein#Eigenes7Pw';

/** An administrator creates the account; it signs in and changes its one-time password; its cookie is kept as `username`. */
export async function createAccount(
  h: Harness,
  body: { username: string; role: string; displayName?: string; seatId?: string | null; centres?: string[] | null },
) {
  const r = await api<UserAdminView>(h, 'POST', '/api/users', 'admin', { displayName: body.username, password: FIRST_PASSWORD, ...body });
  expect(r.status, r.text).toBe(201);
  h.cookies[body.username] = await login(h.srv.url, body.username, FIRST_PASSWORD);
  const changed = await api(h, 'POST', '/api/my/password', body.username, { currentPassword: FIRST_PASSWORD, newPassword: OWN_PASSWORD });
  expect(changed.status, changed.text).toBe(200);
  return data(r);
}
