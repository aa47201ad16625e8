import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KnowledgeEntry, KnowledgeHit } from '../../../client/src/contract';
import { KnowledgePage } from '../../../client/src/features/knowledge/KnowledgePage';
import { appStore } from '../../../client/src/app/store';
import { reference, seat, T0, user } from '../support/fixtures';
import { errBody, fakeFetch, hit, okBody, type FetchCall, type FetchReply } from '../support/knowledge-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let calls: FetchCall[];

/** Search answers `hits`; other requests go to `other`. */
function serve(hits: KnowledgeHit[], other: (c: FetchCall) => FetchReply = () => errBody(404, 'NOT_FOUND', '未找到')): void {
  const fake = fakeFetch((c) =>
    c.method === 'GET' && c.path === '/api/knowledge'
      ? okBody({ q: c.query.get('q'), category: null, terms: c.query.get('q') ? [c.query.get('q')] : [], hits })
      : other(c),
  );
  calls = fake.calls;
  vi.stubGlobal('fetch', fake.fetch);
}

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await act(async () => new Promise<void>((r) => setImmediate(r)));
}

async function show(role: 'seat' | 'supervisor' | 'manager'): Promise<void> {
  appStore.getState().signedIn(user(role), 'knowledge');
  appStore.getState().setReference(reference);
  act(() => root.render(createElement(KnowledgePage)));
  await settle();
}

