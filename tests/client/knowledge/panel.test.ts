import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KnowledgeEntry } from '../../../client/src/contract';
import { KnowledgePanel, SEARCH_DEBOUNCE_MS } from '../../../client/src/features/knowledge/KnowledgePanel';
import { appStore } from '../../../client/src/app/store';
import { reference, user } from '../support/fixtures';
import { fakeFetch, hit, okBody, type FetchCall } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

/** A server whose search finds one entry per query word, ids counting up. */
function serve(): void {
  let next = 1;
  const fake = fakeFetch((c) => {
    const q = c.query.get('q') ?? '';
    const category = c.query.get('category');
    if (!q)
      return okBody({
        q,
        category,
        terms: q ? [q] : [],
        hits: [hit({ id: 100, question: '用人单位不签劳动合同怎么办?', snippet: '' }), hit({ id: 101 })],
      });
    return okBody({
      q,
      category,
      terms: q ? [q] : [],
      hits: [hit({ id: next++, question: `关于${q}的问题`, snippet: `可以申请【${q}】处理。` })],
    });
  });
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  serve();
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  appStore.getState().signedIn(user('seat'));
  appStore.getState().setReference(reference);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Lets fetch answers and React updates land. */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}

async function show(props: { categoryId: string | null; onInsert?: (e: KnowledgeEntry) => void }): Promise<void> {
  act(() => root.render(createElement(KnowledgePanel, { onInsert: () => {}, ...props })));
  await settle();
}

const input = () => host.querySelector('input[type="search"]') as HTMLInputElement;
const searches = () => calls.filter((c) => c.path === '/api/knowledge').map((c) => c.query.get('q'));

function typeText(value: string, composing = false): void {
  const el = input();
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, value);
    el.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: composing }));
  });
}
const compose = (type: 'compositionstart' | 'compositionend', data = '') =>
  act(() => {
    input().dispatchEvent(new CompositionEvent(type, { bubbles: true, data }));
  });
const wait = async (ms: number) => {
  act(() => {
    vi.advanceTimersByTime(ms);
  });
  await settle();
};
const heads = () => [...host.querySelectorAll<HTMLButtonElement>('.kb-hit-head')];
const key = (el: Element, k: string) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));

describe('knowledge panel: search', () => {
  it("when the box is empty during a call, should list the call category's suggestions", async () => {
    await show({ categoryId: 'labor' });
    expect(calls[0]?.query.get('category')).toBe('labor');
    expect(calls[0]?.query.get('q')).toBe('');
    expect(host.textContent).toContain('劳动与社会保障 · 常见问题');
    expect(host.textContent).toContain('用人单位不签劳动合同怎么办?');
  });

  it('when there is no call and the box is empty, should not search and should say what to do', async () => {
    await show({ categoryId: null });
    expect(calls).toHaveLength(0);
    expect(host.textContent).toContain('输入关键词搜索标准答复');
  });

  it('when typing quickly, should send one search after the typing pauses', async () => {
    await show({ categoryId: null });
    typeText('工');
    await wait(100);
    typeText('工伤');
    await wait(SEARCH_DEBOUNCE_MS - 1);
    expect(searches()).toEqual([]);
    await wait(1);
    expect(searches()).toEqual(['工伤']);
    expect(host.textContent).toContain('关于工伤的问题');
  });

  it('while an input method composes pinyin, should not search; when the text is committed, should search it', async () => {
    await show({ categoryId: null });
    compose('compositionstart');
    typeText('l', true);
    typeText('lao dong', true);
    await wait(SEARCH_DEBOUNCE_MS * 3);
    expect(searches()).toEqual([]);
    // The browser replaces the pinyin with the chosen characters, then ends the composition.
    typeText('劳动', true);
    compose('compositionend', '劳动');
    await wait(SEARCH_DEBOUNCE_MS);
    expect(searches()).toEqual(['劳动']);
  });

  it('when the browser sends the committed input after compositionend, should still search once', async () => {
    await show({ categoryId: null });
    compose('compositionstart');
    typeText('gongshang', true);
    compose('compositionend', '工伤');
    typeText('工伤');
    await wait(SEARCH_DEBOUNCE_MS);
    expect(searches()).toEqual(['工伤']);
  });

  it('when Enter is pressed, should search at once; Esc should clear the box back to suggestions', async () => {
    await show({ categoryId: 'labor' });
    typeText('欠薪');
    key(input(), 'Enter');
    await settle();
    expect(searches()).toEqual(['', '欠薪']);
    expect(host.textContent).toContain('搜索结果');
    key(input(), 'Escape');
    await settle();
    expect(input().value).toBe('');
    expect(searches()).toEqual(['', '欠薪', '']);
    expect(host.textContent).toContain('常见问题');
  });

  it('when Ctrl+Enter is pressed in the box, should leave it to the page (it files the summary)', async () => {
    await show({ categoryId: 'labor' });
    typeText('欠薪');
    const ev = new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true });
    act(() => void input().dispatchEvent(ev));
    await settle();
    expect(ev.defaultPrevented).toBe(false);
    expect(searches()).toEqual(['']);
  });

  it('should show the snippet with the query in <mark>, and never read it as HTML', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch(() => okBody({ q: 'x', category: null, terms: ['x'], hits: [hit({ snippet: '<b>粗体</b>申请【劳动仲裁】' })] })).fetch,
    );
    await show({ categoryId: 'labor' });
    const snippet = host.querySelector('.kb-hit-snippet');
    expect(snippet?.querySelector('mark')?.textContent).toBe('劳动仲裁');
    expect(snippet?.querySelector('b')).toBeNull();
    expect(snippet?.textContent).toBe('<b>粗体</b>申请劳动仲裁');
  });
  it('when the server read the query into other words (欠我工资怎么办 → 拖欠工资), should mark those in the question', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch((c) =>
        okBody({
          q: c.query.get('q') ?? '',
          category: null,
          terms: c.query.get('q') ? ['欠工资', '欠薪', '拖欠工资'] : [],
          hits: [hit({ question: '老板拖欠工资不给，我该怎么讨薪？', snippet: '' })],
        }),
      ).fetch,
    );
    await show({ categoryId: null });
    typeText('欠我工资怎么办');
    act(() => void input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    await settle();
    const question = host.querySelector('.kb-hit-q');
    expect([...(question?.querySelectorAll('mark') ?? [])].map((m) => m.textContent)).toEqual(['拖欠工资']);
  });
});

