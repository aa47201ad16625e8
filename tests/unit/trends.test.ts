import { describe, expect, it } from 'vitest';
import { categoryJumps, documentFrequency, rising, riskWordsIn } from '../../server/src/domain/stats/trends.js';
import { segment, STOP_WORDS } from '../../server/src/features/reports/segmenter.js';

describe('trends from summaries', () => {
  it('@node-rs/jieba segments a summary into words', () => {
    expect(segment('工地老板拖欠工资,工人准备集体上访')).toEqual(expect.arrayContaining(['工地', '老板', '拖欠工资', '集体', '上访']));
  });

  it('counts a term once per summary and leaves out stop words, single characters and digits', () => {
    const df = documentFrequency(['老板拖欠工资 老板拖欠工资', '请问老板怎么办', '2026 年 的'], segment, STOP_WORDS);
    expect(df.docs).toBe(3);
    expect(df.counts.get('老板')).toBe(2);
    expect(df.counts.get('拖欠工资')).toBe(1);
    expect(df.counts.has('请问')).toBe(false);
    expect(df.counts.has('怎么办')).toBe(false);
    expect(df.counts.has('2026')).toBe(false);
    expect(df.counts.has('的')).toBe(false);
  });

  it('a term that rises from 1 in 10 summaries to 6 in 10 ranks first, by the smoothed ratio', () => {
    const cur = {
      counts: new Map([
        ['预付卡', 6],
        ['工资', 3],
        ['离婚', 1],
      ]),
      docs: 10,
    };
    const prev = {
      counts: new Map([
        ['预付卡', 1],
        ['工资', 3],
      ]),
      docs: 10,
    };
    const r = rising(cur, prev, { minCount: 3, limit: 10 });
    expect(r.map((x) => x.term)).toEqual(['预付卡']); // 工资 did not rise; 离婚 is under minCount
    expect(r[0]!.ratio).toBeCloseTo(7 / 11 / (2 / 11), 12);
  });

  it('category jumps compare shares of the two periods', () => {
    const j = categoryJumps(
      new Map([
        ['consumer', 30],
        ['labor', 70],
      ]),
      new Map([
        ['consumer', 5],
        ['labor', 95],
      ]),
      3,
    );
    expect(j[0]!.categoryId).toBe('consumer');
    expect(j[0]!.ratio).toBeCloseTo(31 / 101 / (6 / 101), 12);
  });

  it('risk words are found inside longer words', () => {
    expect(riskWordsIn('二十名工人准备集体讨薪并上访', ['讨薪', '上访', '自杀'])).toEqual(['讨薪', '上访']);
    expect(riskWordsIn('咨询离婚财产分割', ['讨薪'])).toEqual([]);
  });
});
