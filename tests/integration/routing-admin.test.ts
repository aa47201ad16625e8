/**
 * 系统管理 (issue 12 item 6) over HTTP against a real server: categories, routing rules and the
 * service calendar edited section by section. Each change is validated with zh-CN reasons, applied
 * to the engine at once, audited with before and after, and refused to anyone but an administrator;
 * removing a category while calls wait for it needs a confirmation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditListResponse,
  CalendarDayView,
  ReferenceData,
  RoutingRulesView,
  ServiceCalendarInput,
} from '../../server/src/contract/index.js';
import { connect, login, next } from '../support/server.js';
import { api, data, error, harness } from './support-summaries.js';
import { waitingCall } from './support-accounts.js';

type Category = ReferenceData['categories'][number];

describe('administration of categories, routing rules and the service calendar', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
    h.cookies['supervisor-dc'] = await login(h.srv.url, 'supervisor-dc');
    // seats signed in but not ready: calls wait instead of overflowing for want of a seat
    for (const id of ['s01', 's02', 's03']) h.srv.app.engine.setSeatNotReady(id, 'rest');
  });
  const engine = () => h.srv.app.engine;
  const audit = async (action: string) =>
    data(await api<AuditListResponse>(h, 'GET', `/api/audit?action=${action}&limit=50`, 'admin')).entries;
  const categories = async () => data(await api<Category[]>(h, 'GET', '/api/config/categories', 'admin'));

  it('refuses every change to a seat or a supervisor (city or county), and lets staff read', async () => {
    const cats = await categories();
    const rules = data(await api<RoutingRulesView>(h, 'GET', '/api/config/rules', 'supervisor'));
    const calendar = data(await api<ServiceCalendarInput>(h, 'GET', '/api/config/calendar', 'supervisor-dc'));
    for (const user of ['seat01', 'supervisor', 'supervisor-dc']) {
      for (const [path, body] of [
        ['/api/config/categories', { categories: cats }],
        ['/api/config/rules', rules],
        ['/api/config/calendar', calendar],
      ] as const) {
        const r = await api(h, 'PUT', path, user, body);
        expect(r.status, `${user} ${path}`).toBe(403);
      }
    }
    expect((await api(h, 'GET', '/api/config/rules', 'seat01')).status).toBe(403);
    expect(await audit('routing-config.categories')).toEqual([]);
  });

  it('adds a category: routed by its IVR key at once, pushed to every console, audited with before and after', async () => {
    const before = await categories();
    const seat = await connect(h.srv.url, h.cookies.seat01!);
    h.sockets.push(seat);
    const pushed = next(seat, 'reference:updated', (r) => r.categories.some((c) => c.id === 'housing-rent'));
    const added = { id: 'housing-rent', name: '房屋租赁', ivrCodes: ['42'], general: false };
    const saved = data(await api<Category[]>(h, 'PUT', '/api/config/categories', 'admin', { categories: [...before, added] }));
    expect(saved.at(-1)).toEqual(added);
    expect((await pushed).categories.at(-1)).toEqual(added);
    engine().offerCall({ id: 'rent-1', caller: '13700001111', dialed: '12348', ivrCode: '42', trunk: null });
    expect(engine().getCall('rent-1')?.categoryId).toBe('housing-rent');
    engine().hangup('rent-1', 'caller');
    const [entry] = await audit('routing-config.categories');
    expect(entry).toMatchObject({ username: 'admin', target: 'routing-config', before, after: [...before, added] });
  });

  it('refuses an invalid category list with zh-CN reasons and changes nothing', async () => {
    const cats = await categories();
    const cases: [unknown, RegExp][] = [
      [[...cats, { id: 'Bad Id', name: 'x', ivrCodes: [], general: false }], /类别代码只能用小写字母/],
      [[...cats, { id: 'dup', name: '重复按键', ivrCodes: ['1'], general: false }], /IVR 按键 1 已被/],
      [[...cats, { ...cats[0]!, name: '同代码' }], /重复/],
      [cats.map((c) => ({ ...c, general: false })), /须有且只有一个综合咨询类别/],
      [[...cats, { id: 'noname', name: ' ', ivrCodes: [], general: false }], /请填写类别名称/],
    ];
    for (const [list, message] of cases) {
      const e = error(await api(h, 'PUT', '/api/config/categories', 'admin', { categories: list }));
      expect(e.code).toBe('VALIDATION');
      expect(JSON.stringify(e.fields)).toMatch(message);
    }
    expect(engine().config.categories).toEqual(cats);
    expect(await audit('routing-config.categories')).toHaveLength(1);
  });

  it('removing a category while calls wait for it is refused until confirmed; then the calls queue as general calls', async () => {
    waitingCall(h, 'city', 'rent-2', '13700002222');
    const waitingId = engine().recategorize('rent-2', 'housing-rent').id;
    expect(engine().getCall(waitingId)).toMatchObject({ categoryId: 'housing-rent', state: { kind: 'queued' } });
    const without = (await categories()).filter((c) => c.id !== 'housing-rent');
    const e = error(await api(h, 'PUT', '/api/config/categories', 'admin', { categories: without }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/「房屋租赁」有 1 个来电正在排队/);
    expect(engine().config.categories.some((c) => c.id === 'housing-rent')).toBe(true);
    data(await api(h, 'PUT', '/api/config/categories', 'admin', { categories: without, confirm: true }));
    expect(engine().getCall(waitingId)).toMatchObject({ categoryId: 'general', state: { kind: 'queued' } });
    engine().hangup(waitingId, 'caller');
  });

  it('changes the routing rules live (ring timeout), audited; invalid rules are refused with zh-CN reasons', async () => {
    const rules = data(await api<RoutingRulesView>(h, 'GET', '/api/config/rules', 'admin'));
    const bad: [RoutingRulesView, RegExp][] = [
      [{ ...rules, ringTimeoutS: 0 }, /振铃超时至少 1 秒/],
      [
        { ...rules, defaultPolicy: { ...rules.defaultPolicy, expandedMinProficiency: 4, initialMinProficiency: 2 } },
        /扩展后熟练度要求不能高于初始要求/,
      ],
      [
        { ...rules, defaultPolicy: { ...rules.defaultPolicy, overflow: { ...rules.defaultPolicy.overflow, 'max-wait': [] } } },
        /每种溢出至少要有一个去向/,
      ],
      [{ ...rules, flagPriorities: { elderly: 101 } }, /优先级须为 0-100 的整数/],
    ];
    for (const [body, message] of bad) {
      const e = error(await api(h, 'PUT', '/api/config/rules', 'admin', body));
      expect(e.code).toBe('VALIDATION');
      expect(JSON.stringify(e.fields)).toMatch(message);
    }
    const next = { ...rules, ringTimeoutS: 25 };
    expect(data(await api<RoutingRulesView>(h, 'PUT', '/api/config/rules', 'admin', next)).ringTimeoutS).toBe(25);
    waitingCall(h, 'city', 'ring-25', '13700004444');
    engine().setSeatReady('s01');
    expect(h.srv.telephony.rings.at(-1)).toMatchObject({ callId: 'ring-25', ringMs: 25_000 });
    engine().hangup('ring-25', 'caller');
    const [entry] = await audit('routing-config.rules');
    expect(entry).toMatchObject({ before: { ringTimeoutS: rules.ringTimeoutS }, after: { ringTimeoutS: 25 } });
  });

  it('a holiday today closes the line: the next call overflows as after hours; the preview shows the week; bad calendars are refused', async () => {
    const cal = data(await api<ServiceCalendarInput>(h, 'GET', '/api/config/calendar', 'admin'));
    const bad: [ServiceCalendarInput, RegExp][] = [
      [{ ...cal, periods: [{ days: [1], from: '18:00', to: '08:00', plannedSeats: 1 }] }, /开始时间须早于结束时间/],
      [{ ...cal, periods: [{ days: [1], from: '25:00', to: '26:00', plannedSeats: 1 }] }, /时间须为 HH:MM/],
      [
        {
          ...cal,
          periods: [
            { days: [2], from: '08:00', to: '12:00', plannedSeats: 1 },
            { days: [2], from: '11:00', to: '13:00', plannedSeats: 1 },
          ],
        },
        /星期二的时段有重叠/,
      ],
      [
        {
          ...cal,
          holidays: [
            { date: '2026-11-23', name: 'a', periods: [] },
            { date: '2026-11-23', name: 'b', periods: [] },
          ],
        },
        /日期 2026-11-23 重复/,
      ],
    ];
    for (const [body, message] of bad) {
      const e = error(await api(h, 'PUT', '/api/config/calendar', 'admin', body));
      expect(e.code).toBe('VALIDATION');
      expect(JSON.stringify(e.fields)).toMatch(message);
    }
    // T0 is Monday 2026-11-23 10:00 local: close it; make Saturday a 调休 working day.
    const holidays = [
      { date: '2026-11-23', name: '临时闭馆', periods: [] },
      { date: '2026-11-28', name: '调休上班', periods: [{ from: '08:30', to: '18:00', plannedSeats: 9 }] },
    ];
    data(await api(h, 'PUT', '/api/config/calendar', 'admin', { ...cal, holidays }));
    const week = data(await api<CalendarDayView[]>(h, 'GET', '/api/config/calendar/preview', 'supervisor'));
    expect(week.map((d) => d.date)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(week[0]).toEqual({ date: '2026-11-23', weekday: 1, special: '临时闭馆', periods: [] });
    expect(week[5]).toEqual({
      date: '2026-11-28',
      weekday: 6,
      special: '调休上班',
      periods: [{ from: '08:30', to: '18:00', plannedSeats: 9 }],
    });
    expect(week[1]!.special).toBeNull();
    engine().setSeatReady('s02');
    engine().offerCall({ id: 'closed-1', caller: '13700005555', dialed: '12348', trunk: null });
    expect(h.srv.telephony.overflows.at(-1)).toEqual({ callId: 'closed-1', target: 'callback', trigger: 'after-hours' });
    const [entry] = await audit('routing-config.calendar');
    expect(entry).toMatchObject({ before: { holidays: [] }, after: { holidays } });
    data(await api(h, 'PUT', '/api/config/calendar', 'admin', cal));
  });
});
