import { NOT_READY_REASON_IDS, NOT_READY_REASON_LABELS, type ReferenceData } from '../../contract/index.js';
import type { RoutingConfig } from '../../domain/policy.js';

/** What every console needs to fill its forms: categories, centres, not-ready reasons. */
export function referenceDataView(cfg: RoutingConfig): ReferenceData {
  return {
    categories: cfg.categories,
    centres: cfg.centres,
    notReadyReasons: NOT_READY_REASON_IDS.map((id) => ({ id, label: NOT_READY_REASON_LABELS[id] })),
    summaryRequired: cfg.wrapUp.requireSummary,
  };
}
