import { describe, expect, it } from 'vitest';
import { SupervisorMessageSchema } from '../../server/src/contract/index.js';
import { parseOrThrow, ValidationError } from '../../server/src/features/shared/validation.js';
import { toApiError } from '../../server/src/transport/api-errors.js';

const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return toApiError(err);
  }
  throw new Error('not refused');
};

describe('how a refused request reads', () => {
  it('says the field sentence alone, in zh-CN; the field keys stay for programs', () => {
    const r = refused(() => parseOrThrow(SupervisorMessageSchema, { to: { kind: 'all' }, text: '' }));
    expect(r.status).toBe(400);
    expect(r.error).toEqual({ code: 'VALIDATION', message: '请填写消息内容', fields: { text: ['请填写消息内容'] } });
  });

  it('several fields: each sentence once, no generic prefix and no field names', () => {
    const r = refused(() => {
      throw new ValidationError({ name: ['请填写坐席姓名'], staffNo: ['请填写工号'], 'skills.x': ['请填写坐席姓名'] });
    });
    expect(r.error.message).toBe('请填写坐席姓名;请填写工号');
    expect(r.error.fields).toEqual({ name: ['请填写坐席姓名'], staffNo: ['请填写工号'], 'skills.x': ['请填写坐席姓名'] });
  });

  it("zod's own sentences (a value of the wrong type) read without the path either", () => {
    const r = refused(() => parseOrThrow(SupervisorMessageSchema, { to: { kind: 'all' }, text: 42 }));
    expect(r.error.message).not.toMatch(/text|请求参数有误/);
    expect(r.error.message).toMatch(/[\u3400-\u9fff]/);
    expect(r.error.fields?.text).toHaveLength(1);
  });

  it('a refusal without a field sentence still says something', () => {
    expect(refused(() => parseOrThrow(SupervisorMessageSchema, null)).error.message).toMatch(/[\u3400-\u9fff]/);
    expect(new ValidationError({}).message).toBe('输入有误,请检查后重试');
  });
});
