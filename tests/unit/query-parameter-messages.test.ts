import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CallbackListQuerySchema,
  CallListQuerySchema,
  MonthlyQuerySchema,
  MyCallsQuerySchema,
  MyOutboundCallsQuerySchema,
  OutboundCallListQuerySchema,
  ReportQuerySchema,
  SatisfactionFiguresQuerySchema,
  StaffingQuerySchema,
  TrendsQuerySchema,
  VisitListQuerySchema,
} from '../../server/src/contract/index.js';

/** Each refusal's field key and sentence. */
const refusals = (schema: z.ZodType, query: Record<string, unknown>) => {
  const r = schema.safeParse(query);
  expect(r.success, JSON.stringify(query)).toBe(false);
  return r.error!.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
};

/** Every query parameter key the cases below get wrong. */
const KEYS = /\b(from|to|limit|day|month|weeks|target|status|groupBy|centres|categories|seats|hours|weekdays)\b/;

const CASES: [string, z.ZodType, Record<string, unknown>][] = [
  ['call records, missing range', CallListQuerySchema, {}],
  ['call records, not whole numbers', CallListQuerySchema, { from: 'abc', to: '1.5' }],
  ['call records, reversed range', CallListQuerySchema, { from: '2000', to: '1000' }],
  ['call records, limit out of range', CallListQuerySchema, { from: '0', to: '1000', limit: '0' }],
  ['call records, limit too large', CallListQuerySchema, { from: '0', to: '1000', limit: '5000' }],
  ['call-backs', CallbackListQuerySchema, { status: 'x', limit: 'abc' }],
  ['call-backs, limit 0', CallbackListQuerySchema, { limit: '0' }],
  ['outbound calls, missing dates', OutboundCallListQuerySchema, {}],
  ['outbound calls, bad dates and limit', OutboundCallListQuerySchema, { from: '2026/12/01', to: 'x', limit: '0' }],
  ['my outbound calls', MyOutboundCallsQuerySchema, { day: '12-01' }],
  ['my calls', MyCallsQuerySchema, { day: '12-01' }],
  ['report, missing dates', ReportQuerySchema, {}],
  ['report, bad dates and filters', ReportQuerySchema, { from: '2026-1-1', to: 'x', hours: '25', weekdays: '0', centres: 3 }],
  ['monthly workbook', MonthlyQuerySchema, { month: '2026-1' }],
  ['monthly workbook, missing month', MonthlyQuerySchema, {}],
  ['staffing', StaffingQuerySchema, { weeks: '0', target: 'abc' }],
  ['staffing, too many weeks', StaffingQuerySchema, { weeks: '27' }],
  ['trends', TrendsQuerySchema, { from: 'x', to: 'y' }],
  ['visits', VisitListQuerySchema, { status: 'x', limit: '501' }],
  ['satisfaction figures', SatisfactionFiguresQuerySchema, { from: '0', to: '1', groupBy: 'x' }],
];

describe('refusals of query parameters', () => {
  it.each(CASES)('%s: read as zh-CN sentences without the parameter keys, which stay in the fields', (_name, schema, query) => {
    const found = refusals(schema, query);
    expect(found.length).toBeGreaterThan(0);
    for (const { field, message } of found) {
      expect(field).not.toBe('');
      expect(message, `${field}: ${message}`).toMatch(/\p{Script=Han}/u);
      expect(message, `${field}: ${message}`).not.toMatch(KEYS);
    }
  });

  it('name the field by its label', () => {
    expect(refusals(CallListQuerySchema, {})).toEqual([
      { field: 'from', message: '请提供起始时间(毫秒时间戳)' },
      { field: 'to', message: '请提供结束时间(毫秒时间戳)' },
    ]);
    expect(refusals(CallListQuerySchema, { from: '2000', to: '1000' })).toEqual([{ field: 'to', message: '结束时间必须晚于起始时间' }]);
    expect(refusals(CallListQuerySchema, { from: '0', to: '1000', limit: '0' })).toEqual([{ field: 'limit', message: '条数至少为 1' }]);
    expect(refusals(ReportQuerySchema, { from: '2026-12-01', to: '2026-12-07', hours: '24' })).toEqual([
      { field: 'hours', message: '到达时段(时)须为 0–23 之间的整数,逗号分隔' },
    ]);
    expect(refusals(TrendsQuerySchema, { to: '2026-12-07' })).toEqual([{ field: 'from', message: '请提供起始日期' }]);
    expect(refusals(StaffingQuerySchema, { weeks: '27' })).toEqual([{ field: 'weeks', message: '周数最多为 26' }]);
  });
});
