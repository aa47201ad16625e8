/** GET /api/reference: the lists a console shows names from. */
import type { NotReadyReason } from '../vocabulary/not-ready-reasons.js';

export interface ReferenceData {
  categories: { id: string; name: string; ivrCodes: string[]; general: boolean }[];
  centres: { id: string; name: string; level: 'city' | 'county' }[];
  notReadyReasons: { id: NotReadyReason; label: string }[];
  /** Whether a seat must file the call's summary before it leaves wrap-up (wrapUp.requireSummary). */
  summaryRequired: boolean;
}
