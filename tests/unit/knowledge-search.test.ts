import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeEntryInputSchema, type KnowledgeEntryInput } from '../../server/src/contract/index.js';
import { DEFAULT_CATEGORIES } from '../../server/src/domain/model.js';
import { KNOWLEDGE_SEEDED_KEY, STARTER_KNOWLEDGE, seedKnowledgeIfEmpty } from '../../server/src/seed/knowledge-entries.js';
import { openDatabase, type Db } from '../../server/src/store/db.js';
import { KnowledgeRepository as KnowledgeRepo, TERMS_INDEX_KEY } from '../../server/src/features/knowledge/knowledge-repository.js';
import {
  buildKnowledgeQuery,
  ftsPhrase,
  likePattern,
  makeSnippet,
  splitTerms,
} from '../../server/src/features/knowledge/knowledge-search.js';

const clock = { now: () => 1_700_000_000_000 } as Parameters<typeof seedKnowledgeIfEmpty>[1];

const input = (categoryId: string, question: string, answer: string, keywords: string[] = [], legalBasis = ''): KnowledgeEntryInput => ({
  categoryId,
  question,
  answer,
  legalBasis,
  keywords,
});

let db: Db;
let repo: KnowledgeRepo;
beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new KnowledgeRepo(db);
});
afterEach(() => db.close());

const search = (q: string, category: string | null = null, limit = 20) => repo.search({ q, category, limit });
const ids = (hits: { id: number }[]) => hits.map((h) => h.id);

describe('query words and escaping', () => {
  it('when a query has ASCII, ideographic and repeated spaces, should split it into distinct words', () => {
    expect(splitTerms('  欠薪\u3000 工伤认定   欠薪 ')).toEqual(['欠薪', '工伤认定']);
  });

  it('when a query repeats a Latin word in another case, should keep it once', () => {
    expect(splitTerms('DNA dna Dna')).toEqual(['DNA']);
  });

  it('when a query holds control characters, should treat them as spaces', () => {
    expect(splitTerms('欠\u0000薪\n离婚')).toEqual(['欠', '薪', '离婚']);
  });

  it('when a word holds double quotes, should double them inside one FTS5 string', () => {
    expect(ftsPhrase('a"b')).toBe('"a""b"');
  });

  it('when a word holds LIKE wildcards or the escape character, should escape them', () => {
    expect(likePattern('50%_\\')).toBe('%50\\%\\_\\\\%');
  });

  it('when words are 1–2 or ≥3 characters, should send the short ones to the gram index and the rest to the trigram index', () => {
    const q = buildKnowledgeQuery({ q: '欠薪 工伤认定 a', limit: 10, dictionary: new Set(['工伤认定']) });
    expect(q.likeTerms).toEqual(['欠薪', 'a']);
    expect(q.ftsTerms).toEqual(['工伤认定']);
  });

  it('when building SQL, should pass every word as a bound parameter and never in the SQL text', () => {
    const hostile = `x'); DROP TABLE knowledge_entries; --`;
    const q = buildKnowledgeQuery({ q: `${hostile} 欠薪`, limit: 10 });
    expect(q.sql).not.toContain('DROP');
    expect(q.sql).not.toContain('欠薪');
    expect(q.params).toContain('%欠薪%');
  });
});

