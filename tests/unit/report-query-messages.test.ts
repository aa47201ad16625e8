import { describe, expect, it } from 'vitest';
import { CallExportQuerySchema, ReportQuerySchema } from '../../server/src/contract/index.js';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];

describe('what the duty manager is told about a wrong report or export request', () => {
  it('a one-character reason for full numbers says how long it must be', () => {
    expect(messages(CallExportQuerySchema.safeParse({ unmask: '1', reason: '查' }))).toEqual(['导出完整号码须填写原因(至少 2 个字)']);
    expect(messages(CallExportQuerySchema.safeParse({ unmask: '1' }))).toEqual(['导出完整号码须填写原因(至少 2 个字)']);
    expect(CallExportQuerySchema.safeParse({ unmask: '1', reason: '核查投诉' }).success).toBe(true);
  });

  it('a reversed range and an emptied date are refused in zh-CN', () => {
    expect(messages(ReportQuerySchema.safeParse({ from: '2026-12-07', to: '2026-12-01' }))).toEqual(['结束日期不能早于起始日期']);
    expect(messages(ReportQuerySchema.safeParse({ from: '', to: '2026-12-01' }))[0]).toMatch(/^起始日期/);
    // Across a year boundary is a range like any other.
    expect(ReportQuerySchema.safeParse({ from: '2026-12-25', to: '2027-01-05' }).success).toBe(true);
  });
});
