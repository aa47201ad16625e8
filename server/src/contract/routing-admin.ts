/**
 * The administration pages' edits of the routing configuration, one section at a time
 * (PUT /api/config/categories, /api/config/rules, /api/config/calendar), with zh-CN messages.
 * The server merges a section into the configuration in force and checks the whole again.
 */
import { z } from 'zod';
import { calendarDate, line } from './fields.js';
import { CALLER_FLAGS } from '../vocabulary/caller-flags.js';
import { OVERFLOW_TARGETS } from '../vocabulary/overflow.js';

const MAX_S = 7 * 24 * 3600;
const secs = (label: string) =>
  z
    .number({ error: `${label}须为秒数` })
    .min(0, `${label}不能为负数`)
    .max(MAX_S, `${label}不能超过 7 天`);
const optionalSecs = (label: string) => secs(label).nullable();
const level = (label: string) =>
  z
    .number({ error: `${label}须为 1-5 的整数` })
    .int(`${label}须为 1-5 的整数`)
    .min(1, `${label}须为 1-5 的整数`)
    .max(5, `${label}须为 1-5 的整数`);

export const CategoryInputSchema = z
  .object({
    id: z
      .string({ error: '请填写类别代码' })
      .regex(/^[a-z0-9-]{1,40}$/, '类别代码只能用小写字母、数字和连字符(1-40 个字符)')
      // a seat's skills are a record keyed by category: `skills.constructor` is never undefined
      .refine((id) => !(id in Object.prototype), '类别代码不能使用保留字'),
    name: line('类别名称', 40).min(1, '请填写类别名称'),
    ivrCodes: z.array(z.string().regex(/^[0-9]{1,4}$/, 'IVR 按键须为 1-4 位数字')).max(10, 'IVR 按键最多 10 个'),
    general: z.boolean(),
  })
  .strict();

/** PUT /api/config/categories: the whole list; `confirm` applies it although waiting calls would move. */
export const CategoriesInputSchema = z
  .object({
    categories: z.array(CategoryInputSchema).min(1, '至少保留一个类别').max(100, '类别最多 100 个'),
    confirm: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    const generals = v.categories.filter((c) => c.general).length;
    if (generals !== 1) ctx.addIssue({ code: 'custom', path: ['categories'], message: '须有且只有一个综合咨询类别' });
    const ids = new Set<string>();
    const codes = new Map<string, string>();
    v.categories.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `类别代码「${c.id}」重复` });
      ids.add(c.id);
      for (const code of c.ivrCodes) {
        const other = codes.get(code);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['categories', i, 'ivrCodes'], message: `IVR 按键 ${code} 已被「${other}」使用` });
        }
        codes.set(code, c.name);
      }
    });
  });
export type CategoriesInput = z.input<typeof CategoriesInputSchema>;

const targets = z
  .array(z.enum(OVERFLOW_TARGETS, { error: '溢出去向须为 city、12345 或 callback' }))
  .min(1, '每种溢出至少要有一个去向')
  .max(3)
  .refine((a) => new Set(a).size === a.length, '溢出去向不能重复');

/** PUT /api/config/rules: expansion steps, ring timeout, offers, wrap-up, overflow, flag priorities. */
export const RoutingRulesInputSchema = z
  .object({
    ringTimeoutS: z.number({ error: '振铃超时须为秒数' }).min(1, '振铃超时至少 1 秒').max(120, '振铃超时不能超过 120 秒'),
    maxOfferAttempts: z
      .number({ error: '最多振铃次数须为整数' })
      .int('最多振铃次数须为整数')
      .min(1, '最多振铃次数至少 1 次')
      .max(30, '最多振铃次数不能超过 30 次'),
    wrapUp: z
      .object({
        seconds: secs('话后整理时长'),
        extendS: z.number({ error: '每次延长须为秒数' }).min(1, '每次延长至少 1 秒').max(3600, '每次延长不能超过 3600 秒'),
        maxExtensions: z
          .number({ error: '延长次数须为整数' })
          .int('延长次数须为整数')
          .min(0, '延长次数不能为负数')
          .max(20, '延长次数不能超过 20 次'),
        requireSummary: z.boolean(),
      })
      .strict(),
    defaultPolicy: z
      .object({
        initialMinProficiency: level('初始熟练度要求'),
        lowerProficiencyAfterS: optionalSecs('降低熟练度等待'),
        expandedMinProficiency: level('扩展后熟练度要求'),
        generalAfterS: optionalSecs('转综合坐席等待'),
        cityAfterS: optionalSecs('区县转市中心等待'),
        countyAfterS: optionalSecs('市中心转区县等待'),
        countyWithoutCitySpecialist: z.boolean(),
        maxWaitS: secs('最长排队时间'),
        stickyWindowS: secs('熟客优先时段'),
        overflow: z.object({ 'max-wait': targets, 'no-seat': targets, 'after-hours': targets, 'offers-exhausted': targets }).strict(),
      })
      .strict()
      .refine((p) => p.expandedMinProficiency <= p.initialMinProficiency, {
        path: ['expandedMinProficiency'],
        message: '扩展后熟练度要求不能高于初始要求',
      }),
    flagPriorities: z.partialRecord(
      z.enum(CALLER_FLAGS),
      z
        .number({ error: '优先级须为 0-100 的整数' })
        .int('优先级须为 0-100 的整数')
        .min(0, '优先级须为 0-100 的整数')
        .max(100, '优先级须为 0-100 的整数'),
    ),
  })
  .strict();
