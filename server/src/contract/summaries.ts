/** Call summaries (小结) and their drafts: dispositions, the rules of a filed summary, the views. */
import { z } from 'zod';
import { line, text, timestamp } from './fields.js';

/** Dispositions (处理结果), named once. */
export const DISPOSITIONS = [
  'answered',
  'legal-aid',
  'mediation',
  'notary-forensic',
  'to-12345',
  'to-other-seat',
  'callback',
  'complaint',
  'major-report',
  'invalid',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = {
  answered: '当场解答',
  'legal-aid': '引导申请法律援助',
  mediation: '转人民调解',
  'notary-forensic': '引导公证/司法鉴定',
  'to-12345': '转12345',
  'to-other-seat': '转其他坐席/专席',
  callback: '预约回电',
  complaint: '投诉受理',
  'major-report': '重大事项上报',
  invalid: '无效来电',
};
/** Dispositions that send the caller to another office: the summary names where (referral). */
export const REFERRAL_DISPOSITIONS: readonly Disposition[] = ['legal-aid', 'mediation', 'notary-forensic', 'to-12345', 'to-other-seat'];
/** Offices a seat commonly refers callers to; the referral field accepts any text. */
export const REFERRAL_SUGGESTIONS = [
  '法律援助中心',
  '人民调解委员会',
  '公证处',
  '司法鉴定机构',
  '劳动人事争议仲裁委员会',
  '人民法院',
  '公安机关',
  '市场监督管理局',
  '12345政务服务便民热线',
] as const;

export const SUMMARY_LIMITS = { topic: 60, question: 2000, answer: 4000, referral: 120, riskNote: 500 } as const;

/**
 * What a seat types while writing a summary. Every field may be missing or empty: a draft is
 * saved as it is typed. `CallSummaryInputSchema` is the same shape with the rules a filed
 * summary must meet.
 */
export const SummaryDraftSchema = z
  .object({
    categoryId: z.string().max(40).optional(),
    topic: line('主题', SUMMARY_LIMITS.topic).optional(),
    question: text('来电问题', SUMMARY_LIMITS.question).optional(),
    answer: text('解答内容', SUMMARY_LIMITS.answer).optional(),
    disposition: z.enum(DISPOSITIONS, { error: '请选择有效的处理结果' }).optional(),
    referral: line('转介去向', SUMMARY_LIMITS.referral).optional(),
    /** Unix ms; required for 预约回电. */
    followUpAt: timestamp('回电时间').nullable().optional(),
    riskFlag: z.boolean().optional(),
    riskNote: text('上报说明', SUMMARY_LIMITS.riskNote).optional(),
    /** Knowledge-base entries the answer drew on. */
    knowledgeIds: z.array(z.number().int().positive()).max(20).optional(),
    /** 保密: the caller asked for confidentiality (GB/T 33358-2016). */
    confidential: z.boolean().optional(),
  })
  .strict();
export type SummaryDraft = z.infer<typeof SummaryDraftSchema>;

/**
 * GET /api/calls/:id/summary?reason=: why a supervisor reads a 保密 summary (audited), so the same
 * hygiene as every free text (no control characters or bidi overrides in the audit log).
 */
export const SummaryReadQuerySchema = z.object({ reason: line('查看理由', 200).optional() });

/** The fewest characters of that reason. */
export const CONFIDENTIAL_READ_REASON_MIN = 4;
/** The refusal without one (403 FORBIDDEN): the console knows it by this sentence and asks for the reason. */
export const CONFIDENTIAL_READ_REFUSAL = `来电人要求保密:查看本小结须填写查看理由(至少 ${CONFIDENTIAL_READ_REASON_MIN} 个字),将记入审计日志`;

/** The rules of a filed summary; `now` bounds the follow-up time. Messages are what the seat reads. */
export function callSummaryInputSchema(now: number) {
  return summaryInputSchemaWith(() => now);
}

/**
 * The same rules, with the follow-up bound read from `nowOf` when a summary is checked: a
 * caller that checks many summaries builds the schema once (zod builds and compiles a schema
 * on its first parse, which costs far more than the parse itself).
 */
export function summaryInputSchemaWith(nowOf: () => number) {
  return z
    .object({
      categoryId: z.string({ error: '请选择咨询类别' }).min(1, '请选择咨询类别').max(40),
      topic: line('主题', SUMMARY_LIMITS.topic).default(''),
      question: text('来电问题', SUMMARY_LIMITS.question).default(''),
      answer: text('解答内容', SUMMARY_LIMITS.answer).default(''),
      disposition: z.enum(DISPOSITIONS, { error: '请选择处理结果' }),
      referral: line('转介去向', SUMMARY_LIMITS.referral).default(''),
      followUpAt: timestamp('回电时间').nullable().default(null),
      riskFlag: z.boolean().default(false),
      riskNote: text('上报说明', SUMMARY_LIMITS.riskNote).default(''),
      knowledgeIds: z.array(z.number().int().positive()).max(20).default([]),
      /**
       * 保密 (GB/T 33358-2016): the caller asked for confidentiality. Their number and summaries
       * then stay out of other seats' screen pops and out of exports; supervisors read them with a
       * recorded reason.
       */
      confidential: z.boolean().optional(),
    })
    .strict()
    .superRefine((s, ctx) => {
      const need = (path: keyof typeof s, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      // A silent or nuisance call has nothing to say beyond its disposition.
      if (s.disposition !== 'invalid') {
        if (!s.topic) need('topic', '请填写主题');
        if (!s.question) need('question', '请填写来电问题');
        if (!s.answer) need('answer', '请填写解答内容');
      }
      if (REFERRAL_DISPOSITIONS.includes(s.disposition) && !s.referral) need('referral', '请填写转介去向');
      if (s.disposition === 'callback') {
        if (s.followUpAt === null) need('followUpAt', '预约回电须填写回电时间');
        else if (s.followUpAt <= nowOf()) need('followUpAt', '回电时间须晚于现在');
      }
      if ((s.riskFlag || s.disposition === 'major-report') && !s.riskNote) need('riskNote', '重大事项上报须填写上报说明');
    })
    .transform(({ confidential, ...s }) => ({
      ...s,
      riskFlag: s.riskFlag || s.disposition === 'major-report',
      // Present only when asked for, so a summary without it reads as before.
      ...(confidential ? { confidential: true as const } : {}),
    }));
}
export type CallSummaryInput = z.output<ReturnType<typeof callSummaryInputSchema>>;

export interface CallSummaryView extends CallSummaryInput {
  callId: string;
  seatId: string;
  seatName: string;
  /** When first filed, and when last amended (same as filedAt until then). */
  filedAt: number;
  updatedAt: number;
  /** 1 when filed, +1 per amendment. */
  revision: number;
  /** Whether the author may still amend it (same local day, own summary). */
  amendable: boolean;
}

export interface SummaryDraftView {
  callId: string;
  draft: SummaryDraft;
  savedAt: number;
}

/** GET /api/calls/:id/summary */
export interface SummaryState {
  summary: CallSummaryView | null;
  draft: SummaryDraftView | null;
}

/** PUT /api/calls/:id/summary/draft answers this; `savedAt` lets the page say "已保存 hh:mm:ss". */
export interface DraftSaved {
  savedAt: number;
}

/** One earlier call of the same caller, for the screen pop (GET /api/calls/:id/history). */
