import type { CalendarDayView, CategoriesInput, RoutingRulesInput, ServiceCalendarInput } from '../../contract/index.js';
import { dayPlan, localParts } from '../../domain/calendar.js';
import type { Clock } from '../../domain/clock.js';
import type { Acd } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_ROUTING_CONFIG, RoutingConfigSchema, type RoutingConfig } from '../../domain/policy.js';
import type { Db } from '../../store/db.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { RoutingConfigRepository } from './routing-config-repository.js';

/**
 * The configuration the engine starts with: the stored one (the default when none is stored),
 * or `override` (ROUTING_CONFIG_FILE), which is then stored as the one in force.
 */
export function startupRoutingConfig(
  repo: RoutingConfigRepository,
  override: RoutingConfig | null | undefined,
  now: number,
): RoutingConfig {
  if (!override) return repo.get() ?? DEFAULT_ROUTING_CONFIG;
  repo.save(override, now);
  return override;
}

/** The routing rules the administration page edits (a section of the configuration). */
export function rulesOf(cfg: RoutingConfig): RoutingRulesInput {
  return {
    ringTimeoutS: cfg.ringTimeoutS,
    maxOfferAttempts: cfg.maxOfferAttempts,
    wrapUp: cfg.wrapUp,
    defaultPolicy: cfg.defaultPolicy,
    flagPriorities: cfg.flagPriorities,
  };
}

/** Reads and changes the routing configuration in force (engine and store in one transaction). */
export class RoutingConfigService {
  constructor(
    private readonly db: Db,
    private readonly engine: Acd,
    private readonly repo: RoutingConfigRepository,
    private readonly clock: Clock,
    /** The audit log (joins the update's transaction). */
    private readonly audit?: (entry: AuditInput) => void,
    /** After a committed change (consoles refresh their category lists). */
    private readonly changed?: (cfg: RoutingConfig) => void,
  ) {}

  current(): RoutingConfig {
    return this.engine.config;
  }

  update(actor: AuditActor, cfg: RoutingConfig): RoutingConfig {
    return this.apply(actor, 'routing-config.update', cfg, this.engine.config, cfg);
  }

  /**
   * Replaces the category list. A removed category's waiting calls move to the general category
   * (the engine does it); unless `confirm`, the change is refused with their count first.
   */
  updateCategories(actor: AuditActor, input: Required<Pick<CategoriesInput, 'categories'>> & { confirm: boolean }): RoutingConfig {
    const cfg = this.engine.config;
    const kept = new Set(input.categories.map((c) => c.id));
    const stranded = this.engine.waitingCalls().filter((c) => !kept.has(c.categoryId));
    if (stranded.length > 0 && !input.confirm) {
      const names = [...new Set(stranded.map((c) => cfg.categories.find((k) => k.id === c.categoryId)?.name ?? c.categoryId))];
      throw new DomainError(
        'CONFLICT',
        `「${names.join('、')}」有 ${stranded.length} 个来电正在排队,删除后将转入综合咨询排队;确认后再保存`,
      );
    }
    for (const [prefix] of Object.entries(cfg.callerLanguages.byIvrPrefix)) {
      const clash = input.categories.find((c) => c.ivrCodes.includes(prefix));
      if (clash) throw new DomainError('VALIDATION', `IVR 按键 ${prefix} 已用于多语种咨询,不能用作「${clash.name}」的按键`);
    }
    const categoryPolicies = Object.fromEntries(Object.entries(cfg.categoryPolicies).filter(([id]) => kept.has(id)));
    const next = { ...cfg, categories: input.categories, categoryPolicies };
    return this.apply(actor, 'routing-config.categories', next, cfg.categories, input.categories);
  }

  updateRules(actor: AuditActor, rules: RoutingRulesInput): RoutingConfig {
    const cfg = this.engine.config;
    return this.apply(actor, 'routing-config.rules', { ...cfg, ...rules }, rulesOf(cfg), rules);
  }

  updateCalendar(actor: AuditActor, calendar: ServiceCalendarInput): RoutingConfig {
    const cfg = this.engine.config;
    return this.apply(actor, 'routing-config.calendar', { ...cfg, serviceCalendar: calendar }, cfg.serviceCalendar, calendar);
  }

  /** The coming `days` local days (today first) as the calendar in force plans them. */
  preview(days = 7): CalendarDayView[] {
    const cfg = this.engine.config;
    const today = localParts(this.clock.now(), cfg.utcOffsetMinutes).date;
    const start = Date.parse(`${today}T00:00:00Z`);
    return Array.from({ length: days }, (_, i) => {
      const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      return { date, ...dayPlan(cfg.serviceCalendar, date) };
    });
  }

  private apply(actor: AuditActor, action: string, next: unknown, before: unknown, after: unknown): RoutingConfig {
    const cfg = parseOrThrow(RoutingConfigSchema, next);
    this.db.transaction(() => {
      this.engine.updateConfig(cfg);
      this.audit?.({ actor, action, target: 'routing-config', before, after });
      this.repo.save(cfg, this.clock.now());
    })();
    this.changed?.(this.engine.config);
    return this.engine.config;
  }
}
