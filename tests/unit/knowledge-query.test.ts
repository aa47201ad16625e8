import { describe, expect, it } from 'vitest';
import { gramToken, gramsOf, keywordMatchesPinyin, pinyinTokensOf } from '../../server/src/features/knowledge/knowledge-index.js';
import { dropFunctionWords, isPinyinSyllables, parseKnowledgeQuery, segment } from '../../server/src/features/knowledge/knowledge-query.js';
import { STOPWORDS, SYNONYMS } from '../../server/src/features/knowledge/knowledge-vocabulary.js';

/** Each word's terms, each term as its alternatives joined by |, with /py:… for a pinyin reading. */
const read = (q: string, dictionary: string[] = []) =>
  parseKnowledgeQuery(q, new Set(dictionary)).map((w) =>
    w.terms.map((t) => t.alternatives.join('|') + (t.pinyin ? `/py:${t.pinyin}` : '')),
  );

describe('dropping function words', () => {
  it.each([
    ['被打了', '被打'],
    ['我被打了', '被打'],
    ['被他打了吗', '被打'],
    ['欠我工资怎么办', '欠工资'],
    ['老板不发工资该怎么办呢', '老板不发工资'],
    ['如何申请法律援助啊', '申请法律援助'],
    ['他们的彩礼能要回来吧', '彩礼能要回来'],
  ])('when the phrase is %s, should keep %s', (q, kept) => {
    expect(dropFunctionWords(q)).toBe(kept);
  });

  it('when a stopword is part of a protected word, should keep the word whole', () => {
    expect(dropFunctionWords('其他人的权利')).toBe('其他人权利');
    expect(dropFunctionWords('怎么办理离婚')).toBe('办理离婚');
    expect(dropFunctionWords('了解一下工伤')).toBe('了解工伤');
  });

  it('when 被 starts the phrase, should never drop it (被打, 被骗 are what happened)', () => {
    expect(STOPWORDS).not.toContain('被');
    expect(dropFunctionWords('被骗了')).toBe('被骗');
  });
});

describe('cutting a phrase into terms', () => {
  it('when the remainder holds dictionary words, should cut there and keep what lies between as one term', () => {
    expect(segment('老板欠薪', new Set(['欠薪']))).toEqual(['老板', '欠薪']);
    expect(segment('公司不给交社保', new Set(['公司', '社保']))).toEqual(['公司', '不给交', '社保']);
  });

  it('when dictionary words overlap, should take the longest at each position', () => {
    expect(segment('工伤认定', new Set(['工伤', '工伤认定']))).toEqual(['工伤认定']);
  });

  it('when a phrase is cut, should search the whole phrase too and drop lone characters', () => {
    expect(read('老板欠薪了', ['欠薪'])).toEqual([['老板欠薪', '老板', '欠薪']]);
    expect(read('被车撞伤', [])).toEqual([['被车撞伤', '被车撞|交通事故']]);
  });

  it('when a long stretch is left that no dictionary word cuts, should search its two-character pieces too, weighted low', () => {
    const [word] = parseKnowledgeQuery('邻居家的狗把我孩子咬了');
    expect(word!.terms.map((t) => `${t.text}:${t.weight}`)).toEqual([
      '邻居家狗把孩子咬:2',
      '邻居:1',
      '居家:1',
      '家狗:1',
      '狗把:1',
      '把孩:1',
      '孩子:1',
      '子咬:1',
    ]);
  });

  it('when a phrase is cut, should weigh dictionary words above the stretches between them and the whole phrase', () => {
    const [word] = parseKnowledgeQuery('老板欠薪了', new Set(['欠薪']));
    expect(word!.terms.map((t) => `${t.text}:${t.weight}`)).toEqual(['老板欠薪:2', '老板:2', '欠薪:3']);
  });

  it('when a phrase ends in 开除了, should drop the particle (除了 is not protected)', () => {
    expect(dropFunctionWords('把我开除了')).toBe('把开除');
  });

  it('when the query has several words or punctuation, should read each word on its own', () => {
    expect(read('欠薪 法律援助')).toEqual([['欠薪'], ['法律援助']]);
    expect(read('被打了，怎么办？ 轻伤')).toEqual([['被打'], ['轻伤']]);
  });
});

