/**
 * Issue 11 item 8: every free-text field of the contract refuses control characters and bidi
 * overrides with a sentence naming the field, keeps newline and tab only where text has lines,
 * and counts its limit in characters (code points), not UTF-16 units.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CallExportQuerySchema,
  CategoryInputSchema,
  CategoryMapSchema,
  ReferralOfficesSchema,
  RiskWordsSchema,
  SeatProfileTextSchema,
  ServiceCalendarInputSchema,
  callSummaryInputSchema,
  KNOWLEDGE_LIMITS,
  KnowledgeEntryInputSchema,
  KnowledgeSearchSchema,
  LoginRequestSchema,
  MajorReportSchema,
  RecordingAudioQuerySchema,
  SUMMARY_LIMITS,
  SummaryDraftSchema,
  SummaryReadQuerySchema,
  SurveyWebhookSchema,
  TicketWebhookSchema,
  TransferReportSchema,
  TransferRequestSchema,
  VisitOutcomeSchema,
} from '../../server/src/contract/index.js';

const NOW = Date.UTC(2026, 11, 7, 2);
const summary = {
  categoryId: 'general',
  topic: '欠薪',
  question: '老板拖欠工资三个月',
  answer: '可以申请劳动仲裁',
  disposition: 'answered',
};
const entry = {
  categoryId: 'labor',
  question: '拖欠工资怎么办',
  answer: '可以向劳动监察部门投诉或申请劳动仲裁',
  legalBasis: '',
  keywords: [],
};

interface Field {
  name: string;
  schema: z.ZodType;
  payload: (v: string) => unknown;
  /** Newline and tab allowed. */
  multiline: boolean;
  /** Limit in characters (none for the username, whose limit is not a field rule here). */
  max?: number;
}

const FIELDS: Field[] = [
  ...(['topic', 'referral'] as const).map((k) => ({
    name: `summary.${k}`,
    schema: callSummaryInputSchema(NOW),
    payload: (v: string) => ({ ...summary, [k]: v }),
    multiline: false,
    max: SUMMARY_LIMITS[k],
  })),
  ...(['question', 'answer', 'riskNote'] as const).map((k) => ({
    name: `summary.${k}`,
    schema: callSummaryInputSchema(NOW),
    payload: (v: string) => ({ ...summary, [k]: v }),
    multiline: true,
    max: SUMMARY_LIMITS[k],
  })),
  ...(['topic', 'referral'] as const).map((k) => ({
    name: `draft.${k}`,
    schema: SummaryDraftSchema,
    payload: (v: string) => ({ [k]: v }),
    multiline: false,
    max: SUMMARY_LIMITS[k],
  })),
  ...(['question', 'answer', 'riskNote'] as const).map((k) => ({
    name: `draft.${k}`,
    schema: SummaryDraftSchema,
    payload: (v: string) => ({ [k]: v }),
    multiline: true,
    max: SUMMARY_LIMITS[k],
  })),
  { name: 'major-report.note', schema: MajorReportSchema, payload: (v) => ({ note: v }), multiline: true, max: SUMMARY_LIMITS.riskNote },
  {
    name: 'knowledge.question',
    schema: KnowledgeEntryInputSchema,
    payload: (v) => ({ ...entry, question: `问题${v}` }),
    multiline: true,
  },
  {
    name: 'knowledge.answer',
    schema: KnowledgeEntryInputSchema,
    payload: (v) => ({ ...entry, answer: `答复内容足够长了吧${v}` }),
    multiline: true,
  },
  {
    name: 'knowledge.legalBasis',
    schema: KnowledgeEntryInputSchema,
    payload: (v) => ({ ...entry, legalBasis: v }),
    multiline: true,
    max: KNOWLEDGE_LIMITS.legalBasis,
  },
  {
    name: 'knowledge.keywords[]',
    schema: KnowledgeEntryInputSchema,
    payload: (v) => ({ ...entry, keywords: [v] }),
    multiline: false,
    max: KNOWLEDGE_LIMITS.keyword,
  },
  { name: 'knowledge-search.q', schema: KnowledgeSearchSchema, payload: (v) => ({ q: v }), multiline: false, max: 100 },
  {
    name: 'transfer.note',
    schema: TransferRequestSchema,
    payload: (v) => ({ callId: 'c1', target: { kind: 'category', categoryId: 'labor' }, mode: 'blind', note: v }),
    multiline: true,
    max: 200,
  },
  {
    name: 'transfer-report.detail',
    schema: TransferReportSchema,
    payload: (v) => ({ transferId: 't1', outcome: 'refused', detail: v }),
    multiline: false,
    max: 200,
  },
  { name: 'login.username', schema: LoginRequestSchema, payload: (v) => ({ username: `seat${v}01`, password: 'x' }), multiline: false },
  // Reasons the audit log keeps, and a 回访 outcome's text other users read.
  { name: 'summary-read.reason', schema: SummaryReadQuerySchema, payload: (v) => ({ reason: v }), multiline: false, max: 200 },
  {
    name: 'recording-download.reason',
    schema: RecordingAudioQuerySchema,
    payload: (v) => ({ download: '1', reason: v }),
    multiline: false,
    max: 200,
  },
  { name: 'call-export.reason', schema: CallExportQuerySchema, payload: (v) => ({ unmask: '1', reason: v }), multiline: false, max: 200 },
  {
    name: 'visit-outcome.comment',
    schema: VisitOutcomeSchema,
    payload: (v) => ({ outcome: 'reached', comment: v }),
    multiline: true,
    max: 500,
  },
  {
    name: 'visit-outcome.followUp.note',
    schema: VisitOutcomeSchema,
    payload: (v) => ({ outcome: 'reached', followUp: { note: v, dueAt: NOW } }),
    multiline: false,
    max: 200,
  },
  // Names an administrator or manager types, shown on other users' screens.
  {
    name: 'category.name',
    schema: CategoryInputSchema,
    payload: (v) => ({ id: 'x', name: v, ivrCodes: [], general: false }),
    multiline: false,
    max: 40,
  },
  {
    name: 'calendar.holidays[].name',
    schema: ServiceCalendarInputSchema,
    payload: (v) => ({ periods: [], holidays: [{ date: '2026-10-01', name: v, periods: [] }] }),
    multiline: false,
    max: 40,
  },
  {
    name: 'referral-offices[].name',
    schema: ReferralOfficesSchema,
    payload: (v) => ({ offices: [{ centreId: 'city', kind: 'mediation', name: v }] }),
    multiline: false,
    max: 60,
  },
  {
    name: 'category-map[].category',
    schema: CategoryMapSchema,
    payload: (v) => ({ entries: [{ category: v, categoryId: 'labor' }] }),
    multiline: false,
    max: 60,
  },
  { name: 'risk-words[]', schema: RiskWordsSchema, payload: (v) => ({ words: [v] }), multiline: false, max: 20 },
  { name: 'seat-profile.name', schema: SeatProfileTextSchema, payload: (v) => ({ name: v, staffNo: 'A01' }), multiline: false, max: 40 },
  {
    name: 'seat-profile.staffNo',
    schema: SeatProfileTextSchema,
    payload: (v) => ({ name: '张三', staffNo: v }),
    multiline: false,
    max: 20,
  },
];

