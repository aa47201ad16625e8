import { describe, expect, it } from 'vitest';
import { passwordProblems } from '../../server/src/features/auth/passwords.js';
import { oneTimePassword } from '../../server/src/features/users/users-service.js';

describe('the password policy (等保 2.0 level 3 in spirit)', () => {
  it('accepts 10+ characters of 3 kinds that are not the username nor known-weak', () => {
    expect(passwordProblems('Hotline-Desk7', 'seat01')).toEqual([]);
    expect(passwordProblems('grüne-Wiese-42', 'seat01')).toEqual([]);
  });

  it('counts characters, not UTF-16 units: nine CJK and one letter are 10', () => {
    expect(passwordProblems('法律援助热线一二三A', 'x')).not.toContain('密码至少 10 个字符');
    expect(passwordProblems('𠀀𠀀𠀀𠀀Ab1', 'x')).toContain('密码至少 10 个字符');
  });

  it.each([
    ['Ab1!', '密码至少 10 个字符'],
    ['abcdefghij1', '密码须包含大写字母、小写字母、数字、符号中的至少三类'],
    ['xSeat01-Pass', '密码不能包含用户名'],
    ['Demo12348-Ok', '不能使用演示密码'],
    ['demo12348', '不能使用演示密码'],
    ['P@ssw0rd123', '该密码过于常见,请换一个'],
    ['Hotline@12348', '该密码过于常见,请换一个'],
  ])('refuses %s: %s', (password, problem) => {
    expect(passwordProblems(password, 'seat01')).toContain(problem);
  });

  it('one-time passwords meet the policy and differ', () => {
    const a = oneTimePassword();
    expect(passwordProblems(a, 'someone')).toEqual([]);
    expect(oneTimePassword()).not.toBe(a);
  });
});
