import { z } from 'zod';
import { OVERFLOW_TARGETS, OVERFLOW_TRIGGERS } from '../vocabulary/overflow.js';
import { DEFAULT_LANGUAGE } from '../vocabulary/languages.js';
import { CALLER_FLAGS, CategorySchema, CentreSchema, DEFAULT_CATEGORIES } from './model.js';

/**
 * Routing configuration. It is data: validated once by zod, then read by the engine.
 * Every duration is in seconds here (humans edit it); the engine converts to ms.
 */
export const OverflowTargetSchema = z.enum(OVERFLOW_TARGETS);
export type OverflowTarget = z.infer<typeof OverflowTargetSchema>;

export const OverflowTriggerSchema = z.enum(OVERFLOW_TRIGGERS);
export type OverflowTrigger = z.infer<typeof OverflowTriggerSchema>;

const seconds = z
  .number()
  .min(0)
  .max(7 * 24 * 3600);
const optionalSeconds = seconds.nullable();

const categoryPolicyFields = {
  /** Proficiency a seat needs when the call first queues. */
  initialMinProficiency: z.number().int().min(1).max(5),
  /** After this wait any seat with the category at `expandedMinProficiency` or better may take it. */
  lowerProficiencyAfterS: optionalSeconds,
  expandedMinProficiency: z.number().int().min(1).max(5),
  /** After this wait any seat with the general (综合咨询) skill may take it. */
  generalAfterS: optionalSeconds,
  /** After this wait a county call may go to the city centre's seats (null: never by time). */
  cityAfterS: optionalSeconds,
  /**
   * After this wait a city call may go to county seats with its specialty (at the proficiency
   * the call needs by then; never to a county's general-only seats). null: never by time.
   */
  countyAfterS: optionalSeconds,
  /**
   * A city call goes to county specialists at once while no city seat with its specialty (at a
   * proficiency the policy ever accepts) is signed in.
   */
  countyWithoutCitySpecialist: z.boolean(),
  /** Longest a caller waits before the call overflows. */
  maxWaitS: seconds,
  /** A repeat caller prefers the seat that last helped them, within this window (0 = off). */
  stickyWindowS: seconds,
  /** Ordered overflow targets per trigger; the first one that applies is used. */
  overflow: z.object({
    'max-wait': z.array(OverflowTargetSchema).min(1),
    'no-seat': z.array(OverflowTargetSchema).min(1),
    'after-hours': z.array(OverflowTargetSchema).min(1),
    'offers-exhausted': z.array(OverflowTargetSchema).min(1),
  }),
};

/** Defaults of the keys added after configurations were first stored (an old stored config still parses). */
export const CATEGORY_POLICY_ADDED_DEFAULTS = { countyAfterS: 60, countyWithoutCitySpecialist: true } as const;

export const CategoryPolicySchema = z.object({
  ...categoryPolicyFields,
  countyAfterS: categoryPolicyFields.countyAfterS.default(CATEGORY_POLICY_ADDED_DEFAULTS.countyAfterS),
  countyWithoutCitySpecialist: categoryPolicyFields.countyWithoutCitySpecialist.default(
    CATEGORY_POLICY_ADDED_DEFAULTS.countyWithoutCitySpecialist,
  ),
});
/** A category's overrides: only the keys it sets (no defaults, so the default policy shows through). */
const CategoryPolicyOverrideSchema = z.object(categoryPolicyFields).partial();
export type CategoryPolicy = z.infer<typeof CategoryPolicySchema>;

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'HH:MM, 00:00 to 24:00');

const HoursSchema = z
  .object({
    from: hhmm,
    to: hhmm,
    /** Seats planned for the period; 0 means the period is not staffed. */
    plannedSeats: z.number().int().min(0).max(10000),
  })
  .refine((p) => p.from < p.to, { message: '`from` must be before `to`' });

export const ServicePeriodSchema = z.intersection(
  /** ISO weekdays, 1 = Monday .. 7 = Sunday. */
  z.object({ days: z.array(z.number().int().min(1).max(7)).min(1) }),
  HoursSchema,
);
export type ServicePeriod = z.infer<typeof ServicePeriodSchema>;

export const ServiceCalendarSchema = z.object({
  periods: z.array(ServicePeriodSchema),
  /** Dates (local) whose periods replace the weekly ones; an empty list closes the day. */
  holidays: z.array(
    z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      name: z.string().max(40).default(''),
      periods: z.array(HoursSchema).default([]),
    }),
  ),
});
export type ServiceCalendar = z.infer<typeof ServiceCalendarSchema>;