describe('colloquial phrasings', () => {
  it('when a lawyer types 欠我工资怎么办, should search 欠工资 or the knowledge base terms 欠薪 and 拖欠工资', () => {
    expect(read('欠我工资怎么办')).toEqual([['欠工资|欠薪|拖欠工资']]);
  });

  it('when a lawyer types 被打了 with 被打 a keyword of the knowledge base, should search 被打 as it is', () => {
    expect(read('被打了', ['被打'])).toEqual([['被打']]);
  });

  it('when a lawyer types 挨打 or 老公打我, should search the terms they stand for', () => {
    expect(read('挨打了')).toEqual([['挨打|被打|故意伤害']]);
    expect(read('老公打我怎么办')).toEqual([['老公打|家庭暴力|家暴']]);
  });

  it('when the synonym list is read, should map every phrase to at least one term and list no phrase twice', () => {
    const phrases = SYNONYMS.flatMap((g) => g.from);
    expect(new Set(phrases).size).toBe(phrases.length);
    for (const g of SYNONYMS) expect(g.to.length).toBeGreaterThan(0);
  });

  it('when the query is only function words, should search them as typed rather than for nothing', () => {
    expect(read('了')).toEqual([['了']]);
    expect(read('怎么办')).toEqual([['怎么办']]);
  });
});

describe('pinyin in the query', () => {
  it('when a word is Latin letters, should read it literally and as pinyin, lower-cased', () => {
    expect(read('QianXin')).toEqual([['QianXin/py:qianxin']]);
    expect(read('qx')).toEqual([['qx/py:qx']]);
    expect(read("xi'an")).toEqual([["xi'an/py:xian"]]);
  });

  it('when pinyin syllables are typed apart, should join them into one word', () => {
    expect(read('qian xin')).toEqual([['qianxin/py:qianxin']]);
    expect(read('lao ban qian xin')).toEqual([['laobanqianxin/py:laobanqianxin']]);
  });

  it('when Latin words are not pinyin syllables, should keep them apart', () => {
    expect(read('DNA 鉴定')).toEqual([['DNA/py:dna'], ['鉴定']]);
    expect(read('qx gs')).toEqual([['qx/py:qx'], ['gs/py:gs']]);
  });

  it('when a word holds digits or symbols, should not read it as pinyin', () => {
    expect(read('12348')).toEqual([['12348']]);
    expect(read('%')).toEqual([['%']]);
  });

  it.each([
    ['qian', true],
    ['qianxin', true],
    ['zhuangzhong', true],
    ['lv', true],
    ['qx', false],
    ['dna', false],
    ['xyz', false],
  ])('when %s is checked for pinyin syllables, should say %s', (s, ok) => {
    expect(isPinyinSyllables(s)).toBe(ok);
  });

  it('when a hostile string of near-syllables is checked, should answer at once (no backtracking blow-up)', () => {
    const t = Date.now();
    expect(isPinyinSyllables(`${'an'.repeat(50)}q`)).toBe(false);
    expect(Date.now() - t).toBeLessThan(100);
  });
});

describe('the index tokens of an entry', () => {
  it('when an entry has keywords, should index their pinyin and initials whole and from each syllable', () => {
    const { py, pykw } = pinyinTokensOf('拖欠工资怎么办', ['欠薪']);
    expect(pykw.split(' ')).toEqual(['qianxin', 'qx']);
    expect(py.split(' ')).toEqual(
      expect.arrayContaining(['tuoqiangongzizenmeban', 'qiangongzizenmeban', 'gongzizenmeban', 'tqgzzmb', 'qgzzmb']),
    );
    expect(py.split(' ')).toEqual(expect.arrayContaining(['qianxin', 'xin', 'qx', 'x']));
  });

  it('when a keyword is checked against pinyin readings, should match as the index does (from a syllable on)', () => {
    expect(keywordMatchesPinyin('欠薪', ['qx'])).toBe(true);
    expect(keywordMatchesPinyin('拖欠工资', ['gongzi'])).toBe(true);
    expect(keywordMatchesPinyin('拖欠工资', ['ongzi'])).toBe(false);
    expect(keywordMatchesPinyin('12315', ['qx'])).toBe(false);
  });

  it('when a character has several readings, should read it in context and write ü as v', () => {
    expect(pinyinTokensOf('', ['银行']).pykw).toBe('yinhang yh');
    expect(pinyinTokensOf('', ['绿色']).pykw).toBe('lvse ls');
  });

  it('when text has 1- and 2-character stretches, should index each once as an ASCII token, never across whitespace', () => {
    expect(gramToken('欠薪')).toBe('g6b20x85aa');
    expect(gramToken('A')).toBe(gramToken('a'));
    expect(gramsOf(['欠薪 欠']).split(' ')).toEqual([gramToken('欠'), gramToken('欠薪'), gramToken('薪')]);
    expect(gramsOf(['𠮷%']).split(' ')).toEqual([gramToken('𠮷'), gramToken('𠮷%'), gramToken('%')]);
  });
});
