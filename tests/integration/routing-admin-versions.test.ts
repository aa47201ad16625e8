/**
 * Two administrators editing the same section of the routing configuration (or the same seat): each editor saves
 * with the fingerprint of the section it loaded (?version=), so the second save, made on a page
 * loaded before the first, is refused in zh-CN instead of silently undoing the first one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  configVersion,
  type ReferenceData,
  type RoutingRulesView,
  type SeatView,
  type ServiceCalendarInput,
} from '../../server/src/contract/index.js';
import { login } from '../support/server.js';
import { api, data, error, harness } from './support-summaries.js';

type Category = ReferenceData['categories'][number];

describe('two administrators saving the same section', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
    h.cookies.admin2 = await login(h.srv.url, 'admin'); // a second browser
  });

  it('routing rules: the later save of a stale page is refused and the first change stays', async () => {
    const a = data(await api<RoutingRulesView>(h, 'GET', '/api/config/rules', 'admin'));
    const b = data(await api<RoutingRulesView>(h, 'GET', '/api/config/rules', 'admin2'));
    const saved = await api<RoutingRulesView>(h, 'PUT', `/api/config/rules?version=${configVersion(a)}`, 'admin', {
      ...a,
      ringTimeoutS: 25,
    });
    expect(data(saved).ringTimeoutS).toBe(25);
    const stale = await api(h, 'PUT', `/api/config/rules?version=${configVersion(b)}`, 'admin2', { ...b, maxOfferAttempts: 7 });
    expect(stale.status).toBe(400);
    expect(error(stale).fields?.version?.[0]).toMatch(/^路由规则已被其他管理员修改,您的修改尚未保存/);
    expect(h.srv.app.engine.config.ringTimeoutS).toBe(25);
    expect(h.srv.app.engine.config.maxOfferAttempts).toBe(a.maxOfferAttempts);
    // Reloaded, the second administrator's save goes through on top of the first.
    const fresh = data(await api<RoutingRulesView>(h, 'GET', '/api/config/rules', 'admin2'));
    expect(
      data(
        await api<RoutingRulesView>(h, 'PUT', `/api/config/rules?version=${configVersion(fresh)}`, 'admin2', {
          ...fresh,
          maxOfferAttempts: 7,
        }),
      ),
    ).toMatchObject({ ringTimeoutS: 25, maxOfferAttempts: 7 });
    // A forged or garbled version is refused too; without one (scripts, older pages) the save is as before.
    expect((await api(h, 'PUT', '/api/config/rules?version=0000', 'admin', fresh)).status).toBe(400);
    expect((await api(h, 'PUT', '/api/config/rules', 'admin', { ...fresh, maxOfferAttempts: 7 })).status).toBe(200);
  });

  it('categories and the service calendar: the same rule', async () => {
    const cats = data(await api<Category[]>(h, 'GET', '/api/config/categories', 'admin'));
    const v = configVersion(cats);
    const renamed = cats.map((c) => (c.general ? { ...c, name: '综合法律咨询' } : c));
    expect((await api(h, 'PUT', `/api/config/categories?version=${v}`, 'admin', { categories: renamed })).status).toBe(200);
    const stale = await api(h, 'PUT', `/api/config/categories?version=${v}`, 'admin2', { categories: cats });
    expect(error(stale).fields?.version?.[0]).toMatch(/^专业类别已被其他管理员修改/);
    expect(h.srv.app.engine.config.categories.find((c) => c.general)?.name).toBe('综合法律咨询');

    const cal = data(await api<ServiceCalendarInput>(h, 'GET', '/api/config/calendar', 'admin'));
    const cv = configVersion(cal);
    const holiday = { ...cal, holidays: [...cal.holidays, { date: '2027-10-01', name: '国庆节', periods: [] }] };
    expect((await api(h, 'PUT', `/api/config/calendar?version=${cv}`, 'admin', holiday)).status).toBe(200);
    const staleCal = await api(h, 'PUT', `/api/config/calendar?version=${cv}`, 'admin2', cal);
    expect(error(staleCal).fields?.version?.[0]).toMatch(/^服务日历已被其他管理员修改/);
    expect(h.srv.app.engine.config.serviceCalendar.holidays.map((x) => x.date)).toContain('2027-10-01');
  });

  it('a seat profile: the same rule (skills saved by one, languages by the other)', async () => {
    const seatOf = async (user: string) => data(await api<SeatView[]>(h, 'GET', '/api/seats', user)).find((s) => s.id === 's05')!;
    const profile = (s: SeatView) => ({ name: s.name, staffNo: s.staffNo, centreId: s.centreId, skills: s.skills, languages: s.languages });
    const a = await seatOf('admin');
    const b = await seatOf('admin2');
    const va = configVersion(profile(a));
    // The seat's live state changes in between: that is not an edit.
    h.srv.app.engine.setSeatNotReady('s05', 'rest');
    expect(
      (await api(h, 'PUT', `/api/seats/s05?version=${va}`, 'admin', { ...profile(a), skills: { ...a.skills, criminal: 5 } })).status,
    ).toBe(200);
    const stale = await api(h, 'PUT', `/api/seats/s05?version=${configVersion(profile(b))}`, 'admin2', {
      ...profile(b),
      languages: ['zh', 'en'],
    });
    expect(stale.status).toBe(400);
    expect(error(stale).fields?.version?.[0]).toMatch(/^坐席「.+」的资料已被其他管理员修改/);
    const now = h.srv.app.engine.listSeats().find((s) => s.profile.id === 's05')!.profile;
    expect(now.skills.criminal).toBe(5);
    expect(now.languages).toEqual(a.languages);
    const fresh = await seatOf('admin2');
    expect(
      (
        await api(h, 'PUT', `/api/seats/s05?version=${configVersion(profile(fresh))}`, 'admin2', {
          ...profile(fresh),
          languages: ['zh', 'en'],
        })
      ).status,
    ).toBe(200);
  });
});