describe('search ranking', () => {
  it('when a ≥3-character word is in one question and another answer, should rank the question match first', () => {
    const inAnswer = repo.create(input('labor', '单位不给交社保怎么办', '受伤后应当及时申请工伤认定，保存病历。'), 't', 1);
    const inQuestion = repo.create(input('labor', '工伤认定怎么申请', '单位应在30日内向人社部门提出申请。'), 't', 1);
    expect(ids(search('工伤认定'))).toEqual([inQuestion.id, inAnswer.id]);
  });

  it('when a 2-character word is in one question and another answer, should find both by LIKE with the question first', () => {
    const inAnswer = repo.create(input('labor', '加班费怎么计算', '被欠薪的也可以一并主张加班费。'), 't', 1);
    const inQuestion = repo.create(input('labor', '老板欠薪不给怎么办', '可以向劳动保障监察机构投诉。'), 't', 1);
    repo.create(input('labor', '试用期有多长', '按合同期限确定试用期。'), 't', 1);
    expect(ids(search('欠薪'))).toEqual([inQuestion.id, inAnswer.id]);
  });

  it('when a 2-character word is only a keyword, should still find the entry', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '可以申请劳动仲裁。', ['欠薪']), 't', 1);
    expect(ids(search('欠薪'))).toEqual([e.id]);
  });

  it('when a single character is searched, should match it anywhere', () => {
    const e = repo.create(input('marriage-family', '离婚后孩子归谁', '不满两周岁的子女以随母亲生活为原则。'), 't', 1);
    expect(ids(search('孩'))).toEqual([e.id]);
  });

  it('when a category is given, should list that category first and still find other categories', () => {
    const labor = repo.create(input('labor', '工伤赔偿标准', '工伤职工可以享受工伤保险待遇，发生交通事故的另行索赔。'), 't', 1);
    const traffic = repo.create(input('traffic-injury', '交通事故赔偿项目', '交通事故受害人可以主张医疗费、误工费等。'), 't', 1);
    expect(ids(search('交通事故'))).toEqual([traffic.id, labor.id]);
    expect(ids(search('交通事故', 'labor'))).toEqual([labor.id, traffic.id]);
  });

  it('when the query is empty and a category is given, should list only that category in id order', () => {
    const a = repo.create(input('labor', '欠薪怎么办', '申请劳动仲裁即可处理。'), 't', 1);
    repo.create(input('consumer', '七天无理由退货', '网购商品七日内可以退货。'), 't', 1);
    const b = repo.create(input('labor', '试用期多长', '按合同期限确定试用期长短。'), 't', 1);
    expect(ids(search('', 'labor'))).toEqual([a.id, b.id]);
  });

  it('when several words are given, should return only entries that match all of them', () => {
    const both = repo.create(input('labor', '农民工欠薪申请法律援助', '农民工讨要工资申请法律援助免予核查经济困难。'), 't', 1);
    repo.create(input('labor', '老板欠薪怎么办', '申请劳动仲裁。'), 't', 1);
    repo.create(input('legal-aid', '法律援助怎么申请', '向法律援助中心申请。'), 't', 1);
    expect(ids(search('欠薪 法律援助'))).toEqual([both.id]);
    expect(ids(search('农民工 法律援助 欠薪'))).toEqual([both.id]);
  });

  it('when a Latin word differs in case, should still match', () => {
    const e = repo.create(input('forensic', '怎么做亲子鉴定', '可以委托有资质的机构做DNA鉴定。'), 't', 1);
    expect(ids(search('dna'))).toEqual([e.id]);
    expect(ids(search('Dna 鉴定'))).toEqual([e.id]);
  });

  it('when the query is % or _, should match them literally rather than as wildcards', () => {
    const pct = repo.create(input('labor', '加班费比例', '工作日加班支付不低于150%的工资。'), 't', 1);
    repo.create(input('labor', '试用期工资', '不得低于约定工资的八成。'), 't', 1);
    expect(ids(search('%'))).toEqual([pct.id]);
    expect(ids(search('_'))).toEqual([]);
  });

  it('when the limit is smaller than the matches, should return only that many', () => {
    for (let i = 0; i < 5; i++) repo.create(input('labor', `欠薪问题第${i}种情形`, '申请劳动仲裁处理。'), 't', 1);
    expect(search('欠薪', null, 3)).toHaveLength(3);
  });
});

