/**
 * A seat's SIP credentials end with its session (issue 11 item 4), against real Kamailio and
 * SIPp: after sign-out or an administrator disabling the account, the seat's phone is
 * unregistered at once and a REGISTER with the credentials it held is refused (403), while
 * credentials issued to a new session work.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../support/server.js';
import { SIPP_DIR, sipCredentials, startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';

let stack: SipStack;

beforeAll(async () => {
  stack = await startSipStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** One REGISTER (with its digest round) of `seat` with these credentials; the final status code. */
async function registerWith(seat: string, creds: { username: string; password: string; domain: string }): Promise<string> {
  const r = await stack.sipp([
    stack.env.SIP_TRUNK_ADDR!,
    '-sf',
    path.join(SIPP_DIR, 'register.xml'),
    '-au',
    creds.username,
    '-ap',
    creds.password,
    '-key',
    'seat',
    seat,
    '-key',
    'domain',
    creds.domain,
    '-key',
    'contact',
    '127.0.0.2:5998',
    '-key',
    'expires',
    '60',
    '-i',
    '127.0.0.2',
    '-p',
    '0',
    '-m',
    '1',
  ]);
  if (r.code === 0) return '200';
  return /SIP\/2\.0 (\d{3})/.exec(r.errors)?.[1] ?? `no answer (${r.code})`;
}

const post = (url: string, cookie: string, body?: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('SIP credentials end with the session', () => {
  it('sign-out: the phone is unregistered and its credentials refused; a new session registers again', async () => {
    const phone = await stack.seat('s03');
    const old = await sipCredentials(stack.routerUrl, phone.cookie);
    expect(stack.seatState('s03').registered).toBe(true);
    expect(await registerWith('s03', old)).toBe('200'); // they work while the session lives
    expect((await post(`${stack.routerUrl}/api/auth/logout`, phone.cookie)).status).toBe(200);
    expect(await registerWith('s03', old)).toBe('403');
    await waitFor(() => !stack.seatState('s03').registered, 's03 unregistered after sign-out');
    const fresh = await sipCredentials(stack.routerUrl, await login(stack.routerUrl, 'seat03'));
    expect(fresh.expiresAt).toBeGreaterThan(old.expiresAt);
    expect(await registerWith('s03', fresh)).toBe('200');
    await phone.stopPhone();
  });

  it('an administrator disables the account: same', async () => {
    const phone = await stack.seat('s04');
    const old = await sipCredentials(stack.routerUrl, phone.cookie);
    const admin = await login(stack.routerUrl, 'admin');
    const users = (await (await fetch(`${stack.routerUrl}/api/users`, { headers: { cookie: admin } })).json()) as {
      data: { id: number; username: string }[];
    };
    const id = users.data.find((u) => u.username === 'seat04')!.id;
    expect((await post(`${stack.routerUrl}/api/users/${id}/disabled`, admin, { disabled: true })).status).toBe(200);
    await waitFor(() => !stack.seatState('s04').registered, 's04 unregistered after disabling');
    expect(await registerWith('s04', old)).toBe('403');
    // Another seat is untouched.
    const other = await sipCredentials(stack.routerUrl, await login(stack.routerUrl, 'seat05'));
    expect(await registerWith('s05', other)).toBe('200');
    await phone.stopPhone();
  });

  it("a supervisor's listening phone (监听): its credentials are refused once the supervisor signs out", async () => {
    const sup = await login(stack.routerUrl, 'supervisor');
    const res = await fetch(`${stack.routerUrl}/api/supervisor/listen/phone`, { headers: { cookie: sup } });
    const creds = ((await res.json()) as { data: { username: string; password: string; domain: string; uri: string } }).data;
    const aor = /^sip:([^@]+)@/.exec(creds.uri)![1]!;
    expect(aor).toMatch(/^listen-u\d+$/);
    expect(await registerWith(aor, creds)).toBe('200');
    expect((await post(`${stack.routerUrl}/api/auth/logout`, sup)).status).toBe(200);
    await waitFor(async () => (await registerWith(aor, creds)) === '403', 'listening credentials refused after sign-out', 10_000, 300);
  });
});