const button = (label: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === label);
const click = async (el: HTMLElement | undefined) => {
  expect(el).toBeDefined();
  act(() => el!.click());
  await settle();
};
const field = (label: string) => {
  const l = [...host.querySelectorAll('label')].find((x) => x.textContent === label);
  return document.getElementById(l?.htmlFor ?? '') as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
};
function fill(label: string, value: string): void {
  const el = field(label);
  const proto =
    el instanceof HTMLTextAreaElement ? HTMLTextAreaElement : el instanceof HTMLSelectElement ? HTMLSelectElement : HTMLInputElement;
  act(() => {
    Object.getOwnPropertyDescriptor(proto.prototype, 'value')?.set?.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}
const errorsOf = (label: string) => {
  const ids = field(label).getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids
    .map((id) => document.getElementById(id))
    .filter((e) => e?.classList.contains('field-errors'))
    .map((e) => e!.textContent)
    .join('');
};
const submit = async () => {
  act(() => host.querySelector('form')!.requestSubmit());
  await settle();
};
const listItem = (text: string) =>
  [...host.querySelectorAll<HTMLButtonElement>('.kb-list-item')].find((b) => b.textContent?.includes(text));

describe('knowledge page: reading', () => {
  it('when a seat opens it, should list and show entries but offer no editing', async () => {
    serve([hit()]);
    await show('seat');
    expect(calls[0]?.query.get('limit')).toBe('50');
    await click(listItem('公司拖欠工资怎么办'));
    expect(host.querySelector('.kb-entry')?.textContent).toContain('《中华人民共和国劳动合同法》第三十条');
    expect(host.textContent).toContain('版本 1');
    expect(host.textContent).toContain('只读');
    for (const label of ['新建条目', '编辑', '停用']) expect(button(label)).toBeUndefined();
  });

  it('when a manager opens it, should be read-only too', async () => {
    serve([hit()]);
    await show('manager');
    await click(listItem('公司拖欠工资怎么办'));
    expect(button('编辑')).toBeUndefined();
  });

  it('when a call rings at a seat reading here, should take the seat back to the workbench', async () => {
    serve([]);
    await show('seat');
    act(() => appStore.getState().applySeat(seat({ kind: 'ringing', since: T0, callId: 'c1', attempt: 1, idleSince: T0 })));
    expect(appStore.getState().route).toBe('seat');
  });

  it('when a category is chosen, should search within it', async () => {
    serve([hit()]);
    await show('supervisor');
    const select = host.querySelector('.kb-filter select') as HTMLSelectElement;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set?.call(select, 'labor');
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(calls.at(-1)?.query.get('category')).toBe('labor');
  });
});

describe('knowledge page: editing', () => {
  it('when a new entry is too short, should show the schema messages under each field and send nothing', async () => {
    serve([]);
    await show('supervisor');
    await click(button('新建条目'));
    fill('标准问题', '欠薪');
    fill('标准答复', '去仲裁');
    await submit();
    expect(errorsOf('类别')).toBe('请选择类别');
    expect(errorsOf('标准问题')).toBe('标准问题至少 4 个字');
    expect(errorsOf('标准答复')).toBe('标准答复至少 10 个字');
    expect(field('标准问题').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('类别'));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    // Typing in a field clears its message.
    fill('标准问题', '公司拖欠工资怎么办');
    expect(errorsOf('标准问题')).toBe('');
  });

  it('when the server rejects a field, should show its message under that field', async () => {
    serve([], (c) =>
      c.method === 'POST'
        ? errBody(400, 'VALIDATION', '请求参数有误: categoryId: 未知的类别 labor', { categoryId: ['未知的类别 labor'] })
        : errBody(404, 'NOT_FOUND', ''),
    );
    await show('supervisor');
    await click(button('新建条目'));
    fill('类别', 'labor');
    fill('标准问题', '公司拖欠工资怎么办?');
    fill('标准答复', '可以向劳动监察大队投诉,或者申请劳动仲裁。');
    fill('关键词', '欠薪、拖欠工资');
    await submit();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({
      categoryId: 'labor',
      question: '公司拖欠工资怎么办?',
      answer: '可以向劳动监察大队投诉,或者申请劳动仲裁。',
      legalBasis: '',
      keywords: ['欠薪', '拖欠工资'],
    });
    expect(errorsOf('类别')).toBe('未知的类别 labor');
    expect(host.querySelector('[role="alert"]')).toBeNull();
  });

  it('when an edit is saved, should send the version it was based on and show the new version', async () => {
    const saved: KnowledgeEntry = { ...hit(), question: '单位拖欠工资怎么办?', version: 2 };
    delete (saved as Partial<KnowledgeHit>).snippet;
    serve([hit()], (c) => (c.method === 'PUT' ? okBody(saved) : errBody(404, 'NOT_FOUND', '')));
    await show('supervisor');
    await click(listItem('公司拖欠工资怎么办'));
    await click(button('编辑'));
    expect(host.textContent).toContain('当前版本 1');
    fill('标准问题', '单位拖欠工资怎么办?');
    await submit();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/knowledge/1');
    expect(put?.body).toMatchObject({ question: '单位拖欠工资怎么办?', version: 1 });
    expect(host.textContent).toContain('已保存,当前版本 2');
    expect(host.querySelector('.kb-entry-q')?.textContent).toBe('单位拖欠工资怎么办?');
    expect(listItem('单位拖欠工资怎么办')).toBeDefined();
  });

  it('when someone else changed the entry (409), should say so and load the current version on request', async () => {
    const current: KnowledgeEntry = { ...hit(), answer: '他人修改后的标准答复:先协商,再投诉或仲裁。', version: 3, updatedBy: '王班长' };
    delete (current as Partial<KnowledgeHit>).snippet;
    serve([hit()], (c) => {
      if (c.method === 'PUT') return errBody(409, 'CONFLICT', '该条目已被他人修改,请刷新后再改');
      if (c.method === 'GET' && c.path === '/api/knowledge/1') return okBody(current);
      return errBody(404, 'NOT_FOUND', '');
    });
    await show('supervisor');
    await click(listItem('公司拖欠工资怎么办'));
    await click(button('编辑'));
    fill('标准答复', '我的修改:可以直接申请劳动仲裁,无需先行协商。');
    await submit();
    const alert = host.querySelector('.kb-conflict');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toContain('该条目已被他人修改');
    expect(alert?.textContent).toContain('版本 1');
    await click(button('载入最新版本'));
    expect((field('标准答复') as HTMLTextAreaElement).value).toBe(current.answer);
    expect(host.textContent).toContain('当前版本 3');
    expect(host.querySelector('.kb-conflict')).toBeNull();
    expect(host.textContent).toContain('已载入最新版本 3');
  });

  it('when 停用 is pressed, should ask first and retire only on confirmation', async () => {
    serve([hit(), hit({ id: 2, question: '工伤认定需要多长时间?' })], (c) =>
      c.method === 'DELETE' ? okBody(null) : errBody(404, 'NOT_FOUND', ''),
    );
    await show('supervisor');
    await click(listItem('公司拖欠工资怎么办'));
    await click(button('停用'));
    expect(host.textContent).toContain('确认停用?');
    await click(button('取消'));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    await click(button('停用'));
    await click(button('确认停用'));
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/knowledge/1');
    expect(listItem('公司拖欠工资怎么办')).toBeUndefined();
    expect(listItem('工伤认定')).toBeDefined();
    expect(host.textContent).toContain('条目已停用');
  });
});
