import { describe, expect, it } from 'vitest';
import { RoutingRulesInputSchema, ServiceCalendarInputSchema } from '../../server/src/contract/index.js';
import { SeatProfileSchema } from '../../server/src/domain/model.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import { rulesOf } from '../../server/src/features/routing-config/routing-config-service.js';

const CJK = /[\u3400-\u9fff]/;

/** Every path to a number in `v` (the fields an administrator types). */
function numberPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'number') return [at];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numberPaths(x, [...at, Array.isArray(v) ? Number(k) : k]));
  return [];
}

function withValue<T>(v: T, path: (string | number)[], value: unknown): T {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
  return copy as T;
}

/**
 * An emptied number field reaches the server as null (JSON has no NaN), letters as a string:
 * every field of 路由规则 and 服务日历 refuses both with a zh-CN sentence (计划坐席, 延长次数 and
 * the caller-flag priorities answered "Invalid input: expected number, received null").
 */
describe('the administration pages’ number fields, emptied or typed wrong', () => {
  const rules = rulesOf(DEFAULT_ROUTING_CONFIG);
  const calendar = {
    periods: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 4 }],
    holidays: [{ date: '2027-10-08', name: '调休', periods: [{ from: '08:30', to: '12:00', plannedSeats: 2 }] }],
  };

  it.each([null, 'abc'])('%s in any field is refused in zh-CN', (bad) => {
    const withFlags = { ...rules, flagPriorities: { elderly: 10 } };
    const cases: [typeof RoutingRulesInputSchema | typeof ServiceCalendarInputSchema, unknown][] = [
      ...numberPaths(withFlags).map(
        (p) => [RoutingRulesInputSchema, withValue(withFlags, p, bad)] as [typeof RoutingRulesInputSchema, unknown],
      ),
      ...numberPaths(calendar).map(
        (p) => [ServiceCalendarInputSchema, withValue(calendar, p, bad)] as [typeof ServiceCalendarInputSchema, unknown],
      ),
    ];
    expect(cases.length).toBeGreaterThan(15);
    for (const [schema, input] of cases) {
      const r = schema.safeParse(input);
      if (r.success) {
        expect(bad).toBeNull(); // a field that may be left empty (不启用)
        continue;
      }
      for (const issue of r.error.issues) expect(issue.message, `${issue.path.join('.')}: ${issue.message}`).toMatch(CJK);
    }
  });

  it('a seat profile with its name or staff number cleared, a proficiency emptied or a one-letter language is refused in zh-CN', () => {
    const seat = { id: 's01', name: '张伟', staffNo: 'C001', centreId: 'city', skills: { labor: 4 }, languages: ['zh'] };
    const messages = (input: unknown) => {
      const r = SeatProfileSchema.safeParse(input);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => i.message);
    };
    expect(messages({ ...seat, name: '  ', staffNo: '' })).toEqual(['请填写坐席姓名', '请填写工号']);
    expect(messages({ ...seat, skills: { labor: null } })).toEqual(['熟练度须为 1–5 的整数']);
    expect(messages({ ...seat, skills: { labor: 9 } })).toEqual(['熟练度须为 1–5 的整数']);
    expect(messages({ ...seat, languages: ['x'] })[0]).toMatch(/^语言代码/);
    expect(SeatProfileSchema.parse({ ...seat, name: ' 张伟 ' }).name).toBe('张伟');
  });
});