export const RoutingConfigSchema = z
  .object({
    /** Local time offset used for the service calendar (China: +480, no DST). */
    utcOffsetMinutes: z.number().int().min(-720).max(840),
    categories: z.array(CategorySchema).min(1),
    centres: z.array(CentreSchema).min(1),
    homeCentre: z.object({
      byTrunk: z.record(z.string(), z.string()),
      /** Dialed-number prefix → centre (longest prefix wins). */
      byDialedPrefix: z.record(z.string(), z.string()),
      defaultCentreId: z.string(),
    }),
    defaultPolicy: CategoryPolicySchema,
    categoryPolicies: z.record(z.string(), CategoryPolicyOverrideSchema),
    /** Caller flag → priority (higher is served first). */
    flagPriorities: z.partialRecord(z.enum(CALLER_FLAGS), z.number().int().min(0).max(100)),
    ringTimeoutS: z.number().min(1).max(120),
    /** Most offers (ring attempts) one call may get; the telephony branch budget bounds it too. */
    maxOfferAttempts: z.number().int().min(1).max(30),
    wrapUp: z.object({
      seconds: seconds,
      extendS: z.number().min(1).max(3600),
      maxExtensions: z.number().int().min(0).max(20),
      /**
       * A seat leaves wrap-up only once the call's summary (小结) is filed: the timer running
       * out keeps the seat in wrap-up (overdue, visible to supervisors) instead of making it ready.
       */
      requireSummary: z.boolean().default(true),
    }),
    /**
     * Graduated missed-offer policy: the n-th miss within `windowS` uses steps[n-1]
     * (the last step repeats). autoReadyAfterS = null keeps the seat not-ready until it acts.
     */
    missedOffer: z.object({
      windowS: seconds,
      steps: z.array(z.object({ autoReadyAfterS: optionalSeconds })).min(1),
    }),
    /**
     * Which county centres share load with the city, by direction (a county not listed does both):
     * `sendsToCity`: its calls go to the city's seats after `cityAfterS`; `takesCityCalls`: its
     * specialists take city calls after `countyAfterS` (or at once, see `countyWithoutCitySpecialist`).
     * Overflow to the city (the `city` overflow target) is configured apart and is not affected.
     */
    countySharing: z
      .record(z.string(), z.object({ sendsToCity: z.boolean().default(true), takesCityCalls: z.boolean().default(true) }))
      .default({}),
    /**
     * Best pairing when a seat frees up: among the waiting calls of the highest priority it may take,
     * it gets the one it is best qualified for (its specialty over a general match, higher
     * proficiency first), unless one of them has waited `fairnessBoundS` or more: then the oldest
     * of those. 0 serves the oldest eligible call first (plain FIFO).
     */
    pairing: z.object({ fairnessBoundS: seconds }).default({ fairnessBoundS: 120 }),
    /**
     * Callers in other languages (多语种咨询). An IVR code (the digits after 12348) that begins with
     * one of `byIvrPrefix`'s keys selects that language, and the digits after it the category
     * (`byIvrPrefix: {"99": "en"}`: 12348993 is an English 合同与债务 call, 1234899 an English
     * 综合咨询 call); a code that is a category's own code is never read as a language. The trunk
     * header X-Caller-Language (`en`, `en-US`) overrides it. A call in a language other than the
     * default is offered only to seats whose profile lists that language, by the same rules.
     */
    callerLanguages: z
      .object({
        byIvrPrefix: z.record(
          z.string().regex(/^[0-9]{1,3}$/, '1-3 digits'),
          z.string().regex(/^[a-z]{2,3}$/, 'a language code such as en'),
        ),
      })
      .default({ byIvrPrefix: {} }),
    serviceCalendar: ServiceCalendarSchema,
    /** KPI definitions (see docs): short abandons and the service-level threshold. */
    kpi: z.object({
      shortAbandonS: seconds,
      serviceLevelThresholdS: seconds,
    }),
  })
  .superRefine((cfg, ctx) => {
    const centreIds = new Set(cfg.centres.map((c) => c.id));
    const categoryIds = new Set(cfg.categories.map((c) => c.id));
    if (!cfg.categories.some((c) => c.general)) {
      ctx.addIssue({ code: 'custom', path: ['categories'], message: 'one category must be marked general (综合咨询)' });
    }
    if (cfg.centres.filter((c) => c.level === 'city').length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['centres'], message: 'exactly one centre must be the city centre' });
    }
    const check = (id: string, path: (string | number)[]) => {
      if (!centreIds.has(id)) ctx.addIssue({ code: 'custom', path, message: `unknown centre "${id}"` });
    };
    check(cfg.homeCentre.defaultCentreId, ['homeCentre', 'defaultCentreId']);
    for (const [k, v] of Object.entries(cfg.homeCentre.byTrunk)) check(v, ['homeCentre', 'byTrunk', k]);
    for (const [k, v] of Object.entries(cfg.homeCentre.byDialedPrefix)) check(v, ['homeCentre', 'byDialedPrefix', k]);
    for (const id of Object.keys(cfg.countySharing)) {
      if (cfg.centres.find((c) => c.id === id)?.level !== 'county') {
        ctx.addIssue({ code: 'custom', path: ['countySharing', id], message: `"${id}" is not a county centre` });
      }
    }
    for (const id of Object.keys(cfg.categoryPolicies)) {
      if (!categoryIds.has(id)) ctx.addIssue({ code: 'custom', path: ['categoryPolicies', id], message: `unknown category "${id}"` });
    }
    const codes = new Map<string, string>();
    for (const [prefix, lang] of Object.entries(cfg.callerLanguages.byIvrPrefix)) {
      const clash = cfg.categories.find((c) => c.ivrCodes.includes(prefix));
      if (clash) {
        ctx.addIssue({
          code: 'custom',
          path: ['callerLanguages', 'byIvrPrefix', prefix],
          message: `IVR code "${prefix}" is the code of "${clash.id}"`,
        });
      }
      if (lang === DEFAULT_LANGUAGE) {
        ctx.addIssue({ code: 'custom', path: ['callerLanguages', 'byIvrPrefix', prefix], message: `"${lang}" is every seat's language` });
      }
    }
    cfg.categories.forEach((c, i) => {
      for (const code of c.ivrCodes) {
        const other = codes.get(code);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['categories', i, 'ivrCodes'],
            message: `IVR code "${code}" is already used by "${other}"`,
          });
        codes.set(code, c.id);
      }
    });
    if (new Set(cfg.categories.map((c) => c.id)).size !== cfg.categories.length) {
      ctx.addIssue({ code: 'custom', path: ['categories'], message: 'category ids must be unique' });
    }
  });