describe('phrases as lawyers type them', () => {
  it('when a phrase carries particles (被打了), should find the entry for 被打', () => {
    const e = repo.create(input('criminal', '被人打伤了怎么追责', '先报警并验伤。', ['被打', '故意伤害']), 't', 1);
    repo.create(input('labor', '打官司要多久', '一般六个月内审结。'), 't', 1);
    expect(ids(search('被打了'))).toEqual([e.id]);
    expect(ids(search('我被打了怎么办'))).toEqual([e.id]);
  });

  it('when a colloquial phrase stands for a knowledge base term (欠我工资怎么办), should find the entries for that term', () => {
    const byKeyword = repo.create(input('labor', '老板不给钱怎么讨', '向劳动监察投诉。', ['欠薪']), 't', 1);
    const byQuestion = repo.create(input('legal-aid', '拖欠工资能申请法律援助吗', '可以申请。'), 't', 1);
    repo.create(input('labor', '加班工资怎么算', '按法定标准计算。'), 't', 1);
    expect(ids(search('欠我工资怎么办')).sort()).toEqual([byKeyword.id, byQuestion.id].sort());
  });

  it('when a phrase is cut into several terms, should rank entries matching more of them first', () => {
    const one = repo.create(input('labor', '欠薪怎么办', '申请劳动仲裁。'), 't', 1);
    const both = repo.create(input('labor', '老板欠薪不给怎么办', '向监察机构投诉。', ['欠薪']), 't', 1);
    expect(ids(search('老板欠薪了'))).toEqual([both.id, one.id]);
  });

  it('when the call has a category, should still list that category first', () => {
    const labor = repo.create(input('labor', '工伤期间单位能解除合同吗', '不得解除劳动合同。', ['辞退']), 't', 1);
    const company = repo.create(input('company', '公司把我辞退了还欠薪', '可以主张经济补偿。', ['辞退', '欠薪']), 't', 1);
    expect(ids(search('被开除了'))).toEqual([company.id, labor.id]);
    expect(ids(search('被开除了', 'labor'))).toEqual([labor.id, company.id]);
  });
});

describe('pinyin', () => {
  it('when a lawyer types full pinyin with or without spaces (qianxin, qian xin), should find the entry whose keyword it is first', () => {
    const kw = repo.create(input('labor', '老板不给钱怎么讨', '向劳动监察投诉。', ['欠薪']), 't', 1);
    const inQuestion = repo.create(input('labor', '欠薪期间能辞职吗', '可以解除并要求补偿。'), 't', 1);
    repo.create(input('labor', '加班费怎么算', '按法定标准计算。', ['加班']), 't', 1);
    expect(ids(search('qianxin'))).toEqual([kw.id, inQuestion.id]);
    expect(ids(search('qian xin'))).toEqual([kw.id, inQuestion.id]);
    expect(ids(search('QianXin'))).toEqual([kw.id, inQuestion.id]);
  });

  it('when a lawyer types initials (qx), should find the entries whose keyword has them first', () => {
    const kw = repo.create(input('labor', '老板不给钱怎么讨', '向劳动监察投诉。', ['欠薪']), 't', 1);
    const other = repo.create(input('administrative', '怎么申请取消处罚', '申请行政复议。'), 't', 1);
    repo.create(input('labor', '加班费怎么算', '按法定标准计算。', ['加班']), 't', 1);
    expect(ids(search('qx'))).toEqual([kw.id, other.id]);
  });

  it('when pinyin starts inside a word at a syllable (gongzi of 拖欠工资), should find it; not in the middle of a syllable', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁。'), 't', 1);
    expect(ids(search('gongzi'))).toEqual([e.id]);
    expect(ids(search('ongzi'))).toEqual([]);
  });

  it('when pinyin is combined with a Chinese word, should need both', () => {
    const both = repo.create(input('legal-aid', '欠薪能申请法律援助吗', '可以，农民工免予核查。'), 't', 1);
    repo.create(input('labor', '欠薪怎么办', '申请劳动仲裁。'), 't', 1);
    expect(ids(search('qx 法律援助'))).toEqual([both.id]);
  });

  it('when an entry is edited or retired, should be found by the pinyin of its new words only', () => {
    const e = repo.create(input('labor', '欠薪怎么办', '申请劳动仲裁。', ['欠薪']), 't', 1);
    repo.update(e.id, { ...input('marriage-family', '彩礼能要回来吗', '视情况返还。', ['彩礼']), version: 1 }, 't', 2);
    expect(ids(search('qianxin'))).toEqual([]);
    expect(ids(search('caili'))).toEqual([e.id]);
    repo.retire(e.id, 't', 3);
    expect(ids(search('caili'))).toEqual([]);
    expect(ids(search('彩'))).toEqual([]);
  });

  it('when pinyin finds an entry by a keyword, should mark that keyword in the snippet and name it among the terms', () => {
    repo.create(input('labor', '老板不给钱怎么讨', '先固定欠薪的证据，再投诉。', ['欠薪', '劳动仲裁']), 't', 1);
    const { hits, terms } = repo.searchWithTerms({ q: 'qx', limit: 10 });
    expect(hits[0]?.snippet).toBe('先固定【欠薪】的证据，再投诉。');
    expect(terms).toEqual(['qx', '欠薪']);
  });

  it('when a Latin word is also English in the text (DNA), should still find it literally', () => {
    const e = repo.create(input('forensic', '怎么做亲子鉴定', '可以委托有资质的机构做DNA鉴定。'), 't', 1);
    expect(ids(search('DNA'))).toEqual([e.id]);
  });
});

