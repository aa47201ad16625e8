/** A caller's earlier calls (screen pop) and a seat's own calls of a day (我的来电): records with their summaries. */
import { z } from 'zod';
import type { CallRecordView } from './calls.js';
import type { CallSummaryView } from './summaries.js';

/** One earlier call of the same caller, for the screen pop (GET /api/calls/:id/history). */
export interface CallerHistoryEntry {
  record: CallRecordView;
  summary: CallSummaryView | null;
}
export interface CallerHistory {
  callId: string;
  /** Earlier calls of this caller, newest first (at most `limit`). */
  entries: CallerHistoryEntry[];
  /** How many earlier calls exist in all. */
  total: number;
}

/** GET /api/my/calls?day=YYYY-MM-DD (local day; default today): this seat's calls and summaries. */
export const MyCallsQuerySchema = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD')
    .optional(),
});
export interface MyCallsResponse {
  day: string;
  entries: CallerHistoryEntry[];
}
