import { describe, expect, it } from 'vitest';
import type { SummaryDraft } from '../../../client/src/contract';
import { chinaDay, fromChinaLocalInput, toChinaLocalInput } from '../../../client/src/shared/format';
import { checkSummary, insertKnowledge } from '../../../client/src/features/summary/validate';
import { T0 } from '../support/fixtures';
import { summaryRig } from '../support/summary-fakes';

const complete: SummaryDraft = {
  categoryId: 'labor',
  topic: '拖欠工资',
  question: '公司三个月没发工资',
  answer: '可向劳动保障监察机构投诉或申请劳动仲裁',
  disposition: 'answered',
};

const errorsOf = (draft: SummaryDraft, now = T0) => {
  const r = checkSummary(draft, now);
  return r.ok ? {} : r.fields;
};

describe('summary rules (the contract schema, run in the browser)', () => {
  it('when everything required is filled, should pass and default the rest', () => {
    const r = checkSummary(complete, T0);
    expect(r.ok && r.input).toMatchObject({ referral: '', followUpAt: null, riskFlag: false, knowledgeIds: [] });
  });

  it('when the form is empty, should name every missing field in zh-CN at once', () => {
    expect(errorsOf({})).toEqual({
      categoryId: ['请选择咨询类别'],
      disposition: ['请选择处理结果'],
      topic: ['请填写主题'],
      question: ['请填写来电问题'],
      answer: ['请填写解答内容'],
    });
    expect(errorsOf({ disposition: 'answered', categoryId: 'labor' })).toMatchObject({
      topic: ['请填写主题'],
      question: ['请填写来电问题'],
      answer: ['请填写解答内容'],
    });
  });

  it('when the call was silent or a nuisance (无效来电), should need nothing but the category', () => {
    expect(checkSummary({ categoryId: 'general', disposition: 'invalid' }, T0).ok).toBe(true);
  });

  it('when the caller is referred (e.g. 引导申请法律援助), should require where to', () => {
    expect(errorsOf({ ...complete, disposition: 'legal-aid' }).referral).toEqual(['请填写转介去向']);
    expect(checkSummary({ ...complete, disposition: 'legal-aid', referral: '法律援助中心' }, T0).ok).toBe(true);
  });

  it('when a callback is promised (预约回电), should require a time in the future', () => {
    expect(errorsOf({ ...complete, disposition: 'callback' }).followUpAt).toEqual(['预约回电须填写回电时间']);
    expect(errorsOf({ ...complete, disposition: 'callback', followUpAt: T0 - 60_000 }).followUpAt).toEqual(['回电时间须晚于现在']);
    expect(checkSummary({ ...complete, disposition: 'callback', followUpAt: T0 + 3_600_000 }, T0).ok).toBe(true);
  });

  it('when a major matter is flagged, should require the note; the disposition 重大事项上报 flags it too', () => {
    expect(errorsOf({ ...complete, riskFlag: true }).riskNote).toEqual(['重大事项上报须填写上报说明']);
    const r = checkSummary({ ...complete, disposition: 'major-report', riskNote: '二十余名工人欲集体上访' }, T0);
    expect(r.ok && r.input.riskFlag).toBe(true);
  });

  it('when a field is too long, should say the limit', () => {
    expect(errorsOf({ ...complete, topic: '字'.repeat(61) }).topic).toEqual(['主题不能超过 60 个字']);
  });
});

describe('knowledge insert (插入小结)', () => {
  const entry = { id: 7, answer: '劳动者可以向劳动争议仲裁委员会申请仲裁。', legalBasis: '《劳动争议调解仲裁法》第五条' };

  it('when the answer is empty, should take the standard answer and its legal basis', () => {
    expect(insertKnowledge({}, entry)).toEqual({
      answer: '劳动者可以向劳动争议仲裁委员会申请仲裁。\n法律依据:《劳动争议调解仲裁法》第五条',
      knowledgeIds: [7],
    });
  });

  it('when the seat already wrote something, should append after a blank line and record the id once', () => {
    const once = insertKnowledge({ answer: '先协商。\n', knowledgeIds: [3] }, entry);
    expect(once.answer?.startsWith('先协商。\n\n劳动者可以')).toBe(true);
    expect(insertKnowledge({ ...once }, entry).knowledgeIds).toEqual([3, 7]);
  });
});

describe('China time for the follow-up input', () => {
  it('should read and write datetime-local values as China time whatever the browser zone', () => {
    expect(toChinaLocalInput(T0)).toBe('2025-01-06T09:00');
    expect(fromChinaLocalInput('2025-01-06T09:00')).toBe(T0);
    expect(fromChinaLocalInput('')).toBeNull();
    expect(chinaDay(T0 + 15 * 3_600_000)).toBe('2025-01-07');
  });
});

describe('submitting and reporting through the controller', () => {
  it('when 提交小结 is pressed with gaps, should show every field error and send nothing', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ categoryId: 'labor', disposition: 'callback' });
    expect(await rig.controller.submit()).toBe(false);
    expect(rig.work()?.fieldErrors).toMatchObject({ topic: ['请填写主题'], followUpAt: ['预约回电须填写回电时间'] });
    expect(rig.server.api.fileSummary).not.toHaveBeenCalled();
  });

  it('after a failed submit, should clear each error as the seat fixes the field', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ categoryId: 'labor', disposition: 'answered' });
    await rig.controller.submit();
    rig.controller.edit({ topic: '拖欠工资' });
    expect(rig.work()?.fieldErrors.topic).toBeUndefined();
    expect(rig.work()?.fieldErrors.question).toEqual(['请填写来电问题']);
  });

  it('when the server refuses with field errors, should show them under the fields', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit(complete);
    rig.server.refuseFile = { code: 'VALIDATION', message: '输入有误', fields: { categoryId: ['咨询类别不存在'] } };
    await rig.controller.submit();
    expect(rig.work()?.fieldErrors).toEqual({ categoryId: ['咨询类别不存在'] });
    expect(rig.work()?.filed).toBeNull();
  });

  it('when the risk note is entered, should alert the supervisors at once and not twice for the same note', async () => {
    const rig = summaryRig();
    await rig.controller.open('c1');
    rig.controller.edit({ riskFlag: true, riskNote: '来电人称要去公司楼顶讨薪' });
    await rig.controller.reportMajor({ auto: true });
    await rig.controller.reportMajor({ auto: true });
    await rig.controller.reportMajor();
    expect(rig.server.reports).toEqual([{ callId: 'c1', note: '来电人称要去公司楼顶讨薪' }]);
    expect(rig.work()?.report).toMatchObject({ status: 'sent', note: '来电人称要去公司楼顶讨薪', at: T0 });
  });

  it('when the page reloads after a report, should remember it was sent', async () => {
    const first = summaryRig();
    await first.controller.open('c1');
    first.controller.edit({ riskFlag: true, riskNote: '群体性纠纷' });
    await first.controller.reportMajor();
    const second = summaryRig({ storage: first.storage, server: first.server, timers: first.timers });
    await second.controller.open('c1');
    expect(second.work()?.report.status).toBe('sent');
  });
});
