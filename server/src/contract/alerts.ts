/** Major matters (重大事项上报): what a seat files and what supervisors are told. */
import { z } from 'zod';
import { text } from './fields.js';
import { SUMMARY_LIMITS } from './summaries.js';

export const MajorReportSchema = z.object({ note: text('上报说明', SUMMARY_LIMITS.riskNote).min(1, '请填写上报说明') }).strict();
export interface MajorAlert {
  id: number;
  callId: string;
  seatId: string;
  seatName: string;
  categoryId: string;
  callerMasked: string;
  note: string;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}
