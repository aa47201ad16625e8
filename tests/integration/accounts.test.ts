/**
 * Accounts (issue 11 item 2): 用户管理 over the API (create with role, seat and centres; disable;
 * reset to a one-time password; unlock), everyone's own password change, the password policy,
 * optional expiry, and the sign-in lock in the audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, PasswordResetResult, PasswordStatus, UserAdminView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { connect, emit, login, startTestServer } from '../support/server.js';
import { FIRST_PASSWORD, OWN_PASSWORD, createAccount } from './support-accounts.js';
import { T0, api, data, error, harness } from './support-summaries.js';

const tryLogin = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

describe('用户管理 (administrators)', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
  });

  it('lists the accounts, never a password hash; refuses everyone but administrators', async () => {
    const r = await api<UserAdminView[]>(h, 'GET', '/api/users', 'admin');
    expect(data(r).map((u) => u.username)).toContain('supervisor-dc');
    expect(data(r).find((u) => u.username === 'supervisor-dc')?.centres).toEqual(['dongcheng']);
    expect(r.text).not.toMatch(/scrypt|passwordHash/);
    expect((await api(h, 'GET', '/api/users', 'supervisor')).status).toBe(403);
    expect((await api(h, 'POST', '/api/users', 'seat01', {})).status).toBe(403);
  });

  it('refuses a new account whose first password breaks the policy, saying why', async () => {
    const base = { username: 'weakling', displayName: '弱密码', role: 'supervisor', centres: null };
    const cases: [string, RegExp][] = [
      ['Ab1!short', /至少 10 个字符/],
      ['alllowercase', /至少三类/],
      ['Weakling-2026x', /不能包含用户名/],
      ['Demo12348!!x', /演示密码/],
      ['Password123', /过于常见/],
    ];
    for (const [password, why] of cases) {
      const r = await api(h, 'POST', '/api/users', 'admin', { ...base, password });
      expect(r.status, password).toBe(400);
      expect(error(r).fields?.password?.join(' '), password).toMatch(why);
    }
  });

  it('refuses a seat account without a seat, an unknown seat or centre, and a username in use', async () => {
    const body = { displayName: '新坐席', password: FIRST_PASSWORD };
    expect(error(await api(h, 'POST', '/api/users', 'admin', { ...body, username: 'newseat', role: 'seat' })).fields).toHaveProperty(
      'seatId',
    );
    expect(
      error(await api(h, 'POST', '/api/users', 'admin', { ...body, username: 'newseat', role: 'seat', seatId: 's99' })).fields,
    ).toHaveProperty('seatId');
    expect(
      error(await api(h, 'POST', '/api/users', 'admin', { ...body, username: 'newsup', role: 'supervisor', centres: ['moon'] })).fields,
    ).toHaveProperty('centres');
    expect(error(await api(h, 'POST', '/api/users', 'admin', { ...body, username: 'seat01', role: 'admin' })).fields?.username).toEqual([
      '用户名 seat01 已被使用',
    ]);
  });

  it('a new account must change its first password before anything else', async () => {
    const created = await api<UserAdminView>(h, 'POST', '/api/users', 'admin', {
      username: 'zhang.supervisor',
      displayName: '张班长',
      role: 'supervisor',
      centres: ['xishan'],
      password: FIRST_PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(data(created)).toMatchObject({ role: 'supervisor', centres: ['xishan'], mustChangePassword: true, disabled: false });
    h.cookies['zhang.supervisor'] = await login(h.srv.url, 'zhang.supervisor', FIRST_PASSWORD);
    expect(data(await api<PasswordStatus>(h, 'GET', '/api/my/password-status', 'zhang.supervisor'))).toMatchObject({
      mustChange: true,
      reason: 'reset',
    });
    const gated = await api(h, 'GET', '/api/queue', 'zhang.supervisor');
    expect(gated.status).toBe(403);
    expect(error(gated).message).toMatch(/请先修改密码/);

    const wrong = await api(h, 'POST', '/api/my/password', 'zhang.supervisor', { currentPassword: 'nope', newPassword: OWN_PASSWORD });
    expect(error(wrong).fields).toEqual({ currentPassword: ['当前密码不正确'] });
    const same = await api(h, 'POST', '/api/my/password', 'zhang.supervisor', {
      currentPassword: FIRST_PASSWORD,
      newPassword: FIRST_PASSWORD,
    });
    expect(error(same).fields?.newPassword).toEqual(['新密码不能与当前密码相同']);
    const weak = await api(h, 'POST', '/api/my/password', 'zhang.supervisor', { currentPassword: FIRST_PASSWORD, newPassword: 'short' });
    expect(error(weak).fields?.newPassword?.length).toBeGreaterThan(0);

    expect(
      (await api(h, 'POST', '/api/my/password', 'zhang.supervisor', { currentPassword: FIRST_PASSWORD, newPassword: OWN_PASSWORD })).status,
    ).toBe(200);
    expect((await api(h, 'GET', '/api/queue', 'zhang.supervisor')).status).toBe(200);
    expect((await tryLogin(h.srv.url, 'zhang.supervisor', FIRST_PASSWORD)).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'zhang.supervisor', OWN_PASSWORD)).status).toBe(200);
  });

  it('a one-time password runs no socket command either, until it is changed', async () => {
    const created = await api<UserAdminView>(h, 'POST', '/api/users', 'admin', {
      username: 'sun.seat',
      displayName: '孙坐席',
      role: 'seat',
      seatId: 's12',
      password: FIRST_PASSWORD,
    });
    expect(created.status).toBe(201);
    h.cookies['sun.seat'] = await login(h.srv.url, 'sun.seat', FIRST_PASSWORD);
    const socket = await connect(h.srv.url, h.cookies['sun.seat']);
    h.sockets.push(socket);
    const refused = await emit(socket, 'seat:set-status', { status: 'ready' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/请先修改密码/) });
    expect(h.srv.app.engine.getSeat('s12').state.kind).toBe('offline');
    await api(h, 'POST', '/api/my/password', 'sun.seat', { currentPassword: FIRST_PASSWORD, newPassword: OWN_PASSWORD });
    expect((await emit(socket, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
  });

  it('everyone changes their own password (a demo seat too)', async () => {
    const r = await api(h, 'POST', '/api/my/password', 'seat03', { currentPassword: 'demo12348', newPassword: 'Zhang-Wei-2026!' });
    expect(r.status).toBe(200);
    expect((await tryLogin(h.srv.url, 'seat03', 'demo12348')).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'seat03', 'Zhang-Wei-2026!')).status).toBe(200);
  });

  it('changing one’s own password ends the account’s other sessions and their sockets; the session that changed it goes on', async () => {
    await createAccount(h, { username: 'zhou.supervisor', role: 'supervisor', centres: null });
    const here = h.cookies['zhou.supervisor']!;
    const elsewhere = await login(h.srv.url, 'zhou.supervisor', OWN_PASSWORD);
    const socket = await connect(h.srv.url, elsewhere);
    h.sockets.push(socket);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const r = await fetch(`${h.srv.url}/api/my/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: here },
      body: JSON.stringify({ currentPassword: OWN_PASSWORD, newPassword: 'Zhou-Sup#2027x' }),
    });
    expect(r.status).toBe(200);
    await closed;
    expect((await fetch(`${h.srv.url}/api/auth/me`, { headers: { cookie: elsewhere } })).status).toBe(401);
    expect((await fetch(`${h.srv.url}/api/auth/me`, { headers: { cookie: here } })).status).toBe(200);
    // A refused change (wrong current password) ends nothing.
    const again = await login(h.srv.url, 'zhou.supervisor', 'Zhou-Sup#2027x');
    const wrong = await fetch(`${h.srv.url}/api/my/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: here },
      body: JSON.stringify({ currentPassword: 'not-it', newPassword: 'Zhou-Sup#2028y' }),
    });
    expect(wrong.status).toBe(400);
    expect((await fetch(`${h.srv.url}/api/auth/me`, { headers: { cookie: again } })).status).toBe(200);
  });

  it('a reset gives a one-time password, ends the sessions, and the old password no longer works', async () => {
    const user = await createAccount(h, { username: 'li.manager', role: 'manager', centres: null });
    const before = h.cookies['li.manager']!;
    const reset = data(await api<PasswordResetResult>(h, 'POST', `/api/users/${user.id}/password-reset`, 'admin'));
    expect(reset.oneTimePassword).toHaveLength(16);
    expect(reset.user.mustChangePassword).toBe(true);
    expect((await fetch(`${h.srv.url}/api/auth/me`, { headers: { cookie: before } })).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'li.manager', OWN_PASSWORD)).status).toBe(401);
    h.cookies['li.manager'] = await login(h.srv.url, 'li.manager', reset.oneTimePassword);
    expect((await api(h, 'GET', '/api/calls?from=0&to=1', 'li.manager')).status).toBe(403);
    const changed = await api(h, 'POST', '/api/my/password', 'li.manager', {
      currentPassword: reset.oneTimePassword,
      newPassword: 'Li-Manager#2027',
    });
    expect(changed.status).toBe(200);
    expect((await api(h, 'GET', '/api/calls?from=0&to=1', 'li.manager')).status).toBe(200);
  });

  it('a disabled account is signed out and cannot sign in; enabled again, it can', async () => {
    const user = await createAccount(h, { username: 'wang.seat', role: 'seat', seatId: 's06' });
    const r = await api<UserAdminView>(h, 'POST', `/api/users/${user.id}/disabled`, 'admin', { disabled: true });
    expect(data(r).disabled).toBe(true);
    expect((await api(h, 'GET', '/api/auth/me', 'wang.seat')).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'wang.seat', OWN_PASSWORD)).status).toBe(401);
    await api(h, 'POST', `/api/users/${user.id}/disabled`, 'admin', { disabled: false });
    expect((await tryLogin(h.srv.url, 'wang.seat', OWN_PASSWORD)).status).toBe(200);
  });

  it('changes an account: role, seat and centres; an administrator cannot disable itself or change its own role', async () => {
    const users = data(await api<UserAdminView[]>(h, 'GET', '/api/users', 'admin'));
    const dc = users.find((u) => u.username === 'supervisor-dc')!;
    const r = await api<UserAdminView>(h, 'PUT', `/api/users/${dc.id}`, 'admin', {
      displayName: dc.displayName,
      role: 'manager',
      seatId: null,
      centres: ['dongcheng', 'xishan'],
    });
    expect(data(r)).toMatchObject({ role: 'manager', centres: ['dongcheng', 'xishan'] });
    const self = users.find((u) => u.username === 'admin')!;
    expect((await api(h, 'POST', `/api/users/${self.id}/disabled`, 'admin', { disabled: true })).status).toBe(409);
    expect(
      (await api(h, 'PUT', `/api/users/${self.id}`, 'admin', { displayName: 'x', role: 'seat', seatId: 's01', centres: null })).status,
    ).toBe(409);
    expect(
      (await api(h, 'PUT', '/api/users/99999', 'admin', { displayName: 'x', role: 'admin', seatId: null, centres: null })).status,
    ).toBe(404);
  });

  it('unlock: clears the account sign-in locks from every address, and the right password works again', async () => {
    for (let i = 0; i < 5; i++) expect((await tryLogin(h.srv.url, 'seat05', 'wrong')).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'seat05', 'demo12348')).status).toBe(429);
    const users = data(await api<UserAdminView[]>(h, 'GET', '/api/users', 'admin'));
    const seat05 = users.find((u) => u.username === 'seat05')!;
    expect((await api(h, 'POST', `/api/users/${seat05.id}/unlock`, 'admin')).status).toBe(200);
    expect((await tryLogin(h.srv.url, 'seat05', 'demo12348')).status).toBe(200);
  });

  it('a sign-in lock is in the audit log', async () => {
    for (let i = 0; i < 5; i++) expect((await tryLogin(h.srv.url, 'seat04', 'wrong')).status).toBe(401);
    expect((await tryLogin(h.srv.url, 'seat04', 'wrong')).status).toBe(429);
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?action=auth.locked', 'admin'));
    expect(log.entries[0]).toMatchObject({ target: 'username:seat04', userId: null });
  });
});

describe('password expiry (PASSWORD_MAX_AGE_DAYS)', () => {
  it('after the maximum age, the password must be changed before anything else', async () => {
    const clock = new VirtualClock(T0);
    const srv = await startTestServer({ clock, env: { PASSWORD_MAX_AGE_DAYS: '90', SESSION_HOURS: '336' } });
    try {
      const cookie = await login(srv.url, 'supervisor');
      const get = (path: string) => fetch(`${srv.url}${path}`, { headers: { cookie } });
      expect((await get('/api/queue')).status).toBe(200);
      clock.advance(91 * 86_400_000);
      const relogin = await login(srv.url, 'supervisor');
      const status = (await (await fetch(`${srv.url}/api/my/password-status`, { headers: { cookie: relogin } })).json()) as {
        data: PasswordStatus;
      };
      expect(status.data).toMatchObject({ mustChange: true, reason: 'expired' });
      expect((await fetch(`${srv.url}/api/queue`, { headers: { cookie: relogin } })).status).toBe(403);
    } finally {
      await srv.stop();
    }
  });
});
