import { RoutingConfigSchema, type RoutingConfig } from '../../domain/policy.js';
import type { Db } from '../../store/db.js';

const ROUTING_KEY = 'routing_config';

/** The routing configuration in force (settings table). */
export class RoutingConfigRepository {
  constructor(private readonly db: Db) {}

  get(): RoutingConfig | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(ROUTING_KEY) as { value: string } | undefined;
    if (!row) return null;
    return RoutingConfigSchema.parse(JSON.parse(row.value));
  }

  save(cfg: RoutingConfig, at: number): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(ROUTING_KEY, JSON.stringify(cfg), at);
  }
}