export type RoutingRulesInput = z.infer<typeof RoutingRulesInputSchema>;

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, '时间须为 HH:MM(00:00 至 24:00)');
const hours = {
  from: hhmm,
  to: hhmm,
  plannedSeats: z
    .number({ error: '请填写计划坐席(整数)' })
    .int('计划坐席须为整数')
    .min(0, '计划坐席不能为负数')
    .max(10000, '计划坐席不能超过 10000'),
};
const beforeEnd = { message: '开始时间须早于结束时间', path: ['to'] };
const HoursInputSchema = z
  .object(hours)
  .strict()
  .refine((p) => p.from < p.to, beforeEnd);

/** PUT /api/config/calendar: weekly periods, and dates (holidays, 调休 working days) that replace them. */
export const ServiceCalendarInputSchema = z
  .object({
    periods: z
      .array(
        z
          .object({
            days: z
              .array(z.number({ error: '星期须为 1-7' }).int('星期须为 1-7').min(1, '星期须为 1-7').max(7, '星期须为 1-7'))
              .min(1, '每个时段至少选择一天'),
            ...hours,
          })
          .strict()
          .refine((p) => p.from < p.to, beforeEnd),
      )
      .max(50, '时段最多 50 个'),
    holidays: z
      .array(
        z
          .object({
            date: calendarDate('日期'),
            name: line('名称', 40),
            /** Empty: closed all day (放假); otherwise the hours of a working day (调休上班). */
            periods: z.array(HoursInputSchema).max(10, '一天最多 10 个时段'),
          })
          .strict(),
      )
      .max(400, '特殊日期最多 400 个'),
  })
  .strict()
  .superRefine((cal, ctx) => {
    const seen = new Set<string>();
    cal.holidays.forEach((h, i) => {
      if (seen.has(h.date)) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'date'], message: `日期 ${h.date} 重复` });
      seen.add(h.date);
    });
    for (let day = 1; day <= 7; day++) {
      const spans = cal.periods.filter((p) => p.days.includes(day)).sort((a, b) => (a.from < b.from ? -1 : 1));
      for (let i = 1; i < spans.length; i++) {
        if (spans[i]!.from < spans[i - 1]!.to) {
          ctx.addIssue({ code: 'custom', path: ['periods'], message: `星期${'一二三四五六日'[day - 1]}的时段有重叠` });
          break;
        }
      }
    }
  });
export type ServiceCalendarInput = z.infer<typeof ServiceCalendarInputSchema>;

/** One day of GET /api/config/calendar/preview: the periods in force that local day. */
export interface CalendarDayView {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** The special date's name when one replaces the weekly periods ('' when unnamed). */
  special: string | null;
  periods: { from: string; to: string; plannedSeats: number }[];
}

/** The routing rules as the page edits them (GET /api/config/rules). */
export type RoutingRulesView = RoutingRulesInput;

/** JSON with every object's keys in order (undefined members left out, as JSON leaves them). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The fingerprint of a configuration section (categories, rules, calendar) as GET returned it:
 * an editor saves with `?version=` the fingerprint of the section it loaded, and the server
 * refuses the save when the section changed since (another administrator saved in between),
 * so nobody overwrites a change they never saw. Two FNV-1a hashes of the canonical JSON.
 */
export function configVersion(section: unknown): string {
  const json = canonicalJson(section);
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