export type RoutingConfig = z.infer<typeof RoutingConfigSchema>;

export const DEFAULT_ROUTING_CONFIG: RoutingConfig = {
  utcOffsetMinutes: 480,
  categories: DEFAULT_CATEGORIES,
  centres: [
    { id: 'city', name: '市12348公共法律服务中心', level: 'city' },
    { id: 'dongcheng', name: '东城区分中心', level: 'county' },
    { id: 'xishan', name: '西山县分中心', level: 'county' },
  ],
  homeCentre: { byTrunk: {}, byDialedPrefix: {}, defaultCentreId: 'city' },
  defaultPolicy: {
    initialMinProficiency: 3,
    lowerProficiencyAfterS: 20,
    expandedMinProficiency: 1,
    generalAfterS: 40,
    cityAfterS: 60,
    countyAfterS: 60,
    countyWithoutCitySpecialist: true,
    maxWaitS: 300,
    stickyWindowS: 7 * 24 * 3600,
    overflow: {
      'max-wait': ['city', 'callback'],
      'no-seat': ['city', 'callback'],
      'after-hours': ['callback'],
      'offers-exhausted': ['callback'],
    },
  },
  categoryPolicies: {},
  flagPriorities: {
    elderly: 10,
    disabled: 10,
    callback: 5,
    minor: 3,
    'migrant-worker': 3,
    military: 3,
    women: 1,
  },
  countySharing: {},
  pairing: { fairnessBoundS: 120 },
  callerLanguages: { byIvrPrefix: {} },
  ringTimeoutS: 20,
  maxOfferAttempts: 8,
  wrapUp: { seconds: 60, extendS: 60, maxExtensions: 3, requireSummary: true },
  missedOffer: {
    windowS: 3600,
    steps: [{ autoReadyAfterS: 30 }, { autoReadyAfterS: 300 }, { autoReadyAfterS: null }],
  },
  serviceCalendar: {
    periods: [
      { days: [1, 2, 3, 4, 5], from: '08:30', to: '18:00', plannedSeats: 15 },
      { days: [1, 2, 3, 4, 5], from: '00:00', to: '08:30', plannedSeats: 3 },
      { days: [1, 2, 3, 4, 5], from: '18:00', to: '24:00', plannedSeats: 4 },
      { days: [6, 7], from: '00:00', to: '24:00', plannedSeats: 4 },
    ],
    holidays: [],
  },
  kpi: { shortAbandonS: 5, serviceLevelThresholdS: 15 },
};

/** The effective policy of a category: its overrides over the default. */
export function policyFor(cfg: RoutingConfig, categoryId: string): CategoryPolicy {
  const o = cfg.categoryPolicies[categoryId];
  return o ? { ...cfg.defaultPolicy, ...o } : cfg.defaultPolicy;
}