const FORBIDDEN: [string, string][] = [
  ['NUL', '\u0000'],
  ['ESC', '\u001b'],
  ['CR', '\r'],
  ['DEL', '\u007f'],
  ['C1 NEL', '\u0085'],
  ['LRE', '\u202a'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['PDI', '\u2069'],
  ['lone surrogate', '\ud800'],
];

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.error?.issues ?? []).map((i) => i.message);

describe('text hygiene in every free-text field', () => {
  for (const f of FIELDS) {
    it(`${f.name}: control characters and bidi overrides should be refused with a sentence`, () => {
      expect(f.schema.safeParse(f.payload('正常文字')).success).toBe(true);
      for (const [what, c] of FORBIDDEN) {
        const r = f.schema.safeParse(f.payload(`合同${c}纠纷`));
        expect(r.success, `${f.name} with ${what}`).toBe(false);
        expect(messages(r).join(' '), `${f.name} with ${what}`).toMatch(/含有不允许的/);
      }
    });

    it(`${f.name}: newline and tab should be ${f.multiline ? 'kept' : 'refused'}`, () => {
      for (const c of ['\n', '\t']) expect(f.schema.safeParse(f.payload(`第一行${c}第二行`)).success).toBe(f.multiline);
    });

    if (f.max !== undefined) {
      const max = f.max;
      it(`${f.name}: the limit of ${max} should count characters, not UTF-16 units`, () => {
        expect(f.schema.safeParse(f.payload('𠀀'.repeat(max))).success).toBe(true);
        const over = f.schema.safeParse(f.payload('𠀀'.repeat(max + 1)));
        expect(over.success).toBe(false);
        expect(messages(over).join(' ')).toMatch(new RegExp(`不能超过 ${max} 个字`));
      });
    }
  }
});

describe('text another system sends (signed webhooks)', () => {
  it('should have control and bidi characters removed, not refused: newlines kept in multi-line text', () => {
    const rating = SurveyWebhookSchema.parse({ id: 'r1', callId: 'c1', score: 4, comment: '\u202e很满意\u0000\r\n谢谢', ratedAt: NOW });
    expect(rating.comment).toBe('很满意\n谢谢');
    const ticket = TicketWebhookSchema.parse({
      deliveryId: 'd1',
      event: 'ticket.transferred',
      ticket: { id: 'GD-1', category: '劳动\u2066保障', title: 'a\tb\u001b', content: 'x\u0085y\n\tz' },
    });
    expect(ticket.ticket).toMatchObject({ category: '劳动保障', title: 'ab', content: 'xy\n\tz' });
    expect(
      TicketWebhookSchema.safeParse({ deliveryId: 'd2', event: 'ticket.transferred', ticket: { id: 'GD-2', category: '\u202e' } }).success,
    ).toBe(false);
  });
});

describe('a referral office endpoint', () => {
  it('should be an http(s) address: javascript:, file: and data: addresses are refused with the sentence', () => {
    const office = (endpointUrl: string) => ({ offices: [{ centreId: 'city', kind: 'mediation', name: '调解委员会', endpointUrl }] });
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://office.example/x']) {
      const r = ReferralOfficesSchema.safeParse(office(bad));
      expect(r.success, bad).toBe(false);
      expect(messages(r).join(' '), bad).toMatch(/接收地址必须是 http\(s\) 地址/);
    }
    expect(ReferralOfficesSchema.safeParse(office('https://mediation.example/api/referrals')).success).toBe(true);
  });
});

describe('a category code', () => {
  it("should not be a name every object has (a seat's skills are keyed by it)", () => {
    const r = CategoryInputSchema.safeParse({ id: 'constructor', name: '保留', ivrCodes: [], general: false });
    expect(r.success).toBe(false);
    expect(messages(r).join(' ')).toMatch(/类别代码不能使用保留字/);
    expect(CategoryInputSchema.safeParse({ id: 'construction', name: '建设工程', ivrCodes: [], general: false }).success).toBe(true);
  });
});