describe('knowledge panel: reading and inserting', () => {
  it('when a result is opened, should show the full answer and the legal basis', async () => {
    await show({ categoryId: 'labor' });
    const head = heads()[1]!;
    expect(head.getAttribute('aria-expanded')).toBe('false');
    act(() => head.click());
    expect(head.getAttribute('aria-expanded')).toBe('true');
    const body = document.getElementById(head.getAttribute('aria-controls')!);
    expect(body?.textContent).toContain('向劳动监察大队投诉');
    expect(body?.textContent).toContain('《中华人民共和国劳动合同法》第三十条');
  });

  it('when 插入小结 is clicked, should hand the entry (without the snippet) to onInsert and say so', async () => {
    const onInsert = vi.fn();
    await show({ categoryId: 'labor', onInsert });
    const insert = host.querySelectorAll<HTMLButtonElement>('.kb-insert')[1]!;
    expect(insert.getAttribute('aria-label')).toBe('插入小结:公司拖欠工资怎么办?');
    act(() => insert.click());
    expect(onInsert).toHaveBeenCalledTimes(1);
    const entry = onInsert.mock.calls[0]![0] as KnowledgeEntry;
    expect(entry.id).toBe(101);
    expect(entry.answer).toContain('申请劳动仲裁');
    expect('snippet' in entry).toBe(false);
    expect(host.querySelector('[role="status"]')?.textContent).toBe('已将「公司拖欠工资怎么办?」插入小结');
    expect(insert.textContent).toBe('已插入');
  });

  it('when ↓ and ↑ are pressed, should move between the results and back to the box', async () => {
    await show({ categoryId: 'labor' });
    input().focus();
    key(input(), 'ArrowDown');
    expect(document.activeElement).toBe(heads()[0]);
    key(heads()[0]!, 'ArrowDown');
    expect(document.activeElement).toBe(heads()[1]);
    key(heads()[1]!, 'ArrowDown');
    expect(document.activeElement).toBe(heads()[1]);
    key(heads()[1]!, 'ArrowUp');
    key(heads()[0]!, 'ArrowUp');
    expect(document.activeElement).toBe(input());
  });

  it('when the call category changes, should fetch that category’s suggestions', async () => {
    await show({ categoryId: 'labor' });
    await show({ categoryId: 'general' });
    expect(calls.map((c) => c.query.get('category'))).toEqual(['labor', 'general']);
    expect(host.textContent).toContain('综合咨询 · 常见问题');
  });
});