describe('a database from before the pinyin index', () => {
  it('when entries were written before migration 6, should find short words and pinyin once the index is ensured at start', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁。', ['欠薪']), 't', 1);
    // What a database written before migration 6 looks like after it: entries, an empty knowledge_terms.
    db.prepare("INSERT INTO knowledge_terms (knowledge_terms) VALUES ('delete-all')").run();
    const fresh = new KnowledgeRepo(db);
    expect(fresh.search({ q: 'qx', limit: 10 })).toEqual([]);
    expect(fresh.search({ q: '欠薪', limit: 10 })).toEqual([]);
    expect(fresh.ensureSearchIndex(5)).toBe(1);
    expect(ids(fresh.search({ q: 'qx', limit: 10 }))).toEqual([e.id]);
    expect(ids(fresh.search({ q: '欠薪', limit: 10 }))).toEqual([e.id]);
    expect((db.prepare('SELECT value FROM settings WHERE key = ?').get(TERMS_INDEX_KEY) as { value: string }).value).toBe('1');
    expect(fresh.ensureSearchIndex(6)).toBe(0);
  });

  it('when every entry was written since migration 6 (a new database, just seeded), should only record the format', () => {
    seedKnowledgeIfEmpty(db, clock);
    expect(repo.ensureSearchIndex(5)).toBe(0);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get(TERMS_INDEX_KEY)).toEqual({ value: '1' });
    expect(search('qx')[0]?.keywords).toContain('欠薪');
  });

  it('when the index was built in an older format, should rebuild it', () => {
    repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁。', ['欠薪']), 't', 1);
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run(TERMS_INDEX_KEY, '0', 1);
    expect(repo.ensureSearchIndex(5)).toBe(1);
    expect(ids(search('qx'))).toHaveLength(1);
  });

  it('when an existing database file is opened, should add the knowledge_terms table by migration', () => {
    expect(db.prepare('SELECT name FROM schema_migrations WHERE version = 6').get()).toBeTruthy();
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'knowledge_terms'").get()).toBeTruthy();
  });
});

describe('hostile queries', () => {
  const HOSTILE = [
    '"',
    '""',
    '"欠薪',
    '*',
    '欠薪*',
    '-',
    '-欠薪',
    '^',
    ':',
    'question:欠薪',
    'NEAR(欠薪 工资)',
    '欠薪 AND OR NOT',
    'AND',
    '(',
    ')',
    '()',
    '{question answer}: 工资',
    "'",
    "'; DROP TABLE knowledge_entries; --",
    '\\',
    '%_%',
    '\u0000',
    '𠮷野家',
    '😀😀',
    '工'.repeat(100),
  ];

  it.each(HOSTILE)('when the query is %j, should answer without throwing', (q) => {
    repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁。', ['欠薪']), 't', 1);
    expect(() => search(q)).not.toThrow();
    expect(() => search(q, 'labor')).not.toThrow();
    expect((db.prepare('SELECT COUNT(*) AS n FROM knowledge_entries').get() as { n: number }).n).toBe(1);
  });

  it('when a word carries FTS operators, should only find entries containing it literally', () => {
    const e = repo.create(input('labor', '工资 AND 加班', '见 NEAR(条款) 说明。'), 't', 1);
    repo.create(input('labor', '工资与加班', '一般说明即可。'), 't', 1);
    expect(ids(search('NEAR(条款)'))).toEqual([e.id]);
  });
});

