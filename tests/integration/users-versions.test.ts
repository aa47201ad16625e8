/**
 * Two administrators editing the same account in 用户管理: the form saves with the fingerprint of
 * the account as it loaded it, so a save from a form opened before the other administrator's save
 * is refused in zh-CN instead of undoing it (a county supervisor's scope widened back, a role reverted).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { configVersion, type UserAdminView } from '../../server/src/contract/index.js';
import { login } from '../support/server.js';
import { createAccount } from './support-accounts.js';
import { api, data, error, harness } from './support-summaries.js';

describe('one account saved by two administrators', () => {
  const h = harness();
  let id = 0;
  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
    h.cookies.admin2 = await login(h.srv.url, 'admin');
    id = (await createAccount(h, { username: 'county-sup', role: 'supervisor', centres: ['dongcheng', 'xishan'] })).id;
  });
  const loaded = async (user: string) => data(await api<UserAdminView[]>(h, 'GET', '/api/users', user)).find((u) => u.id === id)!;
  const version = (u: UserAdminView) => configVersion({ displayName: u.displayName, role: u.role, seatId: u.seatId, centres: u.centres });
  const edit = (u: UserAdminView, over: Partial<UserAdminView>) => ({
    displayName: u.displayName,
    role: u.role,
    seatId: u.seatId,
    centres: u.centres,
    ...over,
  });

  it('the stale save is refused and the first change stays', async () => {
    const a = await loaded('admin');
    const b = await loaded('admin2');
    expect((await api(h, 'PUT', `/api/users/${id}?version=${version(a)}`, 'admin', edit(a, { centres: ['dongcheng'] }))).status).toBe(200);
    const stale = await api(h, 'PUT', `/api/users/${id}?version=${version(b)}`, 'admin2', edit(b, { displayName: '东城区班长' }));
    expect(stale.status).toBe(400);
    expect(error(stale).fields?.version?.[0]).toMatch(/^用户 county-sup 已被其他管理员修改,您的修改尚未保存/);
    expect(await loaded('admin')).toMatchObject({ centres: ['dongcheng'], displayName: 'county-sup' });
    const fresh = await loaded('admin2');
    expect(
      data(
        await api<UserAdminView>(
          h,
          'PUT',
          `/api/users/${id}?version=${version(fresh)}`,
          'admin2',
          edit(fresh, { displayName: '东城区班长' }),
        ),
      ),
    ).toMatchObject({
      centres: ['dongcheng'],
      displayName: '东城区班长',
    });
  });
});
