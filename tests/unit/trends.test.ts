import { describe, expect, it } from 'vitest';
import { categoryJumps, documentFrequency, rising, riskWordsIn, TREND_MIN_COUNT } from '../../server/src/domain/stats/trends.js';
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

  it('leaves out function words, summary boilerplate and quantities, and keeps the legal terms', () => {
    // Summaries as seats write them (the demo history's phrasing, with the usual opening and advice).
    const df = documentFrequency(
      [
        '来电人咨询:工地拖欠三个月工资,老板不接电话。已告知可向劳动保障监察投诉,建议申请劳动仲裁,农民工欠薪可申请法律援助',
        '来电人表示上班途中被车撞伤,询问工伤认定;告知可自行在一年内向社保部门申请',
        '朋友借钱不还,只有微信聊天记录,询问能否作为证据;告知聊天记录和转账记录可作为证据,诉讼时效三年',
        '来电人咨询离婚时婚前房产加名了怎么分,建议协商,协商不成可诉讼',
        '兄弟之间宅基地边界争议,二十名村民准备到乡镇政府反映,告知可向村委会申请调解',
      ],
      segment,
      STOP_WORDS,
    );
    const terms = [...df.counts.keys()];
    for (const w of [
      '来电人',
      '咨询',
      '询问',
      '表示',
      '告知',
      '建议',
      '作为',
      '只有',
      '之间',
      '可向',
      '不成',
      '一年',
      '三年',
      '二十名',
      '申请',
    ]) {
      expect(terms, w).not.toContain(w);
    }
    for (const w of ['欠薪', '工伤', '离婚', '宅基地', '法律援助', '仲裁', '证据', '聊天记录']) expect(terms, w).toContain(w);
    expect(df.counts.get('证据')).toBe(1);
  });

  it('equal counts are not a rise, even in a period with fewer summaries; a term seen once or twice is not a trend', () => {
    expect(TREND_MIN_COUNT).toBe(3);
    const cur = {
      counts: new Map([
        ['欠薪', 5],
        ['工伤', 6],
        ['离婚', 2],
        ['宅基地', 3],
      ]),
      docs: 20,
    };
    const prev = {
      counts: new Map([
        ['欠薪', 5],
        ['工伤', 5],
      ]),
      docs: 40,
    };
    const r = rising(cur, prev, { minCount: TREND_MIN_COUNT, limit: 10 });
    // 欠薪: 5 against 5 is a bigger share of fewer summaries, not a rise; 离婚: twice only.
    expect(r.map((x) => x.term)).toEqual(['宅基地', '工伤']);
    expect(r.find((x) => x.term === '工伤')!.ratio).toBeCloseTo(7 / 21 / (6 / 41), 12);
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