describe('index upkeep', () => {
  it('when an entry is retired, should no longer be found by any route', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁处理欠薪。'), 't', 1);
    expect(repo.retire(e.id, 't', 2)).toBe(true);
    expect(search('欠薪')).toEqual([]);
    expect(search('劳动仲裁')).toEqual([]);
    expect(search('', 'labor')).toEqual([]);
    expect(repo.get(e.id)).toBeNull();
    expect(repo.retire(e.id, 't', 3)).toBe(false);
  });

  it('when an entry is edited, should be found by its new words only', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁处理。'), 't', 1);
    const r = repo.update(e.id, { ...input('labor', '试用期最长多久', '最长不超过六个月。'), version: 1 }, 't', 2);
    expect(r.ok).toBe(true);
    expect(search('劳动仲裁')).toEqual([]);
    expect(ids(search('试用期'))).toEqual([e.id]);
  });

  it('when an update names an old version, should report stale and change nothing', () => {
    const e = repo.create(input('labor', '拖欠工资怎么办', '申请劳动仲裁处理。'), 't', 1);
    repo.update(e.id, { ...input('labor', '拖欠工资怎么办?', '申请劳动仲裁处理。'), version: 1 }, 'a', 2);
    const r = repo.update(e.id, { ...input('labor', '别的问题', '别的答复内容。'), version: 1 }, 'b', 3);
    expect(r).toMatchObject({ ok: false, reason: 'stale', current: { version: 2, updatedBy: 'a' } });
    expect(repo.get(e.id)?.question).toBe('拖欠工资怎么办?');
  });
});

describe('snippets', () => {
  it('when the answer contains a word, should mark every occurrence with 【】 in plain text', () => {
    expect(makeSnippet('可以申请劳动仲裁，仲裁不收费。', ['仲裁'])).toBe('可以申请劳动【仲裁】，【仲裁】不收费。');
  });

  it('when the first match is far into a long answer, should cut around it with ellipses', () => {
    const text = `${'甲'.repeat(100)}欠薪${'乙'.repeat(100)}`;
    const s = makeSnippet(text, ['欠薪']);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('【欠薪】');
    expect(s.replace(/[…【】]/g, '').length).toBeLessThanOrEqual(90);
  });

  it('when no word is in the answer, should give its start unmarked', () => {
    expect(makeSnippet('第一行\n第二行', ['欠薪'])).toBe('第一行 第二行');
  });

  it('when words overlap, should mark the longer one without nesting brackets', () => {
    expect(makeSnippet('申请劳动仲裁', ['仲裁', '劳动仲裁'])).toBe('申请【劳动仲裁】');
  });

  it('when the answer holds HTML-like text, should return it as text with no markup added', () => {
    expect(makeSnippet('<b>欠薪</b>', ['欠薪'])).toBe('<b>【欠薪】</b>');
  });

  it('when search hits come back, should carry the snippet of the answer', () => {
    repo.create(input('labor', '拖欠工资怎么办', '可以申请劳动仲裁。'), 't', 1);
    expect(search('劳动仲裁')[0]?.snippet).toBe('可以申请【劳动仲裁】。');
  });
});

