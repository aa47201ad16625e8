import type { Clock } from '../../domain/clock.js';
import type { Acd } from '../../domain/engine.js';
import { DEFAULT_ROUTING_CONFIG, type RoutingConfig } from '../../domain/policy.js';
import type { Db } from '../../store/db.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
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

/** Reads and changes the routing configuration in force (engine and store in one transaction). */
export class RoutingConfigService {
  constructor(
    private readonly db: Db,
    private readonly engine: Acd,
    private readonly repo: RoutingConfigRepository,
    private readonly clock: Clock,
    /** The audit log (joins the update's transaction). */
    private readonly audit?: (entry: AuditInput) => void,
  ) {}

  current(): RoutingConfig {
    return this.engine.config;
  }

  update(actor: AuditActor, cfg: RoutingConfig): RoutingConfig {
    this.db.transaction(() => {
      const before = this.engine.config;
      this.engine.updateConfig(cfg);
      this.audit?.({ actor, action: 'routing-config.update', target: 'routing-config', before, after: cfg });
      this.repo.save(cfg, this.clock.now());
    })();
    return this.engine.config;
  }
}
