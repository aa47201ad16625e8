import { AlertThresholdsSchema, DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

const KEY = 'alert_thresholds';

/** The threshold alerts' limits (settings table); the defaults until someone changes them. */
export class AlertThresholdRepository {
  constructor(private readonly db: Db) {}

  get(): AlertThresholds {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return DEFAULT_ALERT_THRESHOLDS;
    const parsed = AlertThresholdsSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULT_ALERT_THRESHOLDS;
  }

  save(t: AlertThresholds, at: number): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(KEY, JSON.stringify(t), at);
  }
}
