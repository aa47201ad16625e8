/**
 * Far-future dates: every time field of the contract (Unix ms) takes a whole number from 1970 to
 * the end of 2099 and refuses anything else in zh-CN (9e15 ms, a 回访 follow-up once accepted,
 * is not even a date: the console showed it as NaN-NaN).
 */
import { describe, expect, it } from 'vitest';
import {
  AuditQuerySchema,
  callSummaryInputSchema,
  CallListQuerySchema,
  HandoverRangeQuerySchema,
  ReferralUpdateSchema,
  SatisfactionFiguresQuerySchema,
  ServiceCalendarInputSchema,
  SummaryDraftSchema,
  SurveyWebhookSchema,
  VisitOutcomeSchema,
} from '../../server/src/contract/index.js';

const FAR = 9e15;
const END_OF_2099 = Date.parse('2099-12-31T23:59:59+08:00');
const NOW = Date.parse('2026-12-07T09:00:00+08:00');
const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];

describe('time fields of the contract', () => {
  it('a 回访 follow-up due in 9e15 ms (or in 2100) is refused naming the field; the end of 2099 is taken', () => {
    const visit = (dueAt: number) => VisitOutcomeSchema.safeParse({ outcome: 'reached', followUp: { note: '再联系', dueAt } });
    expect(messages(visit(FAR))).toEqual(['跟进时间不能晚于 2099 年']);
    expect(messages(visit(Date.parse('2100-01-01T00:00:00+08:00')))).toEqual(['跟进时间不能晚于 2099 年']);
    expect(messages(visit(1.5))).toEqual(['跟进时间不是有效的时间']);
    expect(visit(END_OF_2099).success).toBe(true);
  });

  it('a summary’s 回电时间, as a draft and as filed', () => {
    expect(messages(SummaryDraftSchema.safeParse({ followUpAt: FAR }))).toEqual(['回电时间不能晚于 2099 年']);
    const filed = callSummaryInputSchema(NOW).safeParse({
      categoryId: 'labor',
      topic: '欠薪',
      question: '工资被拖欠',
      answer: '可申请劳动仲裁',
      disposition: 'callback',
      followUpAt: FAR,
    });
    expect(messages(filed)).toEqual(['回电时间不能晚于 2099 年']);
  });

  it('a referral’s 办理期限 and a survey result’s 评价时间', () => {
    expect(messages(ReferralUpdateSchema.safeParse({ dueAt: FAR }))).toEqual(['办理期限不能晚于 2099 年']);
    expect(ReferralUpdateSchema.safeParse({ dueAt: NOW }).success).toBe(true);
    expect(messages(SurveyWebhookSchema.safeParse({ id: 'r1', callId: 'c1', score: 4, ratedAt: FAR }))).toEqual([
      '评价时间不能晚于 2099 年',
    ]);
    expect(messages(SurveyWebhookSchema.safeParse({ id: 'r1', callId: 'c1', score: 4, ratedAt: -1 }))).toEqual(['评价时间不是有效的时间']);
  });

  it('the ranges of the query strings (calls, satisfaction figures, audit log, hand-overs)', () => {
    const far = String(FAR);
    expect(messages(CallListQuerySchema.safeParse({ from: '0', to: far }))).toEqual(['结束时间不能晚于 2099 年']);
    expect(messages(SatisfactionFiguresQuerySchema.safeParse({ from: far, to: far }))).toEqual([
      '起始时间不能晚于 2099 年',
      '结束时间不能晚于 2099 年',
    ]);
    expect(messages(AuditQuerySchema.safeParse({ to: far }))).toEqual(['结束时间不能晚于 2099 年']);
    expect(messages(HandoverRangeQuerySchema.safeParse({ from: 'x' }))).toEqual(['起始时间不是有效的时间']);
    expect(HandoverRangeQuerySchema.safeParse({ from: String(NOW), to: String(NOW + 1) }).success).toBe(true);
  });

  it('a 服务日历 special date must exist and fall in 1970–2099', () => {
    const calendar = (date: string) =>
      ServiceCalendarInputSchema.safeParse({ periods: [], holidays: [{ date, name: '国庆', periods: [] }] });
    expect(calendar('2027-10-01').success).toBe(true);
    expect(messages(calendar('2027-02-30'))).toEqual(['日期不存在或超出范围(1970–2099 年)']);
    expect(messages(calendar('9999-12-31'))).toEqual(['日期不存在或超出范围(1970–2099 年)']);
    expect(messages(calendar('10月1日'))).toEqual(['日期须为 YYYY-MM-DD']);
  });
});
