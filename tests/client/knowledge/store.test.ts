import { describe, expect, it } from 'vitest';
import type { Ack, KnowledgeHit, KnowledgeSearchResponse } from '../../../client/src/contract';
import { allowedRoutes } from '../../../client/src/shared/routes';
import { createAppStore } from '../../../client/src/app/store';
import {
  canEditKnowledge,
  editorErrorOf,
  fieldErrorsOf,
  markTerms,
  splitKeywords,
  splitMarked,
  validateKnowledgeForm,
} from '../../../client/src/features/knowledge/rules';
import { user } from '../support/fixtures';
import { hit } from '../support/knowledge-fixtures';

const found = (q: string, hits: KnowledgeHit[]): Ack<KnowledgeSearchResponse> => ({
  ok: true,
  data: { q, category: null, terms: q ? [q] : [], hits },
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('knowledge: marked snippets', () => {
  it('when a snippet has 【】 marks, should split it into plain and marked runs without the brackets', () => {
    expect(splitMarked('可以申请【劳动仲裁】或【投诉】。')).toEqual([
      { text: '可以申请', marked: false },
      { text: '劳动仲裁', marked: true },
      { text: '或', marked: false },
      { text: '投诉', marked: true },
      { text: '。', marked: false },
    ]);
  });

  it('when a bracket has no partner, should keep it as text', () => {
    expect(splitMarked('第【三十条')).toEqual([{ text: '第【三十条', marked: false }]);
    expect(splitMarked('三十】条')).toEqual([{ text: '三十】条', marked: false }]);
  });

  it('when the snippet holds markup, should keep it as text for React to escape', () => {
    expect(splitMarked('<img src=x onerror=alert(1)>【欠薪】')).toEqual([
      { text: '<img src=x onerror=alert(1)>', marked: false },
      { text: '欠薪', marked: true },
    ]);
  });

  it('when marking a question, should mark every word of the query, case-insensitively', () => {
    expect(markTerms('工伤认定找谁?Ask HR', '工伤 hr')).toEqual([
      { text: '工伤', marked: true },
      { text: '认定找谁?Ask ', marked: false },
      { text: 'HR', marked: true },
    ]);
    expect(markTerms('工伤认定', '')).toEqual([{ text: '工伤认定', marked: false }]);
    expect(markTerms('a.b', '.')).toEqual([
      { text: 'a', marked: false },
      { text: '.', marked: true },
      { text: 'b', marked: false },
    ]);
  });
});

describe('knowledge: editor rules', () => {
  const form = {
    categoryId: 'labor',
    question: '公司拖欠工资怎么办',
    answer: '可以向劳动监察大队投诉或申请劳动仲裁。',
    legalBasis: '',
    keywords: '',
  };

  it('when the form is empty, should give the contract schema messages per field', () => {
    const r = validateKnowledgeForm({ categoryId: '', question: '欠薪', answer: '太短', legalBasis: '', keywords: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.categoryId).toEqual(['请选择类别']);
    expect(r.fields.question).toEqual(['标准问题至少 4 个字']);
    expect(r.fields.answer).toEqual(['标准答复至少 10 个字']);
  });

  it('when keywords are typed with 、 commas and spaces, should send them as a list without repeats', () => {
    expect(splitKeywords('欠薪、拖欠工资, 劳动仲裁,欠薪  工资')).toEqual(['欠薪', '拖欠工资', '劳动仲裁', '工资']);
    const r = validateKnowledgeForm({ ...form, keywords: '欠薪、拖欠工资' });
    expect(r.ok && r.input.keywords).toEqual(['欠薪', '拖欠工资']);
  });

  it('when a keyword is too long or there are too many, should file the message under keywords', () => {
    const many = Array.from({ length: 13 }, (_, i) => `词${i}`).join('、');
    const r = validateKnowledgeForm({ ...form, keywords: many });
    expect(!r.ok && r.fields.keywords?.length).toBe(1);
    const long = validateKnowledgeForm({ ...form, keywords: '一'.repeat(21) });
    expect(!long.ok && long.fields.keywords).toEqual(['关键词不能超过 20 个字']);
  });

  it("when the server answers 400, should put its field messages under the form's fields", () => {
    expect(fieldErrorsOf({ 'keywords.2': ['关键词不能超过 20 个字'], categoryId: ['未知的类别 x'], version: ['须为正整数'] })).toEqual({
      keywords: ['关键词不能超过 20 个字'],
      categoryId: ['未知的类别 x'],
      _: ['须为正整数'],
    });
    const shown = editorErrorOf({ code: 'VALIDATION', message: '请求参数有误', fields: { question: ['标准问题至少 4 个字'] } });
    expect(shown).toEqual({ fields: { question: ['标准问题至少 4 个字'] }, conflict: false, message: null });
  });

  it('when the server answers 409, should report a conflict and no field errors', () => {
    expect(editorErrorOf({ code: 'CONFLICT', message: '该条目已被他人修改,请刷新后再改' })).toEqual({
      fields: {},
      conflict: true,
      message: null,
    });
  });

  it('should let supervisors and admins edit, and seats and managers only read', () => {
    expect(['seat', 'supervisor', 'manager', 'admin'].map((r) => canEditKnowledge(r as never))).toEqual([false, true, false, true]);
    for (const role of ['seat', 'supervisor', 'manager', 'admin'] as const) expect(allowedRoutes(role)).toContain('knowledge');
  });
});

describe('knowledge: search slice', () => {
  it('when an older search answers after a newer one, should keep the newer hits', async () => {
    const store = createAppStore();
    const slow = deferred<Ack<KnowledgeSearchResponse>>();
    const first = store.getState().runKnowledgeSearch('panel', { q: '工伤', category: null }, () => slow.promise);
    await store.getState().runKnowledgeSearch('panel', { q: '工伤认定', category: null }, async () => found('工伤认定', [hit({ id: 2 })]));
    slow.resolve(found('工伤', [hit({ id: 1 })]));
    await first;
    const st = store.getState().knowledge.panel;
    expect(st.hits.map((h) => h.id)).toEqual([2]);
    expect(st.query?.q).toBe('工伤认定');
    expect(st.loading).toBe(false);
  });

  it('when a search fails, should keep the earlier hits and show the error', async () => {
    const store = createAppStore();
    await store.getState().runKnowledgeSearch('page', { q: '欠薪', category: null }, async () => found('欠薪', [hit()]));
    await store.getState().runKnowledgeSearch('page', { q: '欠薪x', category: null }, async () => ({
      ok: false,
      error: { code: 'INTERNAL', message: '服务器内部错误,请稍后重试' },
    }));
    const st = store.getState().knowledge.page;
    expect(st.hits).toHaveLength(1);
    expect(st.error).toBe('服务器内部错误,请稍后重试');
  });

  it('when the panel and the page search, should keep their results apart', async () => {
    const store = createAppStore();
    await store.getState().runKnowledgeSearch('panel', { q: '', category: 'labor' }, async () => found('', [hit({ id: 1 })]));
    await store.getState().runKnowledgeSearch('page', { q: '离婚', category: null }, async () => found('离婚', [hit({ id: 9 })]));
    expect(store.getState().knowledge.panel.hits.map((h) => h.id)).toEqual([1]);
    expect(store.getState().knowledge.page.hits.map((h) => h.id)).toEqual([9]);
  });

  it('when an entry is saved or retired, should update every list that shows it', async () => {
    const store = createAppStore();
    await store.getState().runKnowledgeSearch('panel', { q: '欠薪', category: null }, async () => found('欠薪', [hit(), hit({ id: 2 })]));
    await store.getState().runKnowledgeSearch('page', { q: '欠薪', category: null }, async () => found('欠薪', [hit()]));
    const { snippet: _s, ...entry } = hit({ question: '单位拖欠工资怎么办?', version: 2 });
    store.getState().knowledgeEntrySaved(entry);
    expect(store.getState().knowledge.panel.hits[0]).toMatchObject({ question: '单位拖欠工资怎么办?', version: 2, snippet: hit().snippet });
    expect(store.getState().knowledge.page.hits[0]?.version).toBe(2);
    store.getState().knowledgeEntryRetired(1);
    expect(store.getState().knowledge.panel.hits.map((h) => h.id)).toEqual([2]);
    expect(store.getState().knowledge.page.hits).toEqual([]);
  });

  it('when the user signs out, should forget the results', async () => {
    const store = createAppStore();
    store.getState().signedIn(user('seat'));
    await store.getState().runKnowledgeSearch('panel', { q: '欠薪', category: null }, async () => found('欠薪', [hit()]));
    store.getState().signedOut();
    expect(store.getState().knowledge.panel.hits).toEqual([]);
    expect(store.getState().knowledge.panel.query).toBeNull();
  });

  it('when the session has expired, should sign out', async () => {
    const store = createAppStore();
    store.getState().signedIn(user('seat'));
    await store.getState().runKnowledgeSearch('panel', { q: '欠薪', category: null }, async () => ({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '请先登录' },
    }));
    expect(store.getState().authStatus).toBe('anonymous');
  });
});