describe('starter set', () => {
  it('when checked against the contract schema, should have every entry valid with 3–6 keywords and a legal basis', () => {
    for (const e of STARTER_KNOWLEDGE) {
      expect(KnowledgeEntryInputSchema.safeParse(e).success, e.question).toBe(true);
      expect(e.keywords.length, e.question).toBeGreaterThanOrEqual(3);
      expect(e.keywords.length, e.question).toBeLessThanOrEqual(6);
      expect(e.legalBasis.length, e.question).toBeGreaterThan(0);
    }
    expect(new Set(STARTER_KNOWLEDGE.map((e) => e.question)).size).toBe(STARTER_KNOWLEDGE.length);
  });

  it('when counted per category, should hold at least 60 entries, ≥2 in every default category and ≥6 in the common ones', () => {
    expect(STARTER_KNOWLEDGE.length).toBeGreaterThanOrEqual(60);
    const known = new Set(DEFAULT_CATEGORIES.map((c) => c.id));
    const per = new Map<string, number>();
    for (const e of STARTER_KNOWLEDGE) {
      expect(known.has(e.categoryId), e.categoryId).toBe(true);
      per.set(e.categoryId, (per.get(e.categoryId) ?? 0) + 1);
    }
    for (const c of DEFAULT_CATEGORIES) expect(per.get(c.id) ?? 0, c.name).toBeGreaterThanOrEqual(2);
    for (const id of ['labor', 'marriage-family', 'contract-debt', 'property-land', 'traffic-injury']) {
      expect(per.get(id), id).toBeGreaterThanOrEqual(6);
    }
  });

  it('when a new database starts, should seed the starter set once as 系统预置', () => {
    expect(seedKnowledgeIfEmpty(db, clock)).toBe(STARTER_KNOWLEDGE.length);
    expect(seedKnowledgeIfEmpty(db, clock)).toBe(0);
    const counts = repo.countByCategory();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(STARTER_KNOWLEDGE.length);
    expect(repo.get(1)?.updatedBy).toBe('系统预置');
  });

  it('when a supervisor has retired every entry, should not seed again', () => {
    seedKnowledgeIfEmpty(db, clock);
    for (const { id } of db.prepare('SELECT id FROM knowledge_entries').all() as { id: number }[]) repo.retire(id, 't', 2);
    expect(seedKnowledgeIfEmpty(db, clock)).toBe(0);
    expect(repo.countByCategory()).toEqual({});
  });

  it('when the table already holds entries, should add none and remember that it looked', () => {
    repo.create(input('labor', '本地自建条目', '本地自建的答复内容。'), 't', 1);
    expect(seedKnowledgeIfEmpty(db, clock)).toBe(0);
    expect(db.prepare('SELECT 1 FROM settings WHERE key = ?').get(KNOWLEDGE_SEEDED_KEY)).toBeTruthy();
  });

  it('when seated lawyers search the starter set in Chinese, should find the right entries first', () => {
    seedKnowledgeIfEmpty(db, clock);
    expect(search('欠薪')[0]?.categoryId).toBe('labor');
    expect(search('工伤认定')[0]?.question).toContain('工伤认定');
    expect(search('离婚')[0]?.categoryId).toBe('marriage-family');
    expect(search('人身安全保护令')[0]?.question).toContain('人身安全保护令');
    expect(search('彩礼')[0]?.question).toContain('彩礼');
    expect(search('七天无理由')[0]?.question).toContain('七天无理由');
  });

  it('when lawyers type phrases or pinyin against the starter set, should find the right entries first', () => {
    seedKnowledgeIfEmpty(db, clock);
    expect(search('被打了')[0]?.keywords).toContain('被打');
    expect(search('欠我工资怎么办')[0]?.keywords).toContain('欠薪');
    expect(search('qianxin')[0]?.keywords).toContain('欠薪');
    expect(search('qx')[0]?.keywords).toContain('欠薪');
    expect(search('lihun')[0]?.categoryId).toBe('marriage-family');
    expect(search('老公打我怎么办')[0]?.keywords).toContain('家庭暴力');
    expect(search('出车祸了')[0]?.categoryId).toBe('traffic-injury');
  });

  it('when a lawyer types a whole sentence, should still find entries, the best matching first', () => {
    seedKnowledgeIfEmpty(db, clock);
    expect(search('楼上邻居家漏水了不赔')[0]?.keywords).toContain('漏水');
    expect(
      search('我在工地干活老板拖欠工资三个月不给')
        .slice(0, 3)
        .some((h) => h.keywords.includes('欠薪')),
    ).toBe(true);
    expect(search('邻居家的狗把我孩子咬了怎么办').length).toBeGreaterThan(0);
  });
});
