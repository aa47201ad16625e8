import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { KnowledgeEntry, KnowledgeHit, KnowledgeSearchResponse } from '../../server/src/contract/index.js';
import { DEFAULT_CATEGORIES } from '../../server/src/domain/model.js';
import { STARTER_KNOWLEDGE } from '../../server/src/seed/knowledge-entries.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

let srv: TestServer;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  srv = await startTestServer();
  for (const u of ['seat01', 'supervisor', 'manager', 'admin']) cookies[u] = await login(srv.url, u);
});
afterAll(async () => {
  await srv?.stop();
});

const call = (method: string, path: string, user: string | null, body?: unknown) =>
  fetch(`${srv.url}/api/knowledge${path}`, {
    method,
    headers: { ...(user ? { cookie: cookies[user]! } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

async function search(params: Record<string, string | number>, user = 'seat01'): Promise<KnowledgeSearchResponse> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await call('GET', `?${qs}`, user);
  expect(res.status).toBe(200);
  return (await res.json()).data as KnowledgeSearchResponse;
}

async function create(body: unknown, user = 'supervisor'): Promise<KnowledgeEntry> {
  const res = await call('POST', '', user, body);
  expect(res.status).toBe(201);
  return (await res.json()).data as KnowledgeEntry;
}

const liveCount = () => (srv.db.prepare('SELECT COUNT(*) AS n FROM knowledge_entries WHERE retired_at IS NULL').get() as { n: number }).n;

const NEW_ENTRY = {
  categoryId: 'labor',
  question: '外卖骑手在送餐途中受伤，平台要赔吗？',
  answer:
    '先确认与谁建立了劳动关系或用工关系：与配送站点签了劳动合同的按工伤处理；属于灵活就业的，看是否参加了职业伤害保障。保留接单记录和事故证明。',
  legalBasis: '《工伤保险条例》第十四条',
  keywords: ['骑手', '职业伤害', '新就业形态'],
};

describe('the starter set', () => {
  it('when a new database starts, should hold at least 60 live entries, ≥2 in every category, suggested per category', async () => {
    let total = 0;
    for (const c of DEFAULT_CATEGORIES) {
      const { hits } = await search({ category: c.id, limit: 50 });
      expect(hits.length, c.name).toBeGreaterThanOrEqual(2);
      expect(hits.every((h) => h.categoryId === c.id && h.updatedBy === '系统预置')).toBe(true);
      total += hits.length;
    }
    expect(total).toBe(STARTER_KNOWLEDGE.length);
    expect(total).toBeGreaterThanOrEqual(60);
  });
});

describe('GET /api/knowledge: searching in Chinese', () => {
  it('when a seat searches the 2-character word 欠薪, should find a wage-arrears entry first with the word marked', async () => {
    const { hits } = await search({ q: '欠薪' });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.categoryId).toBe('labor');
    expect(hits[0]!.keywords).toContain('欠薪');
    expect(hits.some((h) => h.snippet.includes('【欠薪】'))).toBe(true);
  });

  it('when a seat searches 离婚 or 工伤, should find entries of the right category by LIKE', async () => {
    expect((await search({ q: '离婚' })).hits[0]!.categoryId).toBe('marriage-family');
    expect((await search({ q: '工伤' })).hits[0]!.categoryId).toBe('labor');
  });

  it('when a seat searches the 4-character 工伤认定, should find the work-injury entry first', async () => {
    const { hits } = await search({ q: '工伤认定' });
    expect(hits[0]!.question).toBe('上班时受伤了，单位不给申请工伤认定怎么办？');
    expect(hits[0]!.snippet).toContain('【工伤认定】');
  });

  it('when a snippet is returned, should be plain text without HTML', async () => {
    const { hits } = await search({ q: '劳动仲裁' });
    for (const h of hits) expect(h.snippet).not.toMatch(/<[a-z/]/i);
  });

  it('when the call is of another category, should list that category first and still find cross-category answers', async () => {
    const plain = await search({ q: '交通事故', limit: 50 });
    const asLabor = await search({ q: '交通事故', category: 'labor', limit: 50 });
    expect(asLabor.category).toBe('labor');
    expect(asLabor.hits.length).toBe(plain.hits.length);
    const firstOther = asLabor.hits.findIndex((h) => h.categoryId !== 'labor');
    expect(firstOther).toBeGreaterThan(0);
    expect(asLabor.hits.slice(firstOther).every((h) => h.categoryId !== 'labor')).toBe(true);
    expect(asLabor.hits.some((h) => h.categoryId === 'traffic-injury')).toBe(true);
  });

  it('when the query is empty and a category is given, should list only that category (the suggestions for the call)', async () => {
    const { hits } = await search({ q: '', category: 'mediation' });
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.every((h) => h.categoryId === 'mediation')).toBe(true);
  });

  it('when several words are given, should return only entries matching all of them', async () => {
    const { hits } = await search({ q: '农民工 法律援助', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      const text = `${h.question}${h.answer}${h.legalBasis}${h.keywords.join(' ')}`;
      expect(text).toContain('农民工');
      expect(text).toContain('法律援助');
    }
    expect((await search({ q: '欠薪 彩礼' })).hits).toEqual([]);
  });

  it('when a limit is given, should return at most that many', async () => {
    expect((await search({ q: '法', limit: 3 })).hits).toHaveLength(3);
  });

  it.each([
    '"',
    '"欠薪" OR "离婚"',
    '欠薪*',
    '-欠薪',
    'NEAR(欠薪 工资)',
    'question:欠薪',
    '^工伤',
    '()',
    "'; DROP TABLE knowledge_entries; --",
    '%',
    '_',
    '\\',
    '😀',
  ])('when the query is the hostile input %j, should answer 200 and keep every entry', async (q) => {
    const before = liveCount();
    const res = await call('GET', `?${new URLSearchParams({ q })}`, 'seat01');
    expect(res.status).toBe(200);
    expect((await res.json()).ok).toBe(true);
    expect(liveCount()).toBe(before);
  });

  it('when the query is longer than 100 characters or the limit is out of range, should answer 400 per field', async () => {
    const long = await call('GET', `?q=${encodeURIComponent('欠'.repeat(101))}`, 'seat01');
    expect(long.status).toBe(400);
    expect((await long.json()).error.fields.q).toEqual(['搜索词不能超过 100 个字']);
    const limit = await call('GET', '?q=欠薪&limit=500', 'seat01');
    expect(limit.status).toBe(400);
    expect((await limit.json()).error.fields.limit).toBeDefined();
  });

  it('when nobody is signed in, should answer 401', async () => {
    const res = await call('GET', '?q=欠薪', null);
    expect(res.status).toBe(401);
  });
});

describe('GET /api/knowledge: what lawyers type', () => {
  const wageArrears = (h: KnowledgeHit) => h.keywords.includes('欠薪');

  it('when a seat searches 被打了, should find the entry for 被打 first, as 被打 does', async () => {
    const { hits } = await search({ q: '被打了' });
    expect(hits[0]!.question).toBe('被人打伤了，怎么追究对方的责任？');
    expect(hits[0]!.keywords).toContain('被打');
    expect(hits[0]!.id).toBe((await search({ q: '被打' })).hits[0]!.id);
  });

  it('when a seat searches 欠我工资怎么办, should find the wage-arrears entries first with the words marked', async () => {
    const { hits, terms } = await search({ q: '欠我工资怎么办' });
    expect(terms).toEqual(['欠工资', '拖欠工资', '欠薪']);
    expect(hits[0]!.question).toBe('老板拖欠工资不给，我该怎么讨薪？');
    const all = (await search({ q: '欠薪', limit: 50 })).hits.filter(wageArrears).map((h) => h.id);
    expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining(all));
    for (const h of hits.slice(0, 3)) expect(`${h.question}${h.keywords.join(' ')}`).toMatch(/欠薪|拖欠工资/);
    expect(hits[0]!.snippet).toMatch(/【(欠薪|拖欠工资)】/);
  });

  it.each(['qianxin', 'qian xin', 'QianXin', 'qx'])('when a seat searches the pinyin %j, should find the 欠薪 entries first', async (q) => {
    const { hits, terms } = await search({ q });
    expect(terms).toContain('欠薪');
    expect(hits[0]!.snippet).toContain('【欠薪】');
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.slice(0, 2).every(wageArrears)).toBe(true);
    expect(hits[0]!.categoryId).toBe('labor');
  });

  it('when a seat searches pinyin during a call of another category, should list that category first and still find the rest', async () => {
    const plain = await search({ q: 'gongshang', limit: 20 });
    expect(plain.hits[0]!.categoryId).toBe('labor');
    const { hits } = await search({ q: 'gongshang', category: 'legal-aid', limit: 20 });
    expect(hits[0]!.categoryId).toBe('legal-aid');
    expect(hits[0]!.keywords).toContain('工伤');
    expect(hits.slice(1).some((h) => h.categoryId === 'labor' && h.keywords.includes('工伤认定'))).toBe(true);
  });

  it('when a seat mixes pinyin and Chinese (qx 法律援助), should need both', async () => {
    const { hits } = await search({ q: 'qx 法律援助', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(`${h.question}${h.answer}${h.keywords.join(' ')}`).toContain('法律援助');
  });
});

describe('GET /api/knowledge/:id', () => {
  it('when the entry exists, should return it to any signed-in user', async () => {
    const { hits } = await search({ q: '工伤认定' });
    const res = await call('GET', `/${hits[0]!.id}`, 'seat01');
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ id: hits[0]!.id, categoryId: 'labor', version: 1 });
  });

  it('when the id is unknown or not a number, should answer 404 with a sentence', async () => {
    for (const id of ['999999', 'abc', '0', '1.5']) {
      const res = await call('GET', `/${id}`, 'seat01');
      expect(res.status, id).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('editing the knowledge base', () => {
  it('when a seat tries to create, edit or retire, should answer 403 with a zh-CN sentence and change nothing', async () => {
    const before = liveCount();
    const post = await call('POST', '', 'seat01', NEW_ENTRY);
    expect(post.status).toBe(403);
    const body = await post.json();
    expect(body.error).toEqual({ code: 'FORBIDDEN', message: '只有班长或系统管理员可以新增、修改或停用知识库条目' });
    expect((await call('PUT', '/1', 'seat01', { ...NEW_ENTRY, version: 1 })).status).toBe(403);
    expect((await call('DELETE', '/1', 'seat01')).status).toBe(403);
    expect((await call('POST', '', 'manager', NEW_ENTRY)).status).toBe(403);
    expect(liveCount()).toBe(before);
    expect((await call('GET', '/1', 'seat01')).status).toBe(200);
  });

  it('when a supervisor creates an entry, should answer 201 with version 1 by their display name and make it searchable', async () => {
    const e = await create(NEW_ENTRY);
    expect(e).toMatchObject({ ...NEW_ENTRY, version: 1, updatedBy: '班长 林晓' });
    const { hits } = await search({ q: '骑手' });
    expect(hits.map((h) => h.id)).toContain(e.id);
  });

  it('when an admin creates an entry, should answer 201 as well', async () => {
    const e = await create({ ...NEW_ENTRY, question: '管理员新增的标准问题', keywords: [] }, 'admin');
    expect(e.updatedBy).toBe('系统管理员');
    expect(e.keywords).toEqual([]);
    expect(e.legalBasis).toBe('《工伤保险条例》第十四条');
  });

  it('when a supervisor updates with the current version, should bump the version and reindex', async () => {
    const e = await create({ ...NEW_ENTRY, question: '网约车司机被平台封号怎么办？', keywords: ['网约车'] });
    const res = await call('PUT', `/${e.id}`, 'supervisor', {
      ...NEW_ENTRY,
      question: '网约车司机账号被封怎么申诉？',
      keywords: ['网约车', '申诉'],
      version: 1,
    });
    expect(res.status).toBe(200);
    const updated = (await res.json()).data as KnowledgeEntry;
    expect(updated).toMatchObject({ id: e.id, version: 2, question: '网约车司机账号被封怎么申诉？', updatedBy: '班长 林晓' });
    expect((await search({ q: '被平台封号' })).hits.map((h) => h.id)).not.toContain(e.id);
    expect((await search({ q: '账号被封' })).hits.map((h) => h.id)).toContain(e.id);
  });

  it('when an update names a stale version, should answer 409 with a sentence and keep the newer text', async () => {
    const e = await create({ ...NEW_ENTRY, question: '两位班长同时修改的条目' });
    const first = await call('PUT', `/${e.id}`, 'supervisor', { ...NEW_ENTRY, question: '第一位班长的修改', version: 1 });
    expect(first.status).toBe(200);
    const second = await call('PUT', `/${e.id}`, 'admin', { ...NEW_ENTRY, question: '第二位的修改', version: 1 });
    expect(second.status).toBe(409);
    expect((await second.json()).error).toEqual({ code: 'CONFLICT', message: '该条目已被他人修改,请刷新后再改' });
    const now = (await (await call('GET', `/${e.id}`, 'seat01')).json()).data as KnowledgeEntry;
    expect(now).toMatchObject({ question: '第一位班长的修改', version: 2 });
  });

  it('when the input is invalid, should answer 400 with messages per field and change nothing', async () => {
    const before = liveCount();
    const res = await call('POST', '', 'supervisor', { categoryId: '', question: '短', answer: '太短', keywords: [''], extra: 1 });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('VALIDATION');
    expect(error.fields.categoryId).toEqual(['请选择类别']);
    expect(error.fields.question).toEqual(['标准问题至少 4 个字']);
    expect(error.fields.answer).toEqual(['标准答复至少 10 个字']);
    expect(error.fields['keywords.0']).toBeDefined();
    expect(liveCount()).toBe(before);
  });

  it('when the category is not a configured one, should answer 400 on categoryId and change nothing', async () => {
    const before = liveCount();
    const res = await call('POST', '', 'supervisor', { ...NEW_ENTRY, categoryId: 'astrology' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({ categoryId: ['未知的类别 astrology'] });
    expect(liveCount()).toBe(before);
  });

  it('when an update is invalid or lacks its version, should answer 400 and leave the entry as it was', async () => {
    const e = await create({ ...NEW_ENTRY, question: '校验失败时不应改变的条目' });
    const noVersion = await call('PUT', `/${e.id}`, 'supervisor', { ...NEW_ENTRY, question: '不该写入的修改' });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.fields.version).toBeDefined();
    const badCategory = await call('PUT', `/${e.id}`, 'supervisor', { ...NEW_ENTRY, categoryId: 'nope', version: 1 });
    expect(badCategory.status).toBe(400);
    const now = (await (await call('GET', `/${e.id}`, 'seat01')).json()).data as KnowledgeEntry;
    expect(now).toMatchObject({ question: '校验失败时不应改变的条目', version: 1, categoryId: 'labor' });
  });

  it('when the body is not JSON, should answer 400 with a sentence', async () => {
    const res = await call('POST', '', 'supervisor', '{not json');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'VALIDATION', message: '请求体不是有效的 JSON' });
  });

  it('when a supervisor retires an entry, should no longer be found, read, edited or retired again', async () => {
    const e = await create({ ...NEW_ENTRY, question: '即将停用的旧条目', keywords: ['旧政策条目'] });
    expect((await call('DELETE', `/${e.id}`, 'supervisor')).status).toBe(200);
    expect((await search({ q: '旧政策条目' })).hits).toEqual([]);
    expect((await search({ q: '', category: 'labor', limit: 50 })).hits.map((h) => h.id)).not.toContain(e.id);
    expect((await call('GET', `/${e.id}`, 'seat01')).status).toBe(404);
    expect((await call('PUT', `/${e.id}`, 'supervisor', { ...NEW_ENTRY, version: 2 })).status).toBe(404);
    expect((await call('DELETE', `/${e.id}`, 'supervisor')).status).toBe(404);
    const row = srv.db.prepare('SELECT retired_at, updated_by FROM knowledge_entries WHERE id = ?').get(e.id) as {
      retired_at: number | null;
      updated_by: string;
    };
    expect(row.retired_at).not.toBeNull();
    expect(row.updated_by).toBe('班长 林晓');
  });
});

describe('restarts', () => {
  it('when the database predates the pinyin index (migration 6), should index its entries at start and find pinyin', async () => {
    const dbPath = srv.dbPath;
    await srv.stop({ keepDb: true });
    const raw = new Database(dbPath);
    raw.exec(
      "DROP TABLE knowledge_terms; DELETE FROM schema_migrations WHERE version = 6; DELETE FROM settings WHERE key = 'knowledge_terms_index';",
    );
    raw.close();
    srv = await startTestServer({ dbPath });
    cookies.seat01 = await login(srv.url, 'seat01');
    const { hits } = await search({ q: 'qx' });
    expect(hits[0]!.keywords).toContain('欠薪');
    expect((await search({ q: '被打了' })).hits[0]!.keywords).toContain('被打');
  });

  it('when every entry was retired, should not seed the starter set again at the next start', async () => {
    const ids = srv.db.prepare('SELECT id FROM knowledge_entries WHERE retired_at IS NULL').all() as { id: number }[];
    for (const { id } of ids) expect((await call('DELETE', `/${id}`, 'admin')).status).toBe(200);
    const dbPath = srv.dbPath;
    await srv.stop({ keepDb: true });
    srv = await startTestServer({ dbPath });
    cookies.seat01 = await login(srv.url, 'seat01');
    expect(liveCount()).toBe(0);
    expect((await search({ q: '欠薪' })).hits).toEqual([]);
  });
});
