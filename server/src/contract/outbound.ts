/** Outbound calls (外呼) as call records (话单, direction outbound): history, a seat's day, reports. */
import { z } from 'zod';

export const OUTBOUND_RESULT_LABELS = {
  answered: '已接通',
  'no-answer': '无人接听',
  busy: '占线',
  failed: '呼叫失败',
  'in-progress': '进行中',
} as const;
export type OutboundCallResult = keyof typeof OUTBOUND_RESULT_LABELS;

/** What placed the call: today only the 回访 page's click-to-call. */
export const OUTBOUND_PURPOSE_LABELS = { visit: '回访' } as const;

/** One outbound call record (server/src/domain/stats/outbound.ts); the callee's number masked. */
export interface OutboundCallView {
  id: number;
  direction: 'outbound';
  purpose: keyof typeof OUTBOUND_PURPOSE_LABELS;
  /** The 回访 task the call was placed for. */
  taskId: number;
  seatId: string;
  calleeMasked: string;
  centreId: string;
  categoryId: string;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  result: OutboundCallResult;
  /** The final SIP code (200 for an answered call), null while in progress. */
  sipCode: number | null;
  ringMs: number | null;
  talkMs: number | null;
  hungUpBy: 'seat' | 'callee' | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const OUTBOUND_LIST_MAX_LIMIT = 1000;

/** GET /api/outbound-calls?from=&to=&limit= (local days, inclusive; newest first): staff, their centres. */
export const OutboundCallListQuerySchema = z
  .object({
    from: z.string({ error: '请提供起始日期' }).regex(DATE, '起始日期的格式应为 YYYY-MM-DD'),
    to: z.string({ error: '请提供结束日期' }).regex(DATE, '结束日期的格式应为 YYYY-MM-DD'),
    limit: z.coerce
      .number({ error: '条数必须是整数' })
      .int('条数必须是整数')
      .min(1, '条数至少为 1')
      .max(OUTBOUND_LIST_MAX_LIMIT, `条数最多为 ${OUTBOUND_LIST_MAX_LIMIT}`)
      .default(200),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: '结束日期不能早于起始日期' });

/** GET /api/my/outbound-calls?day=YYYY-MM-DD (default today): the seat's own outbound calls of a day. */
export const MyOutboundCallsQuerySchema = z.object({
  day: z.string().regex(DATE, '日期须为 YYYY-MM-DD').optional(),
});

export interface OutboundCallListResponse {
  from: string;
  to: string;
  limit: number;
  records: OutboundCallView[];
}

/** The outbound figures (docs/definitions.md, *Outbound calls*). */
export interface OutboundFiguresView {
  placed: number;
  answered: number;
  noAnswer: number;
  busy: number;
  failed: number;
  inProgress: number;
  answerRate: number | null;
  talkSeconds: number;
  avgTalkSeconds: number | null;
}

export interface OutboundReportView {
  total: OutboundFiguresView;
  bySeat: { key: string; label: string; figures: OutboundFiguresView }[];
}
